// `casework reassign cases` through the real entry point (a child process) on an embedded
// database: an officer leading 90 cases hands them to another in one go, with a dry run first,
// clear refusals (unknown person, someone on another team, the same person, someone who is not an
// officer), one audit row per case and the new officer's private notice waiting in the outbox.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member } from '../../src/core/domain/entities.ts';
import { openDatabase } from '../../src/db/database.ts';
import { reposFor } from '../../src/db/kysely-store.ts';
import { createScaleTeam } from '../../src/local/scale-team.ts';
import { cliEnv, copyMigratedDataDir, runCasework } from '../support/cli-process.ts';
import { seedTeam } from '../support/factories.ts';

let dir: string;
let dataDir: string;
let leaver: Member;
let keeper: Member;
let adminOnly: Member;
let scaleSupervisor: Member;
let teamId: string;
const TEAM = 'MOVERS';

const run = (...args: string[]) => runCasework(['reassign', 'cases', '--team', TEAM, ...args], { cwd: dir, env: cliEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }) });

async function withDb<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const handle = await openDatabase({ dataDir });
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

async function ledBy(db: Awaited<ReturnType<typeof openDatabase>>['db'], memberId: string): Promise<number> {
  const row = await db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).where('team_id', '=', teamId).where('status', '=', 'active').where('lead_officer_id', '=', memberId).executeTakeFirstOrThrow();
  return Number(row.n);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'casework-reassign-'));
  dataDir = join(dir, 'data');
  await copyMigratedDataDir(dataDir);
  const handle = await openDatabase({ dataDir });
  try {
    const scale = await createScaleTeam(handle.db, { today: '2026-11-27', cases: 180, officers: 2, supervisors: 1, teamKey: TEAM, name: 'Movers team', longThreadReplies: 3, slack: { workspaceId: 'T0TEAM', userIdPrefix: 'U0MV' } });
    teamId = scale.team.id;
    [leaver, keeper] = scale.officers as [Member, Member];
    scaleSupervisor = scale.supervisors[0]!;
    adminOnly = await reposFor(handle.db).members.create({ teamId, displayName: 'Ada Admin', roles: ['admin'] });
    await seedTeam(handle.db, { name: 'Elsewhere team', people: [{ name: 'Elsewhere Officer', roles: ['officer'] }] });
  } finally {
    await handle.close();
  }
}, 120_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('casework reassign cases', () => {
  it('refuses clearly, and changes nothing', { timeout: 180_000 }, async () => {
    const unknown = await run('--from', 'Nobody Known', '--to', keeper.displayName);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('--from "Nobody Known" is not on the Movers team roster.');

    const elsewhere = await run('--from', leaver.displayName, '--to', 'elsewhere officer');
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/--to "elsewhere officer" is on Elsewhere team \(TEAM\d+\), not Movers team \(MOVERS\)\./);

    const same = await run('--from', leaver.id, '--to', leaver.displayName.toUpperCase());
    expect(same.code).toBe(1);
    expect(same.stderr).toContain(`${leaver.displayName} already leads these cases: choose someone else.`);

    const notOfficer = await run('--from', leaver.displayName, '--to', adminOnly.id);
    expect(notOfficer.code).toBe(1);
    expect(notOfficer.stderr).toContain('Ada Admin is not an officer on Movers team: only officers lead cases.');

    const notSupervisor = await run('--supervised', '--from', scaleSupervisor.displayName, '--to', keeper.displayName);
    expect(notSupervisor.code).toBe(1);
    expect(notSupervisor.stderr).toContain(`${keeper.displayName} is not a supervisor on Movers team: only supervisors supervise cases.`);

    const dry = await run('--from', leaver.displayName, '--to', keeper.displayName, '--dry-run');
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(new RegExp(`^Dry run: would move 90 cases led by ${leaver.displayName} to ${keeper.displayName} on Movers team \\(MOVERS\\): (CW-\\w{4}, ){9}CW-\\w{4} and 80 more\\.\\nNothing was changed\\.\\n$`));

    await withDb(async (db) => {
      expect(await ledBy(db, leaver.id)).toBe(90);
      const audit = await db.selectFrom('audit_log').select('id').where('action', '=', 'case.reassigned').execute();
      expect(audit).toHaveLength(0);
    });
  });

  it('moves all 90 cases with their due dates, audited per case, the new officer told after commit', { timeout: 180_000 }, async () => {
    const moved = await run('--from', leaver.displayName, '--to', keeper.id, '--reason', 'Officer moved to another unit');
    expect(moved.stderr).toBe('');
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain(`Moved 90 cases led by ${leaver.displayName} to ${keeper.displayName} on Movers team (MOVERS)`);
    expect(moved.stdout).toMatch(/\d+ open due dates and \d+ pending reminders went with them\./);

    await withDb(async (db) => {
      expect(await ledBy(db, leaver.id)).toBe(0);
      expect(await ledBy(db, keeper.id)).toBe(180);
      const owned = await db.selectFrom('deadlines').select('id').where('owner_member_id', '=', leaver.id).where('status', '=', 'open').where('case_id', 'is not', null).execute();
      expect(owned).toHaveLength(0);
      const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'case.reassigned').execute();
      expect(audit).toHaveLength(90);
      expect(new Set(audit.map((a) => a.case_id)).size).toBe(90);
      expect(audit[0]).toMatchObject({ team_id: teamId, actor_member_id: null, reason: 'Officer moved to another unit', before: { leadOfficerId: leaver.id }, after: { leadOfficerId: keeper.id } });
      expect(audit[0]!.actor_label).toMatch(/^cli:/);
      const notices = await db.selectFrom('outbound_messages').selectAll().where('member_id', '=', keeper.id).where('kind', '=', 'effect:person').execute();
      expect(notices).toHaveLength(1);
    });

    const again = await run('--from', leaver.displayName, '--to', keeper.displayName);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('has no active cases led by them on Movers team. Nothing changed.');
  });
});
