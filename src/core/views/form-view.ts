/**
 * Forms described once, as data: a list of fields plus the values and errors to show. The fields
 * come from the form's declaration (src/core/forms/form-declaration.ts), with its schema. The Slack
 * renderer makes a modal and the Teams renderer an Adaptive Card form; both parse what comes
 * back into the same plain object for the same schema.
 */
import type { ActionView, Notice } from './message-view.ts';

/** One choice in a select, multi-select or tick-box list. */
export interface FieldOption {
  value: string;
  label: string;
}

/** The kinds of input both platforms can render. */
export type FieldKind =
  | 'text'
  | 'textarea'
  | 'number'
  | 'date'
  | 'time'
  | 'select'
  | 'multiselect'
  | 'checkboxes'
  | 'user'
  | 'users';

/** One input of a form, as a field builder of its declaration made it (src/core/forms): its limits are the ones its zod piece enforces. */
export interface FieldView {
  id: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  hint?: string;
  placeholder?: string;
  maxLength?: number;
  min?: number;
  max?: number;
  options?: FieldOption[];
  /**
   * For person fields: the platform conversation (a Teams team or channel id) whose members are
   * the likely choices, for clients whose people picker needs a list to fall back on.
   */
  peopleFrom?: string;
  /**
   * A short marker the form shows after the label, such as "needed to sign": an instruction for
   * filling in the form, not part of the field's name (a record shows the label alone).
   */
  mark?: string;
  /**
   * Fields one tap away: consecutive fields with the same group are drawn under its name, folded
   * away when the form opens (Teams) or set apart as optional (Slack). A form opens with its
   * essentials in view and its groups closed (the toggle says how many answers a group holds),
   * unless one of a group's fields has an error.
   */
  group?: string;
}

/** The label a form shows: the field's name and, in brackets, its marker. */
export function shownLabel(field: Pick<FieldView, 'label' | 'mark'>): string {
  return field.mark ? `${field.label} (${field.mark})` : field.label;
}

/** A submitted or prefilled value: text for single inputs, a list for multi-value inputs. */
export type FieldValue = string | string[];

/** A form ready to show: fields, current values, errors under fields, and its context. */
export interface FormView {
  /** The form's id `<domain>.<form>`; the submission comes back under the same id. */
  id: string;
  title: string;
  submitLabel: string;
  intro?: string;
  notice?: Notice;
  fields: FieldView[];
  values: Record<string, FieldValue>;
  errors: Record<string, string>;
  /**
   * Identifiers the submission needs (a case key, a draft id): never data. Whatever comes back is
   * untrusted and checked again by the core.
   */
  context: Record<string, string>;
  /** Extra buttons such as "Save draft". */
  secondaryActions?: ActionView[];
}

/** Platform limits every form must respect (the stricter of Slack and Teams). */
export const FORM_LIMITS = {
  titleLength: 24,
  submitLabelLength: 24,
  fieldLabelLength: 150,
  hintLength: 150,
  textMaxLength: 3000,
  optionsPerSelect: 100,
  optionLabelLength: 75,
  fieldsPerForm: 50,
  /** Inputs in view when a form opens: the rest sits in groups one tap away. */
  inputsInView: 10,
} as const;

/** The inputs in view when a form opens: fields outside a group, and those of groups opened by an error. */
export function inputsInViewOnOpen(form: FormView): number {
  return fieldRuns(form)
    .filter((run) => run.open)
    .reduce((n, run) => n + run.fields.length, 0);
}

function hasAnswer(value: FieldValue | undefined): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

/** A run of consecutive fields: one ungrouped field, or a group's fields under its name. */
export interface FieldRun {
  group?: string;
  /** Shown when the form opens: always for ungrouped fields; for a group, when one of its fields has an error. */
  open: boolean;
  /** How many of the group's fields hold an answer (said on the group's toggle). */
  answered: number;
  /** True when nothing in the group must be answered (said on the group's toggle). */
  optional: boolean;
  fields: FieldView[];
}

/** Runs of consecutive fields: ungrouped fields one by one, grouped ones together under the group's name. */
export function fieldRuns(form: FormView): FieldRun[] {
  const runs: FieldRun[] = [];
  for (const field of form.fields) {
    const last = runs.at(-1);
    if (field.group && last?.group === field.group) last.fields.push(field);
    else runs.push({ ...(field.group ? { group: field.group } : {}), open: !field.group, answered: 0, optional: !field.required, fields: [field] });
  }
  for (const run of runs) {
    run.answered = run.group ? run.fields.filter((f) => hasAnswer(form.values[f.id])).length : 0;
    run.optional = run.fields.every((f) => !f.required);
    if (run.group) run.open = run.fields.some((f) => Boolean(form.errors[f.id]));
  }
  return runs;
}
