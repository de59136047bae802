/**
 * What the operator commands share: who the command line acts as in the audit log, plain-text
 * tables, and turning expected failures (bad arguments, domain errors) into a message and an exit
 * code instead of a stack trace.
 */
import { userInfo } from 'node:os';
import { isDomainError } from '../core/errors.ts';
import type { AuditActor } from '../core/ports.ts';

/** The audit actor for the command line: no member, labelled with the operating-system user. */
export function cliActor(teamId: string | null): AuditActor {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back to what the shell says.
    user = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
  return { teamId, memberId: null, label: `cli:${user}` };
}

/** Columns padded to their widest cell, separated by two spaces; the first row is the heading. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n') + '\n';
}

/** A mistake in how a command was called: shown with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function isArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/**
 * Runs a command body: bad arguments print the message and `usage` (exit 2); a DomainError
 * prints its message (exit 1); anything else propagates to the dispatcher.
 */
export async function guarded(usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError || isArgsError(error)) {
      process.stderr.write(`${(error as Error).message}\n\nUsage: ${usage}\n`);
      return 2;
    }
    if (isDomainError(error)) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
