// The realistic fixture: deterministic, at the size real teams work at, and its due dates the
// same as the one-case rules give (the batched recalculation and `refreshCaseDeadlines` agree).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshCaseDeadlines } from '../../src/core/cases/case-deadlines-sync.ts';
import { recalculateTeamDeadlines } from '../../src/core/deadlines/recalculate-deadlines.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { createKyselyStore, reposFor } from '../../src/db/kysely-store.ts';
import { createScaleTeam, type ScaleTeam } from '../../src/local/scale-team.ts';
import { createTestDb } from '../support/test-db.ts';

describe('the scale fixture', () => {
  let database: DatabaseHandle;
  let scale: ScaleTeam;
  let seconds = 0;
  beforeAll(async () => {
    database = await createTestDb();
    const started = Date.now();
    scale = await createScaleTeam(database.db, { today: '2026-11-24', slack: { workspaceId: 'T0SCALE', userIdPrefix: 'U0SC' } });
    seconds = (Date.now() - started) / 1000;
  });
  afterAll(async () => {
    await database?.close();
  });

  it('has a real team’s size: 12 officers, 3 supervisors, 1,000 cases with a year of history', async () => {
    expect(scale.officers).toHaveLength(12);
    expect(scale.supervisors).toHaveLength(3);
    expect(scale.counts.cases).toBe(1000);
    expect(new Set(scale.caseKeys).size).toBe(1000);
    expect(scale.counts.visits).toBeGreaterThan(2500);
    expect(scale.counts.replies).toBeGreaterThanOrEqual(200);
    const perOfficer = await database.db.selectFrom('cases').select(({ fn }) => ['lead_officer_id', fn.countAll<number>().as('n')]).where('team_id', '=', scale.team.id).groupBy('lead_officer_id').execute();
    expect(perOfficer.every((r) => Number(r.n) >= 80 && Number(r.n) <= 90)).toBe(true);
    const open = await database.db.selectFrom('deadlines').select(({ fn }) => fn.countAll<number>().as('n')).where('team_id', '=', scale.team.id).where('status', '=', 'open').executeTakeFirstOrThrow();
    expect(Number(open.n)).toBeGreaterThan(1800);
    console.log(`scale fixture: ${seconds.toFixed(1)} s for ${scale.counts.cases} cases, ${scale.counts.visits} visits`);
  });

  it('gets the same due dates from the batched recalculation as from the one-case rules, and a second run changes nothing', async () => {
    const db = database.db;
    const snapshot = () => db.selectFrom('deadlines').select(['subject_key', 'due_on', 'urgent', 'status', 'updated_at']).where('team_id', '=', scale.team.id).where('status', '=', 'open').orderBy('subject_key').execute();
    const batched = await snapshot();
    expect(await recalculateTeamDeadlines(createKyselyStore(db), scale.team)).toBe(1000);
    // Already right: nothing is written again.
    expect(await snapshot()).toEqual(batched);
    // One case in ten, recalculated with the rules for one case, lands on the same dates.
    const store = createKyselyStore(db);
    for (const key of scale.caseKeys.filter((_, i) => i % 10 === 0)) {
      await store.transaction(async (repos) => {
        const c = (await repos.cases.findByKey(key))!;
        await refreshCaseDeadlines(repos, scale.team, c);
      });
    }
    const strip = (rows: Awaited<ReturnType<typeof snapshot>>) => rows.map(({ updated_at: _u, ...rest }) => rest);
    expect(strip(await snapshot())).toEqual(strip(batched));
    expect((await reposFor(db).cases.findByKey(scale.caseKeys[0]!))?.visitDueOn).not.toBeUndefined();
  });
});
