/**
 * Bolt's Logger interface over our logger. Bolt (and the Web API and Socket Mode clients it
 * hands this logger to) put request bodies into debug lines and quote them in warnings: "Parsing
 * request body failed (error: SyntaxError: Unexpected token … "<the body>" …)". So debug and info
 * are dropped, and a warning or error keeps only its reason, the words before any detail, with
 * the whole message's length and hash to tell repeated lines apart.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { fingerprint } from '../../logging/fingerprint.ts';
import type { Logger } from '../../logging/logger.ts';

const MAX_REASON = 120;

/**
 * The reason: the message up to the first character that starts a detail (a bracket, colon,
 * quote or newline) in library messages, which is where quoted input would begin.
 */
export function boltReason(args: unknown[]): { reason: string; length?: number; sha256?: string } {
  const first = args[0];
  if (first instanceof Error) return { reason: first.name };
  if (typeof first !== 'string') return { reason: 'bolt' };
  const reason = first.split(/[(:"'`{[<\n]/, 1)[0]!.trim().slice(0, MAX_REASON) || 'bolt';
  return reason === first ? { reason } : { reason, ...fingerprint(first) };
}

/** Wraps the process logger for Bolt, keeping message content out of the log. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...args: unknown[]) => {
      const { reason, ...rest } = boltReason(args);
      child.warn(rest, reason);
    },
    error: (...args: unknown[]) => {
      const { reason, ...rest } = boltReason(args);
      child.error(rest, reason);
    },
    setLevel: () => undefined,
    getLevel: () => LogLevel.WARN,
    setName: () => undefined,
  };
}
