/**
 * Turns an HTTP request sent by @slack/web-api back into the plain arguments object the caller
 * passed, so tests can assert on `{ channel, text, blocks: [...] }` rather than on wire encoding.
 */
import type { IncomingMessage } from 'node:http';

/** Arguments of one call, plus the token wherever it travelled. */
export interface ParsedSlackRequest {
  readonly args: Record<string, unknown>;
  readonly token: string | undefined;
}

/**
 * Fields that carry user text. They are never JSON-decoded, so a message reading `[1, 2]` stays a
 * string; every other form field holding a JSON object or array is decoded, because WebClient
 * JSON-encodes every non-scalar argument (`blocks`, `view`, `attachments`, `files`, ...).
 */
const FREE_TEXT_FIELDS = new Set(['text', 'initial_comment', 'alt_text', 'title', 'content', 'filename', 'username', 'name', 'query', 'purpose', 'topic']);

/** Reads the whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Parses a Web API request: query string, then the body (JSON, url-encoded form or multipart),
 * then the token from `Authorization: Bearer` or a `token` field (which is removed from args).
 *
 * Scalars in a form body stay strings exactly as Slack receives them (`unfurl_links: 'false'`);
 * a JSON body keeps its types. Files in a multipart body become Buffers.
 */
export async function parseSlackRequest(req: IncomingMessage, url: URL, body: Buffer): Promise<ParsedSlackRequest> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) args[key] = decodeField(key, value);
  Object.assign(args, await parseBody(req.headers['content-type'] ?? '', body));

  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const fieldToken = typeof args.token === 'string' && args.token !== '' ? args.token : undefined;
  delete args.token;
  return { args, token: bearer ?? fieldToken };
}

/** Parses a body by its content type; an empty or unrecognised body gives no arguments. */
export async function parseBody(contentType: string, body: Buffer): Promise<Record<string, unknown>> {
  if (body.length === 0) return {};
  const type = contentType.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return isRecord(parsed) ? parsed : { body: parsed };
  }
  if (type === 'application/x-www-form-urlencoded') {
    const args: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) args[key] = decodeField(key, value);
    return args;
  }
  if (type === 'multipart/form-data') {
    // undici (Node's fetch) already speaks multipart: let it do the parsing.
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    const args: Record<string, unknown> = {};
    for (const [key, value] of form) {
      args[key] = typeof value === 'string' ? decodeField(key, value) : Buffer.from(await value.arrayBuffer());
    }
    return args;
  }
  return {};
}

function decodeField(key: string, value: string): unknown {
  if (FREE_TEXT_FIELDS.has(key) || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value; // looked like JSON but is not: keep what was sent
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
