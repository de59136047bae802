/**
 * Owns the domain vocabulary of docs/domain.md: every fixed list the product stores or shows
 * (risk levels, changes, visit answers, ARMS factors, MAPPA, deadline kinds) with plain labels.
 * Stored values are the snake_case keys; labels are what an officer reads.
 */

/** Risk levels set by an ARMS assessment, lowest first. */
export const riskLevels = ['low', 'medium', 'high', 'very_high'] as const;
/** One of {@link riskLevels}. */
export type RiskLevel = (typeof riskLevels)[number];
/** Labels for risk levels. */
export const riskLevelLabels = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  very_high: 'Very high',
} as const satisfies Record<RiskLevel, string>;

/** How a case is managed; reactive is for people assessed low for three years or more. */
export const managementModes = ['active', 'reactive'] as const;
/** One of {@link managementModes}. */
export type ManagementMode = (typeof managementModes)[number];
/** Labels for management modes. */
export const managementModeLabels = {
  active: 'Active management',
  reactive: 'Reactive management',
} as const satisfies Record<ManagementMode, string>;

/** How fast a significant change must bring the assessment review forward. */
export const changeUrgencies = ['urgent', 'standard'] as const;
/** One of {@link changeUrgencies}. */
export type ChangeUrgency = (typeof changeUrgencies)[number];
/** Labels for change urgencies. */
export const changeUrgencyLabels = {
  urgent: 'Urgent',
  standard: 'Standard',
} as const satisfies Record<ChangeUrgency, string>;

/** Significant changes that bring the assessment review forward, urgent ones first. */
export const significantChangeKinds = [
  'further_offence',
  'breach',
  'missing',
  'child_access',
  'relationship',
  'employment',
  'address',
  'bereavement',
  'substance_relapse',
  'mental_health_crisis',
  'new_devices',
  'foreign_travel',
  'custody_or_hospital',
  'mappa_level_change',
  'third_party_intelligence',
  'positive_change',
] as const;
/** One of {@link significantChangeKinds}. */
export type SignificantChangeKind = (typeof significantChangeKinds)[number];
/** Label and urgency of each significant change. */
export const significantChanges = {
  further_offence: { label: 'Further offence, arrest or charge', urgency: 'urgent' },
  breach: { label: 'Breach of an order, licence or notification requirement', urgency: 'urgent' },
  missing: { label: 'Missing', urgency: 'urgent' },
  child_access: { label: 'New access to a child, or a child in the household', urgency: 'urgent' },
  relationship: { label: 'New or ended relationship', urgency: 'standard' },
  employment: { label: 'Change or loss of job or education', urgency: 'standard' },
  address: { label: 'Change of address or no fixed address', urgency: 'standard' },
  bereavement: { label: 'Bereavement', urgency: 'standard' },
  substance_relapse: { label: 'Substance relapse', urgency: 'standard' },
  mental_health_crisis: { label: 'Mental-health crisis', urgency: 'standard' },
  new_devices: { label: 'New internet-capable devices', urgency: 'standard' },
  foreign_travel: { label: 'Foreign travel', urgency: 'standard' },
  custody_or_hospital: { label: 'Release from or return to custody or hospital', urgency: 'standard' },
  mappa_level_change: { label: 'MAPPA level change', urgency: 'standard' },
  third_party_intelligence: { label: 'Third-party intelligence', urgency: 'standard' },
  positive_change: { label: 'Positive change (e.g. treatment completed, stable work)', urgency: 'standard' },
} as const satisfies Record<SignificantChangeKind, { label: string; urgency: ChangeUrgency }>;

/** The urgency of a significant change. */
export function urgencyOf(kind: SignificantChangeKind): ChangeUrgency {
  return significantChanges[kind].urgency;
}

/** Kinds of home visit. */
export const visitTypes = ['initial', 'scheduled', 'unannounced', 'joint_probation'] as const;
/** One of {@link visitTypes}. */
export type VisitType = (typeof visitTypes)[number];
/** Labels for visit types. */
export const visitTypeLabels = {
  initial: 'Initial visit',
  scheduled: 'Scheduled visit',
  unannounced: 'Unannounced visit',
  joint_probation: 'Joint visit with probation',
} as const satisfies Record<VisitType, string>;

/** What happened at a home visit. */
export const visitOutcomes = [
  'seen_at_home',
  'seen_elsewhere',
  'no_reply',
  'access_refused',
  'no_longer_resident',
] as const;
/** One of {@link visitOutcomes}. */
export type VisitOutcome = (typeof visitOutcomes)[number];
/** Labels for visit outcomes. */
export const visitOutcomeLabels = {
  seen_at_home: 'Seen at home',
  seen_elsewhere: 'Seen elsewhere',
  no_reply: 'No reply',
  access_refused: 'Access refused',
  no_longer_resident: 'No longer living there',
} as const satisfies Record<VisitOutcome, string>;
/** Outcomes that count as a failed attempt to gain entry (two in a row point to the s.96B warrant). */
export const failedEntryOutcomes = ['no_reply', 'access_refused'] as const satisfies readonly VisitOutcome[];

