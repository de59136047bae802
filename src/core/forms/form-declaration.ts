/**
 * A form declared once: each field builder states a field's description for the renderers and the
 * zod piece that checks its answer, from the same options (required, limits, choices), so the two
 * cannot drift. `defineForm` puts the pieces together: the field list in order, one schema (the
 * pieces as one object, then the form's cross-field rules, then the shape the command wants), and
 * the values type is what that schema yields. A form whose fields depend on runtime data (the
 * team's members, its policy) is declared by a function of that data.
 */
import { z } from 'zod';
import { isIsoDate } from '../calendar/working-calendar.ts';
import type { FieldKind, FieldOption, FieldView } from '../views/form-view.ts';

/** One field of a declared form: how it is shown, and the zod piece that reads its answer. */
export interface Field<Id extends string = string, Out = unknown> {
  readonly id: Id;
  readonly view: FieldView;
  readonly schema: z.ZodType<Out>;
}

/** A declared form: its fields, in order, and the one schema that reads a submission of them. */
export interface FormDeclaration<T> {
  readonly fields: FieldView[];
  readonly schema: z.ZodType<T>;
}

/** The values a declared form yields once read: what its schema outputs. */
export type FormValues<D extends FormDeclaration<unknown>> = z.output<D['schema']>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any field, whatever its id and answer
type AnyField = Field<string, any>;

/** The answers of a list of fields, by field id, as their pieces read them. */
export type FieldValues<Fs extends readonly AnyField[]> = { [F in Fs[number] as F['id']]: F extends Field<string, infer Out> ? Out : never };

/** What every builder may add to how a field is shown. */
export interface Presentation {
  hint?: string;
  placeholder?: string;
  mark?: string;
  group?: string;
  peopleFrom?: string;
}

/** One choice with the answer type it stands for. */
export interface Choice<T extends string = string> extends FieldOption {
  value: T;
}

/** The choices for a list of answers, each with its label. */
export function choices<T extends string>(list: readonly T[], labels: Record<T, string> | ((value: T) => string)): Choice<T>[] {
  return list.map((value) => ({ value, label: typeof labels === 'function' ? labels(value) : labels[value] }));
}

function presentation(p: Presentation): Partial<FieldView> {
  const view: Partial<FieldView> = {};
  for (const key of ['hint', 'placeholder', 'mark', 'group', 'peopleFrom'] as const) if (p[key] !== undefined) view[key] = p[key];
  return view;
}

/** Turns an empty string (or nothing) into null, for optional fields. */
function blankToNull(value: unknown): unknown {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') ? null : value;
}

// A blank answer to an optional field is null; anything else must pass the field's piece.
function optional<Out>(piece: z.ZodType<Out>): z.ZodType<Out | null> {
  return z.preprocess(blankToNull, piece.nullable()) as unknown as z.ZodType<Out | null>;
}

function field<Id extends string, Out>(id: Id, label: string, kind: FieldKind, required: boolean, extra: Partial<FieldView>, p: Presentation, schema: z.ZodType<Out>): Field<Id, Out> {
  return { id, view: { id, label, kind, required, ...extra, ...presentation(p) }, schema };
}

/** Options of a single-value field. `required` is the message for a blank answer, and makes the field required. */
interface Answer extends Presentation {
  required?: string;
  /** The message for an answer the field does not accept; defaults to `required`. */
  invalid?: string;
}

/** Options of a text field. */
export interface TextOptions extends Answer {
  /** The fewest characters a required answer takes (1 when not given); shorter is told `required`. */
  minLength?: number;
  maxLength?: number;
  /** The message for text longer than `maxLength` (zod's own when not given). */
  tooLong?: string;
  /** Further checks, in order, after the length. */
  check?: (text: z.ZodString) => z.ZodString;
}

type Required = { required: string };

function textPiece(o: TextOptions): z.ZodString {
  let piece = o.required ? z.string({ message: o.required }).min(o.minLength ?? 1, { message: o.required }) : z.string({ message: o.invalid });
  if (o.maxLength !== undefined) piece = piece.max(o.maxLength, o.tooLong ? { message: o.tooLong } : undefined);
  return o.check ? o.check(piece) : piece;
}

function textField<Id extends string>(kind: 'text' | 'textarea', id: Id, label: string, o: TextOptions): Field<Id, string | null> {
  const extra = o.maxLength !== undefined ? { maxLength: o.maxLength } : {};
  return field(id, label, kind, Boolean(o.required), extra, o, o.required ? textPiece(o) : optional(textPiece(o)));
}

/** A one-line text field. */
export function text<Id extends string>(id: Id, label: string, o: TextOptions & Required): Field<Id, string>;
export function text<Id extends string>(id: Id, label: string, o?: TextOptions): Field<Id, string | null>;
export function text<Id extends string>(id: Id, label: string, o: TextOptions = {}): Field<Id, string | null> {
  return textField('text', id, label, o);
}

