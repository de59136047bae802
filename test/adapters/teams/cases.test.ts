// The Slack cases journeys (test/adapters/slack/cases.test.ts) through Teams: the same rows and
// the same words, from personal-chat messages and Action.Execute invokes on the real CloudAdapter.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Case } from '../../../src/core/domain/entities.ts';
import { adaptiveCardProblems, cardIds } from '../../support/adaptive-card-validation.ts';
import { seedCase, seedTeam, type SeededTeam } from '../../support/factories.ts';
import { cardAction, personalMessage, postActivity, type TeamsUser, filledIn } from '../../support/teams-activities.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

let t: TestApp;
let home: SeededTeam;
let other: SeededTeam;
let mine: Case;
let foreign: Case;
const officer: TeamsUser = { aadObjectId: 'aad-cases-off', name: 'Olivia Officer' };
const admin: TeamsUser = { aadObjectId: 'aad-cases-adm', name: 'Ada Admin' };

beforeAll(async () => {
  t = await startTestApp({ overrides: { clock: fixedClock('2026-11-27T10:00:00Z') } });
  home = await seedTeam(t.database.db, {
    people: [
      { name: 'Olivia Officer', roles: ['officer'], teamsUserId: officer.aadObjectId },
      { name: 'Sam Supervisor', roles: ['officer', 'supervisor'], teamsUserId: 'aad-cases-sup' },
      { name: 'Ada Admin', roles: ['admin'], teamsUserId: admin.aadObjectId },
    ],
  });
  other = await seedTeam(t.database.db, { people: [{ name: 'Elsewhere', roles: ['officer', 'supervisor', 'admin'], teamsUserId: 'aad-cases-else' }] });
  mine = await seedCase(t.database.db, home.team, { riskLevel: 'very_high', leadOfficerId: home.members['Olivia Officer']!.id, lastVisitOn: '2026-11-02', lastAssessmentOn: '2026-10-01' });
  foreign = await seedCase(t.database.db, other.team, { riskLevel: 'low' });
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => t.connector.reset());

/** Sends `text` in the user's personal chat and returns the card Casework answered with. */
async function say(user: TeamsUser, text: string): Promise<any> {
  const res = await postActivity(t.teamsMessagesUrl, personalMessage(user, t.connector.serviceUrl, text));
  expect(res.status).toBe(200);
  const [sent] = await t.connector.waitForSent(() => true);
  expect(sent!.conversationId).toBe(`a:personal-${user.aadObjectId}`);
  expect(sent!.activity.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return sent!.activity.attachments![0]!.content;
}

/** Submits a form card; the invoke's HTTP response carries the card that replaces it. */
async function submit(user: TeamsUser, card: any, answers: Record<string, string>): Promise<any> {
  const res = await postActivity(t.teamsMessagesUrl, cardAction(user, t.connector.serviceUrl, 'form.submit', filledIn(card, answers)));
  expect(res.status).toBe(200);
  const body: any = await res.json();
  expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  return body.value;
}

/** The input with `id` and the error shown under it (before the next input), if any. */
function field(card: any, id: string): { input: any; error: string | undefined } {
  const at = card.body.findIndex((el: any) => el.id === id);
  const next = card.body.findIndex((el: any, i: number) => i > at && String(el.type).startsWith('Input.'));
  const below = card.body.slice(at + 1, next === -1 ? undefined : next);
  return { input: card.body[at], error: below.find((el: any) => el.id === `${id}__error`)?.text };
}

describe('Teams: cases', () => {
  it('shows the case card with due dates and records the view in the audit trail', async () => {
    const card = await say(officer, `case ${mine.key.toLowerCase()}`);
    expect(adaptiveCardProblems(card)).toEqual([]);
    const flat = JSON.stringify(card);
    expect(card.body[0].text).toBe(`Case ${mine.key}`);
    // Very high risk: visit monthly from 2 Nov 2026 → Wed 2 Dec; review 3 months from 1 Oct → 1 Jan 2027 (bank holiday) → Thu 31 Dec.
    expect(flat).toContain('Wed 2 Dec 2026');
    expect(flat).toContain('Thu 31 Dec 2026');
    expect(cardIds(card).verbs).toEqual(expect.arrayContaining(['assessment.open', 'change.open', 'case.edit']));
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('case_id', '=', mine.id).where('action', '=', 'case.viewed').execute();
    expect(audit).toHaveLength(1);
  });

  it('answers a case key from another team as not found, revealing nothing', async () => {
    const flat = JSON.stringify(await say(officer, `case ${foreign.key}`));
    expect(flat).toContain(`There is no case ${foreign.key}`);
    expect(flat).not.toContain('Low');
  });

  it('tells someone who is on no roster how to get access', async () => {
    expect(JSON.stringify(await say({ aadObjectId: 'aad-stranger' }, `case ${mine.key}`))).toContain('not on a Casework team');
  });

  it('adds a case through a form card: errors under the fields with answers kept, then the confirmation', async () => {
    const form = await say(admin, 'case add');
    expect(adaptiveCardProblems(form)).toEqual([]);
    expect(form.body[0].text).toBe('Add a case');
    expect(form.actions[0]).toMatchObject({ type: 'Action.Execute', verb: 'form.submit', data: { formId: 'case.add' } });

    const countCases = async () => (await t.database.db.selectFrom('cases_with_due_dates').select('id').where('team_id', '=', home.team.id).execute()).length;
    const before = await countCases();
    const answers = { riskLevel: 'high', managementMode: 'reactive', leadOfficerId: home.members['Olivia Officer']!.id, lastVisitOn: '2027-01-01' };
    const bad = await submit(admin, form, answers);
    expect(adaptiveCardProblems(bad)).toEqual([]);
    expect(bad.body[0].text).toBe('Add a case');
    expect(field(bad, 'lastVisitOn').error).toMatch(/future/);
    expect(field(bad, 'managementMode').error).toMatch(/low-risk/);
    expect(field(bad, 'riskLevel').error).toBeUndefined();
    for (const [id, value] of Object.entries(answers)) expect(field(bad, id).input.value).toBe(value);
    expect(await countCases()).toBe(before);

    // The replaced card is the one the user presses next.
    const good = await submit(admin, bad, { managementMode: 'active', lastVisitOn: '2026-11-20' });
    expect(adaptiveCardProblems(good)).toEqual([]);
    const key = /Case (CW-[A-Z0-9]+) added/.exec(JSON.stringify(good))?.[1];
    expect(key).toBeDefined();
    expect(good.body[0].text).toBe(`Case ${key}`);
    const row = await t.database.db.selectFrom('cases_with_due_dates').selectAll().where('case_key', '=', key!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ team_id: home.team.id, risk_level: 'high', management_mode: 'active', last_visit_on: '2026-11-20' });
    expect(row.visit_due_on).toBe('2027-02-19'); // 3 months after 20 Nov 2026: Sat 20 Feb 2027 → Fri 19 Feb
    const created = await t.database.db.selectFrom('audit_log').selectAll().where('case_id', '=', row.id).where('action', '=', 'case.created').execute();
    expect(created).toHaveLength(1);
    // Nothing went to the conversation: both answers replaced the card through the invoke response.
    expect(t.connector.sent()).toHaveLength(1);
  });

  it('takes co-workers from a multi-select as Teams sends them: comma-separated', async () => {
    const form = await say(admin, 'case add');
    const { members } = home;
    const card = await submit(admin, form, {
      riskLevel: 'medium',
      leadOfficerId: members['Olivia Officer']!.id,
      coworkerIds: members['Sam Supervisor']!.id,
      planVisitIntervalMonths: '4',
    });
    const key = /Case (CW-[A-Z0-9]+) added/.exec(JSON.stringify(card))?.[1];
    const row = await t.database.db.selectFrom('cases_with_due_dates').selectAll().where('case_key', '=', key!).executeTakeFirstOrThrow();
    expect(row.plan_visit_interval_months).toBe(4);
    const coworkers = await t.database.db.selectFrom('case_coworkers').select('member_id').where('case_id', '=', row.id).execute();
    expect(coworkers.map((c) => c.member_id)).toEqual([members['Sam Supervisor']!.id]);

    const bad = await submit(admin, form, { riskLevel: 'medium', leadOfficerId: members['Olivia Officer']!.id, coworkerIds: `${members['Sam Supervisor']!.id},${members['Olivia Officer']!.id}` });
    expect(field(bad, 'coworkerIds').error).toBe('The lead officer cannot also be a co-worker.');
    expect(field(bad, 'coworkerIds').input.value).toBe(`${members['Sam Supervisor']!.id},${members['Olivia Officer']!.id}`);
  });

  it('answers a command typed in a group chat privately, without taking the group for the personal chat that reminders use', async () => {
    const c = await seedCase(t.database.db, home.team, { leadOfficerId: home.members['Olivia Officer']!.id });
    await say(officer, `case ${c.key}`);
    const identity = () => t.database.db.selectFrom('platform_identities').select('conversation_ref').where('user_id', '=', officer.aadObjectId).executeTakeFirstOrThrow();
    expect((await identity()).conversation_ref).toMatchObject({ conversation: { id: `a:personal-${officer.aadObjectId}` } });

    t.connector.reset();
    // The same person and bot, in a group chat where Casework is @mentioned.
    const inPersonal = personalMessage(officer, t.connector.serviceUrl, '');
    const mention = { type: 'mention', text: '<at>Casework</at>', mentioned: inPersonal.recipient };
    const group = { id: '19:cases-group@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: inPersonal.conversation.tenantId };
    await postActivity(t.teamsMessagesUrl, { ...inPersonal, conversation: group, text: `<at>Casework</at> case ${c.key}`, entities: [mention] });
    // Everyone in the group would see the card: it goes to the person's own chat with Casework,
    // and nothing is posted in the group.
    const [privately] = await t.connector.waitForSent((s) => s.conversationId === `a:personal-${officer.aadObjectId}`);
    expect((privately!.activity.attachments?.[0]?.content as any).body[0].text).toBe(`Case ${c.key}`);
    expect(t.connector.sent().filter((s) => s.conversationId === group.id)).toEqual([]);
    expect((await identity()).conversation_ref).toMatchObject({ conversation: { id: `a:personal-${officer.aadObjectId}` } });
  });

  it('refuses case add to an officer', async () => {
    const card = await say(officer, 'case add');
    expect(JSON.stringify(card)).toContain('Only supervisors and team admins can add cases');
    expect(cardIds(card).inputs).toEqual([]);
  });
});
