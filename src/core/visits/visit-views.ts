/**
 * What the visit feature shows: the form (fresh, from a draft, or for an amendment), the
 * confirmation with the new due dates, the "draft saved" message, the notice to a supervisor and
 * the visit history on the case card. Chat carries dates, versions and statuses only: never the
 * answers, the kind of change, or any note.
 */
import type { IsoDate } from '../calendar/working-calendar.ts';
import type { Case, Member } from '../domain/entities.ts';
import { armsProtectiveFactors } from '../domain/vocabulary.ts';
import { formatDate, formatDateTime } from '../views/format.ts';
import type { FieldValue, FormView } from '../views/form-view.ts';
import type { ActionView, Fact, MessageView, SectionView } from '../views/message-view.ts';
import { declareVisitForm, protectiveFieldId, VISIT_AMEND_TITLE, VISIT_FORM, VISIT_FORM_TITLE, type VisitFormValues } from './visit-form.ts';
import type { VisitSummary } from '../ports.ts';
import type { Visit } from './visit-ports.ts';

/** The interaction id of the Teams "Save draft" button (Slack saves when the modal closes). */
export const VISIT_SAVE_DRAFT_ACTION = 'visit.save_draft';
/** The interaction id of the confirmation's "Amend" button. */
export const VISIT_AMEND_ACTION = 'visit.amend';
/** The interaction id that opens a case discussion (owned by the discussions feature). */
export const DISCUSSION_OPEN_ACTION = 'discussion.open';

/** Turns stored answers back into form values, to prefill an amendment. */
export function fieldValuesFromAnswers(v: VisitFormValues): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {
    visitedOn: v.visitedOn,
    visitedTime: v.visitedTime,
    visitType: v.visitType,
    officers: v.officerIds,
    outcome: v.outcome,
    present: v.present,
    changes: v.changes,
    riskConcerns: v.riskConcerns,
    riskNote: v.riskNote ?? '',
    notificationCompliance: v.notificationCompliance ?? '',
    orderCompliance: v.orderCompliance ?? '',
    devices: v.devices ?? '',
    welfare: v.welfare ?? '',
    discussion: v.discussionWanted ? ['wanted'] : [],
    nextVisitOn: v.nextVisitOn ?? '',
  };
  for (const f of armsProtectiveFactors) values[protectiveFieldId(f)] = v.protectiveNotes[f] ?? '';
  return values;
}

/** How the form is being opened. */
export interface VisitFormState {
  values: Record<string, FieldValue>;
  /** The version being amended, when this is an amendment. */
  amends?: Visit;
  /** When the values come from a saved draft. */
  draftSavedAt?: Date;
  timeZone: string;
  /** The team's today, which bounds the visit date. */
  today: IsoDate;
}

/** The visit form ready to show. */
export function visitForm(c: Case, members: readonly Member[], state: VisitFormState): FormView {
  const context: Record<string, string> = { caseKey: c.key };
  if (state.amends) context.amendsVisitId = state.amends.id;
  const intro = state.amends
    ? `Case ${c.key}. Amending the visit of ${formatDate(state.amends.visitedOn)} (version ${state.amends.version}). The original stays on record; this becomes version ${state.amends.version + 1}.`
    : `Case ${c.key}. Tick what applies; keep notes short and leave out names. Submitting records the visit and recalculates the due dates.`;
  const form: FormView = {
    id: VISIT_FORM,
    title: state.amends ? VISIT_AMEND_TITLE : VISIT_FORM_TITLE,
    submitLabel: state.amends ? 'Record amendment' : 'Record visit',
    intro,
    fields: declareVisitForm({ members, today: state.today }).fields,
    values: state.values,
    errors: {},
    context,
    secondaryActions: [{ id: VISIT_SAVE_DRAFT_ACTION, label: 'Save draft', value: context }],
  };
  if (state.draftSavedAt) {
    form.notice = { tone: 'info', text: `Your draft saved ${formatDateTime(state.draftSavedAt, state.timeZone)} is filled in. Check it and submit.` };
  }
  return form;
}

/** Everything the confirmation needs, gathered by the transaction and the notice after it. */
export interface VisitConfirmation {
  c: { key: string };
  visit: Visit;
  before: Case;
  after: Case;
  counted: boolean;
  newChanges: { urgent: number; standard: number };
  warrant: boolean;
  discussionQuestion: string | null;
  amendableUntil: IsoDate | null;
  supervisor: 'told' | 'queued' | 'not_reached' | 'none' | 'not_needed';
}

function moved(label: string, was: IsoDate | null, now: IsoDate | null): string | null {
  if (was === now) return null;
  return now ? `${label} ${formatDate(now)}${was ? ` (was ${formatDate(was)})` : ''}` : `${label} no longer scheduled`;
}

