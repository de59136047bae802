// A loopback fake of the Bot Framework connector REST API (the `serviceUrl` side of Teams):
// records what botbuilder's ConnectorClient sends, answers like Teams does, and can be scripted to fail.
import { once, EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity, ChannelInfo, ConversationParameters, TeamDetails, TeamsChannelAccount } from 'botbuilder';

/** Which connector operation a request was, named after the ConnectorClient / TeamsInfo method that sends it. */
export type ConnectorOperation =
  | 'sendToConversation'
  | 'replyToActivity'
  | 'updateActivity'
  | 'deleteActivity'
  | 'createConversation'
  | 'getConversationMembers'
  | 'getConversationMember'
  | 'getConversationPagedMembers'
  | 'getActivityMembers'
  | 'fetchChannelList'
  | 'fetchTeamDetails'
  /** A PUT to a OneDrive upload session (`uploadUrl(name)`), as Teams' file-consent flow hands out. */
  | 'uploadSession'
  | 'unknown';

/** One HTTP request the fake received, with path parameters already percent-decoded. */
export interface ConnectorRequest {
  method: string;
  /** The raw path as sent (still percent-encoded), without the query string. */
  path: string;
  operation: ConnectorOperation;
  conversationId?: string;
  activityId?: string;
  memberId?: string;
  teamId?: string;
  body: unknown;
  headers: IncomingHttpHeaders;
  /** What the fake answered. */
  status: number;
  responseBody: unknown;
}

/** An activity that reached "the user": sent, replied, updated, or posted with a new conversation. */
export interface SentActivity {
  operation: 'sendToConversation' | 'replyToActivity' | 'updateActivity' | 'createConversation';
  conversationId: string;
  /** The id the fake assigned (or, for an update, the id that was updated). */
  activityId: string;
  /** For a reply, the activity replied to (from the URL). */
  replyToId?: string;
  activity: Partial<Activity>;
}

/** A file PUT to an upload session: its bytes and headers, as received. */
export interface ReceivedUpload {
  path: string;
  headers: IncomingHttpHeaders;
  bytes: Buffer;
  /** What the fake answered. */
  status: number;
}

/** A scripted answer. */
export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Holds the answer back until this settles: a connector that has stalled. With `status: 0`,
   * the answer is then the usual one.
   */
  until?: Promise<unknown>;
}

/** Selects requests: a predicate, or fields that must all be equal. */
export type RequestMatcher =
  | ((request: Omit<ConnectorRequest, 'status' | 'responseBody'>) => boolean)
  | Partial<Pick<ConnectorRequest, 'method' | 'operation' | 'conversationId' | 'activityId' | 'memberId' | 'teamId'>>;

/** A team the fake knows, for `fetchTeamDetails` and `fetchChannelList`. */
export interface FakeTeam {
  details: TeamDetails;
  channels: ChannelInfo[];
}

/** Options for `waitFor` and `waitForSent`. */
export interface WaitOptions {
  /** How many matching items to wait for; default 1. */
  count?: number;
  /** Default 5000. */
  timeoutMs?: number;
}

