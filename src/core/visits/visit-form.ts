/**
 * The visit quick-update form (docs/domain.md, "After a home visit"): one field list and one zod
 * schema for both platforms. Choices come from the domain vocabulary; free text is limited to
 * short notes that both Slack and Teams accept. What comes back is untrusted and checked here.
 */
import { z } from 'zod';
import { addCalendarDays, isIsoDate, type IsoDate } from '../calendar/working-calendar.ts';
import type { Member } from '../domain/entities.ts';
import {
  armsProtectiveFactorLabels,
  armsProtectiveFactors,
  armsRiskFactorLabels,
  armsRiskFactors,
  complianceAnswers,
  complianceLabels,
  deviceAnswers,
  deviceLabels,
  presentCategories,
  presentCategoryLabels,
  significantChangeKinds,
  significantChanges,
  urgencyOf,
  visitOutcomeLabels,
  visitOutcomes,
  visitTypeLabels,
  visitTypes,
  type ArmsProtectiveFactor,
  type ArmsRiskFactor,
  type ComplianceAnswer,
  type DeviceAnswer,
  type PresentCategory,
  type SignificantChangeKind,
  type VisitOutcome,
  type VisitType,
} from '../domain/vocabulary.ts';
import { blankToUndefined } from '../forms/form-runtime.ts';
import { formatDate } from '../views/format.ts';
import type { FieldOption, FieldView } from '../views/form-view.ts';
import { isFailedEntry } from './visit-rules.ts';

/** The form id of the visit form (new visits and amendments alike). */
export const VISIT_FORM = 'visit.record';
/** The title of the visit form (also what Slack shows while it loads). */
export const VISIT_FORM_TITLE = 'Record visit';
/** The title of the form when it amends a recorded visit. */
export const VISIT_AMEND_TITLE = 'Amend visit';
/** The longest note the form takes (well inside Slack's 3000 and any Teams limit). */
export const VISIT_NOTE_MAX = 500;

/** Answers for notification requirements: the compliance answers less "no order" (notification applies to everyone registered). */
const notificationAnswers = ['compliant', 'concerns', 'not_checked'] as const satisfies readonly ComplianceAnswer[];
/** How far back a visit may be recorded, in calendar days. */
export const VISIT_MAX_DAYS_BACK = 90;

export { complianceAnswers, deviceAnswers, type ComplianceAnswer, type DeviceAnswer } from '../domain/vocabulary.ts';

/** The field id of a protective factor's note. */
export function protectiveFieldId(factor: ArmsProtectiveFactor): string {
  return `protective_${factor}`;
}

const options = <T extends string>(list: readonly T[], labels: Record<T, string>): FieldOption[] => list.map((v) => ({ value: v, label: labels[v] }));

/** The officers who can be listed as attending: active officers and supervisors of the team. */
export function attendingOfficers(members: readonly Member[]): Member[] {
  return members.filter((m) => m.active && (m.roles.includes('officer') || m.roles.includes('supervisor')));
}

