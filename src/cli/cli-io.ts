/**
 * What the operator commands share: who the command line acts as in the audit log, plain-text
 * tables, writing to stdout and stderr with backpressure (and finishing only once both have
 * drained), and turning expected failures (bad arguments, domain errors) into a message and an
 * exit code instead of a stack trace.
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
      await writeStderr(`${(error as Error).message}\n\nUsage: ${usage}\n`);
      return 2;
    }
    if (isDomainError(error)) {
      await writeStderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** Streams whose reader has gone away (EPIPE): later writes to them are dropped quietly. */
const closed = new WeakSet<NodeJS.WriteStream>();

function isBrokenPipe(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/**
 * Watches stdout and stderr for a reader that closes early (`casework … | head`): an EPIPE marks
 * the stream closed instead of surfacing as an unhandled 'error' event with a stack trace.
 */
export function watchOutputStreams(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: unknown) => {
      if (isBrokenPipe(error)) closed.add(stream);
      else throw error;
    });
  }
}

/**
 * Writes to a stream and resolves once it will take more: at once when its buffer has room, on
 * 'drain' when it is full, so a command never holds more than one buffer of output in memory.
 * Resolves without writing when the reader has gone.
 */
function writeTo(stream: NodeJS.WriteStream, chunk: string | Uint8Array): Promise<void> {
  if (closed.has(stream) || stream.destroyed) return Promise.resolve();
  if (stream.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('error', done);
    stream.once('close', done);
  });
}

/** Writes to stdout with backpressure. */
export function writeStdout(chunk: string | Uint8Array): Promise<void> {
  return writeTo(process.stdout, chunk);
}

/** Writes to stderr with backpressure. */
export function writeStderr(chunk: string | Uint8Array): Promise<void> {
  return writeTo(process.stderr, chunk);
}

// Resolves once everything written to the stream so far has been handed to the operating system.
function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (closed.has(stream) || stream.destroyed || stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    stream.write('', () => resolve());
    stream.once('close', () => resolve());
  });
}

/**
 * Ends the command: sets the exit code, waits until stdout and stderr have drained (a reader that
 * closed early counts as drained), then exits. Exiting before then would cut piped output short.
 */
export async function finish(code: number): Promise<never> {
  process.exitCode = code;
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}
