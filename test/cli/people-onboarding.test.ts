import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, copyMigratedDataDir, REPO_ROOT, runCasework, type CliRun } from '../support/cli-process.ts';

const PEOPLE_SAMPLE = join(REPO_ROOT, 'docs/samples/people-sample.csv');
const CASELOAD_SAMPLE = join(REPO_ROOT, 'docs/samples/caseload-sample.csv');

describe('onboarding a team from the command line (child processes, PGlite on disk)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'casework-people-'));
    env = cliEnv({ DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' });
    // A new, migrated embedded database (test/cli/cli.test.ts starts from an empty folder).
    await copyMigratedDataDir(join(dir, 'data'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const casework = (...args: string[]): Promise<CliRun> => runCasework(args, { cwd: dir, env });

  it('team create, import people, import cases: a working team with no chat and no SQL; the people export imports back unchanged', { timeout: 300_000 }, async () => {
    const created = await casework('team', 'create', 'North');
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();

    // Before any people, the caseload has nobody to lead its cases.
    const tooEarly = await casework('import', 'cases', CASELOAD_SAMPLE, '--team', 'North', '--dry-run');
    expect(tooEarly.code).toBe(1);
    expect(tooEarly.stderr).toContain("lead_officer: is not on the team's roster");

    const people = await casework('import', 'people', PEOPLE_SAMPLE, '--team', 'north');
    expect(people.code, people.stderr).toBe(0);
    expect(people.stdout).toContain('created 5, updated 0, unchanged 0, rejected 0\n');

    const cases = await casework('import', 'cases', CASELOAD_SAMPLE, '--team', key);
    expect(cases.code, cases.stderr).toBe(0);
    expect(cases.stdout).toContain('created 10, updated 0, unchanged 0, rejected 0\n');

    const listed = await casework('people', '--team', key);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^NAME\s+ROLES\s+SUPERVISOR\s+CHAT\n/);
    expect(listed.stdout).toMatch(/Tom Reid\s+Officer\s+Dana Okafor\s+not yet linked\n/);
    expect(listed.stdout).toMatch(/Mark Ellis\s+Supervisor, Team admin\s+not yet linked\n/);
    expect(listed.stdout).toContain('5 not yet linked');

    const out = join(dir, 'people.csv');
    const noReason = await casework('export', 'people', '--team', key);
    expect(noReason.code).toBe(2);
    const exported = await casework('export', 'people', '--team', key, '--reason', 'Round trip test', '--out', out);
    expect(exported.code, exported.stderr).toBe(0);
    const text = await readFile(out, 'utf8');
    expect(text.split('\n')[0]).toBe('name,email,roles,supervisor,slack_user_id,teams_user_id');
    expect(text).toContain('Dana Okafor,dana.okafor@mosovo.example,officer; supervisor,mark.ellis@mosovo.example,,\n');

    const again = await casework('import', 'people', out, '--team', key);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('created 0, updated 0, unchanged 5, rejected 0\n');

    // Every bad line at once, by number and column, never echoing a cell; nothing written.
    const bad = join(dir, 'bad.csv');
    await writeFile(
      bad,
      [
        'name,email,roles,supervisor,slack_user_id',
        'Secret Person,secret.person@mosovo.example,officer,Nobody Known,',
        'Ann Other,not-an-email,officer,,',
        'Bea New,bea.new@mosovo.example,chief,,',
        'Tom Reid,TOM.REID@mosovo.example,officer,Priya Shah,',
        'Cal New,cal.new@mosovo.example,officer,,U0ABC',
        'Cal Two,cal.two@mosovo.example,officer,,U0ABC',
        'Dup,bea.new@mosovo.example,officer,,',
      ].join('\n') + '\n',
    );
    const refused = await casework('import', 'people', bad, '--team', key);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('line 2: supervisor: is not on the roster or in this file\n');
    expect(refused.stderr).toContain('line 3: email: must be one email address');
    expect(refused.stderr).toContain('line 4: roles: must be officer, supervisor or admin, separated by semicolons\n');
    expect(refused.stderr).toContain('line 5: supervisor: is not a supervisor on the roster\n');
    expect(refused.stderr).toContain('line 7: slack_user_id: the same account is already on line 6\n');
    expect(refused.stderr).toContain('line 8: email: the same email is already on line 4\n');
    expect(refused.stderr).not.toMatch(/Nobody Known|not-an-email|chief|U0ABC/);
    expect(refused.stdout).toContain('created 1, updated 0, unchanged 0, rejected 6\n');
    const unchanged = await casework('people', '--team', key);
    expect(unchanged.stdout).not.toContain('Cal New');

    const latin1 = join(dir, 'latin1.csv');
    await writeFile(latin1, Buffer.concat([Buffer.from('name,email\nJos'), Buffer.from([0xe9]), Buffer.from(',jose@mosovo.example\n')]));
    const notUtf8 = await casework('import', 'people', latin1, '--team', key);
    expect(notUtf8.code).toBe(1);
    expect(notUtf8.stderr).toContain('line 2: is not UTF-8 text\n');
  });
});
