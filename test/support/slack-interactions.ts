/**
 * Builds what Slack sends when someone presses a button or submits a modal (shapes from Slack's
 * documented block_actions and view_submission payloads), and posts them signed.
 */
import { postSlackForm } from './slack-signing.ts';
import { TEST_SIGNING_SECRET } from './test-app.ts';

/** Who is clicking: a Slack user in a workspace. */
export interface SlackUser {
  teamId: string;
  userId: string;
}

/** Posts a block_actions payload for a button. */
export async function clickSlackButton(
  url: string,
  user: SlackUser,
  button: { action_id: string; value?: string },
  where: { responseUrl?: string; channelId?: string; viewId?: string; home?: boolean } = {},
) {
  const payload: Record<string, unknown> = {
    type: 'block_actions',
    user: { id: user.userId, username: 'tester', name: 'tester', team_id: user.teamId },
    api_app_id: 'A0CASEWORK',
    token: 'verification_token',
    trigger_id: `trigger-${Math.random().toString(36).slice(2)}`,
    team: { id: user.teamId, domain: 'example' },
    actions: [{ action_id: button.action_id, block_id: 'b', type: 'button', value: button.value ?? '{}', action_ts: '1764000000.000001', text: { type: 'plain_text', text: 'Button' } }],
  };
  if (where.home) {
    payload.container = { type: 'view', view_id: 'V0HOME' };
    payload.view = { id: 'V0HOME', type: 'home', callback_id: '', private_metadata: '', state: { values: {} } };
  } else if (where.viewId) {
    payload.container = { type: 'view', view_id: where.viewId };
    payload.view = { id: where.viewId, type: 'modal', callback_id: 'casework.form', private_metadata: '{}', state: { values: {} } };
  } else {
    payload.container = { type: 'message', message_ts: '1764000000.000100', channel_id: where.channelId ?? 'C0CHANNEL', is_ephemeral: true };
    payload.channel = { id: where.channelId ?? 'C0CHANNEL', name: 'mosovo-team' };
    payload.response_url = where.responseUrl ?? 'http://127.0.0.1:1/response/unset';
  }
  return postSlackForm(url, TEST_SIGNING_SECRET, { payload: JSON.stringify(payload) });
}

/** Builds the state Slack would report for a modal filled in with `answers` (by field id). */
export function modalState(modal: any, answers: Record<string, string | string[]>): Record<string, Record<string, Record<string, unknown>>> {
  const values: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const block of modal.blocks ?? []) {
    if (block.type !== 'input') continue;
    const el = block.element;
    const answer = answers[block.block_id];
    const state: Record<string, unknown> = { type: el.type };
    const list = Array.isArray(answer) ? answer : answer ? [answer] : [];
    const optionFor = (v: string) => el.options?.find((o: any) => o.value === v) ?? { value: v, text: { type: 'plain_text', text: v } };
    switch (el.type) {
      case 'datepicker':
        state.selected_date = answer ?? el.initial_date ?? null;
        break;
      case 'timepicker':
        state.selected_time = answer ?? el.initial_time ?? null;
        break;
      case 'static_select':
        state.selected_option = answer !== undefined ? (answer ? optionFor(String(answer)) : null) : (el.initial_option ?? null);
        break;
      case 'multi_static_select':
      case 'checkboxes':
        state.selected_options = answer !== undefined ? list.map(optionFor) : (el.initial_options ?? []);
        break;
      case 'users_select':
        state.selected_user = answer ?? el.initial_user ?? null;
        break;
      case 'multi_users_select':
        state.selected_users = answer !== undefined ? list : (el.initial_users ?? []);
        break;
      default:
        state.value = answer !== undefined ? String(answer) : (el.initial_value ?? null);
    }
    values[block.block_id] = { [el.action_id]: state };
  }
  return values;
}

/** Posts a view_submission for a modal the bot opened, filled in with `answers`. */
export async function submitSlackModal(url: string, user: SlackUser, modal: any, answers: Record<string, string | string[]>, viewId = 'V0FORM') {
  const payload = {
    type: 'view_submission',
    team: { id: user.teamId, domain: 'example' },
    user: { id: user.userId, username: 'tester', name: 'tester', team_id: user.teamId },
    api_app_id: 'A0CASEWORK',
    token: 'verification_token',
    trigger_id: `trigger-${Math.random().toString(36).slice(2)}`,
    view: {
      ...modal,
      id: viewId,
      team_id: user.teamId,
      state: { values: modalState(modal, answers) },
      hash: '1764000000.abc',
      root_view_id: viewId,
      app_id: 'A0CASEWORK',
      bot_id: 'B0BOT',
    },
    response_urls: [],
  };
  return postSlackForm(url, TEST_SIGNING_SECRET, { payload: JSON.stringify(payload) });
}

/** The button whose action id is `actionId` (Slack's `#…` suffix for repeated ids allowed) in a view's or message's blocks. */
export function slackButtonIn(blocks: unknown, actionId: string): { action_id: string; value?: string } {
  const found: { action_id: string; value?: string }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const el = node as Record<string, unknown>;
      if (el.type === 'button' && typeof el.action_id === 'string' && (el.action_id === actionId || el.action_id.startsWith(`${actionId}#`))) {
        found.push({ action_id: el.action_id, ...(typeof el.value === 'string' ? { value: el.value } : {}) });
      }
      Object.values(el).forEach(walk);
    }
  };
  walk(blocks);
  if (found.length === 0) throw new Error(`no button ${actionId} in the blocks`);
  return found[0]!;
}

/** The errors a form modal shows under its fields, by field id (as a person reads them). */
export function modalErrors(view: any): Record<string, string> {
  return Object.fromEntries(
    (view.blocks ?? [])
      .filter((b: any) => typeof b.block_id === 'string' && b.block_id.endsWith('__error'))
      .map((b: any) => [b.block_id.replace(/__error$/, ''), String(b.elements[0].text).replace(/^:warning: \*/, '').replace(/\*$/, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')]),
  );
}
