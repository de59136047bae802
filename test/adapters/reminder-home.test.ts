// "My deadlines" through the real app: Slack's App Home (a signed app_home_opened event answered
// with views.publish) and Teams' `deadlines` card, which carries `refresh` (with the requester in
// `userIds`, so Teams refreshes it for them) and is answered afresh by the refresh invoke.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { reposFor } from '../../src/db/kysely-store.ts';
import { adaptiveCardProblems } from '../support/adaptive-card-validation.ts';
import { SLACK_WORKSPACE } from '../support/factories.ts';
import { addDeadline, quietCase, seedReminderTeam, type ReminderTeam } from '../support/reminder-fixtures.ts';
import { postSlackEvent } from '../support/slack-signing.ts';
import { clickSlackButton } from '../support/slack-interactions.ts';
import { cardAction, personalMessage, postActivity } from '../support/teams-activities.ts';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let team: ReminderTeam;
let caseKey: string;
let deadlineId: string;

beforeAll(async () => {
  t = await startTestApp({ overrides: { clock: fixedClock('2026-11-20T10:00:00Z') } });
  team = await seedReminderTeam(t.database.db, { platform: 'both', prefix: 'HOME' });
  const c = await quietCase(t.database.db, team);
  caseKey = c.key;
  deadlineId = await addDeadline(t.database.db, team, c, 'visit', '2026-11-25');
});
afterAll(async () => {
  await t?.close();
});

async function userId(platform: 'slack' | 'teams'): Promise<string> {
  const identities = await reposFor(t.database.db).members.identitiesOf(team.officer.id);
  return identities.find((i) => i.platform === platform)!.userId;
}

describe('Slack App Home', () => {
  it('answers a signed app_home_opened with views.publish of the member’s deadlines', async () => {
    t.slackApi.reset();
    const user = await userId('slack');
    const res = await postSlackEvent(t.slackEventsUrl, TEST_SIGNING_SECRET, {
      token: 'verification-token',
      team_id: SLACK_WORKSPACE,
      api_app_id: 'A0CASEWORK',
      type: 'event_callback',
      event_id: 'Ev0HOME0001',
      event_time: 1_763_632_800,
      authorizations: [{ team_id: SLACK_WORKSPACE, user_id: 'U0BOT', is_bot: true }],
      event: { type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home', event_ts: '1763632800.000100' },
    });
    expect(res.status).toBe(200);
    const call = await t.slackApi.waitFor('views.publish');
    expect(call.args.user_id).toBe(user);
    const view = call.args.view as { type: string; blocks: unknown[] };
    expect(view.type).toBe('home');
    expect(JSON.stringify(view.blocks)).toContain(caseKey);
    expect(JSON.stringify(view.blocks)).toContain('reminder.ack');
    expect(t.slackApi.violations).toEqual([]);
  });

  it('answers a filter button on the home tab by publishing the tab again, filtered', async () => {
    t.slackApi.reset();
    const user = await userId('slack');
    const res = await clickSlackButton(t.slackEventsUrl, { teamId: SLACK_WORKSPACE, userId: user }, { action_id: 'due.page', value: JSON.stringify({ page: '1', filter: 'overdue' }) }, { home: true });
    expect(res.status).toBe(200);
    const call = await t.slackApi.waitFor('views.publish');
    expect(call.args.user_id).toBe(user);
    const text = JSON.stringify(call.args.view.blocks);
    expect(text).toContain('My deadlines: overdue only');
    expect(text).toContain('Nothing is overdue.');
    expect(t.slackApi.violations).toEqual([]);
  });
});

describe('Teams: deadlines card', () => {
  it('answers `deadlines` in personal chat with a valid card that refreshes for the requester', async () => {
    t.connector.reset();
    const aad = await userId('teams');
    const res = await postActivity(t.teamsMessagesUrl, personalMessage({ aadObjectId: aad, name: 'Olivia Officer' }, t.connector.serviceUrl, 'deadlines'));
    expect(res.status).toBe(200);
    const [sent] = await t.connector.waitForSent(() => true);
    const card = sent!.activity.attachments?.[0]?.content as Record<string, any>;
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(card.refresh).toMatchObject({ action: { type: 'Action.Execute', verb: 'reminder.deadlines' }, userIds: [`29:${aad}`] });
    expect(JSON.stringify(card.body)).toContain(caseKey);
  });

  it('answers the refresh invoke with an up-to-date card', async () => {
    const aad = await userId('teams');
    // The deadline is acknowledged elsewhere after the card was sent; the refresh shows it.
    await reposFor(t.database.db).reminders.acknowledge(deadlineId, new Date('2026-11-20T10:05:00Z'));
    const second = await quietCase(t.database.db, team);
    await addDeadline(t.database.db, team, second, 'assessment_review', '2026-12-04');
    const invoke = { ...cardAction({ aadObjectId: aad }, t.connector.serviceUrl, 'reminder.deadlines', { verb: 'reminder.deadlines' }), value: { action: { type: 'Action.Execute', verb: 'reminder.deadlines', data: { verb: 'reminder.deadlines' } }, trigger: 'automatic' } };
    const res = await postActivity(t.teamsMessagesUrl, invoke);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { statusCode: number; type: string; value: Record<string, any> };
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(adaptiveCardProblems(body.value)).toEqual([]);
    expect(body.value.refresh).toMatchObject({ action: { verb: 'reminder.deadlines' }, userIds: [`29:${aad}`] });
    const text = JSON.stringify(body.value.body);
    expect(text).toContain(second.key);
    expect(text).toContain('Acknowledged');
  });
});
