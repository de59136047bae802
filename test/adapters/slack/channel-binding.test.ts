// A team made on the command line (team, people file, caseload) gets its Slack channel from its
// admin, through the real Bolt receiver and the loopback Web API: the admin, linked by email,
// invites Casework to a channel (signed member_joined_channel) or runs /casework setup there, and
// the channel is bound to that team, not a new one. Officers' discussions then go to it. Refusals
// (not an admin, a channel that has a team, several teams and no key) go to the person only.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Team } from '../../../src/core/domain/entities.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { reposFor } from '../../../src/db/kysely-store.ts';
import { SLACK_WORKSPACE, importPeople, seedCase, seedTeam } from '../../support/factories.ts';
import { postSlackEvent, postSlackForm, slashCommand } from '../../support/slack-signing.ts';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from '../../support/test-app.ts';
import { createTestDb, DATABASE_KINDS } from '../../support/test-db.ts';

const AT = '2026-11-20T10:00:00Z';

let t: TestApp;
let database: DatabaseHandle;
let events = 0;

/** A team as `casework team create` and `casework import people` leave it: no channel. */
async function cliTeam(name: string, key: string, csv: string): Promise<Team> {
  return (await importPeople(t.database.db, { key, name }, csv)).team;
}

function invited(channel: string, inviter: string) {
  events += 1;
  return postSlackEvent(t.slackEventsUrl, TEST_SIGNING_SECRET, {
    token: 'verification-token',
    team_id: SLACK_WORKSPACE,
    api_app_id: 'A0CASEWORK',
    type: 'event_callback',
    event_id: `Ev0BIND${events}`,
    event_time: 1_764_000_000,
    authorizations: [{ team_id: SLACK_WORKSPACE, user_id: 'U0BOT', is_bot: true }],
    event: { type: 'member_joined_channel', user: 'U0BOT', channel, channel_type: 'C', team: SLACK_WORKSPACE, inviter, event_ts: `1764000200.00${events}` },
  });
}

async function command(userId: string, text: string, channelId: string): Promise<string> {
  const name = `r-${Math.random().toString(36).slice(2)}`;
  const res = await postSlackForm(
    t.slackEventsUrl,
    TEST_SIGNING_SECRET,
    slashCommand(text, { user_id: userId, user_name: userId.toLowerCase(), team_id: SLACK_WORKSPACE, channel_id: channelId, channel_name: 'north-team', response_url: t.slackApi.responseUrl(name) }),
  );
  expect(res.status).toBe(200);
  const answer = await t.slackApi.waitFor('response_url', (a) => a.name === name);
  expect(answer.args.response_type).toBe('ephemeral');
  return JSON.stringify(answer.args);
}

const teamRow = (id: string) => reposFor(t.database.db).teams.findById(id);
const teamCount = async () => (await reposFor(t.database.db).teams.list()).length;
const bindAudit = (teamId: string) => t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', teamId).where('action', '=', 'team.channel_bound').execute();
const memberByName = async (team: Team, name: string) => (await reposFor(t.database.db).members.listByTeam(team.id)).find((m) => m.displayName === name)!;

