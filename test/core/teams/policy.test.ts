import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCasework, type Casework } from '../../../src/core/casework.ts';
import { runRequestedRecalculations } from '../../../src/core/deadlines/recalculate-deadlines.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Case } from '../../../src/core/domain/entities.ts';
import { FEATURES } from '../../../src/core/features.ts';
import type { Reply } from '../../../src/core/interaction.ts';
import { defaultPolicy } from '../../../src/core/policy/policy.ts';
import type { FieldValue, FormView } from '../../../src/core/views/form-view.ts';
import type { MessageView } from '../../../src/core/views/message-view.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createKyselyStore } from '../../../src/db/kysely-store.ts';
import { seedCase, seedTeam, type SeededTeam } from '../../support/factories.ts';
import { slackInChannel } from '../../support/inbound-contexts.ts';
import { createTestDb } from '../../support/test-db.ts';

let db: DatabaseHandle;
let cw: Casework;
let home: SeededTeam;
let high: Case;
let closed: Case;
const CHANNEL = 'C0POLICY';
const admin = () => slackInChannel('U0PADMIN', CHANNEL);
const officer = () => slackInChannel('U0POFF', CHANNEL);

function message(reply: Reply): MessageView {
  if (reply.type !== 'message' && reply.type !== 'update') throw new Error(`expected a message, got ${reply.type}`);
  return reply.view;
}
function form(reply: Reply): FormView {
  if (reply.type !== 'form' && reply.type !== 'form-invalid') throw new Error(`expected a form, got ${reply.type}`);
  return reply.form;
}
async function caseRow(id: string) {
  return db.db.selectFrom('cases_with_due_dates').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
async function teamRow() {
  return db.db.selectFrom('teams').selectAll().where('id', '=', home.team.id).executeTakeFirstOrThrow();
}
/** The form as shown, with some answers changed: what a person submits. */
async function submitted(changes: Record<string, FieldValue>): Promise<Record<string, FieldValue>> {
  const shown = form(await cw.handleAction(admin(), 'policy.open', {}));
  return { ...shown.values, ...changes };
}

beforeAll(async () => {
  db = await createTestDb();
  cw = createCasework({ store: createKyselyStore(db.db), clock: fixedClock('2026-11-27T10:00:00Z') }, FEATURES);
  home = await seedTeam(db.db, {
    name: 'Westshire MOSOVO',
    channel: { platform: 'slack', workspaceId: 'T0TEAM', channelId: CHANNEL },
    people: [
      { name: 'Pat Admin', roles: ['admin'], slackUserId: 'U0PADMIN' },
      { name: 'Owen Officer', roles: ['officer'], slackUserId: 'U0POFF' },
    ],
  });
  // High risk, visited 2 Nov 2026: next visit due 3 months later, Tue 2 Feb 2027.
  high = await seedCase(db.db, home.team, { riskLevel: 'high', lastVisitOn: '2026-11-02', lastAssessmentOn: '2026-11-02', leadOfficerId: home.members['Owen Officer']!.id });
  closed = await seedCase(db.db, home.team, { riskLevel: 'high', lastVisitOn: '2026-11-02' });
  await db.db.updateTable('cases').set({ status: 'closed' }).where('id', '=', closed.id).execute();
});
afterAll(async () => {
  await db?.close();
});

describe('policy', () => {
  it('opens the form for an admin, filled in with the current (default) policy', async () => {
    // `policy` is the summary everyone reads; an admin's is the one with "Edit policy" on it.
    expect(cw.formTitleFor({ text: 'policy' })).toBeNull();
    const summary = message(await cw.handleText(admin(), 'policy'));
    expect(summary.kind).toBe('policy-summary');
    expect(summary.actions).toEqual([{ id: 'policy.open', label: 'Edit policy', style: 'primary' }]);
    expect(message(await cw.handleText(officer(), 'policy')).actions).toBeUndefined();
    expect(cw.formTitleFor({ actionId: 'policy.open', value: {} })).toBe('Team policy');
    const f = form(await cw.handleAction(admin(), 'policy.open', {}));
    expect(f.id).toBe('policy.set');
    expect(f.fields.length).toBeLessThanOrEqual(50);
    expect(f.values).toMatchObject({
      name: 'Westshire MOSOVO',
      timeZone: 'Europe/London',
      visitVeryHigh: '1',
      reviewVeryHigh: '3',
      visitHigh: '3',
      reviewHigh: '6',
      earlyUrgent: '1',
      earlyStandard: '5',
      mappaLevel2: '16',
      mappaLevel3: '8',
      supervisionWeeks: '4',
      reminderStages: '10,3',
      escalationDays: '2',
      amendmentDays: '7',
      storeArmsRatings: 'no',
      externalRefPattern: '',
      closures: '',
    });
    expect(f.fields.find((x) => x.id === 'timeZone')?.options?.map((o) => o.value)).toContain('Europe/London');
  });

  it('shows an officer the policy in force, with who can change it, and refuses a submission', async () => {
    const view = message(await cw.handleAction(officer(), 'policy.open', {}));
    expect(view.kind).toBe('policy-summary');
    expect(view.notice?.text).toMatch(/Only team admins can change/);
    await expect(cw.submitForm(officer(), 'policy.set', {}, {})).rejects.toMatchObject({ code: 'not_authorised' });
  });

  it('puts errors under the fields and saves nothing: bad pattern, bad closure day, bad reminder stages, out-of-range numbers', async () => {
    const values = await submitted({ externalRefPattern: '([A-Z', closures: '2026-12-24\n24/12/2026', reminderStages: '10, three', visitHigh: '0', name: ' ' });
    const f = form(await cw.submitForm(admin(), 'policy.set', values, {}));
    expect(f.errors.externalRefPattern).toMatch(/^That is not a valid regular expression/);
    expect(f.errors.closures).toBe('Line 2 ("24/12/2026") is not a date. Write one date per line as YYYY-MM-DD, e.g. 2026-12-24.');
    expect(f.errors.reminderStages).toMatch(/"three" is not a number of working days/);
    expect(f.errors.visitHigh).toBe('Enter a whole number of months from 1 to 36.');
    expect(f.errors.name).toBe("Enter the team's name.");
    expect(f.values.externalRefPattern).toBe('([A-Z');
    expect((await teamRow()).policy).toEqual(defaultPolicy());
    const dupes = form(await cw.submitForm(admin(), 'policy.set', await submitted({ reminderStages: '3,3' }), {}));
    expect(dupes.errors.reminderStages).toBe('Give each number once.');
  });

  it('saves a valid change, audits before and after, and has active cases recalculated off the request path', async () => {
    expect((await caseRow(high.id)).visit_due_on).toBe('2027-02-02');
    const values = await submitted({
      name: 'Westshire MOSOVO (North)',
      timeZone: 'Europe/Jersey',
      visitHigh: '2',
      reminderStages: '5 10',
      storeArmsRatings: 'yes',
      externalRefPattern: '[A-Z]{2}\\d{6}',
      closures: '2026-12-29\n\n2026-12-24\n2026-12-24',
    });
    const view = message(await cw.submitForm(admin(), 'policy.set', values, {}));
    expect(view.kind).toBe('policy-summary');
    expect(view.notice?.text).toBe('Policy saved. Recalculating the due dates of 1 active case now: case cards and reminders follow the new dates within a minute.');
    expect(JSON.stringify(view)).toContain('Visit every 2 months');
    // Asked for, not yet done: the job does it in batches.
    expect((await teamRow()).recalculation_requested_at).not.toBeNull();
    expect(await runRequestedRecalculations(createKyselyStore(db.db))).toMatchObject({ teams: 1, failures: [] });
    expect((await teamRow()).recalculation_requested_at).toBeNull();

    // 2 Jan 2027 is a Saturday and 1 Jan a bank holiday: the due date moves back to Thu 31 Dec 2026.
    expect((await caseRow(high.id)).visit_due_on).toBe('2026-12-31');
    // A closed case has no deadlines to move.
    expect((await caseRow(closed.id)).visit_due_on).toBeNull();
    const team = await teamRow();
    expect(team).toMatchObject({ name: 'Westshire MOSOVO (North)', time_zone: 'Europe/Jersey' });
    expect(team.policy).toMatchObject({
      intervals: { high: { visitMonths: 2, reviewMonths: 6 }, reactive: { visitMonths: null, reviewMonths: null } },
      reminders: { beforeWorkingDays: [10, 5], onDueDate: true, defaultTime: '08:30' },
      storeArmsRatings: true,
      externalRefPattern: '[A-Z]{2}\\d{6}',
    });
    const closures = await db.db.selectFrom('team_closures').select('closed_on').where('team_id', '=', home.team.id).orderBy('closed_on').execute();
    expect(closures.map((c) => c.closed_on)).toEqual(['2026-12-24', '2026-12-29']);
    const deadline = await db.db.selectFrom('deadlines').selectAll().where('case_id', '=', high.id).where('kind', '=', 'visit').where('status', '=', 'open').executeTakeFirstOrThrow();
    expect(deadline.due_on).toBe('2026-12-31');

    const audit = await db.db.selectFrom('audit_log').selectAll().where('action', '=', 'policy.updated').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.before).toMatchObject({ name: 'Westshire MOSOVO', closures: [], policy: { intervals: { high: { visitMonths: 3 } } } });
    expect(audit[0]!.after).toMatchObject({ name: 'Westshire MOSOVO (North)', closures: ['2026-12-24', '2026-12-29'], casesToRecalculate: 1 });
  });

  it('moves a due date earlier when a closure day lands on it', async () => {
    const values = await submitted({ closures: '2026-12-31' });
    message(await cw.submitForm(admin(), 'policy.set', values, {}));
    await runRequestedRecalculations(createKyselyStore(db.db));
    expect((await caseRow(high.id)).visit_due_on).toBe('2026-12-30');
  });

  it('clears the external reference pattern when the field is left blank', async () => {
    message(await cw.submitForm(admin(), 'policy.set', await submitted({ externalRefPattern: '' }), {}));
    expect((await teamRow()).policy).toMatchObject({ externalRefPattern: null });
  });
});
