/**
 * Seeded generators (fast-check) of what a broken or hostile client sends to the two platform
 * endpoints: real Slack and Teams payload shapes with fields removed, nulled, retyped, blanked or
 * made huge, plus bodies that are not payloads at all. Every piece of text a person could have
 * typed carries the `canary`, so a test can prove none of it reaches a log line.
 */
import fc from 'fast-check';
import { SLACK_WORKSPACE } from './factories.ts';
import { slashCommand } from './slack-signing.ts';
import { cardAction, channelMention, personalMessage, type TeamsUser } from './teams-activities.ts';

/** Marks a field for removal in an edit. */
const REMOVE = Symbol('remove');

/** What a field is replaced with: nothing, the wrong type, blank, huge, or hostile numbers. */
function junk(canary: string): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(REMOVE),
    fc.constant(null),
    fc.constantFrom('', '   ', '\u0000', '999999999999999999999', '-1', 'NaN'),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.string({ maxLength: 40 }).map((s) => `${s}${canary}`),
    fc.constant(`${canary} `.repeat(3000)),
    fc.constant([]),
    fc.constant({}),
    fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null)), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }).map((s) => s + canary), fc.integer(), fc.constant(null)), { maxKeys: 4 }),
  );
}

/** Every path (object keys and array indexes) into a JSON value, the root excluded. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...pathsOf(v, [...prefix, i])]);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
  return [];
}

function applyEdit(root: unknown, path: (string | number)[], replacement: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== 'object') return;
    node = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (replacement === REMOVE) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = structuredClone(replacement); // generated constants are shared between runs
}

/** A valid payload with up to three fields removed or replaced by junk (sometimes none: the payload as it is). */
export function mutated(base: unknown, canary: string): fc.Arbitrary<unknown> {
  const paths = pathsOf(base);
  return fc.array(fc.tuple(fc.constantFrom(...paths), junk(canary)), { maxLength: 3 }).map((edits) => {
    const copy = structuredClone(base);
    for (const [path, replacement] of edits) applyEdit(copy, path, replacement);
    return copy;
  });
}

/** Bodies that are not JSON payloads, or are JSON of the wrong kind. */
export function garbageBody(canary: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('{', 'null', '[]', '"text"', '0', 'true', '', '{}', `{"type":"${canary}"}`, '['.repeat(3000) + ']'.repeat(3000)),
    fc.string({ maxLength: 60 }).map((s) => `${canary}${s}`),
    fc.json({ maxDepth: 3 }),
    fc.json({ maxDepth: 2 }).map((j) => j.slice(0, Math.max(1, Math.floor(j.length / 2))) + canary),
  );
}

/** Who the generated Slack payloads come from, and where replies go. */
export interface SlackFuzzTarget {
  userId: string;
  channelId: string;
  caseKey: string;
  responseUrl: string;
}

/** Things a person might type, each carrying the canary where free text goes. */
function typed(canary: string, caseKey: string): string[] {
  return ['help', 'cases 2', 'cases 999999999999999999999', `case ${caseKey}`, `discuss ${caseKey} ${canary}`, `setup ${canary}`, 'roster', 'due', 'me', canary, `case add ${canary}`];
}

/** One Slack request as sent: a content type and a body (form-encoded or JSON). */
export interface SlackRequestBody {
  contentType: string;
  body: string;
}

