// Case discussions through the real botbuilder adapter and the loopback connector: "discuss"
// starts a channel thread with sendMessageToTeamsChannel's conversation creation; channel
// messages in `<channel>;messageid=<root>` (resource-specific consent, no @mention) are recorded
// once, with edit and soft-delete events as history; a supervisor signs and closes from cards.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import { reposFor } from '../../../src/db/kysely-store.ts';
import { adaptiveCardProblems } from '../../support/adaptive-card-validation.ts';
import { seedCase, seedTeam, TEAMS_TENANT, type SeededTeam } from '../../support/factories.ts';
import { actionData, cardAction, personalMessage, postActivity, type TeamsUser } from '../../support/teams-activities.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

const TEAM_ID = '19:team-disc@thread.tacv2';
const CHANNEL = '19:chan-disc@thread.tacv2';
let t: TestApp;
let home: SeededTeam;
const officer: TeamsUser = { aadObjectId: 'aad-td-off', name: 'Olivia Officer' };
const colleague: TeamsUser = { aadObjectId: 'aad-td-col', name: 'Colin Colleague' };
const supervisor: TeamsUser = { aadObjectId: 'aad-td-sup', name: 'Sam Supervisor' };
let sequence = 0;

beforeAll(async () => {
  t = await startTestApp({ overrides: { clock: fixedClock('2026-11-24T10:00:00Z'), scheduler: false } });
  home = await seedTeam(t.database.db, {
    people: [
      { name: 'Olivia Officer', roles: ['officer'], teamsUserId: officer.aadObjectId },
      { name: 'Colin Colleague', roles: ['officer'], teamsUserId: colleague.aadObjectId },
      { name: 'Sam Supervisor', roles: ['officer', 'supervisor'], teamsUserId: supervisor.aadObjectId },
    ],
  });
  await reposFor(t.database.db).teams.update(home.team.id, {
    channel: { platform: 'teams', workspaceId: TEAMS_TENANT, channelId: CHANNEL, ref: { serviceUrl: t.connector.serviceUrl, channelId: 'msteams', bot: { id: '28:casework-bot', name: 'Casework' }, conversation: { id: CHANNEL, conversationType: 'channel', tenantId: TEAMS_TENANT } } },
  });
  // The colleague has a personal chat with the bot, so private notes can reach them.
  await postActivity(t.teamsMessagesUrl, personalMessage(colleague, t.connector.serviceUrl, 'cases'));
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => t.connector.reset());

/** A channel message as Teams sends it with resource-specific consent: no @mention. */
function threadActivity(user: TeamsUser, rootId: string, extra: Record<string, unknown>) {
  sequence += 1;
  return {
    type: 'message',
    id: `reply-${sequence}`,
    channelId: 'msteams',
    serviceUrl: t.connector.serviceUrl,
    timestamp: '2026-11-24T10:05:00.000Z',
    from: { id: `29:${user.aadObjectId}`, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { id: '28:casework-bot', name: 'Casework' },
    conversation: { id: `${CHANNEL};messageid=${rootId}`, conversationType: 'channel', isGroup: true, tenantId: TEAMS_TENANT },
    channelData: { tenant: { id: TEAMS_TENANT }, team: { id: TEAM_ID }, channel: { id: CHANNEL } },
    textFormat: 'plain',
    ...extra,
  };
}

async function post(activity: unknown) {
  expect((await postActivity(t.teamsMessagesUrl, activity)).status).toBeLessThan(300);
}

function outcomes(messageId: string): unknown[] {
  return t.log.lines.filter((l) => l.op === 'thread-message' && l.messageId === messageId).map((l) => l.outcome);
}

async function openDiscussion() {
  const c = await seedCase(t.database.db, home.team, { riskLevel: 'high', leadOfficerId: home.members['Olivia Officer']!.id, lastVisitOn: '2026-11-02' });
  await post(personalMessage(officer, t.connector.serviceUrl, `discuss ${c.key} Is a joint visit needed?`));
  const [root] = await t.connector.waitForSent((s) => s.operation === 'createConversation');
  const row = await t.database.db.selectFrom('discussions').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
  return { c, root: root!, row, rootId: row.thread_ref! };
}

async function press(user: TeamsUser, verb: string, data: Record<string, unknown>) {
  const res = await postActivity(t.teamsMessagesUrl, cardAction(user, t.connector.serviceUrl, verb, { ...data, verb }));
  expect(res.status).toBe(200);
  return res.json() as Promise<any>;
}

/** The card most recently sent to a person's chat. */
async function lastCardTo(user: TeamsUser): Promise<any> {
  const [sent] = await t.connector.waitForSent((s) => s.conversationId === `a:personal-${user.aadObjectId}`);
  return sent!.activity.attachments![0]!.content;
}

describe('Teams: case discussions', () => {
  it('starts a thread in the team channel and records replies once, with edits and soft deletions', async () => {
    const { c, root, row, rootId } = await openDiscussion();
    expect(root.conversationId).toBe(`${CHANNEL};messageid=${rootId}`);
    const card = root.activity.attachments![0]!.content as any;
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(JSON.stringify(card)).toContain(`Case discussion: ${c.key}`);
    expect(row).toMatchObject({ platform: 'teams', channel_id: CHANNEL, status: 'open' });

    const reply = threadActivity(colleague, rootId, { text: '<p>Yes, with probation.</p>' });
    await post(reply);
    await post(reply);
    expect(outcomes(reply.id)).toEqual(['recorded', 'duplicate']);
    await post(threadActivity(colleague, rootId, { ...reply, type: 'messageUpdate', text: 'Yes, jointly with probation.', channelData: { ...reply.channelData, eventType: 'editMessage' } }));
    await post(threadActivity(colleague, rootId, { ...reply, type: 'messageUpdate', text: 'Yes, jointly with probation.', channelData: { ...reply.channelData, eventType: 'editMessage' } }));
    const second = threadActivity(officer, rootId, { text: 'Withdrawn' });
    await post(second);
    await post(threadActivity(officer, rootId, { id: second.id, type: 'messageDelete', text: undefined, channelData: { ...second.channelData, eventType: 'softDeleteMessage' } }));
    // The bot's own message in the thread is never a reply.
    await post(threadActivity(colleague, rootId, { text: 'bot card', from: { id: '28:casework-bot', name: 'Casework' } }));
    expect(outcomes(reply.id)).toEqual(['recorded', 'duplicate', 'revised', 'duplicate']);
    expect(outcomes(second.id)).toEqual(['recorded', 'revised']);

    const stored = await t.database.db.selectFrom('discussion_messages').selectAll().where('discussion_id', '=', row.id).orderBy('posted_at').orderBy('recorded_at').execute();
    expect(stored.map((m) => [m.body, Boolean(m.edited_at), Boolean(m.deleted_at)])).toEqual([
      ['Yes, jointly with probation.', true, false],
      ['Withdrawn', false, true],
    ]);
    // No reply was read as a command: nothing was said back in the thread.
    expect(t.connector.sent().filter((s) => s.conversationId.includes(';messageid=') && s.operation !== 'createConversation')).toEqual([]);
    expect(t.log.raw()).not.toContain('jointly with probation');
  });

  it('does not record a reply from someone off the roster, and nudges a member whose reply looks like personal data', async () => {
    const { row, rootId } = await openDiscussion();
    const outsider = threadActivity({ aadObjectId: 'aad-outsider', name: 'Visitor' }, rootId, { text: 'Hello all' });
    await post(outsider);
    expect(outcomes(outsider.id)).toEqual(['refused']);
    const flagged = threadActivity(colleague, rootId, { text: 'Email him at someone@example.com' });
    await post(flagged);
    const [nudge] = await t.connector.waitForSent((s) => s.conversationId === `a:personal-${colleague.aadObjectId}` && JSON.stringify(s.activity).includes('an email address'));
    expect(nudge).toBeDefined();
    const stored = await t.database.db.selectFrom('discussion_messages').select(['author_platform_user_id', 'personal_data_flags']).where('discussion_id', '=', row.id).execute();
    expect(stored).toEqual([{ author_platform_user_id: colleague.aadObjectId, personal_data_flags: ['email'] }]);
  });

  it('lets only a supervisor sign a note into the thread and close the discussion', async () => {
    const { c, row, rootId } = await openDiscussion();
    t.connector.reset();
    await press(officer, 'supervision.note', { discussionId: row.id });
    expect(JSON.stringify(await lastCardTo(officer))).toContain('Only supervisors can write supervision notes.');

    await press(supervisor, 'supervision.note', { discussionId: row.id });
    const form = await lastCardTo(supervisor);
    expect(adaptiveCardProblems(form)).toEqual([]);
    const submit = form.actions.find((a: any) => a.verb === 'form.submit');
    const data = {
      ...submit.data,
      question: 'Is a joint visit needed?',
      riskView: 'High while the relationship is new.',
      decision: 'Joint visit with probation.',
      rationale: 'Probation hold the licence.',
      action1Owner: home.members['Olivia Officer']!.id,
      action1Due: '2026-11-30',
      action1Description: 'Arrange the visit',
    };
    // "Sign and lock" shows what will be locked; confirming it signs.
    const confirm = await press(supervisor, 'form.submit', data);
    expect(JSON.stringify(confirm.value)).toContain('Sign and lock this note?');
    const signed = await press(supervisor, 'supervision.note_sign', actionData(confirm.value, 'supervision.note_sign'));
    expect(signed).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(JSON.stringify(signed.value)).toContain('Signed and locked');
    const [inThread] = await t.connector.waitForSent((s) => s.conversationId === `${CHANNEL};messageid=${rootId}` && JSON.stringify(s.activity).includes('Joint visit with probation.'));
    expect(inThread).toBeDefined();
    await t.connector.waitForSent((s) => s.operation === 'updateActivity' && s.activityId === rootId);
    const deadline = await t.database.db.selectFrom('deadlines').selectAll().where('case_id', '=', c.id).where('kind', '=', 'supervision_action').executeTakeFirstOrThrow();
    expect(deadline).toMatchObject({ due_on: '2026-11-30', owner_member_id: home.members['Olivia Officer']!.id });
    const locked = await press(supervisor, 'form.submit', { ...data, ctx_noteId: (await t.database.db.selectFrom('supervision_notes').select('id').where('discussion_id', '=', row.id).executeTakeFirstOrThrow()).id, decision: 'Changed' });
    expect(JSON.stringify(locked)).toContain('signed and locked');

    t.connector.reset();
    await press(officer, 'discussion.close', { discussionId: row.id });
    expect(JSON.stringify(await lastCardTo(officer))).toContain('Only supervisors can close discussions.');
    await press(supervisor, 'discussion.close', { discussionId: row.id });
    const closeForm = await lastCardTo(supervisor);
    const closeSubmit = closeForm.actions.find((a: any) => a.verb === 'form.submit');
    await press(supervisor, 'form.submit', { ...closeSubmit.data, summary: 'Joint visit agreed.' });
    const [closing] = await t.connector.waitForSent((s) => s.conversationId === `${CHANNEL};messageid=${rootId}` && JSON.stringify(s.activity).includes('Discussion closed'));
    expect(JSON.stringify(closing!.activity)).toContain('Joint visit agreed.');
    expect((await t.database.db.selectFrom('discussions').select('status').where('id', '=', row.id).executeTakeFirstOrThrow()).status).toBe('closed');
  });
});
