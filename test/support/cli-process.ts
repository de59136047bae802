/**
 * Runs the real `casework` command line as a child process, as an operator would, with an
 * environment that points at an embedded database in a temporary folder and carries no
 * platform settings, DATABASE_URL or .env from the developer's machine.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The repository root and the CLI entry point. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const CASEWORK_BIN = join(REPO_ROOT, 'bin/casework.js');

/** What a finished run printed and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** This process's environment less database and platform settings, plus `extra`. */
export function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|SLACK_|MICROSOFT_|PORT$|PLAYGROUND$)/.test(k)));
  return { ...kept, ...extra };
}

/** Starts `casework ARGS…`; the caller reads, signals or awaits the child. */
export function spawnCasework(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [CASEWORK_BIN, ...args], { cwd: options.cwd, env: options.env, stdio: 'pipe' });
}

/** Runs `casework ARGS…` to the end and collects its output. */
export function runCasework(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliRun> {
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
