/**
 * Renders a core FormView as a Slack modal, and reads a modal's submitted state back into the
 * plain values the core's form schema expects. The form id travels as the callback id, its
 * context as private metadata (ids only, well under Slack's 3000 characters).
 */
import { fieldRuns, shownLabel, type FieldView, type FieldValue, type FormView } from '../../core/views/form-view.ts';
import type { MessageView } from '../../core/views/message-view.ts';
import { BLOCK_KIT_LIMITS, escapeMrkdwn, renderMessageBlocks, slackButton, type Block } from './message-blocks.ts';

/** A form's notice by its tone: a resumed draft is news, not a fault; what went wrong stands out. */
const FORM_NOTICE_ICON = { info: ':information_source:', warning: ':warning:', error: ':warning:' } as const;

/** A modal view as passed to views.open / views.update / response_action: 'update'. */
export type SlackModal = Record<string, unknown> & { type: 'modal'; callback_id: string; private_metadata: string };

/** Private metadata of a modal: which form, and its context. */
export interface ModalMetadata {
  formId: string;
  context: Record<string, string>;
}

/** The callback id shared by every Casework form modal. */
export const FORM_CALLBACK_ID = 'casework.form';
/** The callback id of modals that only show a message. */
export const MESSAGE_CALLBACK_ID = 'casework.message';

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function plain(text: string, max = 150) {
  return { type: 'plain_text', text: clip(text, max), emoji: true };
}

function option(o: { value: string; label: string }) {
  return { text: plain(o.label, 75), value: o.value.slice(0, 150) };
}

function asList(value: FieldValue | undefined): string[] {
  return Array.isArray(value) ? value : value ? [value] : [];
}

