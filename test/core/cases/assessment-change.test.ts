import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCasework, type Casework } from '../../../src/core/casework.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Case } from '../../../src/core/domain/entities.ts';
import { significantChanges } from '../../../src/core/domain/vocabulary.ts';
import { FEATURES } from '../../../src/core/features.ts';
import type { InboundContext, Reply } from '../../../src/core/interaction.ts';
import type { FormView } from '../../../src/core/views/form-view.ts';
import type { MessageView } from '../../../src/core/views/message-view.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createKyselyStore, reposFor } from '../../../src/db/kysely-store.ts';
import { seedCase, seedTeam, SLACK_WORKSPACE, type SeededTeam } from '../../support/factories.ts';
import { createTestDb } from '../../support/test-db.ts';

// Thursday 24 Dec 2026; Fri 25 and Mon 28 Dec (Boxing Day substitute) and Fri 1 Jan are bank holidays.
const clock = fixedClock('2026-12-24T10:00:00Z');
let database: DatabaseHandle;
let casework: Casework;
let home: SeededTeam;
let rated: SeededTeam;
let other: SeededTeam;
// Slack user ids of each seeded team's people, by team id and name.
const slackIds = new Map<string, Record<string, string>>();

function as(userId: string): InboundContext {
  return { user: { platform: 'slack', workspaceId: SLACK_WORKSPACE, userId }, surface: { kind: 'direct' } };
}

function person(name: string) {
  return (t: SeededTeam = home) => as(slackIds.get(t.team.id)![name]!);
}
const olivia = person('Olivia Officer');
const oscar = person('Oscar Officer');
const sam = person('Sam Supervisor');

async function seedTeamWith(prefix: string, policy: { storeArmsRatings?: boolean } = {}): Promise<SeededTeam> {
  const roster = [
    { name: 'Olivia Officer', roles: ['officer' as const], slackUserId: `U${prefix}OFF` },
    { name: 'Oscar Officer', roles: ['officer' as const], slackUserId: `U${prefix}OSC` },
    { name: 'Sam Supervisor', roles: ['officer' as const, 'supervisor' as const], slackUserId: `U${prefix}SUP` },
  ];
  const seeded = await seedTeam(database.db, { people: roster, policy });
  slackIds.set(seeded.team.id, Object.fromEntries(roster.map((p) => [p.name, p.slackUserId])));
  return seeded;
}

function caseFor(t: SeededTeam, overrides: Partial<Case> = {}): Promise<Case> {
  return seedCase(database.db, t.team, {
    riskLevel: 'high',
    leadOfficerId: t.members['Olivia Officer']!.id,
    lastVisitOn: '2026-11-02',
    lastAssessmentOn: '2026-10-01',
    ...overrides,
  });
}

function formOf(reply: Reply): FormView {
  if (reply.type !== 'form' && reply.type !== 'form-invalid') throw new Error(`expected a form, got ${reply.type}`);
  return reply.form;
}

function viewOf(reply: Reply): MessageView {
  if (reply.type !== 'message') throw new Error(`expected a message, got ${reply.type}: ${JSON.stringify(reply)}`);
  return reply.view;
}

function dueFact(view: MessageView, label: string): string | undefined {
  return view.sections?.flatMap((s) => s.facts ?? []).find((f) => f.label === label)?.value;
}

async function caseRow(c: Case) {
  return database.db.selectFrom('cases_with_due_dates').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
}

async function deadlines(c: Case, kind: string) {
  return database.db.selectFrom('deadlines').select(['due_on', 'status', 'urgent']).where('case_id', '=', c.id).where('kind', '=', kind).orderBy('created_at').execute();
}

async function auditRows(c: Case, action: string) {
  return database.db.selectFrom('audit_log').selectAll().where('case_id', '=', c.id).where('action', '=', action).execute();
}

