/**
 * The fake Web API's default answers: plausible, consistent Slack response bodies (increasing
 * message `ts`, stable view ids and DM channels, upload URLs that point back at the fake).
 * Anything without a specific answer gets `{ ok: true }`.
 */

/** Who the bot is in the fake workspace; `auth.test` and posted messages report it. */
export interface FakeSlackIdentity {
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;
  readonly botUserName: string;
}

/** A Web API response body. */
export type SlackBody = Record<string, unknown>;

/** Files announced by `files.getUploadURLExternal`, by file id. */
export interface PendingUpload {
  readonly filename: string;
  readonly length: number;
}

/** Builds default responses; holds the little state that makes them consistent across calls. */
export interface DefaultResponder {
  /** The default body for a valid call to `method`. */
  respond(method: string, args: Readonly<Record<string, unknown>>): SlackBody;
  /** Files announced for upload so far. */
  readonly uploads: ReadonlyMap<string, PendingUpload>;
  /** Profile emails `users.info` gives per user id (null: none, as without `users:read.email`); others get `user-<id>@example.org`. */
  readonly emails: Map<string, string | null>;
}

/** Creates a responder; `origin` is the fake's `http://127.0.0.1:PORT` for upload URLs. */
export function createDefaultResponder(identity: FakeSlackIdentity, origin: string): DefaultResponder {
  let sequence = 0;
  const views = new Map<string, SlackBody>();
  const viewIdsByExternalId = new Map<string, string>();
  const homeViewIdsByUser = new Map<string, string>();
  const groupDms = new Map<string, string>();
  const uploads = new Map<string, PendingUpload>();
  const emails = new Map<string, string | null>();

  const nextId = (prefix: string): string => `${prefix}0${(++sequence).toString().padStart(8, '0')}`;
  // Unique, increasing and deterministic: 1700000000.000100, 1700000000.000200, ...
  const nextTs = (): string => {
    const micros = ++sequence * 100;
    return `${1_700_000_000 + Math.floor(micros / 1_000_000)}.${(micros % 1_000_000).toString().padStart(6, '0')}`;
  };
  const message = (args: Readonly<Record<string, unknown>>, ts: string): SlackBody => ({
    type: 'message',
    user: identity.botUserId,
    bot_id: identity.botId,
    team: identity.teamId,
    text: args.text ?? '',
    ...(args.blocks !== undefined && { blocks: args.blocks }),
    ...(args.thread_ts !== undefined && { thread_ts: args.thread_ts }),
    ts,
  });

  const saveView = (args: Readonly<Record<string, unknown>>, id: string): SlackBody => {
    const submitted = (typeof args.view === 'object' && args.view !== null ? args.view : {}) as SlackBody;
    const previous = views.get(id);
    const externalId = submitted.external_id ?? previous?.external_id;
    const view: SlackBody = {
      ...submitted,
      id,
      team_id: identity.teamId,
      bot_id: identity.botId,
      app_id: 'A0CASEWORK',
      private_metadata: submitted.private_metadata ?? '',
      callback_id: submitted.callback_id ?? '',
      external_id: externalId ?? '',
      state: { values: {} },
      hash: `${(++sequence).toString(36)}.fakehash`,
      root_view_id: previous?.root_view_id ?? id,
      previous_view_id: null,
    };
    if (typeof externalId === 'string' && externalId !== '') viewIdsByExternalId.set(externalId, id);
    views.set(id, view);
    return { ok: true, view };
  };

  const respond = (method: string, args: Readonly<Record<string, unknown>>): SlackBody => {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://casework-test.slack.com/',
          team: 'Casework Test',
          user: identity.botUserName,
          team_id: identity.teamId,
          user_id: identity.botUserId,
          bot_id: identity.botId,
          is_enterprise_install: false,
        };
      case 'chat.postMessage': {
        const ts = nextTs();
        return { ok: true, channel: args.channel, ts, message: message(args, ts) };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text ?? '', message: message(args, String(args.ts)) };
      case 'chat.getPermalink':
        return { ok: true, channel: args.channel, permalink: `https://casework-test.slack.com/archives/${String(args.channel)}/p${String(args.message_ts).replace('.', '')}` };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'chat.delete':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'views.open':
      case 'views.push':
        return saveView(args, nextId('V'));
      case 'views.update': {
        const id =
          (typeof args.view_id === 'string' && args.view_id) ||
          viewIdsByExternalId.get(String(args.external_id)) ||
          nextId('V');
        return saveView(args, id);
      }
      case 'views.publish': {
        const user = String(args.user_id);
        const id = homeViewIdsByUser.get(user) ?? nextId('V');
        homeViewIdsByUser.set(user, id);
        return saveView(args, id);
      }
      case 'conversations.open':
        return {
          ok: true,
          no_op: false,
          already_open: false,
          channel: { id: typeof args.channel === 'string' && args.channel ? args.channel : dmChannelFor(String(args.users ?? '')) },
        };
      case 'conversations.info': {
        const id = String(args.channel);
        const isIm = id.startsWith('D');
        return {
          ok: true,
          channel: {
            id,
            name: isIm ? undefined : `channel-${id.toLowerCase()}`,
            is_channel: !isIm,
            is_im: isIm,
            is_private: id.startsWith('G'),
            is_member: true,
            is_archived: false,
            created: 1_700_000_000,
          },
        };
      }
      case 'users.info': {
        const id = String(args.user);
        const name = `user-${id.toLowerCase()}`;
        return {
          ok: true,
          user: {
            id,
            team_id: identity.teamId,
            name,
            real_name: `User ${id}`,
            deleted: false,
            is_bot: false,
            tz: 'Europe/London',
            tz_label: 'Greenwich Mean Time',
            tz_offset: 0,
            profile: {
              real_name: `User ${id}`,
              display_name: name,
              ...(emails.get(id) === null ? {} : { email: emails.get(id) ?? `${name}@example.org` }),
            },
          },
        };
      }
      case 'files.getUploadURLExternal': {
        const fileId = nextId('F');
        uploads.set(fileId, { filename: String(args.filename), length: Number(args.length) });
        return { ok: true, upload_url: `${origin}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const files = Array.isArray(args.files) ? (args.files as SlackBody[]) : [];
        return {
          ok: true,
          files: files.map((file) => ({ id: file.id, title: file.title ?? uploads.get(String(file.id))?.filename, name: uploads.get(String(file.id))?.filename })),
        };
      }
      default:
        return { ok: true };
    }
  };

  // One user → D<user id without its U/W>, so tests can predict it; several users → a stable G id.
  const dmChannelFor = (users: string): string => {
    const ids = users.split(',').map((u) => u.trim()).filter(Boolean).sort();
    if (ids.length === 1) return `D${ids[0]!.replace(/^[UW]/, '')}`;
    const key = ids.join(',');
    const existing = groupDms.get(key);
    if (existing) return existing;
    const id = nextId('G');
    groupDms.set(key, id);
    return id;
  };

  return { respond, uploads, emails };
}
