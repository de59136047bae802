/**
 * The complete record of a case as one Markdown document, in words (never stored codes): every
 * version of every visit with every answer, assessments with their factor ratings, significant
 * changes, discussions with full transcripts (Europe/London times, edits and deletions shown),
 * supervision notes and addenda with their actions, the officer supervision sessions that
 * reviewed the case, the exports of the record, and the case's audit trail, each in time order.
 * The footer holds the SHA-256 of everything above it, so the record can be verified later;
 * the PDF is drawn from the same text and carries the same hash.
 */
import { createHash } from 'node:crypto';
import type { Case, Team } from '../domain/entities.ts';
import {
  actionStatusLabels,
  armsPresenceRatingLabels,
  armsProtectiveFactorLabels,
  armsRiskFactorLabels,
  auditActionLabel,
  caseStatusLabels,
  changeKindLabel,
  changeSourceLabels,
  changeUrgencyLabels,
  labelFrom,
  managementModeLabels,
  mappaCategoryLabels,
  mappaLevelLabels,
  riskLevelLabels,
} from '../domain/vocabulary.ts';
import { declareVisitForm } from '../visits/visit-form.ts';
import { declareAssessmentForm, factorFields, NOT_ASSESSED } from '../cases/assessment-form.ts';
import { declareChangeForm } from '../cases/change-commands.ts';
import { declareMappaForm } from '../mappa/mappa-commands.ts';
import { fieldValuesFromAnswers } from '../visits/visit-views.ts';
import type { VisitFormValues } from '../visits/visit-form.ts';
import type { FieldValue, FieldView } from '../views/form-view.ts';
import type { Repositories } from '../ports.ts';
import { formatDate, formatDateTime } from '../views/format.ts';
import { discussionStatusLabels, type DiscussionMessage, type MessageRevision, type RecordAssessment, type RecordVisit, type SupervisionAction, type SupervisionNote } from '../discussions/discussion-ports.ts';
import { personalDataLabels, type PersonalDataKind } from '../discussions/personal-data.ts';

/** Court records are dated in UK time whatever the team's or reader's zone. */
export const RECORD_ZONE = 'Europe/London';

/** The line that starts the footer; everything before it is hashed. */
export const HASH_FOOTER_PREFIX = '\n---\nSHA-256 of the record above: ';

/** Who asked for the export, when, and why. */
export interface ExportMeta {
  exportedBy: string;
  exportedAt: Date;
  reason: string;
}

/** A finished record: the Markdown body, its hash, and the whole document with its footer. */
export interface CaseRecordDocument {
  body: string;
  sha256: string;
  markdown: string;
}