const assess = (ctx: InboundContext, c: Case, values: Record<string, unknown>) => casework.submitForm(ctx, 'assessment.record', values, { caseKey: c.key });
const report = (ctx: InboundContext, c: Case, values: Record<string, unknown>) => casework.submitForm(ctx, 'change.record', values, { caseKey: c.key });

beforeAll(async () => {
  database = await createTestDb();
  casework = createCasework({ store: createKyselyStore(database.db), clock }, FEATURES);
  home = await seedTeamWith('HOME');
  rated = await seedTeamWith('RATE', { storeArmsRatings: true });
  other = await seedTeamWith('OTHER');
});
afterAll(async () => {
  await database?.close();
});
beforeEach(() => clock.set('2026-12-24T10:00:00Z'));

describe('assessment CW-…', () => {
  it('opens the form from the command and the card button, prefilled with today and the current level', async () => {
    const c = await caseFor(home);
    expect(casework.formTitleFor({ text: `assessment ${c.key}` })).toBe('Record assessment');
    expect(casework.formTitleFor({ actionId: 'assessment.open', value: { caseKey: c.key } })).toBe('Record assessment');
    for (const reply of [await casework.handleText(olivia(), `assessment ${c.key.toLowerCase()}`), await casework.handleAction(olivia(), 'assessment.open', { caseKey: c.key })]) {
      const form = formOf(reply);
      expect(form.id).toBe('assessment.record');
      expect(form.fields.map((f) => f.id)).toEqual(['assessedOn', 'riskLevel', 'managementMode']);
      expect(form.values).toMatchObject({ assessedOn: '2026-12-24', riskLevel: 'high', managementMode: 'active' });
      expect(form.context).toEqual({ caseKey: c.key });
    }
  });

  it('moves the risk level and the due dates, and closes the early review', async () => {
    const c = await caseFor(home);
    // Before: high risk, visit 3 months after 2 Nov; review 6 months after 1 Oct (Thu 1 Apr 2027).
    expect(c.visitDueOn).toBe('2027-02-02');
    expect(c.assessmentReviewDueOn).toBe('2027-04-01');
    // Missing (urgent), noticed Tue 22 Dec: early review the next working day.
    viewOf(await report(olivia(), c, { kind: 'missing', noticedOn: '2026-12-22', urgency: '' }));
    expect((await caseRow(c)).early_review_due_on).toBe('2026-12-23');

    const reply = await assess(olivia(), c, { assessedOn: '2026-12-24', riskLevel: 'very_high', managementMode: 'active' });
    const view = viewOf(reply);
    const row = await caseRow(c);
    expect(row).toMatchObject({ risk_level: 'very_high', last_assessment_on: '2026-12-24', early_review_due_on: null });
    // Very high: visit 1 month after 2 Nov (Wed 2 Dec, already passed); review 3 months after 24 Dec (Wed 24 Mar 2027).
    expect(row.visit_due_on).toBe('2026-12-02');
    expect(row.assessment_review_due_on).toBe('2027-03-24');
    expect(await deadlines(c, 'assessment_review')).toEqual([
      { due_on: '2027-04-01', status: 'met', urgent: false },
      { due_on: '2027-03-24', status: 'open', urgent: false },
    ]);
    expect(await deadlines(c, 'early_review')).toEqual([{ due_on: '2026-12-23', status: 'met', urgent: true }]);
    expect((await deadlines(c, 'visit')).filter((d) => d.status === 'open')).toEqual([{ due_on: '2026-12-02', status: 'open', urgent: false }]);
    const assessment = await database.db.selectFrom('assessments').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
    expect(assessment).toMatchObject({ assessed_on: '2026-12-24', risk_level: 'very_high', factor_version: null, factor_ratings: null });
    const changes = await database.db.selectFrom('change_events').select('resolved_by_assessment_id').where('case_id', '=', c.id).execute();
    expect(changes).toEqual([{ resolved_by_assessment_id: assessment.id }]);

    expect(view.kind).toBe('case-card');
    expect(view.notice?.text).toContain('Risk level now very high (was high).');
    expect(view.notice?.text).toContain('Early review done for the reported change.');
    expect(view.notice?.text).toContain('Now due: home visit Wed 2 Dec 2026; assessment review Wed 24 Mar 2027.');
    expect(view.notice?.text).not.toContain('Factor ratings');
    expect(dueFact(view, 'Assessment review')).toContain('Wed 24 Mar 2027');
    expect(dueFact(view, 'Early review (significant change)')).toBeUndefined();

    const [recorded] = await auditRows(c, 'assessment.recorded');
    expect(recorded).toMatchObject({ entity_type: 'assessment', entity_id: assessment.id, actor_member_id: home.members['Olivia Officer']!.id });
    expect(recorded!.after).toEqual({ assessedOn: '2026-12-24', riskLevel: 'very_high', managementMode: 'active', ratingsStored: false, factorVersion: null, changesReviewed: 1 });
    const updated = await auditRows(c, 'case.updated');
    expect(updated).toHaveLength(1);
    expect(updated[0]!.before).toMatchObject({ riskLevel: 'high' });
    expect(updated[0]!.after).toMatchObject({ riskLevel: 'very_high', assessmentReviewDueOn: '2027-03-24' });
  });

  it('writes no case.updated row when the level and management stay the same', async () => {
    const c = await caseFor(home, { riskLevel: 'medium' });
    const view = viewOf(await assess(sam(), c, { assessedOn: '2026-12-23', riskLevel: 'medium', managementMode: 'active' }));
    // Medium: review 12 months after Wed 23 Dec 2026 → Thu 23 Dec 2027.
    expect((await caseRow(c)).assessment_review_due_on).toBe('2027-12-23');
    expect(view.notice?.text).toContain('Risk level stays medium.');
    expect(await auditRows(c, 'assessment.recorded')).toHaveLength(1);
    expect(await auditRows(c, 'case.updated')).toHaveLength(0);
  });

  it('stores factor ratings, with the factor list version, only where the policy allows; never shows them', async () => {
    const c = await caseFor(rated);
    const form = formOf(await casework.handleText(olivia(rated), `assessment ${c.key}`));
    expect(form.fields).toHaveLength(3 + 7 + 5);
    expect(form.fields.find((f) => f.id === 'arms_risk_opportunity')?.options?.map((o) => o.value)).toEqual(['low', 'medium', 'high', 'not_assessed']);
    expect(form.values.arms_protective_commitment_to_desist).toBe('not_assessed');

    const reply = await assess(olivia(rated), c, {
      assessedOn: '2026-12-24',
      riskLevel: 'medium',
      managementMode: 'active',
      arms_risk_opportunity: 'high',
      arms_protective_commitment_to_desist: 'medium',
      arms_risk_hostile_orientation: '',
    });
    const view = viewOf(reply);
    const stored = await database.db.selectFrom('assessments').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
    expect(stored.factor_version).toBe('ARMS-2');
    expect(stored.factor_ratings).toMatchObject({ opportunity: 'high', commitment_to_desist: 'medium', hostile_orientation: 'not_assessed', social_investment: 'not_assessed' });
    expect(Object.keys(stored.factor_ratings!)).toHaveLength(12);
    expect(view.notice?.text).toContain('Factor ratings recorded.');
    const shown = JSON.stringify(reply);
    expect(shown).not.toMatch(/opportunity|desist|hostile/i);
    const [audit] = await auditRows(c, 'assessment.recorded');
    expect(audit!.after).toMatchObject({ ratingsStored: true, factorVersion: 'ARMS-2' });
    expect(JSON.stringify(audit)).not.toMatch(/opportunity|desist/);
  });

  it('ignores ratings where the policy does not allow them, even if they are sent', async () => {
    const c = await caseFor(home);
    await assess(olivia(), c, { assessedOn: '2026-12-24', riskLevel: 'high', managementMode: 'active', arms_risk_opportunity: 'high' });
    const stored = await database.db.selectFrom('assessments').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ factor_version: null, factor_ratings: null });
  });

  it('stores no ratings when every factor is left not assessed', async () => {
    const c = await caseFor(rated);
    const view = viewOf(await assess(olivia(rated), c, { assessedOn: '2026-12-24', riskLevel: 'high', managementMode: 'active' }));
    const stored = await database.db.selectFrom('assessments').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ factor_version: null, factor_ratings: null });
    expect(view.notice?.text).not.toContain('Factor ratings');
  });

  it.each([
    ['a future date', { assessedOn: '2026-12-29' }, 'assessedOn', /cannot be in the future/],
    ['a date before the previous assessment', { assessedOn: '2026-09-30' }, 'assessedOn', /previous assessment was on Thu 1 Oct 2026/],
    ['no date', { assessedOn: '' }, 'assessedOn', /Enter the date/],
    ['an unknown risk level', { riskLevel: 'extreme' }, 'riskLevel', /Choose a risk level/],
    ['reactive management above low risk', { managementMode: 'reactive' }, 'managementMode', /only for low-risk/],
  ])('refuses %s, keeping the answers and saving nothing', async (_what, change, field, message) => {
    const c = await caseFor(home);
    const answers = { assessedOn: '2026-12-24', riskLevel: 'high', managementMode: 'active', ...change };
    const form = formOf(await assess(olivia(), c, answers));
    expect(form.errors[field]).toMatch(message);
    expect(form.values).toMatchObject(answers);
    expect(await database.db.selectFrom('assessments').select('id').where('case_id', '=', c.id).execute()).toEqual([]);
    expect(await auditRows(c, 'assessment.recorded')).toEqual([]);
  });

  it('refuses an unknown rating option', async () => {
    const c = await caseFor(rated);
    const form = formOf(await assess(olivia(rated), c, { assessedOn: '2026-12-24', riskLevel: 'high', managementMode: 'active', arms_risk_opportunity: 'extreme' }));
    expect(form.errors.arms_risk_opportunity).toBe('Choose low, medium, high or not assessed.');
  });

  it('refuses an assessment dated before a change it would close', async () => {
    const c = await caseFor(home);
    await report(olivia(), c, { kind: 'relationship', noticedOn: '2026-12-22' });
    const form = formOf(await assess(olivia(), c, { assessedOn: '2026-12-21', riskLevel: 'high', managementMode: 'active' }));
    expect(form.errors.assessedOn).toMatch(/reported on Tue 22 Dec 2026/);
  });

  it('answers a case key from another team as not found, for the button and a tampered form', async () => {
    const foreign = await caseFor(other);
    await expect(casework.handleAction(olivia(), 'assessment.open', { caseKey: foreign.key })).rejects.toMatchObject({ code: 'case_not_found' });
    await expect(assess(olivia(), foreign, { assessedOn: '2026-12-24', riskLevel: 'low', managementMode: 'active' })).rejects.toMatchObject({ code: 'case_not_found' });
    expect(await database.db.selectFrom('assessments').select('id').where('case_id', '=', foreign.id).execute()).toEqual([]);
    expect((await caseRow(foreign)).risk_level).toBe('high');
  });

  it("refuses an officer on someone else's case; a supervisor may record on any team case", async () => {
    const c = await caseFor(home);
    await expect(casework.handleText(oscar(), `assessment ${c.key}`)).rejects.toMatchObject({ code: 'not_authorised' });
    await expect(assess(oscar(), c, { assessedOn: '2026-12-24', riskLevel: 'low', managementMode: 'active' })).rejects.toMatchObject({
      code: 'not_authorised',
      message: expect.stringMatching(/cases you lead or co-work/),
    });
    viewOf(await assess(sam(), c, { assessedOn: '2026-12-24', riskLevel: 'low', managementMode: 'reactive' }));
    const row = await caseRow(c);
    expect(row).toMatchObject({ risk_level: 'low', management_mode: 'reactive', assessment_review_due_on: null, visit_due_on: null });
  });

  it('refuses a closed case', async () => {
    const c = await caseFor(home);
    await reposFor(database.db).cases.update(c.id, { status: 'closed' });
    await expect(casework.handleText(olivia(), `assessment ${c.key}`)).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('change CW-…', () => {
  it('opens the form from the command and the card button, listing urgent kinds as such', async () => {
    const c = await caseFor(home);
    expect(casework.formTitleFor({ text: `change ${c.key}` })).toBe('Report a change');
    expect(casework.formTitleFor({ actionId: 'change.open', value: { caseKey: c.key } })).toBe('Report a change');
    for (const reply of [await casework.handleText(olivia(), `change ${c.key}`), await casework.handleAction(olivia(), 'change.open', { caseKey: c.key })]) {
      const form = formOf(reply);
      expect(form.id).toBe('change.record');
      expect(form.values).toEqual({ noticedOn: '2026-12-24' });
      const kinds = form.fields.find((f) => f.id === 'kind')!.options!;
      expect(kinds.find((o) => o.value === 'further_offence')?.label).toBe('Further offence, arrest or charge (urgent)');
      expect(kinds.find((o) => o.value === 'address')?.label).toBe('Change of address or no fixed address');
      expect(form.fields.find((f) => f.id === 'urgency')?.options?.map((o) => o.value)).toEqual(['urgent', 'standard']);
    }
  });

  it('brings the early review forward by 1 working day for an urgent change', async () => {
    const c = await caseFor(home);
    const reply = await report(olivia(), c, { kind: 'further_offence', noticedOn: '2026-12-24', urgency: 'urgent' });
    const view = viewOf(reply);
    // Thu 24 Dec + 1 working day: over Christmas Day, the weekend and the Boxing Day substitute.
    expect((await caseRow(c)).early_review_due_on).toBe('2026-12-29');
    expect(await deadlines(c, 'early_review')).toEqual([{ due_on: '2026-12-29', status: 'open', urgent: true }]);
    expect(view.notice?.text).toBe('Urgent change recorded. Early review now due Tue 29 Dec 2026.');
    expect(dueFact(view, 'Early review (significant change)')).toContain('Tue 29 Dec 2026');
    // The kind of change never reaches chat.
    expect(JSON.stringify(reply)).not.toContain(significantChanges.further_offence.label);
    const event = await database.db.selectFrom('change_events').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ kind: 'further_offence', urgency: 'urgent', reported_on: '2026-12-24', source: 'manual', reported_by: home.members['Olivia Officer']!.id });
    const [audit] = await auditRows(c, 'change.recorded');
    expect(audit).toMatchObject({ entity_type: 'change_event', entity_id: event.id, before: { earlyReviewDueOn: null } });
    expect(audit!.after).toEqual({ kind: 'further_offence', urgency: 'urgent', reportedOn: '2026-12-24', source: 'manual', earlyReviewDueOn: '2026-12-29' });
  });

  it('brings it forward by 5 working days for a standard change, the urgency taken from the kind when left blank', async () => {
    const c = await caseFor(home);
    const view = viewOf(await report(olivia(), c, { kind: 'address', noticedOn: '2026-12-24', urgency: '' }));
    // 29, 30, 31 Dec, (1 Jan bank holiday), 4, 5 Jan.
    expect((await caseRow(c)).early_review_due_on).toBe('2027-01-05');
    expect(await deadlines(c, 'early_review')).toEqual([{ due_on: '2027-01-05', status: 'open', urgent: false }]);
    expect(view.notice?.text).toBe('Standard change recorded. Early review now due Tue 5 Jan 2027.');
  });

  it('lets an officer treat a standard kind as urgent', async () => {
    const c = await caseFor(home);
    await report(olivia(), c, { kind: 'mental_health_crisis', noticedOn: '2026-12-24', urgency: 'urgent' });
    expect((await caseRow(c)).early_review_due_on).toBe('2026-12-29');
  });

  it('keeps the earlier date when an open change already brings the review forward', async () => {
    const c = await caseFor(home);
    await report(olivia(), c, { kind: 'breach', noticedOn: '2026-12-24' });
    const view = viewOf(await report(olivia(), c, { kind: 'bereavement', noticedOn: '2026-12-24' }));
    expect((await caseRow(c)).early_review_due_on).toBe('2026-12-29');
    expect(view.notice?.text).toContain('Early review still due Tue 29 Dec 2026');
    expect(await auditRows(c, 'change.recorded')).toHaveLength(2);
  });

  it.each([
    ["'standard' for a kind that is urgent by definition", { kind: 'further_offence', urgency: 'standard' }, 'urgency', /A further offence, arrest or charge is always urgent\./],
    ['a future date', { noticedOn: '2026-12-25' }, 'noticedOn', /cannot be in the future/],
    ['a date more than 90 days back', { noticedOn: '2026-09-24' }, 'noticedOn', /within the last 90 days \(on or after Fri 25 Sept? 2026\)/],
    ['an unknown kind', { kind: 'lottery_win' }, 'kind', /Choose what has changed/],
    ['an unknown urgency', { urgency: 'whenever' }, 'urgency', /Choose urgent or standard/],
  ])('refuses %s and saves nothing', async (_what, change, field, message) => {
    const c = await caseFor(home);
    const form = formOf(await report(olivia(), c, { kind: 'address', noticedOn: '2026-12-24', urgency: '', ...change }));
    expect(form.errors[field]).toMatch(message);
    expect(await database.db.selectFrom('change_events').select('id').where('case_id', '=', c.id).execute()).toEqual([]);
    expect(await auditRows(c, 'change.recorded')).toEqual([]);
  });

  it('accepts the oldest allowed date, 90 days back', async () => {
    const c = await caseFor(home);
    viewOf(await report(olivia(), c, { kind: 'address', noticedOn: '2026-09-25' }));
  });

  it('fills in the urgency from the kind when showing the form again', async () => {
    const c = await caseFor(home);
    const form = formOf(await report(olivia(), c, { kind: 'missing', noticedOn: '2027-01-04', urgency: '' }));
    expect(form.values.urgency).toBe('urgent');
  });

  it("answers another team's case as not found and refuses an officer on someone else's case", async () => {
    const foreign = await caseFor(other);
    await expect(report(olivia(), foreign, { kind: 'missing', noticedOn: '2026-12-24' })).rejects.toMatchObject({ code: 'case_not_found' });
    const c = await caseFor(home);
    await expect(casework.handleAction(oscar(), 'change.open', { caseKey: c.key })).rejects.toMatchObject({ code: 'not_authorised' });
    await expect(report(oscar(), c, { kind: 'missing', noticedOn: '2026-12-24' })).rejects.toMatchObject({ code: 'not_authorised' });
    expect(await database.db.selectFrom('change_events').select('id').where('case_id', 'in', [c.id, foreign.id]).execute()).toEqual([]);
  });

  it('is listed in help with the assessment command', async () => {
    const view = viewOf(await casework.handleText(olivia(), 'help'));
    const usages = view.sections?.[0]?.facts?.map((f) => f.label);
    // The example is one of the team's own cases, so it works when typed.
    const example = usages?.find((u) => u.startsWith('assessment '))?.slice('assessment '.length);
    expect(example).toMatch(/^CW-[A-Z0-9]+$/);
    const known = await database.db.selectFrom('cases').select('case_key').where('case_key', '=', example!).executeTakeFirst();
    expect(known).toBeDefined();
    expect(usages).toEqual(expect.arrayContaining([`assessment ${example}`, `change ${example}`]));
  });
});
