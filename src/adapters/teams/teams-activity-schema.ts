/**
 * The shape of a Bot Framework activity that the Teams endpoint lets through to the adapter.
 * Every activity Teams (or the Agents Playground) sends has these fields; the bot and botbuilder
 * read them without checking, so an activity without them is refused with a 400 instead of
 * failing inside a turn. Objects are loose: fields not named here pass untouched.
 */
import { z } from 'zod';
import { identifier } from '../shared/identifier.ts';

const MAX_ID = 1024;

/** Ids, types, names of invokes and verbs (see `identifier.ts`). */
const id = identifier(MAX_ID);

const optionalId = id.nullish();
const optionalString = z.string().max(MAX_ID).nullish();

/** A channel account as botbuilder's serializer expects it when the bot replies (ids and names are strings). */
const account = z.looseObject({
  id,
  name: optionalString,
  aadObjectId: optionalId,
  role: optionalId,
});

const idObject = z.looseObject({ id: optionalId }).nullish();

/**
 * Card data: the verb names the action in logs, so it must be an identifier. A file-consent answer
 * (`fileConsent/invoke`) names its action as a word (`accept`, `decline`).
 */
const cardValue = z.union([
  z.looseObject({
    verb: optionalId,
    action: z.union([z.looseObject({ verb: optionalId, type: optionalId }), id.max(64)]).nullish(),
  }),
  z.unknown().refine((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
]);

/** An http(s) URL; `loopbackOnly` (authentication off, local mode) also requires this machine. */
function serviceUrl(loopbackOnly: boolean) {
  return z
    .string()
    .max(2048)
    .refine((raw) => {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return false;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
      return !loopbackOnly || isLoopback(url.hostname);
    }, loopbackOnly ? 'must be an http URL on this machine (authentication is off)' : 'must be an http(s) URL');
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * The activity schema. With authentication on, botbuilder checks `serviceUrl` against the
 * token; with it off (local mode, loopback only) the bot would call whatever `serviceUrl` says,
 * so it must be on this machine too.
 */
export function activitySchema(options: { loopbackServiceUrl: boolean }) {
  return z.looseObject({
    type: id.max(64),
    id: optionalId,
    serviceUrl: serviceUrl(options.loopbackServiceUrl),
    channelId: id.max(64),
    from: account,
    recipient: z.looseObject({ id, name: optionalString, aadObjectId: z.string().max(MAX_ID).nullish(), role: optionalId }),
    conversation: z.looseObject({
      id,
      name: optionalString,
      conversationType: optionalId,
      tenantId: optionalId,
      isGroup: z.boolean().nullish(),
      aadObjectId: optionalId,
      role: optionalId,
    }),
    text: z.string().nullish(),
    textFormat: optionalId,
    locale: optionalId,
    name: optionalId,
    replyToId: optionalId,
    timestamp: z.string().max(64).nullish(),
    localTimestamp: z.string().max(64).nullish(),
    expiration: z.string().max(64).nullish(),
    entities: z.array(z.looseObject({ type: id })).nullish(),
    membersAdded: z.array(account).nullish(),
    membersRemoved: z.array(account).nullish(),
    channelData: z
      .looseObject({
        tenant: idObject,
        team: z.looseObject({ id: optionalId, name: optionalString }).nullish(),
        channel: idObject,
      })
      .nullish(),
    value: cardValue.optional(),
  }).refine(
    // botbuilder reads `value.action.type` of a card action invoke without checking that there is an action.
    (a) => a.type !== 'invoke' || a.name !== 'adaptiveCard/action' || isObject((a.value as { action?: unknown } | undefined)?.action),
    { message: 'a card action needs value.action', path: ['value'] },
  );
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
