/**
 * A loopback fake of the Slack Web API for tests and benchmarks. Point Bolt at it with
 * `clientOptions: { slackApiUrl: fake.url }`; it checks every call against Slack's OpenAPI spec,
 * records it, answers plausibly, and also receives `response_url` posts and file uploads.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDefaultResponder } from './fake-slack-responses.ts';
import type { FakeSlackIdentity, SlackBody } from './fake-slack-responses.ts';
import { checkSlackCall, loadSlackMethodContracts } from './slack-openapi.ts';
import type { SlackContractViolation } from './slack-openapi.ts';
import { parseBody, parseSlackRequest, readBody } from './slack-web-args.ts';
import { waitForCall } from './fake-slack-wait.ts';
import type { WaitForOptions } from './fake-slack-wait.ts';

export type { WaitForOptions } from './fake-slack-wait.ts';

/** How to start the fake; everything is optional. */
export interface FakeSlackApiOptions extends Partial<FakeSlackIdentity> {
  /** Per-channel token bucket for `chat.postMessage` (benchmarks); off by default. */
  readonly rateLimit?: { readonly perChannelPerSecond: number; readonly burst: number };
  /** Clock for `at` and the rate limiter, in ms; defaults to `Date.now`. */
  readonly now?: () => number;
}

/** One request the fake received. `method` is the Web API method, `response_url` or `file_upload`. */
export interface FakeSlackCall {
  readonly method: string;
  /** Arguments as the caller passed them (see parseSlackRequest); `name` added for `response_url`. */
  readonly args: Record<string, any>;
  readonly at: number;
  readonly token: string | undefined;
  /** Set when the fake refused the call itself: a contract violation or its rate limiter. */
  readonly rejected?: FakeSlackViolation['kind'] | 'rate_limited';
  /** The HTTP status and body sent back, filled in once the answer was ready. */
  status?: number;
  response?: unknown;
}

/** A scripted HTTP answer; `body` defaults to `{ok:false,error:'ratelimited'}` for 429, else `{ok:true}`. */
export interface FakeHttpResponse {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/** Scripts the answer to a method: return a body object or a full {@link FakeHttpResponse}. */
export type FakeSlackHandler = (
  args: Record<string, unknown>,
  context: { readonly call: FakeSlackCall; readonly defaultBody: () => SlackBody },
) => FakeHttpResponse | SlackBody | Promise<FakeHttpResponse | SlackBody>;

/** Something the bot did that real Slack would refuse. Tests assert there are none. */
export type FakeSlackViolation = SlackContractViolation | { readonly kind: 'unknown_upload'; readonly method: 'file_upload'; readonly message: string };

/** A running fake Web API. */
export interface FakeSlackApi {
  /** Web API base URL ending in `/api/`, for `slackApiUrl`. */
  readonly url: string;
  /** Every request received since the last reset, in arrival order, refused ones included. */
  readonly calls: readonly FakeSlackCall[];
  /** Calls real Slack would have refused. */
  readonly violations: readonly FakeSlackViolation[];
  /** How many `chat.postMessage` calls the rate limiter refused. */
  readonly rateLimited: number;
  /** Accepted calls to one method (refused ones left out). */
  callsTo(method: string): FakeSlackCall[];
  /** Resolves with the `count`-th accepted call to `method` matching `predicate`, when it arrives. */
  waitFor(method: string, predicate?: (args: Record<string, unknown>, call: FakeSlackCall) => boolean, options?: WaitForOptions): Promise<FakeSlackCall>;
  /**
   * Scripts answers to `method`, `response_url` or `file_upload` (latest wins; `times` limits it);
   * returns a function that removes it. Calls failing the contract check never reach it.
   */
  respondWith(method: string, handler: FakeSlackHandler, options?: { times?: number }): () => void;
  /** A `response_url` served by the fake; posts to it are recorded as method `response_url`. */
  responseUrl(name: string): string;
  /** Sets the profile email `users.info` gives for a user (null: no email, as without the `users:read.email` scope). */
  setUserEmail(userId: string, email: string | null): void;
  /** Forgets calls, violations, the rate-limit count, scripted answers and emails set. */
  reset(): void;
  /** Stops the server. */
  close(): Promise<void>;
}

interface Override {
  readonly handler: FakeSlackHandler;
  remaining: number;
}

/** Starts the fake on 127.0.0.1 at a free port. */
export async function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const contracts = await loadSlackMethodContracts();
  const now = options.now ?? Date.now;
  const identity: FakeSlackIdentity = {
    botUserId: options.botUserId ?? 'U0BOT',
    botId: options.botId ?? 'B0BOT',
    teamId: options.teamId ?? 'T0TEAM',
    botUserName: options.botUserName ?? 'casework',
  };
  const limiter = options.rateLimit && createChannelLimiter(options.rateLimit, now);

  let calls: FakeSlackCall[] = [];
  let violations: FakeSlackViolation[] = [];
  let rateLimited = 0;
  let overrides = new Map<string, Override[]>();
  const listeners = new Set<() => void>();
  let closed = false;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { ok: false, error: 'fake_slack_api_error', detail: String(error) } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const responder = createDefaultResponder(identity, origin);

