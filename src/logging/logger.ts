/**
 * Structured JSON logging (pino). Redaction is configured here once: message text, form
 * contents, tokens and secrets never reach a log line, whatever a caller passes.
 */
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Field paths that may carry user content or credentials. Callers should not log them at all;
 * this list is the safety net for when one slips through (for example inside an error object).
 */
const REDACT_PATHS = [
  'text', '*.text', 'message', 'body', '*.body', 'values', '*.values', 'form', '*.form',
  'payload', '*.payload', 'attachments', '*.attachments', 'blocks', '*.blocks', 'view', '*.view',
  'token', '*.token', 'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization',
  'headers.cookie', 'password', '*.password', 'secret', '*.secret', 'signingSecret', '*.signingSecret',
  'botToken', '*.botToken', 'appToken', '*.appToken', 'appPassword', '*.appPassword', 'databaseUrl', '*.databaseUrl',
  'externalRef', '*.externalRef',
];

/** Creates the process logger at the given level; `destination` lets tests capture lines. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'casework' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: errorSerializer },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination as pino.DestinationStream | undefined,
  );
}

/**
 * Errors are logged by type, code and stack only. Library errors (Slack's, the Bot Framework's)
 * often carry the request or response body in their message or data, so those are dropped.
 */
function errorSerializer(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const e = err as Error & { code?: unknown; statusCode?: unknown };
  const stack = (e.stack ?? '').split('\n').slice(1).join('\n');
  return {
    type: e.name,
    code: typeof e.code === 'string' || typeof e.code === 'number' ? e.code : undefined,
    statusCode: typeof e.statusCode === 'number' ? e.statusCode : undefined,
    // Our DomainError messages are safe by construction; other messages may hold payloads.
    message: e.name === 'DomainError' ? e.message : undefined,
    stack,
  };
}

/** A logger that discards everything: for tests and command-line tools that print their own output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