/** The fields of the visit form. */
export function visitFields(members: readonly Member[]): FieldView[] {
  const note = (id: string, label: string, hint?: string): FieldView => ({ id, label, kind: 'text', required: false, maxLength: VISIT_NOTE_MAX, ...(hint ? { hint } : {}) });
  // The essentials of a routine visit first; what is recorded only when seen sits in two groups
  // one tap away, so the form opens with nine inputs in view.
  const STRENGTHS = 'Strengths seen (protective factors)';
  const RISK = 'Risk, compliance and welfare';
  return [
    { id: 'visitedOn', label: 'Date of visit', kind: 'date', required: true },
    { id: 'visitedTime', label: 'Time of visit', kind: 'time', required: true },
    { id: 'visitType', label: 'Visit type', kind: 'select', required: true, options: options(visitTypes, visitTypeLabels) },
    { id: 'officers', label: 'Officers attending', kind: 'multiselect', required: true, options: attendingOfficers(members).map((m) => ({ value: m.id, label: m.displayName })) },
    { id: 'outcome', label: 'Outcome', kind: 'select', required: true, options: options(visitOutcomes, visitOutcomeLabels) },
    { id: 'present', label: 'Who else was present', kind: 'checkboxes', required: false, options: options(presentCategories, presentCategoryLabels), hint: 'Categories only: never names.' },
    {
      id: 'changes',
      label: 'Significant changes observed',
      kind: 'multiselect',
      required: false,
      options: significantChangeKinds.map((k) => ({ value: k, label: `${significantChanges[k].label}${urgencyOf(k) === 'urgent' ? ' (urgent)' : ''}` })),
      hint: 'Each change brings the assessment review forward; an urgent one also tells the supervisor.',
    },
    { id: 'nextVisitOn', label: 'Next visit', kind: 'date', required: false, hint: 'Proposed from the policy. An earlier date brings the visit forward; a later one cannot push it past the policy.' },
    { id: 'discussion', label: 'Case discussion', kind: 'checkboxes', required: false, options: [{ value: 'wanted', label: 'Ask for a case discussion about this visit' }] },
    ...armsProtectiveFactors.map((f, i): FieldView => ({
      ...note(protectiveFieldId(f), `Protective factor seen: ${armsProtectiveFactorLabels[f]}`, i === 0 ? 'A short note for each strength you saw; leave blank if not seen.' : undefined),
      group: STRENGTHS,
    })),
    { id: 'riskConcerns', label: 'Risk concerns, by factor', kind: 'multiselect', required: false, options: options(armsRiskFactors, armsRiskFactorLabels), group: RISK },
    { ...note('riskNote', 'Risk concerns: short note'), group: RISK },
    { id: 'notificationCompliance', label: 'Notification requirements', kind: 'select', required: false, options: options(notificationAnswers, complianceLabels), group: RISK },
    { id: 'orderCompliance', label: 'Order or licence conditions', kind: 'select', required: false, options: options(complianceAnswers, complianceLabels), group: RISK },
    { id: 'devices', label: 'Internet-capable devices', kind: 'select', required: false, options: options(deviceAnswers, deviceLabels), group: RISK },
    { ...note('welfare', 'Welfare or referral actions'), group: RISK },
  ];
}

/** The validated visit form: the answers as data, which is the record. */
export interface VisitFormValues {
  visitedOn: IsoDate;
  visitedTime: string;
  visitType: VisitType;
  officerIds: string[];
  outcome: VisitOutcome;
  present: PresentCategory[];
  changes: SignificantChangeKind[];
  protectiveNotes: Partial<Record<ArmsProtectiveFactor, string>>;
  riskConcerns: ArmsRiskFactor[];
  riskNote: string | null;
  notificationCompliance: ComplianceAnswer | null;
  orderCompliance: ComplianceAnswer | null;
  devices: DeviceAnswer | null;
  welfare: string | null;
  discussionWanted: boolean;
  nextVisitOn: IsoDate | null;
}

/** What the schema checks answers against. */
export interface VisitLimits {
  today: IsoDate;
  /** Member ids that may be listed as attending. */
  officerIds: readonly string[];
}

const noteSchema = z.preprocess(
  blankToUndefined,
  z.string().max(VISIT_NOTE_MAX, { message: `Keep this note to ${VISIT_NOTE_MAX} characters or fewer; the full record belongs in your force system.` }).optional(),
);

function listOf<T extends string>(list: readonly T[], message: string) {
  return z.array(z.string()).refine((vs): vs is T[] => vs.every((v) => (list as readonly string[]).includes(v)), { message });
}

function optionalChoice<T extends readonly [string, ...string[]]>(list: T, message: string) {
  return z.preprocess(blankToUndefined, z.enum(list, { message }).optional());
}

