/**
 * Renders a core FormView as an Adaptive Card form (1.5) submitted with Action.Execute. On a
 * validation error the same card comes back with each message under its field and the user's
 * answers in place; the card's data carries the form id and its context (ids only).
 */
import { fieldRuns, shownLabel, type FieldRun, type FieldView, type FieldValue, type FormView } from '../../core/views/form-view.ts';
import { cardAction } from './message-card.ts';
import { escapeCardText, type AdaptiveCard } from './card-text.ts';

/** The verb of every form's submit button. */
export const FORM_SUBMIT_VERB = 'form.submit';

/** A form notice's container style by its tone. */
const FORM_NOTICE_STYLE = { info: 'accent', warning: 'warning', error: 'attention' } as const;

type Element = Record<string, unknown>;

function asList(value: FieldValue | undefined): string[] {
  return Array.isArray(value) ? value : value ? [value] : [];
}

function asText(value: FieldValue | undefined): string {
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

function input(field: FieldView, value: FieldValue | undefined): Element {
  const base: Element = { id: field.id, label: shownLabel(field), isRequired: field.required };
  if (field.required) base.errorMessage = `${field.label} is required.`;
  const choices = (field.options ?? []).map((o) => ({ title: o.label, value: o.value }));
  const text = asText(value);
  switch (field.kind) {
    case 'text':
    case 'textarea':
      return {
        ...base,
        type: 'Input.Text',
        isMultiline: field.kind === 'textarea',
        ...(field.maxLength ? { maxLength: field.maxLength } : {}),
        ...(field.placeholder ? { placeholder: field.placeholder } : {}),
        ...(text ? { value: text } : {}),
      };
    case 'number':
      return { ...base, type: 'Input.Number', ...(field.min !== undefined ? { min: field.min } : {}), ...(field.max !== undefined ? { max: field.max } : {}), ...(text ? { value: Number(text) } : {}) };
    case 'date':
      return { ...base, type: 'Input.Date', ...(text ? { value: text } : {}) };
    case 'time':
      return { ...base, type: 'Input.Time', ...(text ? { value: text } : {}) };
    case 'select':
      return { ...base, type: 'Input.ChoiceSet', style: 'compact', choices, placeholder: 'Choose…', ...(text ? { value: text } : {}) };
    case 'multiselect':
    case 'checkboxes':
      return {
        ...base,
        type: 'Input.ChoiceSet',
        isMultiSelect: true,
        style: field.kind === 'checkboxes' ? 'expanded' : 'compact',
        choices,
        ...(asList(value).length ? { value: asList(value).join(',') } : {}),
      };
    case 'user':
    case 'users':
      // The people picker searches the organisation; the static choices are the fallback for
      // clients without it (such as the Agents Playground).
      return {
        ...base,
        type: 'Input.ChoiceSet',
        isMultiSelect: field.kind === 'users',
        choices,
        'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
        ...(text ? { value: text } : {}),
      };
  }
}

/** What a group's toggle says after its name: how many answers it holds, or that it is optional. */
function groupNote(run: FieldRun): string {
  if (run.answered > 0) return ` (${run.answered} answered)`;
  return run.optional ? ' (optional)' : '';
}

/** Builds the form card. */
export function renderFormCard(form: FormView): AdaptiveCard {
  const body: Element[] = [{ type: 'TextBlock', text: escapeCardText(form.title), size: 'Medium', weight: 'Bolder', wrap: true, style: 'heading' }];
  if (form.notice) {
    // By its tone: a resumed draft is news (plain text); a problem stands out in bold as well as
    // colour, and a failed submission says in words that nothing was saved yet.
    const { tone, text } = form.notice;
    const lead = tone === 'error' ? 'Not saved yet. ' : '';
    body.push({
      type: 'Container',
      style: FORM_NOTICE_STYLE[tone],
      items: [{ type: 'TextBlock', text: escapeCardText(`${lead}${text}`), wrap: true, ...(tone === 'info' ? {} : { weight: 'Bolder' }) }],
    });
  }
  if (form.intro) body.push({ type: 'TextBlock', text: escapeCardText(form.intro), wrap: true, isSubtle: true });
  const fieldElements = (field: FieldView): Element[] => {
    const error = form.errors[field.id];
    return [
      input(field, form.values[field.id]),
      ...(field.hint ? [{ type: 'TextBlock', text: escapeCardText(field.hint), wrap: true, isSubtle: true, size: 'Small', spacing: 'None' }] : []),
      ...(error ? [{ type: 'TextBlock', text: escapeCardText(error), wrap: true, color: 'Attention', size: 'Small', spacing: 'None', id: `${field.id}__error` }] : []),
    ];
  };
  fieldRuns(form).forEach((run, i) => {
    if (!run.group) {
      body.push(...run.fields.flatMap(fieldElements));
      return;
    }
    // A group one tap away: a toggle, then its fields in a container shown when toggled (or
    // already open when one of its fields has an error). Hidden inputs still submit.
    const id = `group__${i}`;
    body.push({
      type: 'ActionSet',
      separator: true,
      actions: [{ type: 'Action.ToggleVisibility', title: `${run.open ? '▾' : '▸'} ${run.group}${groupNote(run)}`, targetElements: [id] }],
    });
    body.push({ type: 'Container', id, isVisible: run.open, items: run.fields.flatMap(fieldElements) });
  });
  // A failed submission's summary again just above the buttons, where the person pressed submit.
  if (form.notice?.tone === 'error') {
    body.push({ type: 'TextBlock', text: escapeCardText(`Not saved yet. ${form.notice.text}`), wrap: true, weight: 'Bolder', color: 'Attention', separator: true, id: 'form__summary' });
  }
  const data = { formId: form.id, ...prefixed(form.context) };
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.5',
    body,
    actions: [
      { type: 'Action.Execute', title: form.submitLabel, verb: FORM_SUBMIT_VERB, style: 'positive', data, associatedInputs: 'auto' },
      ...(form.secondaryActions ?? []).map((a) => {
        const act = cardAction(a);
        return { type: 'Action.Execute', title: act.label, verb: act.id, data: { ...act.data, ...data }, associatedInputs: 'auto' };
      }),
    ],
  };
}

const CONTEXT_PREFIX = 'ctx_';

function prefixed(context: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(context).map(([k, v]) => [`${CONTEXT_PREFIX}${k}`, v]));
}

/** Splits Action.Execute data into the form id, its context and the submitted inputs. */
export function readFormSubmission(data: Record<string, unknown>): { formId: string; context: Record<string, string>; values: Record<string, unknown> } | undefined {
  const formId = data.formId;
  if (typeof formId !== 'string') return undefined;
  const context: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === 'formId' || key === 'verb') continue;
    if (key.startsWith(CONTEXT_PREFIX)) {
      if (typeof value === 'string') context[key.slice(CONTEXT_PREFIX.length)] = value;
    } else {
      values[key] = value;
    }
  }
  return { formId, context, values };
}
