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
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
function caseworkEntry(entry: 'bundle' | 'bin' = 'bundle'): string {
  return entry === 'bin' ? CASEWORK_BIN : inject('caseworkBundle');
}

/**
 * Node's flags for a child. The bundle runs with V8's baseline WebAssembly compiler only: a
 * command lives for seconds, and optimising PGlite's WebAssembly in the background cost about as
 * much CPU again as the command's own work (`casework teams`: 1.6 s of CPU, 0.85 s with the flag;
 * the CLI tests on a busy 2-core machine ran in 60% of the time). It changes how fast the code
 * runs, not what it does. bin/casework.js runs as users run it, without.
 */
function nodeFlags(entry: 'bundle' | 'bin' = 'bundle'): string[] {
  return entry === 'bundle' ? ['--liftoff-only'] : [];
}

/** The arguments to `node` (process.execPath) that run `casework ARGS…` from an entry point. */
export function caseworkArgv(args: string[], entry: 'bundle' | 'bin' = 'bundle'): string[] {
  return [...nodeFlags(entry), caseworkEntry(entry), ...args];
}

/** Starts `casework ARGS…`; the caller reads, signals or awaits the child. */
export function spawnCasework(args: string[], options: CliOptions): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, caseworkArgv(args, options.entry), { cwd: options.cwd, env: options.env, stdio: 'pipe' });
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

let template: Promise<string> | undefined;

/**
 * Fills `dataDir` (empty, or not there yet) with a copy of the embedded database that
 * `casework migrate` leaves in an empty folder: what a first command would find, without
 * creating the cluster and migrating it again (several seconds each time, a tenth of a second to
 * copy). The original is made once per test run beside the bundle, by whichever test process asks
 * first: each makes it in a folder of its own and renames it into place, so nobody copies half of
 * one. A closed database holds no lock file, so the copy opens like any other.
 */
export async function copyMigratedDataDir(dataDir: string): Promise<void> {
  template ??= migratedDataDir();
  cpSync(await template, dataDir, { recursive: true });
}

async function migratedDataDir(): Promise<string> {
  const path = join(dirname(caseworkEntry()), 'migrated-data');
  if (existsSync(path)) return path;
  const own = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const run = await runCasework(['migrate'], { cwd: dirname(path), env: cliEnv({ DATA_DIR: own, LOG_LEVEL: 'silent' }) });
  if (run.code !== 0) throw new Error(`casework migrate failed (${run.code}): ${run.stderr}`);
  try {
    renameSync(own, path);
  } catch (error) {
    // Another test process put its copy in place first: use that one.
    if (!existsSync(path)) throw error;
    rmSync(own, { recursive: true, force: true });
  }
  return path;
}
