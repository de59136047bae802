// People imported from a file by email are linked to their Slack account through the real Bolt
// receiver and the loopback Web API (users.info with profile.email): on their first message, or
// when they join the team's channel; never when Slack's email for the account differs. Until then
// their reminders wait; after linking they are delivered.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Member } from '../../../src/core/domain/entities.ts';
import type { DeliveryServices } from '../../../src/core/services.ts';
import { reposFor } from '../../../src/db/kysely-store.ts';
import { SLACK_WORKSPACE, type SeededTeam, importPeople, seedCase, seedTeam } from '../../support/factories.ts';
import { tick } from '../../support/reminder-fixtures.ts';
import { postSlackEvent, postSlackForm, slashCommand } from '../../support/slack-signing.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createTestDb, DATABASE_KINDS } from '../../support/test-db.ts';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from '../../support/test-app.ts';

/** Friday 20 November 2026, just after the 08:30 reminder time. */
const AT = '2026-11-20T08:31:00Z';
const HOME_CHANNEL = 'C0LINKS';
const PEOPLE_CSV = [
  'name,email,roles,supervisor,slack_user_id',
  'Priya Shah,priya.shah@mosovo.example,officer,,',
  'Tom Reid,tom.reid@mosovo.example,officer,,',
  'Grace Lin,grace.lin@mosovo.example,officer,,U0GRACE',
  'Dana Okafor,dana.okafor@mosovo.example,supervisor; admin,,',
].join('\n');

let t: TestApp;
let database: DatabaseHandle;
let home: SeededTeam;
let people: Record<string, Member>;


async function command(userId: string, text: string, channelId: string) {
  const name = `r-${Math.random().toString(36).slice(2)}`;
  const res = await postSlackForm(
    t.slackEventsUrl,
    TEST_SIGNING_SECRET,
    slashCommand(text, { user_id: userId, user_name: userId.toLowerCase(), team_id: SLACK_WORKSPACE, channel_id: channelId, channel_name: channelId.startsWith('D') ? 'directmessage' : 'mosovo-team', response_url: t.slackApi.responseUrl(name) }),
  );
  expect(res.status).toBe(200);
  const answer = await t.slackApi.waitFor('response_url', (a) => a.name === name);
  return JSON.stringify(answer.args);
}

let events = 0;
function memberJoined(user: string, channel: string) {
  events += 1;
  return postSlackEvent(t.slackEventsUrl, TEST_SIGNING_SECRET, {
    token: 'verification-token',
    team_id: SLACK_WORKSPACE,
    api_app_id: 'A0CASEWORK',
    type: 'event_callback',
    event_id: `Ev0LINK${events}`,
    event_time: 1_764_000_000,
    authorizations: [{ team_id: SLACK_WORKSPACE, user_id: 'U0BOT', is_bot: true }],
    event: { type: 'member_joined_channel', user, channel, channel_type: 'C', team: SLACK_WORKSPACE, event_ts: `1764000100.00${events}` },
  });
}