/** Who else was present at a visit, in broad categories only (never names). */
export const presentCategories = [
  'adult_visitor',
  'child_present',
  'partner',
  'other_resident',
  'none',
] as const;
/** One of {@link presentCategories}. */
export type PresentCategory = (typeof presentCategories)[number];
/** Labels for present categories. */
export const presentCategoryLabels = {
  adult_visitor: 'Adult visitor',
  child_present: 'Child present',
  partner: 'Partner',
  other_resident: 'Other adult living there',
  none: 'Nobody else present',
} as const satisfies Record<PresentCategory, string>;

/** Version of the ARMS factor list below; stored with every set of ratings. */
export const armsFactorListVersion = 'ARMS-2';

/** ARMS risk factors (seven). */
export const armsRiskFactors = [
  'opportunity',
  'sexual_preoccupation',
  'offence_related_sexual_interests',
  'emotional_congruence_with_children',
  'poor_self_management',
  'hostile_orientation',
  'negative_social_influences',
] as const;
/** One of {@link armsRiskFactors}. */
export type ArmsRiskFactor = (typeof armsRiskFactors)[number];
/** Labels for ARMS risk factors. */
export const armsRiskFactorLabels = {
  opportunity: 'Opportunity',
  sexual_preoccupation: 'Sexual preoccupation',
  offence_related_sexual_interests: 'Offence-related sexual interests',
  emotional_congruence_with_children: 'Emotional congruence with children',
  poor_self_management: 'Poor self-management',
  hostile_orientation: 'Hostile orientation',
  negative_social_influences: 'Social influences (negative)',
} as const satisfies Record<ArmsRiskFactor, string>;

/** ARMS protective factors (five in ARMS-2; earlier versions had four). */
export const armsProtectiveFactors = [
  'positive_social_influences',
  'commitment_to_desist',
  'intimate_relationships',
  'employment_and_positive_routine',
  'social_investment',
] as const;
/** One of {@link armsProtectiveFactors}. */
export type ArmsProtectiveFactor = (typeof armsProtectiveFactors)[number];
/** Labels for ARMS protective factors. */
export const armsProtectiveFactorLabels = {
  positive_social_influences: 'Social influences (positive)',
  commitment_to_desist: 'Commitment to desist',
  intimate_relationships: 'Intimate relationships',
  employment_and_positive_routine: 'Employment and positive routine',
  social_investment: 'Social investment',
} as const satisfies Record<ArmsProtectiveFactor, string>;

/** How strongly an ARMS factor is present. */
export const armsPresenceRatings = ['low', 'medium', 'high'] as const;
/** One of {@link armsPresenceRatings}. */
export type ArmsPresenceRating = (typeof armsPresenceRatings)[number];
/** Labels for ARMS presence ratings. */
export const armsPresenceRatingLabels = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
} as const satisfies Record<ArmsPresenceRating, string>;

/** MAPPA categories. */
export const mappaCategories = [1, 2, 3] as const;
/** One of {@link mappaCategories}. */
export type MappaCategory = (typeof mappaCategories)[number];
/** Labels for MAPPA categories. */
export const mappaCategoryLabels = {
  1: 'Category 1: registered sexual offender',
  2: 'Category 2: violent or other sexual offender',
  3: 'Category 3: other dangerous offender',
} as const satisfies Record<MappaCategory, string>;

/** MAPPA management levels. */
export const mappaLevels = [1, 2, 3] as const;
/** One of {@link mappaLevels}. */
export type MappaLevel = (typeof mappaLevels)[number];
/** Labels for MAPPA levels. */
export const mappaLevelLabels = {
  1: 'Level 1: ordinary agency management',
  2: 'Level 2: multi-agency meetings',
  3: 'Level 3: multi-agency meetings, senior level',
} as const satisfies Record<MappaLevel, string>;

/** Kinds of deadline the reminder pipeline tracks. */
export const deadlineKinds = [
  'visit',
  'assessment_review',
  'early_review',
  'mappa_review',
  'officer_supervision',
  'supervision_action',
] as const;
/** One of {@link deadlineKinds}. */
export type DeadlineKind = (typeof deadlineKinds)[number];
/** Labels for deadline kinds; safe for chat (they name the task, not the person). */
export const deadlineKindLabels = {
  visit: 'Home visit',
  assessment_review: 'Risk assessment review',
  early_review: 'Early review after a significant change',
  mappa_review: 'MAPPA review',
  officer_supervision: 'Officer supervision',
  supervision_action: 'Supervision action',
} as const satisfies Record<DeadlineKind, string>;

/** Compliance with notification requirements or an order or licence, as seen at a visit. */
export const complianceAnswers = ['compliant', 'concerns', 'not_checked', 'no_order'] as const;
/** One of {@link complianceAnswers}. */
export type ComplianceAnswer = (typeof complianceAnswers)[number];
/** Labels for compliance answers. */
export const complianceLabels = {
  compliant: 'Compliant',
  concerns: 'Concerns noted',
  not_checked: 'Not checked at this visit',
  no_order: 'No order or licence in force',
} as const satisfies Record<ComplianceAnswer, string>;