/** Well-formed Slack payloads of every kind Casework handles, from the target user. */
export function slackBases(t: SlackFuzzTarget, canary: string): { kind: 'form' | 'interactivity' | 'event'; payload: Record<string, unknown> }[] {
  const user = { id: t.userId, team_id: SLACK_WORKSPACE, username: `${canary}-name`, name: `${canary}-name` };
  const team = { id: SLACK_WORKSPACE, domain: 'example' };
  const state = {
    values: {
      riskLevel: { a: { type: 'static_select', selected_option: { value: 'high' } } },
      externalRef: { a: { type: 'plain_text_input', value: canary } },
      coworkers: { a: { type: 'multi_users_select', selected_users: [t.userId] } },
      notes: { a: { type: 'plain_text_input', value: `${canary} notes` } },
    },
  };
  const view = { id: 'V0FUZZ', type: 'modal', callback_id: 'casework.form', private_metadata: JSON.stringify({ formId: 'case.add', context: { note: canary } }), state, hash: '1.2' };
  const event = (e: Record<string, unknown>) => ({ type: 'event_callback', team_id: SLACK_WORKSPACE, api_app_id: 'A0CASEWORK', event_id: 'Ev0FUZZ', event_time: 1, event: e });
  return [
    ...typed(canary, t.caseKey).map((text) => ({ kind: 'form' as const, payload: slashCommand(text, { user_id: t.userId, team_id: SLACK_WORKSPACE, channel_id: t.channelId, response_url: t.responseUrl }) })),
    ...['case.open', 'cases.page', 'form.open', 'reminder.snooze', 'roster.page', 'visit.open', 'no.such-action'].map((actionId) => ({
      kind: 'interactivity' as const,
      payload: {
        type: 'block_actions',
        user,
        team,
        trigger_id: '1.2.3',
        channel: { id: t.channelId },
        container: { type: 'message', channel_id: t.channelId },
        response_url: t.responseUrl,
        actions: [{ action_id: actionId, block_id: 'b', type: 'button', value: JSON.stringify({ caseKey: t.caseKey, page: '2', text: `help ${canary}` }) }],
      },
    })),
    { kind: 'interactivity', payload: { type: 'block_actions', user, team, trigger_id: '1.2.3', view: { ...view, id: 'V0INMODAL' }, actions: [{ action_id: 'form.draft', type: 'button', value: '{}' }] } },
    { kind: 'interactivity', payload: { type: 'view_submission', user, team, view } },
    { kind: 'interactivity', payload: { type: 'view_closed', user, team, view, is_cleared: false } },
    { kind: 'event', payload: event({ type: 'message', channel_type: 'im', channel: 'D0FUZZ', user: t.userId, text: `help ${canary}`, ts: '1700000000.000100' }) },
    { kind: 'event', payload: event({ type: 'message', channel_type: 'channel', channel: t.channelId, user: t.userId, text: canary, ts: '1700000000.000200', thread_ts: '1700000000.000100' }) },
    {
      kind: 'event',
      payload: event({ type: 'message', subtype: 'message_changed', channel: t.channelId, ts: '1700000000.000300', message: { user: t.userId, text: canary, ts: '1700000000.000200', thread_ts: '1700000000.000100', edited: { ts: '1700000000.000300' } } }),
    },
    { kind: 'event', payload: event({ type: 'app_home_opened', user: t.userId, tab: 'home', channel: 'D0FUZZ' }) },
    { kind: 'event', payload: event({ type: 'member_joined_channel', user: 'U0CASEWORKBOT', channel: t.channelId, inviter: t.userId, team: SLACK_WORKSPACE }) },
    { kind: 'event', payload: { type: 'url_verification', token: 't', challenge: canary } },
  ];
}

/** Encodes a Slack payload the way Slack sends its kind. */
export function encodeSlack(kind: 'form' | 'interactivity' | 'event', payload: unknown): SlackRequestBody {
  if (kind === 'form') {
    const fields = payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : { payload };
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) form.append(k, typeof v === 'string' ? v : JSON.stringify(v) ?? '');
    return { contentType: 'application/x-www-form-urlencoded', body: form.toString() };
  }
  if (kind === 'interactivity') return { contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams({ payload: JSON.stringify(payload) ?? '' }).toString() };
  return { contentType: 'application/json', body: JSON.stringify(payload) ?? '' };
}