  const record = (call: FakeSlackCall): FakeSlackCall => {
    calls.push(call);
    for (const notify of [...listeners]) notify();
    return call;
  };
  const accepted = (method: string): FakeSlackCall[] => calls.filter((c) => c.method === method && c.rejected === undefined);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const body = await readBody(req);
    const [, area, name = ''] = url.pathname.split('/').map(decodeURIComponent);
    if (area === 'api' && name) return answerWebApi(req, res, url, body, name);
    if (area === 'response' && req.method === 'POST' && name) {
      const args = { ...(await parseBody(req.headers['content-type'] ?? '', body)), name };
      return answer(res, record({ method: 'response_url', args, at: now(), token: undefined }), () => ({ ok: true }));
    }
    if (area === 'upload' && req.method === 'POST' && name) return answerUpload(req, res, body, name);
    send(res, { status: 404, body: { ok: false, error: 'not_found' } });
  }

  async function answerWebApi(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer, method: string): Promise<void> {
    const { args, token } = await parseSlackRequest(req, url, body);
    const violation = checkSlackCall(contracts, method, args, token);
    if (violation) {
      violations.push(violation);
      const call = record({ method, args, at: now(), token, rejected: violation.kind });
      const error = { ok: false, error: violation.kind, response_metadata: { messages: [`[ERROR] ${violation.message}`] } };
      return respondAndNote(res, call, { status: 200, body: error });
    }
    const retryAfter = method === 'chat.postMessage' ? limiter?.(String(args.channel)) : undefined;
    if (retryAfter !== undefined) {
      rateLimited += 1;
      const call = record({ method, args, at: now(), token, rejected: 'rate_limited' });
      return respondAndNote(res, call, { status: 429, headers: { 'retry-after': String(retryAfter) } });
    }
    return answer(res, record({ method, args, at: now(), token }), () => responder.respond(method, args));
  }

  async function answerUpload(req: IncomingMessage, res: ServerResponse, body: Buffer, fileId: string): Promise<void> {
    const pending = responder.uploads.get(fileId);
    const form = await parseBody(req.headers['content-type'] ?? '', body);
    // WebClient posts the bytes as a multipart field named `body`; accept a raw body as well.
    const data = Buffer.isBuffer(form.body) ? form.body : body;
    const args = { file_id: fileId, filename: pending?.filename, length: data.length, content: data.toString('utf8'), data };
    if (!pending) {
      violations.push({ kind: 'unknown_upload', method: 'file_upload', message: `upload to ${fileId}, which files.getUploadURLExternal never issued` });
      return respondAndNote(res, record({ method: 'file_upload', args, at: now(), token: undefined, rejected: 'unknown_upload' }), { status: 404, body: 'not found' });
    }
    return answer(res, record({ method: 'file_upload', args, at: now(), token: undefined }), () => ({ ok: true }), `OK - ${data.length}`);
  }

  /** Uses a scripted answer if there is one, otherwise the default. */
  async function answer(res: ServerResponse, call: FakeSlackCall, defaultBody: () => SlackBody, defaultText?: string): Promise<void> {
    const stack = overrides.get(call.method) ?? [];
    const override = stack.at(-1);
    if (!override) return respondAndNote(res, call, { status: 200, body: defaultText ?? defaultBody() });
    if (--override.remaining <= 0) stack.pop();
    const reply = await override.handler(call.args, { call, defaultBody });
    respondAndNote(res, call, isHttpResponse(reply) ? reply : { status: 200, body: reply });
  }

  function respondAndNote(res: ServerResponse, call: FakeSlackCall, reply: FakeHttpResponse): void {
    const status = reply.status ?? 200;
    const body = reply.body ?? (status === 429 ? { ok: false, error: 'ratelimited' } : { ok: true });
    call.status = status;
    call.response = body;
    send(res, { ...reply, status, body });
  }

  return {
    url: `${origin}/api/`,
    get calls() {
      return calls;
    },
    get violations() {
      return violations;
    },
    get rateLimited() {
      return rateLimited;
    },
    callsTo: accepted,
    waitFor: (method, predicate, waitOptions) =>
      waitForCall({ method, predicate, options: waitOptions, matching: () => accepted(method), all: () => calls, listeners, isClosed: () => closed }),
    respondWith(method, handler, { times = Number.POSITIVE_INFINITY } = {}) {
      const override: Override = { handler, remaining: times };
      const stack = overrides.get(method) ?? [];
      stack.push(override);
      overrides.set(method, stack);
      return () => {
        const index = stack.indexOf(override);
        if (index >= 0) stack.splice(index, 1);
      };
    },
    responseUrl: (name) => `${origin}/response/${encodeURIComponent(name)}`,
    setUserEmail(userId, email) {
      responder.emails.set(userId, email);
    },
    reset() {
      calls = [];
      violations = [];
      rateLimited = 0;
      overrides = new Map();
      responder.emails.clear();
    },
    async close() {
      closed = true;
      for (const notify of [...listeners]) notify(); // pending waits see the close and reject
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function isHttpResponse(reply: FakeHttpResponse | SlackBody): reply is FakeHttpResponse {
  return 'status' in reply || 'headers' in reply || ('body' in reply && !('ok' in reply));
}

function send(res: ServerResponse, reply: FakeHttpResponse): void {
  const isText = typeof reply.body === 'string';
  res.writeHead(reply.status ?? 200, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    ...reply.headers,
  });
  res.end(isText ? reply.body : JSON.stringify(reply.body));
}

/**
 * A token bucket per channel: `burst` posts at once, refilled at `perChannelPerSecond`.
 * Returns undefined when the post may go, else the whole seconds to wait (for `Retry-After`).
 */
function createChannelLimiter(
  { perChannelPerSecond, burst }: { perChannelPerSecond: number; burst: number },
  now: () => number,
): (channel: string) => number | undefined {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (channel) => {
    const t = now();
    const bucket = buckets.get(channel) ?? { tokens: burst, at: t };
    bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perChannelPerSecond);
    bucket.at = t;
    buckets.set(channel, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perChannelPerSecond));
  };
}