/** SHA-256 (hex) of a record body. */
export function recordHash(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** Splits a Markdown record into its body and stated hash, and says whether they agree. */
export function verifyRecord(markdown: string): { body: string; stated: string; valid: boolean } {
  const at = markdown.lastIndexOf(HASH_FOOTER_PREFIX);
  const body = at === -1 ? markdown : markdown.slice(0, at);
  const stated = at === -1 ? '' : markdown.slice(at + HASH_FOOTER_PREFIX.length).trim().split(/\s/)[0] ?? '';
  return { body, stated, valid: stated !== '' && stated === recordHash(body) };
}

/** User text kept inside its list item: later lines indented, never read as headings. */
function quoted(text: string): string {
  return text.replace(/\r\n?/g, '\n').split('\n').join('\n    ');
}

const at = (d: Date) => formatDateTime(d, RECORD_ZONE);

function flagsText(flags: readonly string[]): string {
  return flags.length ? ` _(flagged: may hold ${flags.map((f) => personalDataLabels[f as PersonalDataKind] ?? f).join(', ')})_` : '';
}

function transcript(messages: readonly DiscussionMessage[], revisions: readonly MessageRevision[], nameOf: (id: string | null) => string): string[] {
  if (messages.length === 0) return ['- No replies.'];
  const lines: string[] = [];
  for (const m of messages) {
    const history = revisions.filter((r) => r.messageId === m.id);
    lines.push(`- [${at(m.postedAt)}] ${nameOf(m.authorMemberId)}: ${quoted(m.body)}${flagsText(m.personalDataFlags)}`);
    for (const r of history) {
      lines.push(r.change === 'edit' ? `    - Edited ${at(r.changedAt)}. Text before the edit: ${quoted(r.previousBody)}` : `    - Deleted ${at(r.changedAt)}. Text when deleted: ${quoted(r.previousBody)}`);
    }
  }
  return lines;
}

function noteLines(note: SupervisionNote, number: Map<string, number>, actions: readonly SupervisionAction[], actionStatus: (a: SupervisionAction) => string, nameOf: (id: string | null) => string): string[] {
  const n = number.get(note.id);
  const title = note.addendumToNoteId ? `Note ${n} (addendum to note ${number.get(note.addendumToNoteId) ?? '?'})` : `Note ${n}`;
  const lines = [
    `#### ${title}: ${note.status === 'signed' ? 'signed' : 'DRAFT, not signed'}`,
    `- Author: ${nameOf(note.authorId)}`,
    `- Signed: ${note.signedAt ? at(note.signedAt) : 'not signed'}`,
    ...(note.contentSha256 ? [`- Note SHA-256: ${note.contentSha256}`] : []),
    `- Question: ${quoted(note.question)}`,
    `- Current view of risk: ${quoted(note.riskView) || '—'}`,
    `- Options considered: ${quoted(note.optionsConsidered) || '—'}`,
    `- Decision: ${quoted(note.decision) || '—'}`,
    `- Rationale: ${quoted(note.rationale) || '—'}`,
    `- Dissent: ${quoted(note.dissent) || 'None recorded'}`,
    `- Next review date: ${formatDate(note.nextReviewOn)}`,
  ];
  const own = actions.filter((a) => a.noteId === note.id);
  lines.push(own.length ? '- Actions:' : '- Actions: none');
  for (const a of own) lines.push(`    - ${nameOf(a.ownerMemberId)}, due ${formatDate(a.dueOn)} (${actionStatus(a)}): ${quoted(a.description)}`);
  return lines;
}

/** One stored answer in words: option labels for choices, dates formatted, blanks as a dash. */
function answerText(field: FieldView, value: FieldValue | undefined, nameOf: (id: string | null) => string): string {
  const values = Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value];
  if (values.length === 0) return field.kind === 'checkboxes' || field.kind === 'multiselect' ? 'none' : '—';
  const label = (v: string) => field.options?.find((o) => o.value === v)?.label ?? (field.id === 'officers' ? nameOf(v) : v);
  if (field.kind === 'date') return values.map((v) => formatDate(v)).join(', ');
  if (field.kind === 'select' || field.kind === 'multiselect' || field.kind === 'checkboxes') return values.map(label).join('; ');
  return quoted(values.join(', '));
}

function visitLines(v: RecordVisit, all: readonly RecordVisit[], fields: readonly FieldView[], nameOf: (id: string | null) => string): string[] {
  const stored = { protectiveNotes: {}, officerIds: [], present: [], changes: [], riskConcerns: [], ...v.answers } as unknown as VisitFormValues;
  const values = fieldValuesFromAnswers(stored);
  const amended = v.version > 1 ? `, version ${v.version} (amends version ${v.version - 1})` : '';
  const first = all.find((x) => x.id === (v.originalVisitId ?? v.id));
  const lines = [
    `### Visit on ${formatDate(v.visitedOn)}${amended}`,
    '',
    `- Recorded by ${nameOf(v.recordedBy)}, ${at(v.recordedAt)}${first && first.id !== v.id ? `; first recorded ${at(first.recordedAt)}` : ''}`,
  ];
  // Answers from before the form kept them all still show what the visit row holds.
  if (values.visitedOn === undefined) values.visitedOn = v.visitedOn;
  if (values.visitType === undefined) values.visitType = v.visitType;
  if (values.outcome === undefined) values.outcome = v.outcome;
  if (values.nextVisitOn === undefined || values.nextVisitOn === '') values.nextVisitOn = v.nextVisitOn ?? '';
  for (const field of fields) lines.push(`- ${field.label}: ${answerText(field, values[field.id], nameOf)}`);
  return lines;
}

