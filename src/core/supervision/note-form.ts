/**
 * The supervision note form: the question, current view of risk, options considered, decision,
 * rationale, dissent, up to five actions (owner, due date, description) and the next review date.
 * Whether to save a draft or sign is the button the supervisor presses, not a field: "Sign and
 * lock" submits the form, "Save draft" is the form's second button. Declared once, for its
 * fields, schema and values, on both platforms.
 */
import type { z } from 'zod';
import type { IsoDate } from '../calendar/working-calendar.ts';
import type { Member } from '../domain/entities.ts';
import { date, defineForm, select, text, textarea, type FormValues } from '../forms/form-declaration.ts';
import type { FieldValue } from '../views/form-view.ts';
import type { NewSupervisionAction, NoteContent, SupervisionAction, SupervisionNote } from '../discussions/discussion-ports.ts';

/** The most actions one note can set. */
export const MAX_ACTIONS = 5;

/** The longest text in any one part of a note. */
export const NOTE_TEXT_MAX = 3000;

/** What a submission asks for: keep a draft, or sign (after a confirmation of what is locked). */
export const noteIntents = ['draft', 'sign'] as const;
export type NoteIntent = (typeof noteIntents)[number];

/** The fields a note must have to be signed, with how a message names them. */
export const REQUIRED_TO_SIGN = [
  ['riskView', 'current view of risk'],
  ['decision', 'decision'],
  ['rationale', 'rationale'],
] as const;

/** Marks a field as needed for signing, in words (never by colour or a symbol alone). */
const TO_SIGN = 'needed to sign';

/** Members who can own an action: active officers and supervisors of the team. */
export function actionOwners(members: readonly Member[]): Member[] {
  return members.filter((m) => m.active && (m.roles.includes('officer') || m.roles.includes('supervisor')));
}

const TOO_LONG = `Keep this to ${NOTE_TEXT_MAX} characters or fewer.`;

/** Rows of action fields (owner, due date, description), numbered from 1; rows after the first are one tap away. */
export function actionFields(members: readonly Member[], count: number, today: IsoDate) {
  const owners = actionOwners(members).map((m) => ({ value: m.id, label: m.displayName.slice(0, 75) }));
  return Array.from({ length: count }, (_, i) => i + 1).flatMap((n) => {
    const group = n > 1 ? { group: 'More actions' } : {};
    return [
      select(`action${n}Owner`, `Action ${n}: owner`, owners, { invalid: 'Choose who owns this action from your team.', keepChecking: true, ...group }),
      date(`action${n}Due`, `Action ${n}: due date`, {
        invalid: 'Enter the date this action is due.',
        check: (d) => d.refine((v) => v >= today, { message: 'An action cannot be due in the past.' }),
        ...group,
      }),
      text(`action${n}Description`, `Action ${n}: what is to be done`, { maxLength: 300, ...group }),
    ] as const;
  });
}

/** The answers of `count` rows of action fields. */
type ActionAnswers = Record<`action${number}${'Owner' | 'Due' | 'Description'}`, string | null>;

/** Checks each started action row is complete: an owner, a due date and what is to be done. */
export function checkActions(v: ActionAnswers, count: number, ctx: z.RefinementCtx): void {
  for (let n = 1; n <= count; n += 1) {
    const [owner, due, description] = [v[`action${n}Owner`], v[`action${n}Due`], v[`action${n}Description`]];
    if (!owner && !due && !description) continue;
    if (!owner) ctx.addIssue({ code: 'custom', path: [`action${n}Owner`], message: 'Choose who owns this action from your team.' });
    if (!due) ctx.addIssue({ code: 'custom', path: [`action${n}Due`], message: 'Enter the date this action is due.' });
    if (!description) ctx.addIssue({ code: 'custom', path: [`action${n}Description`], message: 'Say what is to be done.' });
  }
}

/** The complete action rows of a checked submission. */
export function collectActions(v: ActionAnswers, count: number): NewSupervisionAction[] {
  return Array.from({ length: count }, (_, i) => i + 1).flatMap((n) => {
    const [owner, due, description] = [v[`action${n}Owner`], v[`action${n}Due`], v[`action${n}Description`]];
    return owner && due && description ? [{ ownerMemberId: owner, dueOn: due, description }] : [];
  });
}

/** What the note form is declared for: the roster (who can own actions), today, and whether the submission signs. */
export interface NoteFormContext {
  members: readonly Member[];
  today: IsoDate;
  intent: NoteIntent;
}

/** The note form, declared once: its fields, the schema that reads them, and so its values. */
export function declareNoteForm({ members, today, intent }: NoteFormContext) {
  const part = <Id extends string>(id: Id, label: string, o: { hint?: string; mark?: string } = {}) => textarea(id, label, { maxLength: NOTE_TEXT_MAX, tooLong: TOO_LONG, ...o });
  return defineForm(
    [
      textarea('question', 'Question', { required: 'Enter the question.', maxLength: NOTE_TEXT_MAX }),
      part('riskView', 'Current view of risk', { mark: TO_SIGN }),
      part('optionsConsidered', 'Options considered'),
      part('decision', 'Decision', { mark: TO_SIGN }),
      part('rationale', 'Rationale', { hint: 'Why this decision. A defensible decision records its reasoning at the time.', mark: TO_SIGN }),
      part('dissent', 'Dissent', { hint: 'Any view against the decision, and whose.' }),
      ...actionFields(members, MAX_ACTIONS, today),
      date('nextReviewOn', 'Next review date', {
        invalid: 'Enter the next review as a date.',
        check: (d) => d.refine((v) => v >= today, { message: 'The next review cannot be in the past.' }),
      }),
    ],
    {
      check: (v, ctx) => {
        if (intent === 'sign') {
          for (const [id, what] of REQUIRED_TO_SIGN) {
            if (!v[id]) ctx.addIssue({ code: 'custom', path: [id], message: `Enter the ${what} before signing.` });
          }
        }
        checkActions(v, MAX_ACTIONS, ctx);
      },
      values: (v): NoteContent & { actions: NewSupervisionAction[] } => ({
        question: v.question,
        riskView: v.riskView ?? '',
        optionsConsidered: v.optionsConsidered ?? '',
        decision: v.decision ?? '',
        rationale: v.rationale ?? '',
        dissent: v.dissent ?? '',
        nextReviewOn: v.nextReviewOn,
        actions: collectActions(v, MAX_ACTIONS),
      }),
    },
  );
}

/** The validated note form. */
export type NoteFormValues = FormValues<ReturnType<typeof declareNoteForm>>;

/** The form's values for a saved draft and its actions. */
export function noteValues(note: SupervisionNote, actions: readonly SupervisionAction[]): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {
    question: note.question,
    riskView: note.riskView,
    optionsConsidered: note.optionsConsidered,
    decision: note.decision,
    rationale: note.rationale,
    dissent: note.dissent,
    nextReviewOn: note.nextReviewOn ?? '',
  };
  actions.slice(0, MAX_ACTIONS).forEach((a, i) => {
    values[`action${i + 1}Owner`] = a.ownerMemberId;
    values[`action${i + 1}Due`] = a.dueOn;
    values[`action${i + 1}Description`] = a.description;
  });
  return values;
}
