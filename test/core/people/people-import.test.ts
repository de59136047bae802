import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Team } from '../../../src/core/domain/entities.ts';
import { applyPeopleImport, exportPeople, peopleImportBlocker, planPeopleImport, type PeopleImportPlan } from '../../../src/core/people/people-import.ts';
import type { AuditActor } from '../../../src/core/ports.ts';
import { parseCaseloadCsv } from '../../../src/cli/caseload-csv.ts';
import { invalidUtf8Lines, writePeopleCsv } from '../../../src/cli/people-commands.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createKyselyStore, reposFor } from '../../../src/db/kysely-store.ts';
import { seedTeam, SLACK_WORKSPACE } from '../../support/factories.ts';
import { createTestDb, DATABASE_KINDS } from '../../support/test-db.ts';

const table = (lines: string[]) => parseCaseloadCsv(Buffer.from(lines.join('\n') + '\n'));
const HEADER = 'name,email,roles,supervisor,slack_user_id,teams_user_id';

describe.each(DATABASE_KINDS)('people import and export on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const actor = (team: Team): AuditActor => ({ teamId: team.id, memberId: null, label: 'cli:tester' });

  async function importLines(team: Team, lines: string[], skipInvalid = false): Promise<PeopleImportPlan> {
    return createKyselyStore(handle.db).transaction(async (repos) => {
      const members = await repos.members.listByTeam(team.id, { includeInactive: true });
      const plan = planPeopleImport(table(lines), team, members, await repos.members.identitiesOfTeam(team.id));
      if (peopleImportBlocker(plan, skipInvalid)) return plan;
      await applyPeopleImport(repos, actor(team), plan, { fileName: 'people.csv', skipInvalid });
      return plan;
    });
  }

  const rejected = (plan: PeopleImportPlan) => plan.outcomes.flatMap((o) => (o.kind === 'rejected' ? [`line ${o.line}: ${o.reason}`] : []));

  it('creates people with a supervisor named later in the same file, then updates by email and reports unchanged', async () => {
    const { team } = await seedTeam(handle.db, { people: [] });
    const first = await importLines(team, [
      HEADER,
      'Olivia Officer,olivia@force.example,officer,sam@force.example,U0OLIVIA,',
      'Sam Supervisor,sam@force.example,supervisor; admin,,,5b0c8d3e-1f2a-4b5c-8d9e-0a1b2c3d4e5f',
    ]);
    expect(rejected(first)).toEqual([]);
    expect(first.counts).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 0 });
    const members = await reposFor(handle.db).members.listByTeam(team.id);
    const olivia = members.find((m) => m.displayName === 'Olivia Officer')!;
    const sam = members.find((m) => m.displayName === 'Sam Supervisor')!;
    expect(olivia).toMatchObject({ email: 'olivia@force.example', roles: ['officer'], supervisorMemberId: sam.id, slackUserIdOnFile: 'U0OLIVIA' });
    expect(sam).toMatchObject({ roles: ['supervisor', 'admin'], teamsUserIdOnFile: '5b0c8d3e-1f2a-4b5c-8d9e-0a1b2c3d4e5f' });

    // Email matched ignoring case; the name and roles changed; the other row is as stored.
    const second = await importLines(team, [HEADER, 'Olivia Okafor,OLIVIA@force.example,officer; supervisor,Sam Supervisor,U0OLIVIA,', 'Sam Supervisor,sam@force.example,supervisor;admin,,,5b0c8d3e-1f2a-4b5c-8d9e-0a1b2c3d4e5f']);
    expect(second.counts).toEqual({ created: 0, updated: 1, unchanged: 1, rejected: 0 });
    expect(second.outcomes[0]).toMatchObject({ kind: 'update', changedColumns: ['name', 'roles'] });

    const audit = await sql<{ action: string; after: Record<string, unknown> }>`select action, after from audit_log where team_id = ${team.id}`.execute(handle.db);
    expect(audit.rows.map((r) => r.action).sort()).toEqual(['member.imported', 'member.imported', 'member.updated', 'people.imported', 'people.imported']);
    expect(JSON.stringify(audit.rows)).not.toMatch(/force\.example|U0OLIVIA|5b0c8d3e/);

    // Export, then import the export: nothing changes.
    const records = await createKyselyStore(handle.db).transaction((repos) => exportPeople(repos, actor(team), team, 'round trip'));
    const csv = writePeopleCsv(records);
    expect(csv).toBe(
      `${HEADER}\nOlivia Okafor,olivia@force.example,officer; supervisor,sam@force.example,U0OLIVIA,\nSam Supervisor,sam@force.example,supervisor; admin,,,5b0c8d3e-1f2a-4b5c-8d9e-0a1b2c3d4e5f\n`,
    );
    const again = await importLines(team, csv.trim().split('\n'));
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 2, rejected: 0 });
  });

  it('gives an email to someone added in chat with the same name, and keeps a linked account', async () => {
    const { team, members } = await seedTeam(handle.db, { people: [{ name: 'Priya Shah', roles: ['officer', 'admin'], slackUserId: 'U0PRIYA' }] });
    const priya = members['Priya Shah']!;
    await reposFor(handle.db).members.upsertIdentity(priya.id, team.id, { platform: 'slack', workspaceId: SLACK_WORKSPACE, userId: 'U0PRIYA' }, true);
    const plan = await importLines(team, ['name,email,roles,slack_user_id', 'Priya Shah,priya@force.example,officer; admin,U0PRIYA']);
    expect(plan.outcomes[0]).toMatchObject({ kind: 'update', changedColumns: ['email'] });
    expect(await reposFor(handle.db).members.findById(priya.id)).toMatchObject({ email: 'priya@force.example' });

    const other = await importLines(team, ['name,email,roles,slack_user_id', 'Priya Shah,priya@force.example,officer; admin,U0SOMEONE']);
    expect(rejected(other)).toEqual(['line 2: slack_user_id: the person is already linked to a different Slack account']);
  });

  it('rejects every bad line, names the column and never the value, and writes nothing unless told to skip', async () => {
    const { team } = await seedTeam(handle.db, { people: [{ name: 'Ada Admin', roles: ['admin'] }, { name: 'Olivia Officer', roles: ['officer'] }] });
    const lines = [
      HEADER,
      'Good Person,good@force.example,officer,,,',
      'Self Supervised,self@force.example,supervisor,self@force.example,,',
      'Not A Supervisor,nas@force.example,officer,Olivia Officer,,',
      'Bad Ids,ids@force.example,officer,,xoxb-secret,not-a-guid',
      ',,,,,',
      'Too,Many,Cells,,,,,extra',
    ];
    const plan = await importLines(team, lines);
    expect(rejected(plan)).toEqual([
      'line 3: supervisor: cannot be the person themselves',
      'line 4: supervisor: is not a supervisor on the roster',
      "line 5: slack_user_id: must be a Slack member id, like U024BE7LH; teams_user_id: must be the person's Microsoft Entra object id, like 6b2f0c1e-…",
      'line 7: has a value in column 8, which has no header; email: must be one email address, like priya.shah@example.org; roles: must be officer, supervisor or admin, separated by semicolons',
    ]);
    expect(JSON.stringify(plan.outcomes.filter((o) => o.kind === 'rejected'))).not.toMatch(/xoxb-secret|not-a-guid|Many|Cells/);
    expect((await reposFor(handle.db).members.listByTeam(team.id)).map((m) => m.displayName)).toEqual(['Ada Admin', 'Olivia Officer']);

    const skipped = await importLines(team, lines, true);
    expect(skipped.counts).toMatchObject({ created: 1, rejected: 4 });
    expect((await reposFor(handle.db).members.listByTeam(team.id)).map((m) => m.displayName)).toContain('Good Person');
  });

  it('refuses to leave the team without an admin, and names missing or unknown columns', async () => {
    const { team } = await seedTeam(handle.db, { people: [] });
    await importLines(team, ['name,email,roles', 'Ada Admin,ada@force.example,admin']);
    const plan = await importLines(team, ['name,email,roles', 'Ada Admin,ada@force.example,officer']);
    expect(rejected(plan)).toEqual(["line 2: roles: would leave the team without an admin; make someone else an admin first"]);
    const columns = await importLines(team, ['full_name,roles', 'Ada Admin,admin']);
    expect(columns.fileProblems).toEqual([
      'Unknown column: full_name. The columns are: name, email, roles, supervisor, slack_user_id, teams_user_id.',
      'Missing required columns: name, email.',
    ]);
  });

  it('finds lines that are not UTF-8', () => {
    expect(invalidUtf8Lines(Buffer.from('name,email\nok,a@b.example\n'))).toEqual([]);
    expect(invalidUtf8Lines(Buffer.concat([Buffer.from('name,email\r\nJos'), Buffer.from([0xe9]), Buffer.from(',j@b.example\r\nfine,f@b.example\n')]))).toEqual([2]);
  });
});
