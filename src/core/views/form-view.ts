/**
 * Forms described once, as data: a list of fields plus the values and errors to show. The Slack
 * renderer makes a modal and the Teams renderer an Adaptive Card form; both parse what comes
 * back into the same plain object for the same zod schema.
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

/** One input of a form. Limits here are enforced again by the form's zod schema. */
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
} as const;
