import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Case } from '../../../src/core/domain/entities.ts';
import { seedCase, seedTeam, SLACK_WORKSPACE, type SeededTeam } from '../../support/factories.ts';
import { clickSlackButton, submitSlackModal, modalErrors } from '../../support/slack-interactions.ts';
import { postSlackEvent, postSlackForm, slashCommand } from '../../support/slack-signing.ts';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from '../../support/test-app.ts';

let t: TestApp;
let home: SeededTeam;
let high: Case;
const HOME_CHANNEL = 'C0HOME';

beforeAll(async () => {
  t = await startTestApp({ overrides: { clock: fixedClock('2026-11-27T10:00:00Z') } });
  home = await seedTeam(t.database.db, {
    channel: { platform: 'slack', workspaceId: SLACK_WORKSPACE, channelId: HOME_CHANNEL },
    people: [
      { name: 'Ada Admin', roles: ['admin'], slackUserId: 'U0ADM' },
      { name: 'Olivia Officer', roles: ['officer'], slackUserId: 'U0OFF' },
    ],
  });
  high = await seedCase(t.database.db, home.team, { riskLevel: 'high', lastVisitOn: '2026-11-02', leadOfficerId: home.members['Olivia Officer']!.id });
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => t.slackApi.reset());

let eventCounter = 0;
function memberJoined(user: string, channel: string, inviter?: string) {
  eventCounter += 1;
  return postSlackEvent(t.slackEventsUrl, TEST_SIGNING_SECRET, {
    token: 'verification-token',
    team_id: SLACK_WORKSPACE,
    api_app_id: 'A0CASEWORK',
    type: 'event_callback',
    event_id: `Ev0JOIN${eventCounter}`,
    event_time: 1_764_000_000,
    authorizations: [{ team_id: SLACK_WORKSPACE, user_id: 'U0BOT', is_bot: true }],
    event: { type: 'member_joined_channel', user, channel, channel_type: 'C', team: SLACK_WORKSPACE, ...(inviter ? { inviter } : {}), event_ts: `1764000000.00${eventCounter}` },
  });
}

async function command(userId: string, text: string, channelId = HOME_CHANNEL, channelName = 'mosovo-team') {
  const name = `r-${Math.random().toString(36).slice(2)}`;
  const res = await postSlackForm(
    t.slackEventsUrl,
    TEST_SIGNING_SECRET,
    slashCommand(text, { user_id: userId, user_name: userId.toLowerCase(), team_id: SLACK_WORKSPACE, channel_id: channelId, channel_name: channelName, response_url: t.slackApi.responseUrl(name) }),
  );
  expect(res.status).toBe(200);
  return name;
}

async function openedForm(userId: string, text: string) {
  await command(userId, text);
  const opened = await t.slackApi.waitFor('views.open');
  const update = await t.slackApi.waitFor('views.update', (args: any) => args.view?.callback_id === 'casework.form');
  return { opened: opened.args.view, modal: update.args.view };
}

describe('Slack: team onboarding', () => {
  it('registers the team when Casework is invited to a channel, with the inviter as admin, and welcomes it there', async () => {
    const res = await memberJoined('U0BOT', 'C0NEWTEAM', 'U0FOUNDER');
    expect(res.status).toBe(200);
    const posted = await t.slackApi.waitFor('chat.postMessage');
    expect(posted.args.channel).toBe('C0NEWTEAM');
    const flat = JSON.stringify(posted.args.blocks);
    // The fake's conversations.info names channel C0NEWTEAM "channel-c0newteam"; users.info gives "User U0FOUNDER".
    expect(posted.args.blocks[0].text.text).toBe('Casework is set up for channel-c0newteam');
    expect(flat).toContain('User U0FOUNDER set up the team and is its first admin.');
    expect(flat).toContain('/casework roster add');
    expect(flat).toContain('"action_id":"roster.add"');

    const team = await t.database.db.selectFrom('teams').selectAll().where('channel_id', '=', 'C0NEWTEAM').executeTakeFirstOrThrow();
    expect(team).toMatchObject({ name: 'channel-c0newteam', channel_platform: 'slack', channel_workspace_id: SLACK_WORKSPACE, time_zone: 'Europe/London' });
    const members = await t.database.db.selectFrom('members').selectAll().where('team_id', '=', team.id).execute();
    expect(members).toEqual([expect.objectContaining({ display_name: 'User U0FOUNDER', roles: ['admin'] })]);
    const identity = await t.database.db.selectFrom('platform_identities').selectAll().where('member_id', '=', members[0]!.id).executeTakeFirstOrThrow();
    expect(identity).toMatchObject({ user_id: 'U0FOUNDER', workspace_id: SLACK_WORKSPACE });
    expect(identity.linked_at).not.toBeNull();
    expect(t.slackApi.violations).toEqual([]);
  });

  it('ignores other people joining a channel', async () => {
    await memberJoined('U0SOMEONE', 'C0QUIET', 'U0FOUNDER');
    // A later bot join shows the first event has been handled (events are handled in order).
    await memberJoined('U0BOT', 'C0LATER', 'U0FOUNDER');
    await t.slackApi.waitFor('chat.postMessage', (args) => args.channel === 'C0LATER');
    expect(t.slackApi.callsTo('chat.postMessage').map((c) => c.args.channel)).toEqual(['C0LATER']);
    const quiet = await t.database.db.selectFrom('teams').selectAll().where('channel_id', '=', 'C0QUIET').execute();
    expect(quiet).toEqual([]);
  });

  it('registers a team with /casework setup in a channel, and says which team has it when run again', async () => {
    const first = await command('U0SETTER', 'setup Northshire MOSOVO', 'C0SETUP', 'northshire');
    const welcome = await t.slackApi.waitFor('response_url', (a) => a.name === first);
    expect(welcome.args.response_type).toBe('ephemeral');
    expect(welcome.args.blocks[0].text.text).toBe('Casework is set up for Northshire MOSOVO');
    const team = await t.database.db.selectFrom('teams').selectAll().where('channel_id', '=', 'C0SETUP').executeTakeFirstOrThrow();
    expect(team.name).toBe('Northshire MOSOVO');

    const second = await command('U0OTHER', 'setup', 'C0SETUP', 'northshire');
    const again = await t.slackApi.waitFor('response_url', (a) => a.name === second);
    const flat = JSON.stringify(again.args.blocks);
    expect(again.args.blocks[0].text.text).toBe('This channel belongs to Northshire MOSOVO');
    expect(flat).toContain('User U0SETTER');
    expect(flat).toContain('/casework roster add');
  });
});

describe('Slack: roster', () => {
  it('adds a person through the modal with a user picker, naming them from Slack', async () => {
    const { opened, modal } = await openedForm('U0ADM', 'roster add');
    expect(opened.title.text).toBe('Add a person');
    const person = modal.blocks.find((b: any) => b.block_id === 'person');
    expect(person.element.type).toBe('users_select');
    expect(modal.blocks.find((b: any) => b.block_id === 'displayName').optional).toBe(true);

    const res = await submitSlackModal(t.slackEventsUrl, { teamId: SLACK_WORKSPACE, userId: 'U0ADM' }, modal, { person: 'U0NEWBIE', roles: ['officer'] });
    const body: any = await res.json();
    expect(body.response_action).toBe('update');
    expect(JSON.stringify(body.view.blocks)).toContain('User U0NEWBIE is on the');
    expect(t.slackApi.callsTo('users.info').map((c) => c.args.user)).toContain('U0NEWBIE');

    const member = await t.database.db.selectFrom('members').selectAll().where('team_id', '=', home.team.id).where('display_name', '=', 'User U0NEWBIE').executeTakeFirstOrThrow();
    expect(member).toMatchObject({ roles: ['officer'], active: true });
    const identity = await t.database.db.selectFrom('platform_identities').selectAll().where('member_id', '=', member.id).executeTakeFirstOrThrow();
    expect(identity).toMatchObject({ platform: 'slack', workspace_id: SLACK_WORKSPACE, user_id: 'U0NEWBIE', linked_at: null });
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', member.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['member.added']);

    const dup = await submitSlackModal(t.slackEventsUrl, { teamId: SLACK_WORKSPACE, userId: 'U0ADM' }, modal, { person: 'U0OFF', roles: ['officer'] });
    const dupBody: any = await dup.json();
    expect(dupBody.response_action).toBe('update');
    expect(modalErrors(dupBody.view)).toEqual({ person: 'Olivia Officer is already on the roster. Use Change on the roster to alter their roles.' });
    expect(t.slackApi.violations).toEqual([]);
  });

  it('lists the roster for an admin and refuses it to an officer', async () => {
    const asAdmin = await command('U0ADM', 'roster');
    const list = await t.slackApi.waitFor('response_url', (a) => a.name === asAdmin);
    const flat = JSON.stringify(list.args.blocks);
    expect(flat).toContain('Olivia Officer');
    expect(flat).not.toContain('roster.remove');

    const asOfficer = await command('U0OFF', 'roster');
    const refused = await t.slackApi.waitFor('response_url', (a) => a.name === asOfficer);
    expect(JSON.stringify(refused.args.blocks)).toContain('Only team admins can change the roster.');
  });
});

describe('Slack: policy', () => {
  it('shows a bad pattern inline, then saves a valid change and recalculates the case due date', async () => {
    expect((await t.database.db.selectFrom('cases_with_due_dates').select('visit_due_on').where('id', '=', high.id).executeTakeFirstOrThrow()).visit_due_on).toBe('2027-02-02');
    // `policy` shows the policy in words; an admin's "Edit policy" opens the form.
    await command('U0ADM', 'policy');
    await clickSlackButton(t.slackEventsUrl, { teamId: SLACK_WORKSPACE, userId: 'U0ADM' }, { action_id: 'policy.open', value: '{}' });
    const opened = (await t.slackApi.waitFor('views.open')).args.view;
    const modal = (await t.slackApi.waitFor('views.update', (args: any) => args.view?.callback_id === 'casework.form')).args.view;
    expect(opened.title.text).toBe('Team policy');
    expect(modal.blocks.find((b: any) => b.block_id === 'visitHigh').element).toMatchObject({ type: 'number_input', initial_value: '3' });

    const bad = await submitSlackModal(t.slackEventsUrl, { teamId: SLACK_WORKSPACE, userId: 'U0ADM' }, modal, { externalRefPattern: '(unclosed' });
    const badBody: any = await bad.json();
    expect(badBody.response_action).toBe('update');
    expect(modalErrors(badBody.view).externalRefPattern).toMatch(/^That is not a valid regular expression/);

    const good = await submitSlackModal(t.slackEventsUrl, { teamId: SLACK_WORKSPACE, userId: 'U0ADM' }, modal, { visitHigh: '2', externalRefPattern: 'VP\\d{6}' });
    const goodBody: any = await good.json();
    expect(goodBody.response_action).toBe('update');
    expect(JSON.stringify(goodBody.view.blocks)).toContain('Policy saved. Recalculating the due dates of 1 active case now');
    // The recalculation runs straight after the answer, off the request path.
    await t.app.jobs.drain();
    const row = await t.database.db.selectFrom('cases_with_due_dates').select('visit_due_on').where('id', '=', high.id).executeTakeFirstOrThrow();
    expect(row.visit_due_on).toBe('2026-12-31');
    const team = await t.database.db.selectFrom('teams').select('policy').where('id', '=', home.team.id).executeTakeFirstOrThrow();
    expect(team.policy).toMatchObject({ externalRefPattern: 'VP\\d{6}', intervals: { high: { visitMonths: 2 } } });
    expect(t.slackApi.violations).toEqual([]);
  });
});
