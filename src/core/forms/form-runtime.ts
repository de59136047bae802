/**
 * What every form shares, whichever platform it came from: turning a raw submission into the
 * plain object its declared schema expects, turning zod's issues into messages under fields, and
 * showing the form again with the user's answers kept.
 */
import type { z } from 'zod';
import type { FieldView, FieldValue, FormView } from '../views/form-view.ts';
import type { FormDeclaration } from './form-declaration.ts';

const MULTI_KINDS = new Set(['multiselect', 'checkboxes', 'users']);

/** True for fields whose value is a list. */
export function isMultiField(field: FieldView): boolean {
  return MULTI_KINDS.has(field.kind);
}

/**
 * Normalises a submission: lists for multi-value fields (Slack sends arrays, Teams sends
 * comma-separated text), trimmed strings otherwise, and nothing for fields the form lacks.
 */
export function normaliseSubmission(fields: readonly FieldView[], raw: Record<string, unknown>): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {};
  for (const field of fields) {
    const value = raw[field.id];
    if (isMultiField(field)) {
      const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
      values[field.id] = list.map((v) => String(v).trim()).filter((v) => v !== '');
    } else if (value === undefined || value === null) {
      values[field.id] = '';
    } else {
      values[field.id] = String(Array.isArray(value) ? (value[0] ?? '') : value).trim();
    }
  }
  return values;
}

/** The first message for each field from a zod error; issues without a field go under `_form`. */
export function fieldErrors(error: z.ZodError, fields: readonly FieldView[]): Record<string, string> {
  const ids = new Set(fields.map((f) => f.id));
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const head = issue.path[0];
    const key = typeof head === 'string' && ids.has(head) ? head : '_form';
    errors[key] ??= issue.message;
  }
  return errors;
}

/**
 * The one-line summary of what is wrong with a submission, shown at the top of the form and again
 * just above its submit button: the person sees it wherever the form has scrolled to.
 */
export function errorSummary(fields: readonly FieldView[], errors: Record<string, string>): string | undefined {
  const { _form: general, ...perField } = errors;
  const labels = fields.filter((f) => perField[f.id]).map((f) => f.label);
  if (labels.length === 0) return general;
  const named = labels.length <= 3 ? labels.join(', ') : `${labels.slice(0, 3).join(', ')} and ${labels.length - 3} more`;
  const which = `${labels.length === 1 ? '1 answer needs' : `${labels.length} answers need`} attention: ${named}. Your answers are kept.`;
  return general ? `${general} ${which}` : which;
}

/** The same form again, with the user's answers, the errors under fields and their summary. */
export function withErrors(form: FormView, values: Record<string, FieldValue>, errors: Record<string, string>): FormView {
  const { _form: _general, ...perField } = errors;
  const summary = errorSummary(form.fields, errors);
  return {
    ...form,
    values,
    errors: perField,
    ...(summary ? { notice: { tone: 'error' as const, text: summary } } : {}),
  };
}

/** A submission read against its form: the parsed answers, or the form again with its errors. */
export type FormReading<T> = { ok: true; data: T; values: Record<string, FieldValue> } | { ok: false; reply: { type: 'form-invalid'; form: FormView }; values: Record<string, FieldValue> };

/**
 * Reads a submission in the one way every form is read: normalised to the form's fields (lists
 * for multi-value inputs, trimmed text, nothing the form lacks), parsed by its zod schema, and on
 * failure the same form with every answer kept, each error under its field and their summary.
 * `declared` is the form's declaration, whose fields the shown `form` carries.
 */
export function readForm<T>(form: FormView, raw: Record<string, unknown>, declared: FormDeclaration<T>): FormReading<T> {
  const values = normaliseSubmission(form.fields, raw);
  const parsed = declared.schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data, values };
  return { ok: false, reply: { type: 'form-invalid', form: withErrors(form, values, fieldErrors(parsed.error, form.fields)) }, values };
}
