// Leavers through the real CloudAdapter (the loopback fake Bot Framework connector): the journey of
// test/adapters/slack/leavers.test.ts in Teams. The question and the forms come to the admin's
// personal chat; a case-by-case page is a card well under 28 KB; submitting replaces the form card
// with the next page; the new officer hears in their own personal chat; then the leaver is removed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Member } from '../../../src/core/domain/entities.ts';
import { createScaleTeam } from '../../../src/local/scale-team.ts';
import { cardBytes, TEAMS_CARD_MAX_BYTES } from '../../../src/renderers/adaptive-cards/message-card.ts';
import { adaptiveCardProblems } from '../../support/adaptive-card-validation.ts';
import { TEAMS_TENANT } from '../../support/factories.ts';
import { cardAction, filledIn, personalMessage, postActivity, type TeamsUser } from '../../support/teams-activities.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

let t: TestApp;
let leaver: Member;
let keeper: Member;
const officer: TeamsUser = { aadObjectId: 'aad-lt-02', name: 'Keeper' };
const admin: TeamsUser = { aadObjectId: 'aad-lt-03', name: 'Admin' };
const personal = (user: TeamsUser) => `a:personal-${user.aadObjectId}`;

beforeAll(async () => {
  t = await startTestApp({ overrides: { clock: fixedClock('2026-11-27T10:00:00Z'), scheduler: false } });
  const scale = await createScaleTeam(t.database.db, { today: '2026-11-27', cases: 180, officers: 2, supervisors: 1, teamKey: 'TMLEAVE', longThreadReplies: 3, teams: { tenantId: TEAMS_TENANT, userIdPrefix: 'aad-lt-' } });
  [leaver, keeper] = scale.officers as [Member, Member];
  // Both have a personal chat with Casework, as everyone who gets reminders does.
  for (const user of [officer, admin]) await postActivity(t.teamsMessagesUrl, personalMessage(user, t.connector.serviceUrl, 'me'));
  await t.connector.waitForSent((s) => s.conversationId === personal(officer));
  await t.connector.waitForSent((s) => s.conversationId === personal(admin));
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const cardOf = (activity: { attachments?: { content?: unknown }[] }): any => activity.attachments?.[0]?.content;

async function press(user: TeamsUser, verb: string, data: Record<string, unknown>): Promise<any> {
  const res = await postActivity(t.teamsMessagesUrl, cardAction(user, t.connector.serviceUrl, verb, data));
  expect(res.status).toBe(200);
  return res.json();
}

async function ledBy(memberId: string): Promise<number> {
  return (await t.database.db.selectFrom('cases').select('id').where('status', '=', 'active').where('lead_officer_id', '=', memberId).execute()).length;
}

describe('Teams: removing an officer who leads 90 cases', () => {
  it('refuses an officer, in their own personal chat', async () => {
    await press(officer, 'roster.remove', { memberId: leaver.id });
    await t.connector.waitForSent((s) => s.conversationId === personal(officer) && JSON.stringify(s.activity).includes('Only team admins can change the roster.'));
    expect(await ledBy(leaver.id)).toBe(90);
  });

  it('asks where the cases go, moves ten a card and then the rest, tells the new officer, and only then removes the leaver', { timeout: 60_000 }, async () => {
    t.connector.reset();
    await press(admin, 'roster.remove', { memberId: leaver.id });
    const [question] = await t.connector.waitForSent((s) => s.conversationId === personal(admin) && JSON.stringify(s.activity).includes('They still lead 90 cases'));
    expect(JSON.stringify(cardOf(question!.activity))).toContain('roster.move_each');

    await press(admin, 'roster.move_each', { memberId: leaver.id });
    const [sentForm] = await t.connector.waitForSent((s) => s.conversationId === personal(admin) && JSON.stringify(s.activity).includes('Move case by case'));
    const page = cardOf(sentForm!.activity);
    const choices = page.body.filter((el: any) => el.type === 'Input.ChoiceSet');
    expect(choices).toHaveLength(10);
    expect(cardBytes(page)).toBeLessThan(TEAMS_CARD_MAX_BYTES);
    expect(adaptiveCardProblems(page)).toEqual([]);

    const answers = Object.fromEntries(choices.map((el: any, i: number) => [el.id, i < 5 ? keeper.id : 'later']));
    const next = await press(admin, 'form.submit', filledIn(page, answers));
    expect(next).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(JSON.stringify(next.value)).toContain('Moved 5 cases. 85 cases still to go.');
    expect(next.value.body.filter((el: any) => el.type === 'Input.ChoiceSet')).toHaveLength(10);
    expect(await ledBy(leaver.id)).toBe(85);
    await t.connector.waitForSent((s) => s.conversationId === personal(officer) && JSON.stringify(s.activity).includes('5 cases moved to you'));

    await press(admin, 'roster.move_all', { memberId: leaver.id });
    const [allSent] = await t.connector.waitForSent((s) => s.conversationId === personal(admin) && JSON.stringify(s.activity).includes('Move their cases'));
    const all = cardOf(allSent!.activity);
    expect(adaptiveCardProblems(all)).toEqual([]);
    const done = await press(admin, 'form.submit', filledIn(all, { officer: keeper.id }));
    expect(JSON.stringify(done.value)).toContain(`85 cases now led by ${keeper.displayName}.`);
    expect(JSON.stringify(done.value)).toContain('was removed from the roster');

    expect(await ledBy(leaver.id)).toBe(0);
    expect(await ledBy(keeper.id)).toBe(180);
    const row = await t.database.db.selectFrom('members').select('active').where('id', '=', leaver.id).executeTakeFirstOrThrow();
    expect(row.active).toBe(false);
    expect(await t.database.db.selectFrom('audit_log').select('id').where('action', '=', 'case.reassigned').execute()).toHaveLength(90);
    await t.connector.waitForSent((s) => s.conversationId === personal(officer) && JSON.stringify(s.activity).includes('85 cases moved to you'));
    // Nothing about the move went anywhere but the two personal chats.
    expect(t.connector.sent().every((s) => s.conversationId === personal(admin) || s.conversationId === personal(officer))).toBe(true);
  });
});
