// Private by default on Teams, through the real CloudAdapter and the loopback connector: buttons
// pressed on a discussion's root card in the channel answer only the presser (a refusal as the
// invoke's own answer, a form in their personal chat), the channel thread gets the root card,
// the signed note and the closing card and nothing else, the root card's supervisor buttons are
// drawn only for supervisors (refresh.userIds), and a connector failure while signing never
// unsigns the note: it goes into the thread once the connector is back.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import { deliverOutbox } from '../../../src/core/reminders/deliver-outbox.ts';
import { reposFor } from '../../../src/db/kysely-store.ts';
import { adaptiveCardProblems } from '../../support/adaptive-card-validation.ts';
import { seedCase, seedTeam, TEAMS_TENANT, type SeededTeam } from '../../support/factories.ts';
import { actionData, cardAction, channelCardAction, filledIn, personalMessage, postActivity, type TeamsUser } from '../../support/teams-activities.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

const TEAM_ID = '19:team-priv@thread.tacv2';
const CHANNEL = '19:chan-priv@thread.tacv2';
const clock = fixedClock('2026-11-24T10:00:00Z');
let t: TestApp;
let home: SeededTeam;
const officer: TeamsUser = { aadObjectId: 'aad-tp-off', name: 'Olivia Officer' };
const supervisor: TeamsUser = { aadObjectId: 'aad-tp-sup', name: 'Sam Supervisor' };

