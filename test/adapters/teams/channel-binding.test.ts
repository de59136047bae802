// A team made on the command line gets its Teams channel from its admin, through the real
// CloudAdapter and the loopback connector: the admin (linked by the email the members endpoint
// gives) adds Casework to their Teams team, or @mentions it with setup in a channel, and that
// channel is bound to the existing team, not a new one; an officer's discussion then starts a
// thread there. Refusals (not an admin, a channel that has a team, several teams and no key) go
// to the person's own chat, never the channel.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Team } from '../../../src/core/domain/entities.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { reposFor } from '../../../src/db/kysely-store.ts';
import { TEAMS_TENANT, importPeople, seedCase, seedTeam } from '../../support/factories.ts';
import type { SentActivity } from '../../support/fake-bot-connector.ts';
import { channelMention, personalMessage, postActivity, type TeamsUser } from '../../support/teams-activities.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { createTestDb, DATABASE_KINDS } from '../../support/test-db.ts';

const AT = '2026-11-20T10:00:00Z';
const BOT_ID = '28:casework-bot';
const dana: TeamsUser = { aadObjectId: 'a1111111-1111-4111-8111-111111111111', name: 'Dana Okafor' };
const priya: TeamsUser = { aadObjectId: 'a2222222-2222-4222-8222-222222222222', name: 'Priya Shah' };
const noel: TeamsUser = { aadObjectId: 'a3333333-3333-4333-8333-333333333333', name: 'Noel Hart' };
const mia: TeamsUser = { aadObjectId: 'a4444444-4444-4444-8444-444444444444', name: 'Mia Lund' };
const EMAILS: [TeamsUser, string][] = [
  [dana, 'dana.okafor@mosovo.example'],
  [priya, 'priya.shah@mosovo.example'],
  [noel, 'noel.hart@mosovo.example'],
  [mia, 'mia.lund@mosovo.example'],
];

let t: TestApp;
let database: DatabaseHandle;
let installs = 0;

async function cliTeam(name: string, key: string, csv: string): Promise<Team> {
  return (await importPeople(t.database.db, { key, name }, csv)).team;
}

/** The members endpoint of every conversation the test uses gives each person's email. */
function knowEmails(conversationIds: string[]): void {
  for (const id of conversationIds) {
    t.connector.setMembers(
      id,
      EMAILS.map(([user, email]) => ({ id: `29:${user.aadObjectId}`, aadObjectId: user.aadObjectId, email })),
    );
  }
}

/** Casework added to a Teams team by `by` (the General channel's id is the team's id). */
function installed(by: TeamsUser, team: { id: string; name: string }) {
  installs += 1;
  return postActivity(t.teamsMessagesUrl, {
    type: 'conversationUpdate',
    id: `f:bind-install-${installs}`,
    channelId: 'msteams',
    serviceUrl: t.connector.serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: `29:${by.aadObjectId}`, aadObjectId: by.aadObjectId },
    recipient: { id: BOT_ID, name: 'Casework' },
    conversation: { id: team.id, conversationType: 'channel', isGroup: true, tenantId: TEAMS_TENANT },
    membersAdded: [{ id: BOT_ID }],
    channelData: { team: { id: team.id, name: team.name }, eventType: 'teamMemberAdded', tenant: { id: TEAMS_TENANT } },
  });
}

async function mention(user: TeamsUser, text: string, channel: { teamId: string; channelId: string }): Promise<void> {
  expect((await postActivity(t.teamsMessagesUrl, channelMention(user, t.connector.serviceUrl, text, channel))).status).toBe(200);
}

const flat = (sent: SentActivity | undefined) => JSON.stringify(sent?.activity ?? null);
const inChannel = (channelId: string) => (s: SentActivity) => s.conversationId === channelId || s.conversationId.startsWith(`${channelId};`);
const teamRow = (id: string) => reposFor(t.database.db).teams.findById(id);
const teamCount = async () => (await reposFor(t.database.db).teams.list()).length;
const bindAudit = (teamId: string) => t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', teamId).where('action', '=', 'team.channel_bound').execute();

