/**
 * The supervision note form: the question, current view of risk, options considered, decision,
 * rationale, dissent, up to five actions (owner, due date, description) and the next review date.
 * Whether to save a draft or sign is the button the supervisor presses, not a field: "Sign and
 * lock" submits the form, "Save draft" is the form's second button. One field list and one zod
 * schema for both platforms.
 */
import { z } from 'zod';
import { isIsoDate, type IsoDate } from '../calendar/working-calendar.ts';
import type { Member } from '../domain/entities.ts';
import { blankToUndefined } from '../forms/form-runtime.ts';
import type { FieldValue, FieldView } from '../views/form-view.ts';
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

const optionalText = z.preprocess(blankToUndefined, z.string().max(NOTE_TEXT_MAX, { message: `Keep this to ${NOTE_TEXT_MAX} characters or fewer.` }).optional());

/** Rows of action fields (owner, due date, description), numbered from 1; rows after the first are one tap away. */
export function actionFields(members: readonly Member[], count: number): FieldView[] {
  const owners = actionOwners(members).map((m) => ({ value: m.id, label: m.displayName.slice(0, 75) }));
  return Array.from({ length: count }, (_, i) => i + 1).flatMap((n): FieldView[] => {
    const group = n > 1 ? { group: 'More actions' } : {};
    return [
      { id: `action${n}Owner`, label: `Action ${n}: owner`, kind: 'select', required: false, options: owners, ...group },
      { id: `action${n}Due`, label: `Action ${n}: due date`, kind: 'date', required: false, ...group },
      { id: `action${n}Description`, label: `Action ${n}: what is to be done`, kind: 'text', required: false, maxLength: 300, ...group },
    ];
  });
}

/** Zod shape entries for `count` rows of action fields. */
export function actionShape(count: number): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (let n = 1; n <= count; n += 1) {
    shape[`action${n}Owner`] = optionalText;
    shape[`action${n}Due`] = optionalText;
    shape[`action${n}Description`] = z.preprocess(blankToUndefined, z.string().max(300).optional());
  }
  return shape;
}

/** Checks each action row is complete, owned by a team member and not due in the past. */
export function checkActions(v: Record<string, unknown>, count: number, members: readonly Member[], today: IsoDate, ctx: z.RefinementCtx): void {
  const ownerIds = new Set(actionOwners(members).map((m) => m.id));
  for (let n = 1; n <= count; n += 1) {
    const owner = v[`action${n}Owner`] as string | undefined;
    const due = v[`action${n}Due`] as string | undefined;
    const description = v[`action${n}Description`] as string | undefined;
    if (!owner && !due && !description) continue;
    if (!owner || !ownerIds.has(owner)) ctx.addIssue({ code: 'custom', path: [`action${n}Owner`], message: 'Choose who owns this action from your team.' });
    if (!due || !isIsoDate(due)) ctx.addIssue({ code: 'custom', path: [`action${n}Due`], message: 'Enter the date this action is due.' });
    else if (due < today) ctx.addIssue({ code: 'custom', path: [`action${n}Due`], message: 'An action cannot be due in the past.' });
    if (!description) ctx.addIssue({ code: 'custom', path: [`action${n}Description`], message: 'Say what is to be done.' });
  }
}

/** The complete action rows of a checked submission. */
export function collectActions(v: Record<string, unknown>, count: number): NewSupervisionAction[] {
  return Array.from({ length: count }, (_, i) => i + 1)
    .filter((n) => v[`action${n}Owner`])
    .map((n) => ({ ownerMemberId: v[`action${n}Owner`] as string, dueOn: v[`action${n}Due`] as string, description: v[`action${n}Description`] as string }));
}

/** The fields of the note form. */
export function noteFields(members: readonly Member[]): FieldView[] {
  const text = (id: string, label: string, required: boolean, hint?: string, mark?: string): FieldView => ({
    id,
    label,
    kind: 'textarea',
    required,
    maxLength: NOTE_TEXT_MAX,
    ...(hint ? { hint } : {}),
    ...(mark ? { mark } : {}),
  });
  return [
    text('question', 'Question', true),
    text('riskView', 'Current view of risk', false, undefined, TO_SIGN),
    text('optionsConsidered', 'Options considered', false),
    text('decision', 'Decision', false, undefined, TO_SIGN),
    text('rationale', 'Rationale', false, 'Why this decision. A defensible decision records its reasoning at the time.', TO_SIGN),
    text('dissent', 'Dissent', false, 'Any view against the decision, and whose.'),
    ...actionFields(members, MAX_ACTIONS),
    { id: 'nextReviewOn', label: 'Next review date', kind: 'date', required: false },
  ];
}

/** The validated note form. */
export interface NoteFormValues extends NoteContent {
  actions: NewSupervisionAction[];
}

/** The schema for the note form, bound to the team's roster, today and what the submission asks for. */
export function noteSchema(members: readonly Member[], today: IsoDate, intent: NoteIntent) {
  const shape: Record<string, z.ZodType> = {
    question: z.string().trim().min(1, { message: 'Enter the question.' }).max(NOTE_TEXT_MAX),
    riskView: optionalText,
    optionsConsidered: optionalText,
    decision: optionalText,
    rationale: optionalText,
    dissent: optionalText,
    nextReviewOn: z.preprocess(
      blankToUndefined,
      z.string().refine(isIsoDate, { message: 'Enter the next review as a date.' }).refine((d) => d >= today, { message: 'The next review cannot be in the past.' }).optional(),
    ),
  };
  Object.assign(shape, actionShape(MAX_ACTIONS));
  return z
    .object(shape)
    .superRefine((v, ctx) => {
      if (intent === 'sign') {
        for (const [id, what] of REQUIRED_TO_SIGN) {
          if (!v[id]) ctx.addIssue({ code: 'custom', path: [id], message: `Enter the ${what} before signing.` });
        }
      }
      checkActions(v, MAX_ACTIONS, members, today, ctx);
    })
    .transform((v): NoteFormValues => ({
      question: v.question as string,
      riskView: (v.riskView as string | undefined) ?? '',
      optionsConsidered: (v.optionsConsidered as string | undefined) ?? '',
      decision: (v.decision as string | undefined) ?? '',
      rationale: (v.rationale as string | undefined) ?? '',
      dissent: (v.dissent as string | undefined) ?? '',
      nextReviewOn: (v.nextReviewOn as string | undefined) ?? null,
      actions: collectActions(v, MAX_ACTIONS),
    }));
}

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
