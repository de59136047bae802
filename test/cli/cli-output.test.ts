/**
 * Output that survives a pipe: the real command line, as a child process, writing far more than a
 * pipe buffer. What a pipe receives must be byte for byte what a file receives, a slow reader must
 * still get everything, and a reader that closes early must end the command quietly. The pipe
 * read at full speed is written by bin/casework.js, as `npx casework` runs it; the rest by the
 * bundle the tests share, so the two entry points are also shown to write the same bytes.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { createScaleTeam } from '../../src/local/scale-team.ts';
import { caseworkArgv, cliEnv, copyMigratedDataDir, spawnCasework } from '../support/cli-process.ts';

const TODAY = '2026-11-02';

describe('command-line output through a pipe (child processes, PGlite on disk)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let preview: string[];
  let expected: Buffer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'casework-pipe-'));
    env = cliEnv({ DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' });
    await copyMigratedDataDir(env.DATA_DIR ?? '');
    const database = await openDatabase({ dataDir: env.DATA_DIR ?? '' });
    try {
      const made = await createScaleTeam(database.db, { today: TODAY, cases: 500, officers: 6 });
      preview = ['reminders', 'preview', '--team', made.team.key, '--from', TODAY, '--days', '366', '--json'];
    } finally {
      await database.close();
    }
    // The reference: stdout redirected to a file, as `casework … > file` does.
    const file = join(dir, 'preview.jsonl');
    const fd = openSync(file, 'w');
    try {
      const code = await new Promise<number | null>((done, fail) => {
        const child = spawn(process.execPath, caseworkArgv(preview), { cwd: dir, env, stdio: ['ignore', fd, 'inherit'] });
        child.on('error', fail);
        child.on('close', done);
      });
      expect(code).toBe(0);
    } finally {
      closeSync(fd);
    }
    expected = await readFile(file);
  }, 300_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Runs the preview into a pipe, reading it with `pause` ms between chunks. */
  async function throughPipe(pause: number, entry: 'bundle' | 'bin' = 'bundle'): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
    const child = spawnCasework(preview, { cwd: dir, env, entry });
    child.stdin.end();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const closed = new Promise<number | null>((done) => child.on('close', done));
    const chunks: Buffer[] = [];
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      if (pause > 0) await sleep(pause);
    }
    return { code: await closed, stdout: Buffer.concat(chunks), stderr };
  }

  it('is many pipe buffers long, and every line is whole JSON', () => {
    expect(expected.length).toBeGreaterThan(1024 * 1024);
    const lines = expected.toString('utf8').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1000);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('writes to a pipe exactly what it writes to a file, started as `npx casework` starts it', { timeout: 120_000 }, async () => {
    const run = await throughPipe(0, 'bin');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.length).toBe(expected.length);
    expect(run.stdout.equals(expected)).toBe(true);
  });

  it('waits for a slow reader and gives it everything', { timeout: 180_000 }, async () => {
    const run = await throughPipe(15);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.equals(expected)).toBe(true);
  });

  it('ends quietly when the reader closes early (`| head`)', { timeout: 120_000 }, async () => {
    const child = spawnCasework(preview, { cwd: dir, env });
    child.stdin.end();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const closed = new Promise<number | null>((done) => child.on('close', done));
    // Take the first chunk, then close the read end as `head` does.
    await new Promise<void>((done) => child.stdout.once('data', () => done()));
    child.stdout.destroy();
    const code = await closed;
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