/** A running fake connector. */
export interface FakeConnector {
  /** Use as `activity.serviceUrl`, e.g. `http://127.0.0.1:PORT/`. */
  readonly serviceUrl: string;
  /** Every request received, in order. */
  readonly requests: readonly ConnectorRequest[];
  /** Activities that were accepted (2xx) by send, reply, update or create-conversation, in order. */
  sent(): SentActivity[];
  /** Resolves with the first `count` requests matching `predicate` (already received ones count). */
  waitFor(predicate: (request: ConnectorRequest) => boolean, options?: WaitOptions): Promise<ConnectorRequest[]>;
  /** Resolves with the first `count` accepted activities matching `predicate`. */
  waitForSent(predicate: (sent: SentActivity) => boolean, options?: WaitOptions): Promise<SentActivity[]>;
  /**
   * Answers matching requests with `response` instead of the default, for `times` requests (default: until
   * removed or `reset`). Later scripts take precedence. Returns a function that removes the script.
   */
  respondWith(
    matcher: RequestMatcher,
    response: FakeResponse | ((request: Omit<ConnectorRequest, 'status' | 'responseBody'>) => FakeResponse),
    options?: { times?: number },
  ): () => void;
  /**
   * Sets the roster returned by the members endpoints for a conversation (a team id, chat or
   * channel id); `getConversationMember` finds one by its `29:` id or AAD object id, with the
   * `email` and `userPrincipalName` Teams gives.
   */
  setMembers(conversationId: string, members: Partial<TeamsChannelAccount>[]): void;
  /** Makes a team known to `fetchTeamDetails` / `fetchChannelList`. */
  setTeam(team: FakeTeam): void;
  /**
   * An upload session URL on this fake, as Teams puts in a file-consent answer's `uploadInfo`;
   * PUTs to it are answered 201 with a drive item and kept in `uploads()`.
   */
  uploadUrl(name: string): string;
  /** Every PUT to an upload session, in order, with its bytes. */
  uploads(): ReceivedUpload[];
  /** Forgets requests, sent activities, scripts, members, teams and uploads. */
  reset(): void;
  close(): Promise<void>;
}

/** Error answers shaped like the ones Teams returns, for `respondWith`. */
export const connectorErrors = {
  /** 429. Note botbuilder's HTTP pipeline retries a 429 that carries Retry-After itself, up to 3 times. */
  throttled: (retryAfterSeconds?: number): FakeResponse => ({
    status: 429,
    headers: retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) },
    body: errorBody('Throttled', 'Too many requests'),
  }),
  /** 403: the user blocked or uninstalled the bot, or an admin disabled it. */
  botBlocked: (): FakeResponse => ({ status: 403, body: errorBody('BotDisabledByAdmin', 'The bot is disabled or blocked by the user') }),
  /** 403 for a 1:1 conversation the bot is no longer part of. */
  botNotInConversation: (): FakeResponse => ({
    status: 403,
    body: errorBody('ConversationBlockedByUser', 'User blocked the conversation with the bot.'),
  }),
  /** 404: the conversation is gone (chat history removed, app uninstalled). */
  conversationNotFound: (): FakeResponse => ({ status: 404, body: errorBody('ConversationNotFound', 'Conversation not found.') }),
} as const;

function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

interface Script {
  matcher: RequestMatcher;
  response: FakeResponse | ((request: Omit<ConnectorRequest, 'status' | 'responseBody'>) => FakeResponse);
  remaining: number;
}

interface Route {
  operation: ConnectorOperation;
  conversationId?: string;
  activityId?: string;
  memberId?: string;
  teamId?: string;
}