function asText(value: FieldValue | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function element(field: FieldView, value: FieldValue | undefined): Block {
  const base = { action_id: field.id };
  const options = (field.options ?? []).map(option);
  const selected = asList(value).map((v) => options.find((o) => o.value === v)).filter((o): o is NonNullable<typeof o> => Boolean(o));
  switch (field.kind) {
    case 'text':
    case 'textarea': {
      const el: Block = { ...base, type: 'plain_text_input', multiline: field.kind === 'textarea' };
      if (field.maxLength) el.max_length = field.maxLength;
      if (asText(value)) el.initial_value = asText(value);
      if (field.placeholder) el.placeholder = plain(field.placeholder);
      return el;
    }
    case 'number': {
      const el: Block = { ...base, type: 'number_input', is_decimal_allowed: false };
      if (field.min !== undefined) el.min_value = String(field.min);
      if (field.max !== undefined) el.max_value = String(field.max);
      if (asText(value)) el.initial_value = asText(value);
      return el;
    }
    case 'date':
      return asText(value) ? { ...base, type: 'datepicker', initial_date: asText(value) } : { ...base, type: 'datepicker' };
    case 'time':
      return asText(value) ? { ...base, type: 'timepicker', initial_time: asText(value) } : { ...base, type: 'timepicker' };
    case 'select': {
      const el: Block = { ...base, type: 'static_select', options, placeholder: plain('Choose…') };
      if (selected[0]) el.initial_option = selected[0];
      return el;
    }
    case 'multiselect': {
      const el: Block = { ...base, type: 'multi_static_select', options, placeholder: plain('Choose…') };
      if (selected.length) el.initial_options = selected;
      return el;
    }
    case 'checkboxes': {
      const el: Block = { ...base, type: 'checkboxes', options };
      if (selected.length) el.initial_options = selected;
      return el;
    }
    case 'user':
      return asText(value) ? { ...base, type: 'users_select', initial_user: asText(value) } : { ...base, type: 'users_select' };
    case 'users':
      return asList(value).length ? { ...base, type: 'multi_users_select', initial_users: asList(value) } : { ...base, type: 'multi_users_select' };
  }
}

/** The notice line: a failed submission's summary, a resumed draft's note, a warning. */
function noticeBlock(notice: NonNullable<FormView['notice']>): Block {
  const mark = `${FORM_NOTICE_ICON[notice.tone]} ${notice.tone === 'error' ? '*Not saved yet.* ' : ''}`;
  return { type: 'section', text: { type: 'mrkdwn', text: clip(`${mark}${escapeMrkdwn(notice.text)}`, BLOCK_KIT_LIMITS.sectionText) } };
}

/**
 * Builds the modal for a form. A form shown again after a failed submission carries its errors
 * under the fields it concerns and its summary at the top and again at the bottom, just above
 * Slack's submit button, with every answer kept.
 */
export function renderFormModal(form: FormView): SlackModal {
  const blocks: Block[] = [];
  if (form.notice) blocks.push(noticeBlock(form.notice));
  if (form.intro) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(form.intro) }] });
  for (const run of fieldRuns(form)) {
    // Slack modals cannot fold inputs away: a group is set apart under its name, marked optional.
    if (run.group) {
      blocks.push({ type: 'divider' });
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(run.group)}*${run.optional ? ' (optional)' : ''}` } });
    }
    for (const field of run.fields) {
      const block: Block = { type: 'input', block_id: field.id, label: plain(shownLabel(field)), optional: !field.required, element: element(field, form.values[field.id]) };
      if (field.hint) block.hint = plain(field.hint, 2000);
      blocks.push(block);
      const error = form.errors[field.id];
      if (error) blocks.push({ type: 'context', block_id: `${field.id}__error`, elements: [{ type: 'mrkdwn', text: `:warning: *${escapeMrkdwn(clip(error, 2900))}*` }] });
    }
  }
  if (form.secondaryActions?.length) {
    blocks.push({ type: 'actions', block_id: 'form-actions', elements: form.secondaryActions.map((a) => slackButton(a)) });
  }
  if (form.notice?.tone === 'error') blocks.push({ ...noticeBlock(form.notice), block_id: 'form__summary' });
  const metadata: ModalMetadata = { formId: form.id, context: form.context };
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK_ID,
    notify_on_close: true,
    title: plain(form.title, 24),
    submit: plain(form.submitLabel, 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

/** A modal that only shows a message (a confirmation, an error, a card) with a Done button. */
export function renderMessageModal(view: MessageView): SlackModal {
  const { blocks } = renderMessageBlocks(view, BLOCK_KIT_LIMITS.blocksPerHomeOrModal);
  // A modal title holds 24 characters: a longer title (a long case key) is shown whole as the
  // body's header instead of being cut short in the title bar.
  const fits = view.kind !== 'error' && view.title.length <= 24;
  return {
    type: 'modal',
    callback_id: MESSAGE_CALLBACK_ID,
    title: plain(fits ? view.title : 'Casework', 24),
    close: plain('Done', 24),
    private_metadata: '{}',
    blocks: fits ? blocks.filter((b) => b.type !== 'header') : blocks,
  };
}

/** A modal shown the instant a command arrives, replaced once the form is ready. */
export function renderLoadingModal(title: string): SlackModal {
  return {
    type: 'modal',
    callback_id: MESSAGE_CALLBACK_ID,
    title: plain(title, 24),
    close: plain('Cancel', 24),
    private_metadata: '{}',
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ':hourglass_flowing_sand: Loading…' } }],
  };
}

/** Reads a modal's private metadata; tampered or foreign metadata yields undefined. */
export function readModalMetadata(raw: string | undefined): ModalMetadata | undefined {
  try {
    const parsed = JSON.parse(raw ?? '') as Partial<ModalMetadata>;
    if (typeof parsed.formId !== 'string' || !parsed.context || typeof parsed.context !== 'object') return undefined;
    const context: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed.context)) if (typeof v === 'string') context[k] = v;
    return { formId: parsed.formId, context };
  } catch {
    return undefined;
  }
}

/** Slack's view state: block id → action id → element state. */
export type SlackViewState = Record<string, Record<string, Record<string, unknown>>>;

/** Turns view state into plain values, whatever the element type. */
export function readModalValues(state: SlackViewState | undefined): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [blockId, actions] of Object.entries(state ?? {})) {
    for (const el of Object.values(actions)) {
      values[blockId] = elementValue(el);
    }
  }
  return values;
}

function elementValue(el: Record<string, unknown>): unknown {
  switch (el.type) {
    case 'datepicker':
      return el.selected_date ?? '';
    case 'timepicker':
      return el.selected_time ?? '';
    case 'static_select':
      return (el.selected_option as { value?: string } | null)?.value ?? '';
    case 'multi_static_select':
    case 'checkboxes':
      return ((el.selected_options as { value: string }[] | undefined) ?? []).map((o) => o.value);
    case 'users_select':
      return el.selected_user ?? '';
    case 'multi_users_select':
      return el.selected_users ?? [];
    default:
      return el.value ?? '';
  }
}