/** The confirmation after a visit is recorded or amended. */
export function visitConfirmationView(x: VisitConfirmation): MessageView {
  const amended = x.visit.version > 1;
  const at = x.visit.answers.visitedTime;
  const paragraphs: string[] = [];
  const changes = [
    moved('home visit', x.before.visitDueOn, x.after.visitDueOn),
    moved('assessment review', x.before.assessmentReviewDueOn, x.after.assessmentReviewDueOn),
    moved('early review', x.before.earlyReviewDueOn, x.after.earlyReviewDueOn),
  ].filter((s): s is string => s !== null);
  paragraphs.push(changes.length ? `Now due: ${changes.join('; ')}.` : 'Due dates unchanged.');
  if (!x.counted) paragraphs.push('The person was not seen, so this does not count as the home visit: the visit is still due.');
  const total = x.newChanges.urgent + x.newChanges.standard;
  if (total > 0) {
    paragraphs.push(`${total} significant change${total === 1 ? '' : 's'} recorded (${x.newChanges.urgent} urgent, ${x.newChanges.standard} standard): the assessment review comes forward.`);
  }
  if (x.supervisor === 'told') paragraphs.push('Your supervisor has been told about the urgent change.');
  if (x.supervisor === 'queued') paragraphs.push('Casework is telling your supervisor about the urgent change, and keeps trying until the message gets through.');
  if (x.supervisor === 'not_reached') paragraphs.push('Casework could not message your supervisor just now: tell them about the urgent change yourself.');
  if (x.supervisor === 'none') paragraphs.push('No supervisor is recorded for this case: tell your supervisor about the urgent change yourself.');
  if (x.warrant) {
    paragraphs.push('This is the second failed attempt in a row to gain entry. Consider applying for a warrant to enter and search (Sexual Offences Act 2003 s.96B); talk to your supervisor.');
  }
  const facts: Fact[] = [
    { label: 'Visit', value: `${formatDate(x.visit.visitedOn)}${typeof at === 'string' ? ` at ${at}` : ''}` },
    { label: 'Version', value: amended ? `${x.visit.version} (amends version ${x.visit.version - 1})` : '1' },
    { label: 'Home visit due', value: formatDate(x.after.visitDueOn) },
    { label: 'Assessment review due', value: formatDate(x.after.assessmentReviewDueOn) },
  ];
  if (x.after.earlyReviewDueOn) facts.push({ label: 'Early review due', value: formatDate(x.after.earlyReviewDueOn) });
  const actions: ActionView[] = [];
  if (x.amendableUntil) actions.push({ id: VISIT_AMEND_ACTION, label: 'Amend', value: { visitId: x.visit.id } });
  if (x.discussionQuestion) actions.push({ id: DISCUSSION_OPEN_ACTION, label: 'Open a case discussion', value: { caseKey: x.c.key, question: x.discussionQuestion }, style: 'primary' });
  actions.push({ id: 'case.open', label: `Open ${x.c.key}`, value: { caseKey: x.c.key } });
  return {
    kind: 'visit-confirmation',
    title: `${amended ? 'Visit amended' : 'Visit recorded'}: ${x.c.key}`,
    // The title already says it was recorded; a notice only when something needs the officer.
    ...(x.warrant || x.supervisor === 'not_reached' || x.supervisor === 'none'
      ? { notice: { tone: 'warning' as const, text: `${amended ? 'Amendment' : 'Visit'} kept, and there is something for you to do: see below.` } }
      : {}),
    facts,
    paragraphs,
    actions,
    ...(x.amendableUntil ? { footer: `You can amend this visit until ${formatDate(x.amendableUntil)}; the original is always kept.` } : {}),
  };
}

/** The question a discussion opened from the confirmation starts with: no details, only what to decide. */
export function discussionQuestion(visitedOn: IsoDate, urgent: boolean): string {
  return urgent
    ? `Home visit on ${formatDate(visitedOn)}: an urgent significant change was recorded. What should we do next?`
    : `Home visit on ${formatDate(visitedOn)}: the officer asked for a case discussion. What should we do next?`;
}

/** The message that replaces the form when a draft is saved. */
export function draftSavedView(caseKey: string): MessageView {
  return {
    kind: 'visit-draft-saved',
    title: `Draft saved: ${caseKey}`,
    paragraphs: [`Your answers are kept on the Casework server, not in chat. Carry on with visit ${caseKey} or the button below.`],
    actions: [{ id: 'visit.open', label: 'Carry on with the visit', value: { caseKey } }],
  };
}

/** The private notice to a supervisor about an urgent change seen at a visit. */
export function urgentChangeNotice(caseKey: string, visitedOn: IsoDate, officerName: string, earlyReviewDueOn: IsoDate | null): MessageView {
  return {
    kind: 'visit-urgent-change',
    title: `Urgent change: ${caseKey}`,
    notice: { tone: 'warning', text: `${officerName} recorded an urgent significant change at a home visit on ${formatDate(visitedOn)}.` },
    facts: [{ label: 'Early review due', value: formatDate(earlyReviewDueOn) }],
    actions: [{ id: 'case.open', label: `Open ${caseKey}`, value: { caseKey } }],
  };
}

/** The visit history on the case card: dates and versions only. */
export function visitHistorySection(visits: readonly VisitSummary[]): SectionView {
  if (visits.length === 0) return { heading: 'Home visits recorded', text: 'None recorded in Casework yet.' };
  return {
    heading: 'Home visits recorded',
    facts: visits.map((v) => ({
      label: `${formatDate(v.visitedOn)}${v.visitedTime ? ` ${v.visitedTime}` : ''}`,
      value: v.version > 1 ? `Version ${v.version} (amended)` : 'Version 1',
    })),
  };
}
