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

  it('lists a page by urgency with counts over the whole list and the page\'s lead officers, and a page past the end keeps the counts', async () => {
    const repos = reposFor(database.db);
    const today = '2026-11-24';
    const weekEnd = '2026-11-29';
    const all = (await repos.cases.listAll(scale.team.id)).filter((c) => c.status === 'active');
    const next = (c: (typeof all)[number]) => [c.visitDueOn, c.assessmentReviewDueOn, c.earlyReviewDueOn, c.mappaReviewDueOn].filter((d): d is string => d !== null).sort()[0] ?? null;
    const rank = { very_high: 0, high: 1, medium: 2, low: 3 } as const;
    const expected = [...all].sort((a, b) => {
      const overdue = (c: (typeof all)[number]) => (next(c) !== null && next(c)! < today ? 0 : 1);
      const [na, nb] = [next(a), next(b)];
      return overdue(a) - overdue(b) || rank[a.riskLevel] - rank[b.riskLevel] || (na === nb ? 0 : na === null ? 1 : nb === null ? -1 : na < nb ? -1 : 1) || (a.key < b.key ? -1 : 1);
    });
    const counts = {
      total: all.length,
      overdue: all.filter((c) => next(c) !== null && next(c)! < today).length,
      thisWeek: all.filter((c) => next(c) !== null && next(c)! >= today && next(c)! <= weekEnd).length,
    };
    const members = new Map((await repos.members.listByTeam(scale.team.id, { includeInactive: true })).map((m) => [m.id, m.displayName]));

    const page = await repos.cases.listByUrgency(scale.team.id, { today, weekEnd, offset: 20, limit: 10 });
    expect(page.items.map((c) => c.key)).toEqual(expected.slice(20, 30).map((c) => c.key));
    expect({ total: page.total, overdue: page.overdue, thisWeek: page.thisWeek }).toEqual(counts);
    expect(counts.overdue).toBeGreaterThan(0);
    for (const c of page.items) expect(page.leadNames.get(c.leadOfficerId!)).toBe(members.get(c.leadOfficerId!));

    const beyond = await repos.cases.listByUrgency(scale.team.id, { today, weekEnd, offset: 5000, limit: 10 });
    expect(beyond.items).toEqual([]);
    expect({ total: beyond.total, overdue: beyond.overdue, thisWeek: beyond.thisWeek }).toEqual(counts);
  });
});