describe.each(DATABASE_KINDS)('Teams: a team made on the command line gets its channel on %s', (kind) => {
  let north: Team;
  let east: Team;
  let west: Team;
  const taken = `19:taken-${kind}@thread.tacv2`;
  const northTeam = { id: `19:north-${kind}@thread.tacv2`, name: 'North OMU' };
  const westChannel = { teamId: `19:west-team-${kind}@thread.tacv2`, channelId: `19:west-${kind}@thread.tacv2` };
  const otherChannel = { teamId: `19:other-team-${kind}@thread.tacv2`, channelId: `19:other-${kind}@thread.tacv2` };

  beforeAll(async () => {
    database = await createTestDb(kind);
    t = await startTestApp({ database, overrides: { clock: fixedClock(AT) } });
    await seedTeam(t.database.db, { name: 'South', channel: { platform: 'teams', workspaceId: TEAMS_TENANT, channelId: taken } });
    north = await cliTeam(
      'North',
      'T-N0RT',
      ['name,email,roles', 'Dana Okafor,dana.okafor@mosovo.example,supervisor; admin', 'Priya Shah,priya.shah@mosovo.example,officer', 'Noel Hart,noel.hart@mosovo.example,officer'].join('\n'),
    );
    east = await cliTeam('East', 'T-EA5T', ['name,email,roles', 'Mia Lund,mia.lund@mosovo.example,admin'].join('\n'));
    west = await cliTeam('West', 'T-WE5T', ['name,email,roles', 'Mia Lund,mia.lund@mosovo.example,admin'].join('\n'));
  });
  afterAll(async () => {
    await t?.close();
    await database?.close();
  });
  beforeEach(() => {
    t.connector.reset();
    knowEmails([taken, northTeam.id, westChannel.channelId, otherChannel.channelId, ...EMAILS.map(([u]) => `a:personal-${u.aadObjectId}`)]);
  });

  it('refuses a member who is not an admin in their own chat, and makes no new team', async () => {
    const before = await teamCount();
    await mention(noel, 'setup', otherChannel);
    const [refusal] = await t.connector.waitForSent((s) => flat(s).includes('only its admins can give it one'));
    expect(refusal!.conversationId).not.toBe(otherChannel.channelId);
    expect(flat(refusal)).toContain('Dana Okafor');
    expect(t.connector.sent().filter(inChannel(otherChannel.channelId))).toEqual([]);
    expect((await teamRow(north.id))!.channel).toBeNull();
    expect(await teamCount()).toBe(before);
  });

  it('refuses to bind a channel that already has a team, privately', async () => {
    await installed(dana, { id: taken, name: 'South OMU' });
    const [refusal] = await t.connector.waitForSent((s) => flat(s).includes('already belongs to South'));
    expect(refusal!.conversationId).not.toBe(taken);
    expect(flat(refusal)).toContain('North (T-N0RT)');
    expect(t.connector.sent().filter(inChannel(taken))).toEqual([]);
    expect((await teamRow(north.id))!.channel).toBeNull();
    expect(await bindAudit(north.id)).toEqual([]);
  });

  it("binds the Teams team the admin adds Casework to, welcomes North there, and an officer's discussion starts a thread in it", async () => {
    const before = await teamCount();
    await installed(dana, northTeam);
    const [welcome] = await t.connector.waitForSent(inChannel(northTeam.id));
    expect(flat(welcome)).toContain('This is now the channel of North');
    expect(flat(welcome)).toContain('T-N0RT');
    expect(await teamCount()).toBe(before);
    expect((await teamRow(north.id))!.channel).toMatchObject({ platform: 'teams', workspaceId: TEAMS_TENANT, channelId: northTeam.id });
    const admin = (await reposFor(t.database.db).members.listByTeam(north.id)).find((m) => m.displayName === 'Dana Okafor')!;
    const audit = await bindAudit(north.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ team_id: north.id, actor_member_id: admin.id, reason: 'invited Casework to the channel' });
    expect(audit[0]!.after).toMatchObject({ key: 'T-N0RT', channel: { platform: 'teams', channelId: northTeam.id } });

    const officer = (await reposFor(t.database.db).members.listByTeam(north.id)).find((m) => m.displayName === 'Priya Shah')!;
    const c = await seedCase(t.database.db, north, { leadOfficerId: officer.id, supervisorId: admin.id });
    t.connector.reset();
    knowEmails([`a:personal-${priya.aadObjectId}`]);
    expect((await postActivity(t.teamsMessagesUrl, personalMessage(priya, t.connector.serviceUrl, `discuss ${c.key} Is a joint visit needed?`))).status).toBe(200);
    const [root] = await t.connector.waitForSent((s) => s.operation === 'createConversation' && flat(s).includes(c.key));
    expect(root!.conversationId.startsWith(northTeam.id)).toBe(true);
  });

  it('asks an admin of several channel-less teams which one, privately, then binds the one named by key', async () => {
    await mention(mia, 'setup', westChannel);
    const [asked] = await t.connector.waitForSent((s) => flat(s).includes('several teams without a channel'));
    expect(asked!.conversationId).not.toBe(westChannel.channelId);
    expect(flat(asked)).toContain('T-EA5T (East)');
    expect(flat(asked)).toContain('T-WE5T (West)');
    expect((await teamRow(west.id))!.channel).toBeNull();

    t.connector.reset();
    knowEmails([westChannel.channelId]);
    await mention(mia, 'setup T-WE5T', westChannel);
    const [welcome] = await t.connector.waitForSent((s) => inChannel(westChannel.channelId)(s) && flat(s).includes('This is now the channel of West'));
    expect(welcome).toBeDefined();
    const [confirmation] = await t.connector.waitForSent((s) => flat(s).includes('West (T-WE5T) now has this channel'));
    expect(inChannel(westChannel.channelId)(confirmation!)).toBe(false);
    expect((await teamRow(west.id))!.channel).toMatchObject({ channelId: westChannel.channelId });
    expect((await teamRow(east.id))!.channel).toBeNull();
    expect(await bindAudit(west.id)).toEqual([expect.objectContaining({ reason: 'setup in the channel' })]);
  });
});
