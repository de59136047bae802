/**
 * Refusing a bad request at the edge of a platform endpoint: a 4xx with a short generic body,
 * at once, and one log line with the reason (never the request's content).
 */
import type { Response } from 'express';
import type { Logger } from '../../logging/logger.ts';

/** The statuses an edge refuses with, and the whole of what the caller is told. */
export const REFUSALS = {
  400: 'bad request',
  401: 'unauthorized',
  413: 'payload too large',
  415: 'unsupported media type',
} as const;

/** A status an edge may refuse with. */
export type RefusalStatus = keyof typeof REFUSALS;

/** Answers `status` with its generic body and logs `reason` plus `details` (lengths, hashes, field paths). */
export function refuse(res: Response, logger: Logger, status: RefusalStatus, reason: string, details: Record<string, unknown> = {}): void {
  logger.info({ status, reason, ...details }, 'request refused');
  if (res.headersSent) return;
  res.status(status).json({ error: REFUSALS[status] });
}

/** The refusal status for an error from a body parser (too large, malformed, bad charset), if it is one. */
export function refusalStatusOf(error: unknown): RefusalStatus | undefined {
  const status = (error as { status?: unknown; statusCode?: unknown } | null)?.status ?? (error as { statusCode?: unknown } | null)?.statusCode;
  if (status === 413) return 413;
  if (status === 415) return 415;
  if (status === 401) return 401;
  if (typeof status === 'number' && status >= 400 && status < 500) return 400;
  return undefined;
}

/**
 * Zod issue paths, for the log: which fields were wrong, never their values. Only the first two
 * segments are kept (the schemas' own field names); deeper ones can be keys the sender chose.
 */
export function issuePaths(issues: readonly { path: readonly PropertyKey[] }[]): string[] {
  const shown = (segment: PropertyKey) => (typeof segment === 'number' ? '#' : String(segment));
  return [...new Set(issues.map((i) => i.path.slice(0, 2).map(shown).join('.') || '(root)'))].slice(0, 10);
}

/**
 * True when any string in a parsed body holds a NUL character: no chat client sends one, and
 * PostgreSQL refuses it in text and jsonb, so it would fail a request deep inside a transaction.
 */
export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 64 || typeof value !== 'object' || value === null) return false;
  for (const [key, inner] of Object.entries(value)) if (key.includes('\u0000') || containsNul(inner, depth + 1)) return true;
  return false;
}
