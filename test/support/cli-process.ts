/**
 * Runs the real `casework` command line as a child process, as an operator would, with an
 * environment that points at an embedded database in a temporary folder and carries no
 * platform settings, DATABASE_URL or .env from the developer's machine.
 *
 * By default the child runs the bundle of the sources built once for this test run
 * (test/support/cli-bundle.setup.ts): the same code, without tsx compiling it at every start.
 * `entry: 'bin'` runs bin/casework.js through tsx, exactly as `npx casework` does; at least one
 * test does, so the entry point users run is proved too.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';

/** The repository root and the CLI entry point. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const CASEWORK_BIN = join(REPO_ROOT, 'bin/casework.js');

/** What a finished run printed and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Where a child process runs, with what, and from which entry point (the bundle by default). */
export interface CliOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  entry?: 'bundle' | 'bin';
}

/** This process's environment less database and platform settings, plus `extra`. */
export function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|SLACK_|MICROSOFT_|PORT$|PLAYGROUND$)/.test(k)));
  return { ...kept, ...extra };
}

/** The script that starts the command line for an entry point. */
export function caseworkEntry(entry: 'bundle' | 'bin' = 'bundle'): string {
  return entry === 'bin' ? CASEWORK_BIN : inject('caseworkBundle');
}

/** Starts `casework ARGS…`; the caller reads, signals or awaits the child. */
export function spawnCasework(args: string[], options: CliOptions): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [caseworkEntry(options.entry), ...args], { cwd: options.cwd, env: options.env, stdio: 'pipe' });
}

/** Runs `casework ARGS…` to the end and collects its output. */
export function runCasework(args: string[], options: CliOptions): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawnCasework(args, options);
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