beforeAll(async () => {
  t = await startTestApp({ overrides: { clock, scheduler: false } });
  home = await seedTeam(t.database.db, {
    people: [
      { name: 'Olivia Officer', roles: ['officer'], teamsUserId: officer.aadObjectId },
      { name: 'Sam Supervisor', roles: ['officer', 'supervisor'], teamsUserId: supervisor.aadObjectId },
    ],
  });
  await reposFor(t.database.db).teams.update(home.team.id, {
    channel: { platform: 'teams', workspaceId: TEAMS_TENANT, channelId: CHANNEL, ref: { serviceUrl: t.connector.serviceUrl, channelId: 'msteams', bot: { id: '28:casework-bot', name: 'Casework' }, conversation: { id: CHANNEL, conversationType: 'channel', tenantId: TEAMS_TENANT } } },
  });
  // Both have a personal chat with Casework (as everyone who gets reminders does).
  for (const user of [officer, supervisor]) await postActivity(t.teamsMessagesUrl, personalMessage(user, t.connector.serviceUrl, 'me'));
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => {
  t.connector.reset();
  clock.set('2026-11-24T10:00:00Z');
});

const personal = (user: TeamsUser) => `a:personal-${user.aadObjectId}`;

async function thread(caseId: string) {
  for (let i = 0; i < 500; i += 1) {
    const row = await t.database.db.selectFrom('discussions').selectAll().where('case_id', '=', caseId).executeTakeFirst();
    if (row?.thread_ref) return row;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the discussion thread was never recorded');
}

async function openDiscussion() {
  const c = await seedCase(t.database.db, home.team, { riskLevel: 'high', leadOfficerId: home.members['Olivia Officer']!.id, supervisorId: home.members['Sam Supervisor']!.id, lastVisitOn: '2026-11-02' });
  await postActivity(t.teamsMessagesUrl, personalMessage(officer, t.connector.serviceUrl, `discuss ${c.key} Is a joint visit needed?`));
  const [root] = await t.connector.waitForSent((s) => s.operation === 'createConversation');
  const row = await thread(c.id);
  return { c, root: root!, row, where: { teamId: TEAM_ID, channelId: CHANNEL, rootId: row.thread_ref! } };
}

async function pressInChannel(user: TeamsUser, verb: string, data: Record<string, unknown>, where: { teamId: string; channelId: string; rootId: string }, trigger: 'manual' | 'automatic' = 'manual') {
  const res = await postActivity(t.teamsMessagesUrl, channelCardAction(user, t.connector.serviceUrl, verb, data, where, trigger));
  expect(res.status).toBe(200);
  return res.json() as Promise<any>;
}

/** What Casework sent into the team channel or any of its threads since the last reset. */
const inChannel = () => t.connector.sent().filter((s) => s.conversationId.startsWith(CHANNEL));

describe('Teams: discussions are private by default', () => {
  it('draws the supervisor buttons only for supervisors, and tells the supervisor privately with a link', async () => {
    const { c, root, row, where } = await openDiscussion();
    const card = root.activity.attachments![0]!.content as any;
    expect(adaptiveCardProblems(card)).toEqual([]);
    // Everyone's copy has no supervisor buttons; Teams refreshes the card for the supervisors only.
    expect(JSON.stringify(card.actions ?? [])).not.toContain('supervision.note');
    expect(card.refresh.userIds).toEqual([`29:${supervisor.aadObjectId}`]);
    expect(card.refresh.action.verb).toBe('discussion.card');
    const theirs = await pressInChannel(supervisor, 'discussion.card', { discussionId: row.id }, where, 'automatic');
    expect(theirs.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(theirs.value.actions)).toContain('supervision.note');
    const officersCopy = await pressInChannel(officer, 'discussion.card', { discussionId: row.id }, where, 'automatic');
    expect(JSON.stringify(officersCopy.value.actions ?? [])).not.toContain('supervision.note');

    const [notice] = await t.connector.waitForSent((s) => s.conversationId === personal(supervisor) && JSON.stringify(s.activity).includes(`Discussion opened: ${c.key}`));
    const noticeCard = notice!.activity.attachments![0]!.content as any;
    const link = noticeCard.actions.find((a: any) => a.type === 'Action.OpenUrl');
    expect(link.url).toContain(`https://teams.microsoft.com/l/message/${encodeURIComponent(CHANNEL)}/${row.thread_ref}`);
    // The officer's confirmation links to the thread too.
    const [confirmation] = await t.connector.waitForSent((s) => s.conversationId === personal(officer) && JSON.stringify(s.activity).includes('Discussion opened on'));
    expect(JSON.stringify(confirmation!.activity)).toContain('Action.OpenUrl');
  });

  it('an officer pressing every supervisor-only button posts nothing in the channel', async () => {
    const { row, where } = await openDiscussion();
    t.connector.reset();
    for (const verb of ['supervision.note', 'discussion.close']) {
      const answer = await pressInChannel(officer, verb, { discussionId: row.id }, where);
      // The refusal is the invoke's own answer: Teams shows it to the presser alone.
      expect(answer.type).toBe('application/vnd.microsoft.activity.message');
      expect(answer.value).toMatch(/^Only supervisors can/);
    }
    expect(inChannel()).toEqual([]);
  });

  it("opens the supervisor's note form in their personal chat, never in the channel; the signed note goes to the thread", async () => {
    const { row, where } = await openDiscussion();
    t.connector.reset();
    const answer = await pressInChannel(supervisor, 'supervision.note', { discussionId: row.id }, where);
    expect(answer.value).toContain('private chat');
    const [form] = await t.connector.waitForSent((s) => s.conversationId === personal(supervisor));
    const card = form!.activity.attachments![0]!.content as any;
    expect(JSON.stringify(card)).toContain('Rationale');
    expect(inChannel()).toEqual([]);

    const confirm = await postActivity(
      t.teamsMessagesUrl,
      cardAction(supervisor, t.connector.serviceUrl, 'form.submit', filledIn(card, { riskView: 'High.', decision: 'Joint visit with probation.', rationale: 'Probation hold the licence.' })),
    );
    const confirmCard = ((await confirm.json()) as any).value;
    expect(JSON.stringify(confirmCard)).toContain('Sign and lock this note?');
    // Confirming what will be locked happens in the personal chat too.
    expect(inChannel()).toEqual([]);
    const signed = await postActivity(t.teamsMessagesUrl, cardAction(supervisor, t.connector.serviceUrl, 'supervision.note_sign', { ...actionData(confirmCard, 'supervision.note_sign'), verb: 'supervision.note_sign' }));
    expect(JSON.stringify(await signed.json())).toContain('Signed and locked');
    const [inThread] = await t.connector.waitForSent((s) => s.conversationId === `${CHANNEL};messageid=${row.thread_ref}` && JSON.stringify(s.activity).includes('Joint visit with probation.'));
    const note = await t.database.db.selectFrom('supervision_notes').selectAll().where('discussion_id', '=', row.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(inThread!.activity)).not.toContain(note.content_sha256!);
    // The channel saw the note and the root card redrawn, nothing else.
    const seen = inChannel();
    expect(seen).toHaveLength(2);
    expect(seen.filter((s) => s.operation === 'updateActivity').map((s) => s.activityId)).toEqual([row.thread_ref]);
  });

  it('keeps a note signed when the connector fails, and posts it once when it is back', async () => {
    const { row } = await openDiscussion();
    const threadId = `${CHANNEL};messageid=${row.thread_ref}`;
    const down = t.connector.respondWith((r) => (r.conversationId ?? '').startsWith(CHANNEL), { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'down' } } });
    const form = await postActivity(t.teamsMessagesUrl, cardAction(supervisor, t.connector.serviceUrl, 'supervision.note', { discussionId: row.id, verb: 'supervision.note' }));
    expect(form.status).toBe(200);
    const [sent] = await t.connector.waitForSent((s) => s.conversationId === personal(supervisor) && JSON.stringify(s.activity).includes('Rationale'));
    const card = sent!.activity.attachments![0]!.content as any;
    const confirm = await postActivity(t.teamsMessagesUrl, cardAction(supervisor, t.connector.serviceUrl, 'form.submit', filledIn(card, { decision: 'Visit this week.', rationale: 'New relationship.', riskView: 'High.' })));
    const confirmCard = ((await confirm.json()) as any).value;
    const signed = await postActivity(t.teamsMessagesUrl, cardAction(supervisor, t.connector.serviceUrl, 'supervision.note_sign', { ...actionData(confirmCard, 'supervision.note_sign'), verb: 'supervision.note_sign' }));
    expect(JSON.stringify(await signed.json())).toContain('Signed and locked');
    expect((await t.database.db.selectFrom('supervision_notes').select('status').where('discussion_id', '=', row.id).executeTakeFirstOrThrow()).status).toBe('signed');
    // The effects tried straight after commit failed against the connector, and wait in the outbox.
    await t.app.effects.drain();
    expect(t.connector.requests.some((r) => r.conversationId === threadId && r.status === 503)).toBe(true);
    down();
    clock.advance(10 * 60 * 1000);
    const delivered = await deliverOutbox(t.app.delivery, clock.now(), { workerId: 'recovery' });
    expect(delivered.failures).toEqual([]);
    const posts = () => t.connector.sent().filter((s) => s.conversationId === threadId && JSON.stringify(s.activity).includes('Visit this week.'));
    expect(posts()).toHaveLength(1);
    await deliverOutbox(t.app.delivery, clock.now(), { workerId: 'recovery' });
    expect(posts()).toHaveLength(1);
  });

  it('lists open discussions with links, for supervisors all of them', async () => {
    const { c, row } = await openDiscussion();
    await postActivity(t.teamsMessagesUrl, personalMessage(supervisor, t.connector.serviceUrl, 'discussions'));
    const [list] = await t.connector.waitForSent((s) => s.conversationId === personal(supervisor) && JSON.stringify(s.activity).includes('open discussions'));
    const card = list!.activity.attachments![0]!.content as any;
    expect(adaptiveCardProblems(card)).toEqual([]);
    const text = JSON.stringify(card);
    expect(text).toContain(c.key);
    expect(text).toContain(encodeURIComponent(CHANNEL));
    expect(text).toContain(row.thread_ref!);
  });
});
