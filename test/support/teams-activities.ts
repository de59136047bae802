/**
 * Builds the Bot Framework activities Teams sends (personal messages, channel @mentions, card
 * actions) and posts them to the bot, with `serviceUrl` pointing at the loopback connector.
 */
import { TEAMS_TENANT } from './factories.ts';
import type { TestApp } from './test-app.ts';

/** Who is acting in Teams: an AAD object id in the tenant. */
export interface TeamsUser {
  aadObjectId: string;
  name?: string;
  tenantId?: string;
}

const BOT = { id: '28:casework-bot', name: 'Casework' };
let sequence = 0;

function base(user: TeamsUser, serviceUrl: string, conversation: Record<string, unknown>, channelData: Record<string, unknown>) {
  sequence += 1;
  const tenantId = user.tenantId ?? TEAMS_TENANT;
  return {
    id: `act-${sequence}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: `29:${user.aadObjectId}`, name: user.name ?? 'Tester', aadObjectId: user.aadObjectId },
    recipient: BOT,
    conversation: { tenantId, ...conversation },
    channelData: { tenant: { id: tenantId }, ...channelData },
    locale: 'en-GB',
  };
}

/** A message in the personal (1:1) chat with the bot. */
export function personalMessage(user: TeamsUser, serviceUrl: string, text: string) {
  return {
    ...base(user, serviceUrl, { id: `a:personal-${user.aadObjectId}`, conversationType: 'personal' }, {}),
    type: 'message',
    text,
  };
}

/** A message in a team channel that @mentions the bot. */
export function channelMention(user: TeamsUser, serviceUrl: string, text: string, channel: { teamId: string; channelId: string }) {
  const mention = `<at>${BOT.name}</at>`;
  return {
    ...base(user, serviceUrl, { id: channel.channelId, conversationType: 'channel', isGroup: true }, { team: { id: channel.teamId }, channel: { id: channel.channelId } }),
    type: 'message',
    text: `${mention} ${text}`,
    entities: [{ type: 'mention', text: mention, mentioned: BOT }],
  };
}

/** An Action.Execute press on a card (an `adaptiveCard/action` invoke) in the personal chat. */
export function cardAction(user: TeamsUser, serviceUrl: string, verb: string, data: Record<string, unknown>, replyToId = 'card-1') {
  return {
    ...base(user, serviceUrl, { id: `a:personal-${user.aadObjectId}`, conversationType: 'personal' }, {}),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/**
 * The person's answer to a file-consent card in their personal chat (`fileConsent/invoke`): the
 * card's accept or decline context comes back, and on accept Teams adds where to upload the file.
 */
export function fileConsentAnswer(
  user: TeamsUser,
  serviceUrl: string,
  value: { action: string; context?: unknown; uploadInfo?: Record<string, unknown> } | undefined,
  replyToId = 'consent-card-1',
) {
  return {
    ...base(user, serviceUrl, { id: `a:personal-${user.aadObjectId}`, conversationType: 'personal' }, {}),
    type: 'invoke',
    name: 'fileConsent/invoke',
    replyToId,
    ...(value ? { value } : {}),
  };
}

/**
 * An Action.Execute press on a card in a team channel thread (a discussion's root card):
 * `trigger` is `automatic` when Teams runs the card's refresh by itself.
 */
export function channelCardAction(
  user: TeamsUser,
  serviceUrl: string,
  verb: string,
  data: Record<string, unknown>,
  where: { teamId: string; channelId: string; rootId: string },
  trigger: 'manual' | 'automatic' = 'manual',
) {
  return {
    ...base(user, serviceUrl, { id: `${where.channelId};messageid=${where.rootId}`, conversationType: 'channel', isGroup: true }, { team: { id: where.teamId }, channel: { id: where.channelId } }),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: where.rootId,
    value: { action: { type: 'Action.Execute', verb, data: { ...data, verb } }, trigger },
  };
}

/** Posts an activity to the bot; `token` adds an Authorization header. */
export async function postActivity(url: string, activity: unknown, token?: string) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(activity),
  });
}

/**
 * What a Teams client sends when a card button (`verb`, by default the form's submit) is pressed:
 * the action's data, every input's current value, then the answers ('' clears an input).
 */
export function filledIn(card: any, answers: Record<string, unknown>, verb = 'form.submit'): Record<string, unknown> {
  const action = card.actions.find((a: any) => a.verb === verb);
  const data: Record<string, unknown> = { ...action.data };
  // Every input in the card, folded groups included: a hidden input still submits its value.
  const walk = (node: any): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if (String(node.type).startsWith('Input.') && node.value !== undefined) data[node.id] = String(node.value);
      for (const key of ['body', 'items', 'columns']) if (node[key]) walk(node[key]);
    }
  };
  walk(card.body);
  for (const [id, answer] of Object.entries(answers)) {
    if (answer === '') delete data[id];
    else data[id] = answer;
  }
  return data;
}

/** The errors a form card shows under its fields, by field id. */
export function cardErrors(card: any): Record<string, string> {
  const all: any[] = [];
  const walk = (node: any): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      all.push(node);
      if (node.items) walk(node.items);
    }
  };
  walk(card.body);
  return Object.fromEntries(all.filter((el: any) => String(el.id).endsWith('__error')).map((el: any) => [el.id.replace(/__error$/, ''), el.text]));
}

/** The data of the button with this verb anywhere in a card (body, action sets or the card's actions). */
export function actionData(card: unknown, verb: string): Record<string, unknown> {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const el = node as Record<string, unknown>;
      if (el.type === 'Action.Execute' && el.verb === verb) found.push((el.data ?? {}) as Record<string, unknown>);
      Object.values(el).forEach(walk);
    }
  };
  walk(card);
  if (found.length === 0) throw new Error(`no button with the verb ${verb} in the card`);
  return found[0]!;
}

/** The input with this id anywhere in a card (folded groups included). */
export function cardInput(card: any, id: string): any {
  let found: any;
  const walk = (node: any): void => {
    if (found) return;
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if (node.id === id && String(node.type).startsWith('Input.')) found = node;
      else for (const key of ['body', 'items', 'columns']) if (node[key]) walk(node[key]);
    }
  };
  walk(card.body);
  return found;
}

/**
 * Opens a form by a message in `user`'s personal chat (`record CW-…`, say) and submits it with
 * `answers`, as the person would; returns the submission's HTTP response. The connector is reset
 * before each step, so what it holds afterwards is what the submission caused.
 */
export async function openAndSubmitForm(t: Pick<TestApp, 'teamsMessagesUrl' | 'connector'>, user: TeamsUser, text: string, answers: Record<string, unknown>): Promise<Response> {
  t.connector.reset();
  const opened = await postActivity(t.teamsMessagesUrl, personalMessage(user, t.connector.serviceUrl, text));
  if (opened.status !== 200) throw new Error(`"${text}" answered ${opened.status}`);
  const [formSent] = await t.connector.waitForSent(() => true);
  const form = formSent!.activity.attachments![0]!.content;
  t.connector.reset();
  return postActivity(t.teamsMessagesUrl, cardAction(user, t.connector.serviceUrl, 'form.submit', filledIn(form, answers)));
}