function ratingLabel(factor: string): string {
  if (factor in armsRiskFactorLabels) return `Risk factor: ${armsRiskFactorLabels[factor as keyof typeof armsRiskFactorLabels]}`;
  if (factor in armsProtectiveFactorLabels) return `Protective factor: ${armsProtectiveFactorLabels[factor as keyof typeof armsProtectiveFactorLabels]}`;
  return labelFrom({}, factor);
}

function ratingText(rating: unknown): string {
  return rating === NOT_ASSESSED ? 'Not assessed' : labelFrom(armsPresenceRatingLabels, rating);
}

/** An assessment, answer by answer under the assessment form's own labels. */
function assessmentLines(a: RecordAssessment, team: Team, nameOf: (id: string | null) => string): string[] {
  const withRatings: Team = { ...team, policy: { ...team.policy, storeArmsRatings: true } };
  const factorIds = new Map<string, string>(factorFields(withRatings).map((f) => [f.id, f.factor]));
  const ratings = a.factorRatings ?? {};
  const stored: Record<string, string> = { assessedOn: formatDate(a.assessedOn), riskLevel: labelFrom(riskLevelLabels, a.riskLevel), managementMode: a.managementMode ? labelFrom(managementModeLabels, a.managementMode) : 'not kept for this assessment' };
  const lines = [`### Assessment of ${formatDate(a.assessedOn)}`, '', `- Recorded by ${nameOf(a.recordedBy)}, ${at(a.recordedAt)}`];
  const shown = new Set<string>();
  for (const field of declareAssessmentForm({ team: withRatings, today: a.assessedOn, previousOn: null, latestOpenChangeOn: null }).fields) {
    const factor = factorIds.get(field.id);
    if (factor === undefined) lines.push(`- ${field.label}: ${stored[field.id] ?? '—'}`);
    else if (a.factorRatings) {
      shown.add(factor);
      lines.push(`- ${field.label}: ${factor in ratings ? ratingText(ratings[factor]) : 'Not assessed'}`);
    }
  }
  if (!a.factorRatings) lines.push('- Factor ratings: not stored (team policy at the time)');
  for (const [factor, rating] of Object.entries(ratings)) if (!shown.has(factor)) lines.push(`- ${ratingLabel(factor)}: ${ratingText(rating)}`);
  if (a.factorVersion) lines.push(`- Factor list: ${a.factorVersion}`);
  return lines;
}

