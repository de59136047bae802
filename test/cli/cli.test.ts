import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { reposFor } from '../../src/db/kysely-store.ts';
import { cliEnv, REPO_ROOT, runCasework, type CliRun } from '../support/cli-process.ts';
import { findInternalCodes } from '../support/internal-codes.ts';

const SAMPLE = join(REPO_ROOT, 'docs/samples/caseload-sample.csv');

/** The roster docs/caseload-csv.md describes for the sample file. */
const SAMPLE_ROSTER = [
  { name: 'Priya Shah', roles: ['officer'] },
  { name: 'Tom Reid', roles: ['officer'] },
  { name: 'Grace Lin', roles: ['officer'] },
  { name: 'Dana Okafor', roles: ['officer', 'supervisor'] },
  { name: 'Mark Ellis', roles: ['supervisor'] },
] as const;

describe('the casework command line (child processes, PGlite on disk)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'casework-cli-'));
    // PGlite under DATA_DIR: no DATABASE_URL, no platform settings, and no .env from the repo.
    env = cliEnv({ DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' });
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const casework = (...args: string[]): Promise<CliRun> => runCasework(args, { cwd: dir, env });

  it('creates a team, lists it, imports the sample, exports it and prints a case trail', { timeout: 240_000 }, async () => {
    const created = await casework('team', 'create', 'North MOSOVO', '--timezone', 'Europe/London');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^T-[2-9A-Z]{4}\n$/);
    const key = created.stdout.trim();

    // The roster is kept in chat, not on the command line: put the sample's roster in directly.
    const database = await openDatabase({ dataDir: env.DATA_DIR ?? '' });
    try {
      const repos = reposFor(database.db);
      const team = await repos.teams.findByKey(key);
      for (const person of SAMPLE_ROSTER) await repos.members.create({ teamId: team?.id ?? '', displayName: person.name, roles: [...person.roles] });
    } finally {
      await database.close();
    }

    const teams = await casework('teams');
    expect(teams.code, teams.stderr).toBe(0);
    expect(teams.stdout).toMatch(new RegExp(`^KEY\\s+NAME\\s+TIME ZONE\\s+MEMBERS\\s+ACTIVE CASES\\s+CHANNEL\\n${key}\\s+North MOSOVO\\s+Europe/London\\s+5\\s+0\\s+no\\n$`));

    // A file with bad rows is refused as a whole, with every bad line named.
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'external_ref,risk_level,lead_officer\nREF-0100,high,Priya Shah\nREF-0101,extreme,Priya Shah\nREF-0102,low,Nobody Known\n');
    const refused = await casework('import', 'cases', bad, '--team', 'north mosovo');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('line 3: risk_level: must be low, medium, high or very high\n');
    expect(refused.stderr).toContain("line 4: lead_officer: is not on the team's roster\n");
    expect(refused.stderr).not.toContain('Nobody Known');
    expect(refused.stdout).toContain('created 1, updated 0, unchanged 0, rejected 2\n');

    const imported = await casework('import', 'cases', SAMPLE, '--team', 'north mosovo');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('created 10, updated 0, unchanged 0, rejected 0\n');

    const noReason = await casework('export', 'cases', '--team', key);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/--reason/);

    const exported = await casework('export', 'cases', '--team', key, '--reason', 'CLI test reconciliation');
    expect(exported.code, exported.stderr).toBe(0);
    const lines = exported.stdout.trim().split('\n');
    expect(lines[0]).toBe('case_key,external_ref,risk_level,management_mode,lead_officer,supervisor,coworkers,mappa_category,mappa_level,last_assessment_on,last_visit_on,last_mappa_review_on,plan_visit_interval_months,plan_review_interval_months');
    expect(lines).toHaveLength(11);
    const first = lines.find((l) => l.includes(',REF-0005,')) ?? '';
    expect(first).toMatch(/^CW-[2-9A-Z]{4},REF-0005,high,active,Grace Lin,Mark Ellis,Priya Shah; Tom Reid,1,3,2025-08-14,2025-10-02,2025-09-01,,$/);
    const caseKey = first.split(',')[0] ?? '';

    const trail = await casework('audit', '--case', caseKey.toLowerCase());
    expect(trail.code, trail.stderr).toBe(0);
    expect(trail.stdout).toContain(`Audit trail of ${caseKey}: 2 entries, times in Europe/London.`);
    // In words, wrapped to the terminal (100 columns when it is not one): names, not ids or codes.
    const oneLine = trail.stdout.replace(/\n +/g, ' ');
    expect(oneLine).toContain(`Case imported: ${caseKey} Reason: caseload-sample.csv Changes: risk level: High, management mode: Active management, lead officer: Grace Lin, supervisor: Mark Ellis`);
    expect(oneLine).toContain(`Case exported: ${caseKey} Reason: CLI test reconciliation`);
    expect(trail.stdout).toMatch(/Command line \(\S+\)/);
    expect(trail.stdout).not.toContain('REF-');
    expect(findInternalCodes(trail.stdout.replace('caseload-sample.csv', ''))).toEqual([]);
    for (const line of trail.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);

    // A key of the right shape that this database does not hold is named as missing, not malformed.
    const missing = await casework('audit', '--case', 'CW-ZZZZ');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no case CW-ZZZZ in this database.');
  });
});