/** A multi-line text field. */
export function textarea<Id extends string>(id: Id, label: string, o: TextOptions & Required): Field<Id, string>;
export function textarea<Id extends string>(id: Id, label: string, o?: TextOptions): Field<Id, string | null>;
export function textarea<Id extends string>(id: Id, label: string, o: TextOptions = {}): Field<Id, string | null> {
  return textField('textarea', id, label, o);
}

/** Options of a date or time field: `invalid` is the message for what is not one. */
export interface DateOptions extends Answer {
  /** Further checks, in order, once the answer is a date (or time). */
  check?: (value: z.ZodString) => z.ZodString;
}

function dateLike<Id extends string>(kind: 'date' | 'time', id: Id, label: string, o: DateOptions, valid: (s: string) => boolean): Field<Id, string | null> {
  const message = o.invalid ?? o.required;
  const base = z.string({ message }).refine(valid, { message });
  const piece = o.check ? o.check(base) : base;
  return field(id, label, kind, Boolean(o.required), {}, o, o.required ? piece : optional(piece));
}

/** A date field (ISO `YYYY-MM-DD`). */
export function date<Id extends string>(id: Id, label: string, o: DateOptions & Required): Field<Id, string>;
export function date<Id extends string>(id: Id, label: string, o: DateOptions): Field<Id, string | null>;
export function date<Id extends string>(id: Id, label: string, o: DateOptions): Field<Id, string | null> {
  return dateLike('date', id, label, o, isIsoDate);
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A time-of-day field (`HH:MM`). */
export function time<Id extends string>(id: Id, label: string, o: DateOptions & Required): Field<Id, string>;
export function time<Id extends string>(id: Id, label: string, o: DateOptions): Field<Id, string | null>;
export function time<Id extends string>(id: Id, label: string, o: DateOptions): Field<Id, string | null> {
  return dateLike('time', id, label, o, (t) => TIME.test(t));
}

/** Options of a whole-number field: `invalid` is the message for what is not a whole number. */
export interface NumberOptions extends Answer {
  min: number;
  max: number;
  tooSmall?: string;
  tooBig?: string;
}

/** A whole-number field within `min`..`max`. */
export function number<Id extends string>(id: Id, label: string, o: NumberOptions & Required): Field<Id, number>;
export function number<Id extends string>(id: Id, label: string, o: NumberOptions): Field<Id, number | null>;
export function number<Id extends string>(id: Id, label: string, o: NumberOptions): Field<Id, number | null> {
  const message = o.invalid ?? o.required;
  const piece = z.coerce
    .number({ message })
    .int({ message })
    .min(o.min, o.tooSmall ? { message: o.tooSmall } : undefined)
    .max(o.max, o.tooBig ? { message: o.tooBig } : undefined);
  // A required number left blank is not zero: it is told `required`, and read no further.
  const required = z.preprocess((v) => (blankToNull(v) === null ? undefined : v), z.any().refine((v) => v !== undefined, { message: o.required }).pipe(piece));
  return field(id, label, 'number', Boolean(o.required), { min: o.min, max: o.max }, o, o.required ? required : optional(piece));
}

/** Options of a single choice. */
export interface SelectOptions extends Answer {
  /**
   * The form's rules still run when this answer is refused. By default a refused choice stops
   * them, so a rule may rely on its choices; keep checking for choices of people (ids a rule only
   * compares), so that every problem is told at once.
   */
  keepChecking?: boolean;
}

function oneOf<T extends string>(options: readonly Choice<T>[], o: SelectOptions): z.ZodType<T> {
  const values = new Set<string>(options.map((c) => c.value));
  const invalid = o.invalid ?? o.required;
  if (o.keepChecking) {
    const answered = o.required ? z.string({ message: invalid }).refine((v) => v !== '', { message: o.required }) : z.string({ message: invalid });
    return answered.refine((v) => v === '' || values.has(v), { message: invalid }) as unknown as z.ZodType<T>;
  }
  return z.enum([...values] as [T, ...T[]], { error: (issue) => (issue.input === '' && o.required ? o.required : invalid) }) as unknown as z.ZodType<T>;
}

/** A single choice from a list. */
export function select<Id extends string, T extends string>(id: Id, label: string, options: readonly Choice<T>[], o: SelectOptions & Required): Field<Id, T>;
export function select<Id extends string, T extends string>(id: Id, label: string, options: readonly Choice<T>[], o: SelectOptions): Field<Id, T | null>;
export function select<Id extends string, T extends string>(id: Id, label: string, options: readonly Choice<T>[], o: SelectOptions): Field<Id, T | null> {
  return field(id, label, 'select', Boolean(o.required), { options: [...options] }, o, o.required ? oneOf(options, o) : optional(oneOf(options, o)));
}

// Slack user ids (U…/W…), Teams AAD object ids (GUIDs) and Bot Framework ids (29:…) all fit.
const PLATFORM_USER_ID = /^[A-Za-z0-9:._@-]{1,128}$/;

/** One person from the platform's people picker: their platform user id. `invalid` is for what is not one. */
export function user<Id extends string>(id: Id, label: string, o: Answer & Required): Field<Id, string> {
  const piece = z.preprocess((v) => (blankToNull(v) === null ? undefined : v), z.string({ message: o.required }).regex(PLATFORM_USER_ID, { message: o.invalid ?? o.required }));
  return field(id, label, 'user', true, {}, o, piece as z.ZodType<string>);
}

/** Options of a list of choices: `required` asks for at least one. */
export interface ManyOptions extends Presentation {
  required?: string;
  /**
   * The message for answers not in the list. Left out only where the form's own rules check the
   * answers against more than the list shows (a list shown for one person, read for another).
   */
  invalid?: string;
  maxItems?: number;
  tooMany?: string;
}

function manyOf<Id extends string, T extends string>(kind: 'multiselect' | 'checkboxes', id: Id, label: string, options: readonly Choice<T>[], o: ManyOptions): Field<Id, T[]> {
  const values = new Set<string>(options.map((c) => c.value));
  let piece = z.array(z.string());
  if (o.required) piece = piece.min(1, { message: o.required });
  if (o.maxItems !== undefined) piece = piece.max(o.maxItems, o.tooMany ? { message: o.tooMany } : undefined);
  const checked = (o.invalid === undefined ? piece : piece.refine((vs) => vs.every((v) => values.has(v)), { message: o.invalid })) as unknown as z.ZodType<T[]>;
  return field(id, label, kind, Boolean(o.required), { options: [...options] }, o, checked);
}

/** Several choices from a list. */
export function multiselect<Id extends string, T extends string>(id: Id, label: string, options: readonly Choice<T>[], o: ManyOptions): Field<Id, T[]> {
  return manyOf('multiselect', id, label, options, o);
}

/** Tick boxes: several choices shown at once. */
export function checkboxes<Id extends string, T extends string>(id: Id, label: string, options: readonly Choice<T>[], o: ManyOptions): Field<Id, T[]> {
  return manyOf('checkboxes', id, label, options, o);
}

/**
 * A field whose answer needs a reading no builder gives: its description and its zod piece, still
 * side by side in the one declaration.
 */
export function custom<Id extends string, Out>(id: Id, view: Omit<FieldView, 'id'>, schema: z.ZodType<Out>): Field<Id, Out> {
  return { id, view: { id, ...view }, schema };
}

/**
 * Fields shown only when `shown` is true. Their answers may then be missing, and the values type
 * says so.
 */
export function onlyIf<const Fs extends readonly AnyField[]>(shown: boolean, ...fields: Fs): { [K in keyof Fs]: Fs[K] extends Field<infer Id, infer Out> ? Field<Id, Out | undefined> : never } {
  return (shown ? fields : []) as never;
}

/** What a form adds to its fields: checks across fields, and the shape its command wants. */
export interface FormRules<V, T> {
  /**
   * Checks across fields, after each field's own piece. They still run when a text or date piece
   * has refused its answer, but not when a choice is outside its list or a number is not one.
   */
  check?: (values: V, ctx: z.RefinementCtx) => void;
  /**
   * The values the command receives, when they differ from the answers by field id. Runs only
   * once every check has passed; it may still refuse the whole (through `ctx`, returning
   * `z.NEVER`) when only the finished result can be checked.
   */
  values?: (values: V, ctx: z.RefinementCtx) => T;
}

/** Declares a form: its fields in order, each with its piece, and the form's own rules. */
export function defineForm<const Fs extends readonly AnyField[], T = FieldValues<Fs>>(fields: Fs, rules: FormRules<FieldValues<Fs>, T> = {}): FormDeclaration<T> {
  const shape: Record<string, z.ZodType> = {};
  for (const f of fields) {
    if (f.id in shape) throw new Error(`A form declares the field ${f.id} twice.`);
    shape[f.id] = f.schema;
  }
  let schema: z.ZodType = z.object(shape);
  const { check, values } = rules;
  if (check) schema = schema.superRefine((v, ctx) => check(v as FieldValues<Fs>, ctx));
  if (values) schema = schema.transform((v, ctx) => values(v as FieldValues<Fs>, ctx));
  return { fields: fields.map((f) => f.view), schema: schema as z.ZodType<T> };
}