/** Builds the record of a case from the repositories (reads only; the caller audits the export). */
export async function buildCaseRecord(repos: Repositories, team: Team, c: Case, meta: ExportMeta): Promise<CaseRecordDocument> {
  const members = await repos.members.listByTeam(team.id, { includeInactive: true });
  const names = new Map(members.map((m) => [m.id, m.displayName]));
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? 'Former member') : '—');
  const notes = await repos.supervision.notesForCase(c.id);
  const actions = await repos.supervision.actionsForNotes(notes.map((n) => n.id));
  const deadlines = new Map((await repos.deadlines.listOpenForCase(c.id)).map((d) => [d.subjectKey, d]));
  const actionStatus = (a: SupervisionAction) => {
    if (a.status === 'done') return `done${a.doneBy ? ` by ${nameOf(a.doneBy)}` : ''}${a.doneAt ? `, ${at(a.doneAt)}` : ''}`;
    if (a.status !== 'open') return actionStatusLabels[a.status].toLowerCase();
    return deadlines.has(`action:${a.id}`) ? 'open, reminders on' : 'open';
  };
  const number = new Map(notes.map((n, i) => [n.id, i + 1]));
  // The forms' labels are read here, never answers: the day only completes their declarations.
  const exportDay = meta.exportedAt.toISOString().slice(0, 10);

  const lines: string[] = [
    `# Case record: ${c.key}`,
    '',
    `- Team: ${team.name}`,
    `- Exported by: ${meta.exportedBy}`,
    `- Exported: ${at(meta.exportedAt)} (Europe/London)`,
    `- Reason for export: ${quoted(meta.reason)}`,
    `- Case opened: ${formatDate(c.createdOn)}`,
    `- Case status: ${caseStatusLabels[c.status]}`,
    `- Risk level: ${riskLevelLabels[c.riskLevel]}; ${managementModeLabels[c.managementMode]}`,
    `- MAPPA: ${c.mappaCategory ? labelFrom(mappaCategoryLabels, c.mappaCategory) : 'no category'}; ${c.mappaLevel ? labelFrom(mappaLevelLabels, c.mappaLevel) : 'no level'}`,
    `- Lead officer: ${nameOf(c.leadOfficerId)}`,
    `- Co-workers: ${c.coworkerIds.length ? c.coworkerIds.map(nameOf).join(', ') : 'none'}`,
    `- Supervisor: ${nameOf(c.supervisorId)}`,
    `- Home visit due: ${formatDate(c.visitDueOn)}; assessment review due: ${formatDate(c.assessmentReviewDueOn)}; early review due: ${formatDate(c.earlyReviewDueOn)}; MAPPA review due: ${formatDate(c.mappaReviewDueOn)}`,
    '',
  ];

  const visits = await repos.caseHistory.visits(c.id);
  const fields = declareVisitForm({ members: members.map((m) => ({ ...m, active: true })), today: exportDay }).fields;
  lines.push('## Visits', '');
  if (visits.length === 0) lines.push('No visits recorded.', '');
  for (const v of visits) lines.push(...visitLines(v, visits, fields, nameOf), '');

  const assessments = await repos.caseHistory.assessments(c.id);
  lines.push('## Assessments', '');
  if (assessments.length === 0) lines.push('No assessments recorded.', '');
  for (const a of assessments) lines.push(...assessmentLines(a, team, nameOf), '');

  // MAPPA reviews, answer by answer under the MAPPA form's own labels.
  const reviews = await repos.mappaReviews.forCase(c.id);
  const mappaLabels = new Map(declareMappaForm(exportDay).fields.map((f) => [f.id, f.label]));
  lines.push('## MAPPA reviews', '');
  if (reviews.length === 0) lines.push('No MAPPA reviews recorded in Casework.', '');
  for (const r of reviews) {
    lines.push(
      `- MAPPA review recorded by ${nameOf(r.recordedBy)}, ${at(r.recordedAt)}`,
      `    - ${mappaLabels.get('reviewedOn')}: ${formatDate(r.reviewedOn)}`,
      `    - ${mappaLabels.get('level')}: ${labelFrom(mappaLevelLabels, r.level)}`,
      `    - ${mappaLabels.get('outcome')}: ${quoted(r.outcome)}`,
      `    - ${mappaLabels.get('nextReviewOn')}: ${formatDate(r.nextReviewOn)}`,
    );
  }
  if (reviews.length) lines.push('');

  const changes = await repos.caseHistory.changes(c.id);
  lines.push('## Significant changes', '');
  if (changes.length === 0) lines.push('No significant changes recorded.', '');
  const changeLabels = new Map(declareChangeForm(team, exportDay).fields.map((f) => [f.id, f.label]));
  for (const e of changes) {
    lines.push(
      `- ${changeKindLabel(e.kind)}: recorded by ${nameOf(e.reportedBy)}, ${at(e.createdAt)}, ${labelFrom(changeSourceLabels, e.source)}`,
      `    - ${changeLabels.get('kind') ?? 'What has changed'}: ${changeKindLabel(e.kind)}`,
      `    - ${changeLabels.get('noticedOn') ?? 'Date noticed'}: ${formatDate(e.reportedOn)}`,
      `    - ${changeLabels.get('urgency') ?? 'Urgency'}: ${labelFrom(changeUrgencyLabels, e.urgency)}`,
    );
  }
  if (changes.length) lines.push('');

  lines.push('## Discussions', '');
  const discussions = await repos.discussions.listForCase(c.id);
  if (discussions.length === 0) lines.push('No discussions.', '');
  for (const [i, d] of discussions.entries()) {
    lines.push(
      `### Discussion ${i + 1}: ${quoted(d.question)}`,
      '',
      `- Opened by ${nameOf(d.openedBy)}, ${at(d.openedAt)}${d.platform ? ` (${d.platform === 'slack' ? 'Slack' : 'Microsoft Teams'})` : ''}`,
      `- Status: ${discussionStatusLabels[d.status]}`,
      ...(d.closedAt ? [`- Closed by ${nameOf(d.closedBy)}, ${at(d.closedAt)}: ${quoted(d.closingSummary ?? '')}`] : []),
      '',
      '#### Transcript',
      '',
      ...transcript(await repos.discussions.messages(d.id), await repos.discussions.revisions(d.id), nameOf),
      '',
    );
    for (const note of notes.filter((n) => n.discussionId === d.id)) lines.push(...noteLines(note, number, actions, actionStatus, nameOf), '');
  }
  const loose = notes.filter((n) => !n.discussionId);
  if (loose.length) {
    lines.push('### Notes outside a discussion', '');
    for (const note of loose) lines.push(...noteLines(note, number, actions, actionStatus, nameOf), '');
  }

  const signed = notes.filter((n) => n.status === 'signed');
  lines.push('## Decisions', '', ...(signed.length ? signed.map((n) => `- Note ${number.get(n.id)}, ${at(n.signedAt!)}, ${nameOf(n.authorId)}: ${quoted(n.decision)}`) : ['No signed decisions.']), '');
  lines.push('## Actions', '', ...(actions.length ? actions.map((a) => `- Note ${number.get(a.noteId ?? '') ?? '?'}: ${nameOf(a.ownerMemberId)}, due ${formatDate(a.dueOn)}, ${actionStatus(a)}: ${quoted(a.description)}`) : ['No actions.']), '');

  // Officer supervision is about the officer; only the fact that this case was reviewed, when and
  // by whom belongs in the case's record (workload, wellbeing and development stay with the officer).
  const sessions = await repos.caseHistory.sessionsReviewing(c.id);
  lines.push(
    '## Officer supervision',
    '',
    ...(sessions.length
      ? sessions.map((s) => `- ${formatDate(s.heldOn)}: ${nameOf(s.supervisorId)} reviewed this case in supervision with ${nameOf(s.officerId)} (recorded ${at(s.createdAt)}); next session ${formatDate(s.nextSessionOn)}`)
      : ['This case has not been reviewed in officer supervision.']),
    '',
  );

  const trail = await repos.audit.forCase(c.id);
  const who = (r: (typeof trail)[number]) => (r.actorMemberId ? nameOf(r.actorMemberId) : r.actorLabel);
  const exports = trail.filter((r) => r.action === 'record.exported');
  lines.push(
    '## Exports of this record',
    '',
    ...(exports.length ? exports.map((r) => `- ${at(r.at)}, ${who(r)}${r.reason ? `, reason: ${quoted(r.reason)}` : ''}${formatOf(r.after)}`) : ['No earlier exports.']),
    `- ${at(meta.exportedAt)}, ${meta.exportedBy}, reason: ${quoted(meta.reason)} (this export)`,
    '',
  );
  lines.push('## Audit trail', '', ...trail.map((r) => `- ${at(r.at)} ${who(r)}: ${auditActionLabel(r.action)}${r.reason ? ` (reason: ${quoted(r.reason)})` : ''}`), '');

  const body = lines.join('\n');
  const sha256 = recordHash(body);
  return { body, sha256, markdown: `${body}${HASH_FOOTER_PREFIX}${sha256}\n` };
}

function formatOf(after: unknown): string {
  const format = after && typeof after === 'object' ? (after as { format?: unknown }).format : undefined;
  return format === 'pdf' ? ' (PDF)' : format === 'md' ? ' (Markdown)' : format === 'pdf+md' ? ' (PDF and Markdown)' : '';
}
