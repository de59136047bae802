// `casework report oversight`: its arguments checked before any database is opened, and the
// command reached through the real entry point (a child process). What it writes is proved on
// the hand-worked fixture in test/core/oversight/oversight-figures.test.ts, through the same
// function the command calls.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReportArgs } from '../../src/cli/report-command.ts';
import { cliEnv, runCasework } from '../support/cli-process.ts';

describe('casework report oversight', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'casework-report-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('takes a team, a period of up to a year and a format', () => {
    const ok = ['oversight', '--team', 'T-ABCD', '--from', '2026-09-01', '--to', '2026-11-30', '--format', 'pdf'];
    expect(parseReportArgs([...ok, '--out', 'r.pdf'])).toEqual({ team: 'T-ABCD', from: '2026-09-01', to: '2026-11-30', format: 'pdf', out: 'r.pdf' });
    const wrong = (args: string[]) => () => parseReportArgs(args);
    expect(wrong(['cases', '--team', 'T'])).toThrow(/only oversight/);
    expect(wrong(ok.filter((a) => a !== '--team' && a !== 'T-ABCD'))).toThrow(/--team/);
    expect(wrong([...ok.slice(0, -1), 'docx'])).toThrow(/md, pdf or csv/);
    expect(wrong(['oversight', '--team', 'T', '--from', '2026-11-30', '--to', '2026-09-01', '--format', 'md'])).toThrow(/start on or before/);
    expect(wrong(['oversight', '--team', 'T', '--from', '2025-01-01', '--to', '2026-11-30', '--format', 'md'])).toThrow(/at most 366 days/);
    expect(wrong(['oversight', '--team', 'T', '--from', '2026-02-30', '--to', '2026-11-30', '--format', 'md'])).toThrow(/YYYY-MM-DD/);
  });

  it('is dispatched by the command line, which explains a mistake with the usage and exit code 2', { timeout: 120_000 }, async () => {
    const run = await runCasework(['report', 'oversight', '--team', 'T-ABCD', '--from', '2026-09-01', '--to', '2026-11-30', '--format', 'xlsx'], { cwd: dir, env: cliEnv({ DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' }) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--format is md, pdf or csv.');
    expect(run.stderr).toContain('Usage: casework report oversight --team KEY|NAME --from YYYY-MM-DD --to YYYY-MM-DD --format md|pdf|csv [--out FILE]');
  });
});
