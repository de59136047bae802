// One process per embedded database, with real processes: while `casework serve` runs on a data
// directory, a second server and every command-line tool on it exit at once with a message naming
// the server's pid (no stack trace); after the server is killed with SIGKILL, its stale lock is
// taken over. Read-only commands are refused too: opening PGlite writes (recovery, checkpoints).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, copyMigratedDataDir, runCasework, spawnCasework } from '../support/cli-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'casework-single-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = cliEnv({ PORT: '0', PLAYGROUND: 'off', DATA_DIR: './data', LOG_LEVEL: 'warn' });

describe('the embedded database has one writer (child processes)', () => {
  it('refuses a second server and the command line while a server runs, and recovers after kill -9', { timeout: 120_000 }, async () => {
    // A migrated database to start from (test/cli/serve.test.ts starts a server on an empty folder).
    await copyMigratedDataDir(join(dir, 'data'));
    const server = spawnCasework(['serve'], { cwd: dir, env });
    server.stdin.end();
    let output = '';
    server.stdout.on('data', (d: Buffer) => (output += d.toString()));
    server.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => server.on('exit', (_code, signal) => resolve(signal)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the server did not start: ${output}`)), 90_000);
        server.stdout.on('data', () => {
          if (/running at http:\/\/127\.0\.0\.1:\d+/.test(output)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const refusal = `The embedded database in ./data is in use by process ${server.pid}: stop it, or set DATABASE_URL.`;

      const [secondServer, writer, reader] = await Promise.all([
        runCasework(['serve'], { cwd: dir, env }),
        runCasework(['team', 'create', 'North MOSOVO'], { cwd: dir, env }),
        runCasework(['teams'], { cwd: dir, env }),
      ]);
      for (const run of [secondServer, writer, reader]) {
        expect(run.code).toBe(1);
        expect(run.stderr.trim()).toBe(refusal);
      }
    } finally {
      server.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');

    // The lock still names the killed server; its pid is gone, so the next process takes over.
    const after = await runCasework(['teams'], { cwd: dir, env });
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain('No teams yet');
  });
});
