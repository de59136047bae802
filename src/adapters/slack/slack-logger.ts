/**
 * Bolt's Logger interface over our logger. Bolt may put request bodies into its debug lines and
 * error messages, so only warnings and errors pass, as a short first-argument string.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../logging/logger.ts';

const MAX = 200;

function firstString(args: unknown[]): string {
  const first = args[0];
  const text = typeof first === 'string' ? first : first instanceof Error ? first.name : 'bolt';
  return text.slice(0, MAX);
}

/** Wraps the process logger for Bolt, keeping message content out of the log. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...args: unknown[]) => child.warn(firstString(args)),
    error: (...args: unknown[]) => child.error(firstString(args)),
    setLevel: () => undefined,
    getLevel: () => LogLevel.WARN,
    setName: () => undefined,
  };
}
