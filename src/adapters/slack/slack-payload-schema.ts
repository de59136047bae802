/**
 * The shapes of the Slack requests Casework handles: slash commands, the interactivity payloads
 * it uses (block_actions, view_submission, view_closed), Events API callbacks, and Slack's URL
 * verification and SSL checks. Bolt and the listeners read these fields without checking, so a
 * signed request without them is refused with a 400 at the edge instead of failing in a listener.
 * Objects are loose: fields not named here pass untouched.
 */
import { z } from 'zod';
import { identifier } from '../shared/identifier.ts';

const MAX_ID = 255;

/** A Slack id, timestamp, type or action id (see `identifier.ts`). */
const id = identifier(MAX_ID);

const optionalId = id.nullish();
const optionalString = z.string().max(MAX_ID).nullish();
/** Where Bolt's `respond()` posts: an http(s) URL. */
const responseUrl = z
  .string()
  .max(2048)
  .refine((raw) => /^https?:\/\//.test(raw) && URL.canParse(raw), 'must be an http(s) URL');

const user = z.looseObject({ id, team_id: optionalId, username: optionalString, name: optionalString });
const team = z.looseObject({ id: optionalId }).nullish();

/** One input's state in a modal, with the types `readModalValues` relies on. */
const elementState = z.looseObject({
  type: optionalId,
  value: z.string().nullish(),
  selected_option: z.looseObject({ value: z.string() }).nullish(),
  selected_options: z.array(z.looseObject({ value: z.string() })).nullish(),
  selected_date: optionalString,
  selected_time: optionalString,
  selected_user: optionalString,
  selected_users: z.array(z.string().max(MAX_ID)).nullish(),
});

const viewState = z.looseObject({ values: z.record(z.string(), z.record(z.string(), elementState)) });

const submittedView = z.looseObject({
  id,
  callback_id: id,
  private_metadata: z.string().max(3000).nullish(),
  state: viewState,
});

const slashCommand = z.looseObject({
  command: id,
  text: z.string().optional(),
  user_id: id,
  user_name: optionalString,
  team_id: id,
  channel_id: id.optional(),
  channel_name: optionalString,
  trigger_id: id.optional(),
  response_url: responseUrl,
});

/** A button on a message answers through `response_url`; one in a modal or on the Home tab through the view. */
const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  user,
  team,
  actions: z
    .array(z.looseObject({ action_id: id, block_id: optionalId, type: optionalId, value: z.string().max(2000).nullish() }))
    .min(1)
    .max(25),
  trigger_id: optionalId,
  channel: z.looseObject({ id }).nullish(),
  container: z.looseObject({ channel_id: optionalId }).nullish(),
  // A Home tab's view has an empty callback id.
  view: z.looseObject({ id, callback_id: optionalString, state: viewState.nullish() }).nullish(),
  response_url: responseUrl.nullish(),
}).refine((body) => Boolean(body.view) || Boolean(body.response_url), { message: 'a message button needs a response_url', path: ['response_url'] });

const viewSubmission = z.looseObject({ type: z.literal('view_submission'), user, team, view: submittedView });
const viewClosed = z.looseObject({ type: z.literal('view_closed'), user, team, view: submittedView });

/** A message's author: a user id, never blank, when there is one (bot messages have none). */
const messageFields = {
  user: id.optional(),
  subtype: optionalId,
  text: z.string().nullish(),
  ts: optionalId,
  thread_ts: optionalId,
  bot_id: optionalId,
  channel: optionalId,
  edited: z.looseObject({ ts: optionalId }).nullish(),
};

const event = z.looseObject({
  type: id,
  ...messageFields,
  user: z.union([id, z.looseObject({ id })]).optional(),
  channel: z.union([id, z.looseObject({ id })]).optional(),
  channel_id: optionalId,
  channel_type: optionalId,
  item: z.looseObject({}).optional(),
  message: z.looseObject(messageFields).optional(),
  previous_message: z.looseObject(messageFields).optional(),
  deleted_ts: optionalId,
  event_ts: optionalId,
  inviter: optionalId,
  tab: optionalId,
  team: optionalId,
});

const eventCallback = z.looseObject({ type: z.literal('event_callback'), team_id: id, event, event_id: optionalId });
const urlVerification = z.looseObject({ type: z.literal('url_verification'), challenge: z.string().max(MAX_ID) });
const appRateLimited = z.looseObject({ type: z.literal('app_rate_limited') });
const sslCheck = z.looseObject({ ssl_check: z.string() });

const byType = {
  block_actions: blockActions,
  view_submission: viewSubmission,
  view_closed: viewClosed,
  event_callback: eventCallback,
  url_verification: urlVerification,
  app_rate_limited: appRateLimited,
} as const;

/** The outcome of checking a parsed body: ok, or which fields are wrong (paths, never values). */
export type SlackBodyCheck = { ok: true } | { ok: false; reason: string; issues: { path: PropertyKey[] }[] };

/** Checks a parsed Slack request body against the shapes Casework handles. */
export function checkSlackBody(body: unknown): SlackBodyCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, reason: 'not an object', issues: [] };
  const fields = body as Record<string, unknown>;
  let schema: z.ZodType;
  if ('ssl_check' in fields) schema = sslCheck;
  else if ('command' in fields) schema = slashCommand;
  else if (typeof fields.type === 'string' && Object.hasOwn(byType, fields.type)) schema = byType[fields.type as keyof typeof byType];
  else return { ok: false, reason: 'unsupported payload type', issues: [] };
  const result = schema.safeParse(body);
  return result.success ? { ok: true } : { ok: false, reason: 'malformed payload', issues: result.error.issues };
}