describe.each(DATABASE_KINDS)('Slack: a team made on the command line gets its channel on %s', (kind) => {
  let north: Team;
  let east: Team;
  let west: Team;
  let central: Team;
  const taken = `C0TAKEN${kind.toUpperCase()}`;

  beforeAll(async () => {
    database = await createTestDb(kind);
    t = await startTestApp({ database, overrides: { clock: fixedClock(AT) } });
    await seedTeam(t.database.db, { name: 'South', channel: { platform: 'slack', workspaceId: SLACK_WORKSPACE, channelId: taken } });
    north = await cliTeam(
      'North',
      'T-N0RT',
      ['name,email,roles', 'Dana Okafor,dana.okafor@mosovo.example,supervisor; admin', 'Priya Shah,priya.shah@mosovo.example,officer', 'Noel Hart,noel.hart@mosovo.example,officer'].join('\n'),
    );
    east = await cliTeam('East', 'T-EA5T', ['name,email,roles', 'Mia Lund,mia.lund@mosovo.example,admin'].join('\n'));
    west = await cliTeam('West', 'T-WE5T', ['name,email,roles', 'Mia Lund,mia.lund@mosovo.example,admin'].join('\n'));
    central = await cliTeam('Central', 'T-CE2T', ['name,email,roles,slack_user_id', 'Ravi Rao,ravi.rao@mosovo.example,admin,U0RAVI'].join('\n'));
  });
  afterAll(async () => {
    await t?.close();
    await database?.close();
  });
  // The fake forgets profile emails on reset: give them again before each test.
  const emails = () => {
    t.slackApi.setUserEmail('U0DANA', 'dana.okafor@mosovo.example');
    t.slackApi.setUserEmail('U0PRIYA', 'priya.shah@mosovo.example');
    t.slackApi.setUserEmail('U0NOEL', 'Noel.Hart@mosovo.example');
    t.slackApi.setUserEmail('U0MIA', 'mia.lund@mosovo.example');
    t.slackApi.setUserEmail('U0RAVI', 'ravi.rao@mosovo.example');
  };
  beforeEach(() => {
    t.slackApi.reset();
    emails();
  });

  it('refuses a member who is not an admin, privately, and makes no new team', async () => {
    const before = await teamCount();
    const answer = await command('U0NOEL', 'setup', 'C0NORTH');
    expect(answer).toContain('only its admins can give it one');
    expect(answer).toContain('Dana Okafor');
    expect((await teamRow(north.id))!.channel).toBeNull();
    expect(await teamCount()).toBe(before);
    expect(t.slackApi.callsTo('chat.postMessage')).toEqual([]);
  });

  it("refuses the admin's invitation to a channel that already has a team, to the admin alone", async () => {
    const res = await invited(taken, 'U0DANA');
    expect(res.status).toBe(200);
    const refusal = await t.slackApi.waitFor('chat.postEphemeral', (args) => args.user === 'U0DANA');
    expect(refusal.args.channel).toBe(taken);
    expect(JSON.stringify(refusal)).toContain('already belongs to South');
    expect(JSON.stringify(refusal)).toContain('North (T-N0RT)');
    expect(t.slackApi.callsTo('chat.postMessage')).toEqual([]);
    expect((await teamRow(north.id))!.channel).toBeNull();
    expect(await bindAudit(north.id)).toEqual([]);
  });

  it('binds the channel the admin invites Casework to, welcomes the team there, and officers discuss cases in it', async () => {
    const before = await teamCount();
    await invited('C0NORTH', 'U0DANA');
    const welcome = await t.slackApi.waitFor('chat.postMessage', (args) => args.channel === 'C0NORTH');
    expect(JSON.stringify(welcome)).toContain('This is now the channel of North');
    expect(JSON.stringify(welcome)).toContain('T-N0RT');
    expect(await teamCount()).toBe(before);
    expect((await teamRow(north.id))!.channel).toMatchObject({ platform: 'slack', workspaceId: SLACK_WORKSPACE, channelId: 'C0NORTH' });

    const dana = await memberByName(north, 'Dana Okafor');
    const audit = await bindAudit(north.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ team_id: north.id, actor_member_id: dana.id });
    expect(audit[0]!.after).toMatchObject({ key: 'T-N0RT', name: 'North', channel: { platform: 'slack', workspaceId: SLACK_WORKSPACE, channelId: 'C0NORTH' } });

    // The channel is North's now: setup there again says so, and nothing changes.
    expect(await command('U0DANA', 'setup', 'C0NORTH')).toContain('This channel belongs to North');

    // An officer, linked by email on their first command, opens a discussion: its root goes to North's channel.
    const priya = await memberByName(north, 'Priya Shah');
    const c = await seedCase(t.database.db, north, { leadOfficerId: priya.id, supervisorId: dana.id });
    t.slackApi.reset();
    emails();
    await command('U0PRIYA', `discuss ${c.key} Is a joint visit with probation needed?`, 'D0PRIYA');
    const root = await t.slackApi.waitFor('chat.postMessage', (args) => args.channel === 'C0NORTH' && !args.thread_ts);
    expect(JSON.stringify(root)).toContain(c.key);
  });

  it('asks an admin of several channel-less teams which one, then binds the one named by key', async () => {
    const asked = await command('U0MIA', 'setup', 'C0WEST');
    expect(asked).toContain('T-EA5T (East)');
    expect(asked).toContain('T-WE5T (West)');
    expect(asked).toContain('/casework setup TEAMKEY');
    expect((await teamRow(west.id))!.channel).toBeNull();
    expect((await teamRow(east.id))!.channel).toBeNull();

    expect(await command('U0DANA', 'setup T-WE5T', 'C0WEST')).toContain('Only an admin of West (T-WE5T) can give it a channel');
    expect(await command('U0MIA', 'setup T-ZZZZ', 'C0WEST')).toContain('No team has the key T-ZZZZ');

    const done = await command('U0MIA', 'setup t-we5t', 'C0WEST');
    expect(done).toContain('West (T-WE5T) now has this channel');
    const welcome = await t.slackApi.waitFor('chat.postMessage', (args) => args.channel === 'C0WEST');
    expect(JSON.stringify(welcome)).toContain('This is now the channel of West');
    expect((await teamRow(west.id))!.channel).toMatchObject({ channelId: 'C0WEST' });
    expect((await teamRow(east.id))!.channel).toBeNull();
    expect(await bindAudit(west.id)).toHaveLength(1);

    // One team left without a channel: plain setup elsewhere binds it; West keeps its channel.
    expect(await command('U0MIA', 'setup T-WE5T', 'C0EAST')).toContain('already has its team channel');
    expect(await command('U0MIA', 'setup', 'C0EAST')).toContain('East (T-EA5T) now has this channel');
    expect((await teamRow(east.id))!.channel).toMatchObject({ channelId: 'C0EAST' });
  });

  it('binds for an admin the file named by their Slack id, once Slack confirms the email', async () => {
    await invited('C0CENTRAL', 'U0RAVI');
    const welcome = await t.slackApi.waitFor('chat.postMessage', (args) => args.channel === 'C0CENTRAL');
    expect(JSON.stringify(welcome)).toContain('This is now the channel of Central');
    const ravi = await memberByName(central, 'Ravi Rao');
    const linked = await t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', ravi.id).where('action', '=', 'identity.linked').execute();
    expect(linked).toHaveLength(1);
    expect(await bindAudit(central.id)).toEqual([expect.objectContaining({ actor_member_id: ravi.id })]);
  });
});
