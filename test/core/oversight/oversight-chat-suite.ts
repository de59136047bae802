// Oversight in the core, through `Casework` on a real database (run from oversight-figures.test.ts): a visit typed up after its due
// date but made before it counts as on time (the deadline keeps the visit's date), the
// officer-supervision form carries the strengths evidence, and the paging and refusals of overview.
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { createCasework, type Casework } from '../../../src/core/casework.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import { FEATURES } from '../../../src/core/features.ts';
import type { InboundContext, Reply } from '../../../src/core/interaction.ts';
import { buildOversightReport } from '../../../src/core/oversight/oversight-report.ts';
import type { MessageView } from '../../../src/core/views/message-view.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createKyselyStore, reposFor } from '../../../src/db/kysely-store.ts';
import { coreServices } from '../../support/core-services.ts';
import { seedCase, SLACK_WORKSPACE } from '../../support/factories.ts';
import { createFakeNotifier } from '../../support/fake-notifier.ts';
import { OVERSIGHT_NOW, seedOversightFixture, type OversightFixture } from '../../support/oversight-fixture.ts';

const as = (userId: string): InboundContext => ({ user: { platform: 'slack', workspaceId: SLACK_WORKSPACE, userId }, surface: { kind: 'direct' } });
const view = (reply: Reply): MessageView => {
  if (reply.type !== 'message') throw new Error(`expected a message, got ${reply.type}`);
  return reply.view;
};

/**
 * The suite, run by oversight-figures.test.ts on its database (a team of its own, case keys CW-Q…),
 * so the figures and these tests share one database start-up per engine.
 */
export function oversightChatSuite(databaseOf: () => DatabaseHandle): void {
  let database: DatabaseHandle;
  let casework: Casework;
  let f: OversightFixture;
  beforeAll(async () => {
    database = databaseOf();
    casework = createCasework(coreServices({ store: createKyselyStore(database.db), clock: fixedClock(OVERSIGHT_NOW), notifier: createFakeNotifier() }).services, FEATURES);
    f = await seedOversightFixture(database.db, { prefix: 'Q', people: { sam: { slackUserId: `U0QSAM${database.kind}` }, olivia: { slackUserId: `U0QOLI${database.kind}` }, ada: { slackUserId: `U0QADA${database.kind}` } } });
  });
  const me = (who: 'SAM' | 'OLI' | 'ADA') => as(`U0Q${who}${database.kind}`);

  it('counts a visit made before its due date as on time, though it was recorded after', async () => {
    // A high-risk case whose visit fell due on Fri 27 Nov; the visit was on Thu 26 Nov, typed up on Mon 30 Nov.
    const c = await seedCase(database.db, f.team, { key: 'CW-QMET2', riskLevel: 'high', leadOfficerId: f.people.olivia.id, lastVisitOn: '2026-08-27', createdOn: '2026-06-01' });
    await sql`update deadlines set created_at = '2026-08-27T12:00:00Z' where case_id = ${c.id}`.execute(database.db);
    const due = await database.db.selectFrom('deadlines').select('due_on').where('case_id', '=', c.id).where('kind', '=', 'visit').executeTakeFirstOrThrow();
    expect(due.due_on).toBe('2026-11-27');
    const reply = await casework.submitForm(me('OLI'), 'visit.record', { visitedOn: '2026-11-26', visitedTime: '10:00', visitType: 'scheduled', officers: [f.people.olivia.id], outcome: 'seen_at_home' }, { caseKey: c.key });
    expect(reply.type).toBe('message');
    const met = await database.db.selectFrom('deadlines').select(['status', 'met_on']).where('case_id', '=', c.id).where('kind', '=', 'visit').where('status', '=', 'met').executeTakeFirstOrThrow();
    expect(met).toEqual({ status: 'met', met_on: '2026-11-26' });
    const report = await buildOversightReport(reposFor(database.db), f.team, { from: '2026-11-27', to: '2026-11-30' }, new Date(OVERSIGHT_NOW));
    // Olivia's visits due 27–30 Nov: this one, on time. (The fixture's d15, due 25 Nov, is outside.)
    expect(report.officers.find((r) => r.officer === 'Olivia Officer')!.counts).toMatchObject({ visitsDue: 1, visitsOnTime: 1 });
  });

  it("puts each officer's strengths in front of the supervisor in the supervision form", async () => {
    const named = await casework.handleText(me('SAM'), 'supervision Olivia Officer');
    if (named.type !== 'form') throw new Error('expected the form');
    // The fixture's four visits of hers (one with strengths) and the visit recorded above, without any.
    expect(named.form.intro).toContain("Strengths: protective factors were noted in 20% of Olivia Officer's visits in the last 90 days (1 of 5).");
    expect(named.form.intro).toContain(`No strengths noted in the last two visits: ${f.cases.A3!.key}.`);
    const anyone = await casework.handleText(me('SAM'), 'supervision');
    if (anyone.type !== 'form') throw new Error('expected the form');
    expect(anyone.form.intro).toContain('Owen Officer 50% (1 of 2 visits), 0 cases with none in the last two visits');
  });

  it('refuses the team view to officers but lets admins see it, and audits every view', async () => {
    await expect(casework.handleText(me('OLI'), 'overview')).rejects.toMatchObject({ code: 'not_authorised' });
    await expect(casework.handleText(me('OLI'), 'overview report')).rejects.toMatchObject({ code: 'not_authorised' });
    const admin = view(await casework.handleText(me('ADA'), 'overview'));
    expect(admin.kind).toBe('oversight-overview');
    // Officers with overdue work first: Olivia (4, and now the case above), Sam (2), Owen (0).
    expect(admin.sections!.slice(0, 3).map((s) => s.heading)).toEqual(['Olivia Officer', 'Sam Supervisor', 'Owen Officer']);
    expect(view(await casework.handleAction(me('ADA'), 'oversight.list', { list: 'mappa' })).sections!.map((s) => s.heading)).toEqual([`${f.cases.A1!.key} · MAPPA review`]);
    await expect(casework.handleText(me('SAM'), 'overview nobody-here')).rejects.toMatchObject({ code: 'not_found' });
    await expect(casework.handleText(me('SAM'), 'overview report 2026-01-01')).rejects.toMatchObject({ code: 'invalid_input' });
    const rows = await database.db.selectFrom('audit_log').select('action').where('team_id', '=', f.team.id).where('action', '=', 'oversight.viewed').execute();
    expect(rows.length).toBe(2);
  });
}