/** Slack request bodies: mutated real payloads, payloads under the wrong content type, and garbage. */
export function slackBodies(t: SlackFuzzTarget, canary: string): fc.Arbitrary<SlackRequestBody> {
  const bases = slackBases(t, canary);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...bases).chain((b) => mutated(b.payload, canary).map((p) => encodeSlack(b.kind, p))) },
    { weight: 1, arbitrary: fc.constantFrom(...bases).map((b) => ({ ...encodeSlack(b.kind, b.payload), contentType: 'text/plain' })) },
    { weight: 2, arbitrary: garbageBody(canary).map((body) => ({ contentType: 'application/json', body })) },
    { weight: 1, arbitrary: garbageBody(canary).map((body) => ({ contentType: 'application/x-www-form-urlencoded', body: `payload=${encodeURIComponent(body)}` })) },
  );
}

/** Who the generated Teams activities come from. */
export interface TeamsFuzzTarget {
  user: TeamsUser;
  serviceUrl: string;
  caseKey: string;
  channel: { teamId: string; channelId: string };
}

/** Well-formed Teams activities of every kind the bot handles, from the target user. */
export function teamsBases(t: TeamsFuzzTarget, canary: string): Record<string, unknown>[] {
  const user = { ...t.user, name: `${canary}-name` };
  const card = (verb: string, data: Record<string, unknown>) => cardAction(user, t.serviceUrl, verb, data) as Record<string, unknown>;
  const submit: Record<string, unknown> = { ...personalMessage(user, t.serviceUrl, ''), value: { verb: 'case.open', caseKey: t.caseKey, note: canary } };
  delete submit.text;
  const added = { ...(channelMention(user, t.serviceUrl, '', t.channel) as Record<string, unknown>), type: 'conversationUpdate', membersAdded: [{ id: '28:casework-bot' }], channelData: { tenant: { id: t.user.tenantId }, team: { id: t.channel.teamId, name: canary }, eventType: 'teamMemberAdded' } };
  const edited = { ...(channelMention(user, t.serviceUrl, canary, t.channel) as Record<string, unknown>), type: 'messageUpdate', channelData: { tenant: { id: t.user.tenantId }, team: { id: t.channel.teamId }, channel: { id: t.channel.channelId }, eventType: 'editMessage' } };
  return [
    ...typed(canary, t.caseKey).map((text) => personalMessage(user, t.serviceUrl, text) as Record<string, unknown>),
    channelMention(user, t.serviceUrl, `help ${canary}`, t.channel) as Record<string, unknown>,
    card('case.open', { caseKey: t.caseKey }),
    card('cases.page', { page: '999999999999999999999' }),
    card('form.submit', { formId: 'case.add', context: '{}', riskLevel: 'high', externalRef: canary }),
    card('reminder.home', {}),
    { ...card('no.such-verb', { note: canary }), name: 'task/fetch' },
    submit,
    added,
    edited,
  ];
}

/** Teams request bodies: mutated real activities and garbage. */
export function teamsBodies(t: TeamsFuzzTarget, canary: string): fc.Arbitrary<string> {
  const bases = teamsBases(t, canary);
  return fc.oneof(
    { weight: 7, arbitrary: fc.constantFrom(...bases).chain((b) => mutated(b, canary)).map((a) => JSON.stringify(a) ?? '') },
    { weight: 3, arbitrary: garbageBody(canary) },
  );
}

/** Authorization headers that carry no valid Bot Framework token (none of them makes botbuilder fetch keys). */
export function badTokens(canary: string): fc.Arbitrary<string | undefined> {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', `Bearer ${canary}`, 'bearer x.y.z'),
    fc.string({ maxLength: 30 }).map((s) => `Bearer ${Buffer.from(s).toString('base64url')}`),
    // Well-formed JWTs from an issuer botbuilder does not trust: refused without looking up keys.
    fc.webUrl().map((iss) => `Bearer ${b64({ alg: 'RS256', typ: 'JWT', kid: 'k' })}.${b64({ iss, aud: 'casework', name: canary })}.c2ln`),
  );
}