/** What was done about internet-capable devices at a visit. */
export const deviceAnswers = ['seen_checked', 'seen_not_checked', 'none_seen', 'not_asked'] as const;
/** One of {@link deviceAnswers}. */
export type DeviceAnswer = (typeof deviceAnswers)[number];
/** Labels for device answers. */
export const deviceLabels = {
  seen_checked: 'Seen and checked',
  seen_not_checked: 'Seen, not checked',
  none_seen: 'None seen',
  not_asked: 'Not asked about',
} as const satisfies Record<DeviceAnswer, string>;

/** Labels for a case's status. */
export const caseStatusLabels = { active: 'Open', closed: 'Closed' } as const satisfies Record<'active' | 'closed', string>;

/** Labels for where a significant change was reported from. */
export const changeSourceLabels = {
  manual: 'reported in Casework',
  visit: 'observed at a home visit',
  import: 'from a caseload import',
} as const satisfies Record<'manual' | 'visit' | 'import', string>;

/** Labels for supervision action statuses. */
export const actionStatusLabels = { open: 'Open', done: 'Done', cancelled: 'Cancelled' } as const satisfies Record<'open' | 'done' | 'cancelled', string>;

/** Words for what an audit row records, by its stored action code. */
export const auditActionLabels: Record<string, string> = {
  'assessment.recorded': 'Assessment recorded',
  'case.audit_viewed': "Case's audit trail viewed",
  'case.created': 'Case created',
  'case.exported': 'Case exported',
  'case.imported': 'Case imported',
  'case.updated': 'Case updated',
  'case.viewed': 'Case viewed',
  'caseload.exported': 'Caseload exported',
  'caseload.imported': 'Caseload imported',
  'cases.listed': 'Cases listed',
  'change.recorded': 'Significant change recorded',
  'discussion.closed': 'Discussion closed',
  'discussion.opened': 'Discussion opened',
  'discussion.posted': 'Discussion posted to the channel',
  'discussion.reply_deleted': 'Discussion reply deleted',
  'discussion.reply_edited': 'Discussion reply edited',
  'discussion.reply_recorded': 'Discussion reply recorded',
  'discussion.reply_refused': 'Discussion reply refused (author not on the roster)',
  'discussions.listed': 'Discussions listed',
  'effect.failed': 'A message could not be delivered',
  'identity.linked': 'Chat account linked',
  'mappa.review_recorded': 'MAPPA review recorded',
  'member.added': 'Member added',
  'member.deliverable': 'Member reachable again',
  'member.removed': 'Member removed',
  'member.undeliverable': 'Member could not be reached',
  'member.updated': 'Member updated',
  'oversight.reported': 'Oversight report made',
  'oversight.viewed': 'Oversight viewed',
  'policy.updated': 'Team policy updated',
  'record.download_issued': 'Record download link issued',
  'record.downloaded': 'Record downloaded',
  'record.download_refused': 'Record download refused',
  'record.exported': 'Case record exported',
  'reminder.acknowledged': 'Reminder acknowledged',
  'reminder.done_pressed': 'Reminder marked done',
  'reminder.snoozed': 'Reminder snoozed',
  'supervision.addendum_signed': 'Supervision addendum signed',
  'supervision.note_drafted': 'Supervision note draft saved',
  'supervision.note_signed': 'Supervision note signed',
  'supervision.session_recorded': 'Officer supervision recorded',
  'supervision_action.completed': 'Supervision action done',
  'team.created': 'Team created',
  'visit.amended': 'Visit amended',
  'visit.draft_saved': 'Visit draft saved',
  'visit.recorded': 'Visit recorded',
  'visit.supervisor_notice_queued': 'Supervisor told about the visit',
};

/**
 * Words for a stored code that has no label of its own: `visit.draft_saved` reads
 * "Visit draft saved". A last resort so that no reader ever sees a raw code.
 */
export function wordsForCode(code: string): string {
  const words = code.replace(/[._]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : code;
}

/** Words for an audit action. */
export function auditActionLabel(action: string): string {
  return auditActionLabels[action] ?? wordsForCode(action);
}

/** Words for a significant change kind, whatever was stored. */
export function changeKindLabel(kind: string): string {
  return isOneOf(significantChangeKinds, kind) ? significantChanges[kind].label : wordsForCode(kind);
}

/** Looks a stored value up in a label table, falling back to words for the code. */
export function labelFrom<T extends string>(labels: Record<T, string>, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const key = String(value);
  return (labels as Record<string, string>)[key] ?? wordsForCode(key);
}

/** True if `value` is one of `list`; narrows unknown input to the list's type. */
export function isOneOf<const T extends readonly (string | number)[]>(
  list: T,
  value: unknown,
): value is T[number] {
  return (list as readonly unknown[]).includes(value);
}