const identitiesOf = (memberId: string) => t.database.db.selectFrom('platform_identities').selectAll().where('member_id', '=', memberId).execute();
const auditOf = (memberId: string, action: string) =>
  t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', memberId).where('action', '=', action).execute();

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const until = Date.now() + 5000;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(DATABASE_KINDS)('Slack: linking people imported by email on %s', (kind) => {
  beforeAll(async () => {
    database = await createTestDb(kind);
    t = await startTestApp({ database, overrides: { clock: fixedClock(AT) } });
    home = await seedTeam(t.database.db, {
      channel: { platform: 'slack', workspaceId: SLACK_WORKSPACE, channelId: HOME_CHANNEL },
      people: [{ name: 'Ada Admin', roles: ['admin'], slackUserId: 'U0ADA' }],
    });
({ people } = await importPeople(t.database.db, home.team, PEOPLE_CSV));
  });
  afterAll(async () => {
    await t?.close();
    await database?.close();
  });
  beforeEach(() => t.slackApi.reset());

  it("holds a person's reminders until they first message Casework, links them by their profile email, then delivers", async () => {
    const priya = people['Priya Shah']!;
    const c = await seedCase(t.database.db, home.team, { leadOfficerId: priya.id });
    await reposFor(t.database.db).deadlines.syncOpen({ teamId: home.team.id, kind: 'visit', subjectKey: `visit:${c.id}`, caseId: c.id, ownerMemberId: priya.id, dueOn: '2026-11-19' });
    const services = t.app.delivery as DeliveryServices & { clock: ReturnType<typeof fixedClock> };

    await tick(services, AT);
    const held = await t.database.db.selectFrom('reminders').selectAll().where('recipient_member_id', '=', priya.id).execute();
    expect(held.length).toBeGreaterThan(0);
    expect(held.every((r) => r.status === 'pending')).toBe(true);
    expect(await t.database.db.selectFrom('outbound_messages').selectAll().where('member_id', '=', priya.id).execute()).toEqual([]);

    // Slack's email differs only in case: the same person.
    t.slackApi.setUserEmail('U0PRIYA', 'Priya.Shah@MOSOVO.example');
    const answer = await command('U0PRIYA', 'me', 'D0PRIYA');
    expect(answer).toContain('Priya Shah');
    expect(t.slackApi.callsTo('users.info').some((call) => call.args.user === 'U0PRIYA')).toBe(true);
    expect(await identitiesOf(priya.id)).toEqual([expect.objectContaining({ platform: 'slack', workspace_id: SLACK_WORKSPACE, user_id: 'U0PRIYA', linked_at: expect.any(Date) })]);
    const linked = await auditOf(priya.id, 'identity.linked');
    expect(linked).toHaveLength(1);
    expect(linked[0]!.after).toMatchObject({ platform: 'slack', via: 'email' });
    expect(JSON.stringify(linked[0])).not.toContain('priya.shah@');

    await tick(services, '2026-11-20T08:32:00Z');
    const sent = await t.database.db.selectFrom('outbound_messages').selectAll().where('member_id', '=', priya.id).execute();
    expect(sent).toEqual([expect.objectContaining({ kind: 'digest', status: 'sent' })]);
    expect(t.slackApi.callsTo('chat.postMessage').some((call) => String(call.args.channel) === 'D0PRIYA')).toBe(true);
  });

  it('links a person who joins the team channel', async () => {
    const tom = people['Tom Reid']!;
    t.slackApi.setUserEmail('U0TOM', 'tom.reid@mosovo.example');
    const res = await memberJoined('U0TOM', HOME_CHANNEL);
    expect(res.status).toBe(200);
    const identities = await eventually(() => identitiesOf(tom.id), (rows) => rows.length > 0);
    expect(identities).toEqual([expect.objectContaining({ user_id: 'U0TOM', linked_at: expect.any(Date) })]);
    expect((await auditOf(tom.id, 'identity.linked'))[0]!.after).toMatchObject({ via: 'email', on: 'joined the channel' });
  });

  it('refuses an account the file named whose Slack email differs, and one with no email', async () => {
    const grace = people['Grace Lin']!;
    t.slackApi.setUserEmail('U0GRACE', 'someone.else@mosovo.example');
    const refused = await command('U0GRACE', 'me', 'D0GRACE');
    expect(refused).toContain('You are not on a Casework team yet');
    expect(await identitiesOf(grace.id)).toEqual([]);
    const audit = await auditOf(grace.id, 'identity.link_refused');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toEqual({ platform: 'slack', reason: 'the account has a different email' });
    expect(JSON.stringify(audit[0])).not.toContain('someone.else');

    // Without the users:read.email scope Slack gives no email: nobody is linked.
    t.slackApi.setUserEmail('U0NOMAIL', null);
    expect(await command('U0NOMAIL', 'me', 'D0NOMAIL')).toContain('You are not on a Casework team yet');
    expect(await t.database.db.selectFrom('platform_identities').selectAll().where('user_id', '=', 'U0NOMAIL').execute()).toEqual([]);

    // The admin sees who has not been reached yet (Priya and Tom were linked above; Grace and Dana not).
    const roster = await command('U0ADA', 'roster', 'D0ADA');
    expect(roster).toContain('5 members · 2 not yet linked');
    expect(roster).toContain('Not yet linked: by their email when they first message Casework or join the team channel');
  });

  it('links someone imported by email who sets up a new channel, as well as making them its admin', async () => {
    const dana = people['Dana Okafor']!;
    t.slackApi.setUserEmail('U0DANA', 'dana.okafor@mosovo.example');
    const answer = await command('U0DANA', 'setup', `C0DANA${kind.toUpperCase()}`);
    expect(answer).toContain('is its first admin');
    expect(await identitiesOf(dana.id)).toEqual([expect.objectContaining({ user_id: 'U0DANA', linked_at: expect.any(Date) })]);
    const teams = await t.database.db.selectFrom('platform_identities').select('team_id').where('user_id', '=', 'U0DANA').execute();
    expect(teams).toHaveLength(2);
  });
});