/** Starts the fake on 127.0.0.1 and a free port. */
export async function startFakeConnector(): Promise<FakeConnector> {
  const requests: ConnectorRequest[] = [];
  let sentActivities: SentActivity[] = [];
  let scripts: Script[] = [];
  let members = new Map<string, Partial<TeamsChannelAccount>[]>();
  let teams = new Map<string, FakeTeam>();
  let nextId = 1;
  let uploads: ReceivedUpload[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  // Teams message ids are millisecond timestamps; keep that shape but make them unique and predictable.
  const newActivityId = (): string => String(1_700_000_000_000 + nextId++);

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(JSON.stringify(errorBody('FakeConnectorError', String(error))));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBytes = await readBytes(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    const route = routeOf(method, path);
    const uploading = route.operation === 'uploadSession';
    // A file's bytes are not JSON; only their size is kept as the request's body.
    const rawBody = uploading ? '' : rawBytes.toString('utf8');
    const body: unknown = uploading ? { bytes: rawBytes.length } : rawBody.length > 0 ? JSON.parse(rawBody) : undefined;
    const incoming = { method, path, ...route, body, headers: req.headers };

    const script = scripts.find((s) => s.remaining > 0 && matches(s.matcher, incoming));
    let response: FakeResponse;
    if (script) {
      script.remaining -= 1;
      response = typeof script.response === 'function' ? script.response(incoming) : script.response;
      if (response.status === 0) response = { ...answer(route, body, `${method} ${path}`), ...(response.until ? { until: response.until } : {}) };
    } else {
      response = answer(route, body, `${method} ${path}`);
    }
    if (response.until) await response.until.catch(() => undefined);

    const recorded: ConnectorRequest = { ...incoming, status: response.status, responseBody: response.body };
    requests.push(recorded);
    if (uploading) uploads.push({ path, headers: req.headers, bytes: rawBytes, status: response.status });
    if (response.status >= 200 && response.status < 300) recordSent(recorded);
    res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers });
    res.end(response.body === undefined ? undefined : JSON.stringify(response.body));
    events.emit('change');
  }

  function answer(route: Route, body: unknown, request: string): FakeResponse {
    switch (route.operation) {
      case 'sendToConversation':
      case 'replyToActivity':
        return { status: 200, body: { id: newActivityId() } };
      case 'updateActivity':
        return { status: 200, body: { id: route.activityId } };
      case 'deleteActivity':
        return { status: 200 };
      case 'createConversation':
        return { status: 201, body: createdConversation(body as ConversationParameters) };
      case 'getConversationMembers':
      case 'getActivityMembers':
        return { status: 200, body: members.get(route.conversationId ?? '') ?? [] };
      case 'getConversationPagedMembers':
        return { status: 200, body: { members: members.get(route.conversationId ?? '') ?? [] } };
      case 'getConversationMember': {
        const member = (members.get(route.conversationId ?? '') ?? []).find(
          (m) => m.id === route.memberId || m.aadObjectId === route.memberId,
        );
        return member
          ? { status: 200, body: member }
          : { status: 404, body: errorBody('MemberNotFoundInConversation', 'The member is not in the conversation.') };
      }
      case 'fetchTeamDetails': {
        const team = teams.get(route.teamId ?? '');
        return team ? { status: 200, body: team.details } : { status: 404, body: errorBody('TeamNotFound', 'Team not found.') };
      }
      case 'fetchChannelList': {
        const team = teams.get(route.teamId ?? '');
        return team
          ? { status: 200, body: { conversations: team.channels } }
          : { status: 404, body: errorBody('TeamNotFound', 'Team not found.') };
      }
      case 'uploadSession': {
        const name = decodeURIComponent(request.split('/').pop() ?? 'file');
        return { status: 201, body: { id: `drive-item-${nextId++}`, name, size: (body as { bytes: number }).bytes, file: {} } };
      }
      case 'unknown':
        return { status: 404, body: errorBody('NotImplementedByFake', `The fake connector does not implement ${request}`) };
    }
  }

  // Mirrors Teams: a new channel thread is `<channel>;messageid=<root id>`; a new 1:1 chat gets an `a:` id.
  function createdConversation(parameters: ConversationParameters): { id: string; activityId?: string } {
    const channelId = (parameters.channelData as { channel?: { id?: string } } | undefined)?.channel?.id;
    const activityId = parameters.activity ? newActivityId() : undefined;
    if (channelId && activityId) return { id: `${channelId};messageid=${activityId}`, activityId };
    const id = channelId ?? `a:fake-conversation-${nextId++}`;
    return activityId ? { id, activityId } : { id };
  }

  function recordSent(request: ConnectorRequest): void {
    const response = (request.responseBody ?? {}) as { id?: string; activityId?: string };
    switch (request.operation) {
      case 'sendToConversation':
      case 'replyToActivity':
      case 'updateActivity': {
        const activityId = request.operation === 'updateActivity' ? request.activityId : response.id;
        sentActivities.push({
          operation: request.operation,
          conversationId: request.conversationId ?? '',
          activityId: activityId ?? '',
          ...(request.operation === 'replyToActivity' && request.activityId ? { replyToId: request.activityId } : {}),
          activity: request.body as Partial<Activity>,
        });
        return;
      }
      case 'createConversation': {
        const parameters = request.body as ConversationParameters;
        if (parameters.activity && response.id && response.activityId) {
          sentActivities.push({
            operation: 'createConversation',
            conversationId: response.id,
            activityId: response.activityId,
            activity: parameters.activity,
          });
        }
        return;
      }
      default:
        return;
    }
  }

  function waitUntil<T>(collect: () => T[], count: number, timeoutMs: number, what: string): Promise<T[]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = collect();
        if (found.length < count) return false;
        cleanup();
        resolve(found.slice(0, count));
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake connector: timed out after ${timeoutMs} ms waiting for ${count} ${what}; got ${collect().length}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        events.off('change', check);
      };
      if (!check()) events.on('change', check);
    });
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    requests,
    sent: () => [...sentActivities],
    waitFor: (predicate, options = {}) =>
      waitUntil(() => requests.filter(predicate), options.count ?? 1, options.timeoutMs ?? 5000, 'matching requests'),
    waitForSent: (predicate, options = {}) =>
      waitUntil(() => sentActivities.filter(predicate), options.count ?? 1, options.timeoutMs ?? 5000, 'matching activities'),
    respondWith(matcher, response, options = {}) {
      const script: Script = { matcher, response, remaining: options.times ?? Number.POSITIVE_INFINITY };
      scripts = [script, ...scripts];
      return () => {
        scripts = scripts.filter((s) => s !== script);
      };
    },
    setMembers(conversationId, roster) {
      members.set(conversationId, roster);
    },
    setTeam(team) {
      teams.set(team.details.id ?? '', team);
    },
    uploadUrl: (name) => `http://127.0.0.1:${port}/upload-sessions/${encodeURIComponent(name)}`,
    uploads: () => [...uploads],
    reset() {
      uploads = [];
      requests.length = 0;
      sentActivities = [];
      scripts = [];
      members = new Map();
      teams = new Map();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function matches(matcher: RequestMatcher, request: Omit<ConnectorRequest, 'status' | 'responseBody'>): boolean {
  if (typeof matcher === 'function') return matcher(request);
  return Object.entries(matcher).every(([key, value]) => request[key as keyof typeof matcher] === value);
}

// Path parameters arrive percent-encoded (`;` as %3B, `:` as %3A, `@` as %40); decode each segment on its own
// so an encoded `/` inside an id cannot split it.
function routeOf(method: string, path: string): Route {
  const segments = path.split('/').filter((s) => s.length > 0).map((s) => decodeURIComponent(s));
  if (segments[0] === 'upload-sessions' && method === 'PUT') return { operation: 'uploadSession' };
  const [version, collection, id, sub, subId, subSub] = segments;
  if (version !== 'v3') return { operation: 'unknown' };
  if (collection === 'teams' && id !== undefined) {
    if (sub === undefined && method === 'GET') return { operation: 'fetchTeamDetails', teamId: id };
    if (sub === 'conversations' && method === 'GET') return { operation: 'fetchChannelList', teamId: id };
    return { operation: 'unknown', teamId: id };
  }
  if (collection !== 'conversations') return { operation: 'unknown' };
  if (id === undefined) return { operation: method === 'POST' ? 'createConversation' : 'unknown' };
  const conversationId = id;
  if (sub === 'activities') {
    if (subId === undefined) return { operation: method === 'POST' ? 'sendToConversation' : 'unknown', conversationId };
    if (subId === 'history') return { operation: 'unknown', conversationId };
    if (subSub === 'members') return { operation: 'getActivityMembers', conversationId, activityId: subId };
    const operation = ({ POST: 'replyToActivity', PUT: 'updateActivity', DELETE: 'deleteActivity' } as const)[
      method as 'POST' | 'PUT' | 'DELETE'
    ];
    return { operation: operation ?? 'unknown', conversationId, activityId: subId };
  }
  if (sub === 'members' && method === 'GET') {
    return subId === undefined
      ? { operation: 'getConversationMembers', conversationId }
      : { operation: 'getConversationMember', conversationId, memberId: subId };
  }
  if (sub === 'pagedmembers' && method === 'GET') return { operation: 'getConversationPagedMembers', conversationId };
  return { operation: 'unknown', conversationId };
}

async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
