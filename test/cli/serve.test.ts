// `casework serve` as a process: a bad configuration stops start-up with every problem named (and
// no secret echoed); what `npm start` runs (the bundle it builds) serves until SIGTERM and then
// exits cleanly.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cliEnv, REPO_ROOT, spawnCasework } from '../support/cli-process.ts';

// The working directory is a fresh folder, so no .env from the repository is read.
const dataDir = mkdtempSync(join(tmpdir(), 'casework-serve-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string>, bundle = false) {
  const child = bundle
    ? spawn(process.execPath, [join(REPO_ROOT, 'build/dist/main.js'), ...args], { cwd: dataDir, env: cliEnv(env), stdio: 'pipe' })
    : spawnCasework(args, { cwd: dataDir, env: cliEnv(env) });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('casework serve', () => {
  it('refuses a bad configuration, naming every problem and no secret', async () => {
    const p = run(['serve'], { SLACK_BOT_TOKEN: 'xoxb-super-secret-value', PORT: 'eighty', MICROSOFT_APP_PASSWORD: 'hunter2-secret', DATA_DIR: dataDir });
    expect(await p.exited).toBe(1);
    const text = p.err();
    expect(text).toContain('SLACK_SIGNING_SECRET');
    expect(text).toContain('PORT');
    expect(text).toContain('MICROSOFT_APP_ID');
    expect(text).not.toContain('xoxb-super-secret-value');
    expect(text).not.toContain('hunter2-secret');
  });

  it('builds and serves what npm start runs, on loopback in local mode, and shuts down cleanly on SIGTERM', async () => {
    const built = await new Promise<number | null>((resolve) => spawn(process.execPath, [join(REPO_ROOT, 'scripts/build.mjs')], { cwd: REPO_ROOT, stdio: 'ignore' }).on('exit', resolve));
    expect(built).toBe(0);
    const p = run(['serve'], { PORT: '0', PLAYGROUND: 'off', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, true);
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner: ${p.out()} ${p.err()}`)), 60_000);
      p.child.stdout.on('data', () => {
        const match = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(p.out());
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 90_000);
});