/** The one schema for the visit form, bound to today and the team's roster. */
export function visitSchema(limits: VisitLimits) {
  const { today } = limits;
  const latest = addCalendarDays(today, 1);
  const earliest = addCalendarDays(today, -VISIT_MAX_DAYS_BACK);
  const protective = Object.fromEntries(armsProtectiveFactors.map((f) => [protectiveFieldId(f), noteSchema]));
  return z
    .looseObject({
      visitedOn: z
        .string({ message: 'Enter the date of the visit.' })
        .refine(isIsoDate, { message: 'Enter the date of the visit.' })
        .refine((d) => d <= latest, { message: `The visit date cannot be more than a day ahead of today (${formatDate(today)}). Check the date.` })
        .refine((d) => d >= earliest, { message: `Record visits from the last ${VISIT_MAX_DAYS_BACK} days only (on or after ${formatDate(earliest)}). Ask your supervisor about an older visit.` }),
      visitedTime: z.string({ message: 'Enter the time of the visit.' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'Enter the time of the visit as HH:MM, for example 14:30.' }),
      visitType: z.enum(visitTypes, { message: 'Choose the visit type from the list.' }),
      officers: z
        .array(z.string())
        .min(1, { message: 'Choose at least one officer who attended.' })
        .refine((ids) => ids.every((id) => limits.officerIds.includes(id)), { message: "Choose officers from your team's list." }),
      outcome: z.enum(visitOutcomes, { message: 'Choose the outcome from the list.' }),
      present: listOf(presentCategories, 'Choose who was present from the list.'),
      changes: listOf(significantChangeKinds, 'Choose significant changes from the list.'),
      riskConcerns: listOf(armsRiskFactors, 'Choose risk factors from the list.'),
      riskNote: noteSchema,
      notificationCompliance: optionalChoice(notificationAnswers, 'Choose an answer for notification requirements from the list.'),
      orderCompliance: optionalChoice(complianceAnswers, 'Choose an answer for the order or licence from the list.'),
      devices: optionalChoice(deviceAnswers, 'Choose an answer for devices from the list.'),
      welfare: noteSchema,
      discussion: listOf(['wanted'] as const, 'Tick the box to ask for a case discussion, or leave it clear.'),
      nextVisitOn: z.preprocess(blankToUndefined, z.string().refine(isIsoDate, { message: 'Enter the next visit as a date.' }).optional()),
      ...protective,
    })
    .superRefine((v, ctx) => {
      if (v.present.includes('none') && v.present.length > 1) {
        ctx.addIssue({ code: 'custom', path: ['present'], message: '"Nobody else present" cannot be ticked with other categories.' });
      }
      if (isFailedEntry(v.outcome)) {
        // No reply or access refused: nobody was seen inside, so nothing inside can be recorded.
        const why = `Nothing inside can be seen with the outcome "${visitOutcomeLabels[v.outcome]}": clear this, or change the outcome.`;
        if (v.present.some((p) => p !== 'none')) ctx.addIssue({ code: 'custom', path: ['present'], message: why });
        for (const f of armsProtectiveFactors) if (v[protectiveFieldId(f)]) ctx.addIssue({ code: 'custom', path: [protectiveFieldId(f)], message: why });
        if (v.riskConcerns.length > 0) ctx.addIssue({ code: 'custom', path: ['riskConcerns'], message: why });
        if (v.devices === 'seen_checked' || v.devices === 'seen_not_checked') ctx.addIssue({ code: 'custom', path: ['devices'], message: why });
      }
      if (v.nextVisitOn !== undefined && isIsoDate(v.visitedOn) && v.nextVisitOn <= v.visitedOn) {
        ctx.addIssue({ code: 'custom', path: ['nextVisitOn'], message: `The next visit must be after this visit (${formatDate(v.visitedOn)}).` });
      }
    })
    .transform((v): VisitFormValues => {
      const protectiveNotes: Partial<Record<ArmsProtectiveFactor, string>> = {};
      for (const f of armsProtectiveFactors) {
        const text = v[protectiveFieldId(f)];
        if (typeof text === 'string' && text !== '') protectiveNotes[f] = text;
      }
      return {
        visitedOn: v.visitedOn,
        visitedTime: v.visitedTime,
        visitType: v.visitType,
        officerIds: [...new Set(v.officers)],
        outcome: v.outcome,
        present: v.present,
        changes: [...new Set(v.changes)],
        protectiveNotes,
        riskConcerns: v.riskConcerns,
        riskNote: v.riskNote ?? null,
        notificationCompliance: v.notificationCompliance ?? null,
        orderCompliance: v.orderCompliance ?? null,
        devices: v.devices ?? null,
        welfare: v.welfare ?? null,
        discussionWanted: v.discussion.includes('wanted'),
        nextVisitOn: v.nextVisitOn ?? null,
      };
    });
}
