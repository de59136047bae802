// People imported from a file by email are linked to their Teams account through the real
// CloudAdapter and the loopback Bot Framework connector (the conversation members endpoint gives
// the member's email or user principal name): on their first message, or when they are added to
// the team; never when Teams' email for the account differs. Until then their reminders wait.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Member } from '../../../src/core/domain/entities.ts';
import type { DeliveryServices } from '../../../src/core/services.ts';
import { reposFor } from '../../../src/db/kysely-store.ts';
import { type SeededTeam, TEAMS_TENANT, importPeople, seedCase, seedTeam } from '../../support/factories.ts';
import { tick } from '../../support/reminder-fixtures.ts';
import { personalMessage, postActivity, type TeamsUser } from '../../support/teams-activities.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createTestDb, DATABASE_KINDS } from '../../support/test-db.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

const AT = '2026-11-20T08:31:00Z';
const TEAM_ID = '19:link-team@thread.tacv2';
const BOT_ID = '28:casework-bot';
const priyaUser: TeamsUser = { aadObjectId: '11111111-1111-4111-8111-111111111111', name: 'Priya Shah' };
const tomUser: TeamsUser = { aadObjectId: '22222222-2222-4222-8222-222222222222', name: 'Tom Reid' };
const graceClaim: TeamsUser = { aadObjectId: '33333333-3333-4333-8333-333333333333', name: 'Not Grace' };
const admin: TeamsUser = { aadObjectId: '44444444-4444-4444-8444-444444444444', name: 'Ada Admin' };
const PEOPLE_CSV = [
  'name,email,roles,supervisor,teams_user_id',
  'Priya Shah,priya.shah@mosovo.example,officer,,',
  'Tom Reid,tom.reid@mosovo.example,officer,,',
  `Grace Lin,grace.lin@mosovo.example,officer,,${graceClaim.aadObjectId}`,
].join('\n');

let t: TestApp;
let database: DatabaseHandle;
let home: SeededTeam;
let people: Record<string, Member>;


const personal = (user: TeamsUser) => `a:personal-${user.aadObjectId}`;

async function say(user: TeamsUser, text: string): Promise<string> {
  expect((await postActivity(t.teamsMessagesUrl, personalMessage(user, t.connector.serviceUrl, text))).status).toBe(200);
  const [sent] = await t.connector.waitForSent((s) => s.conversationId === personal(user));
  return JSON.stringify(sent!.activity);
}

const identitiesOf = (memberId: string) => t.database.db.selectFrom('platform_identities').selectAll().where('member_id', '=', memberId).execute();
const auditOf = (memberId: string, action: string) =>
  t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', memberId).where('action', '=', action).execute();

describe.each(DATABASE_KINDS)('Teams: linking people imported by email on %s', (kind) => {
  beforeAll(async () => {
    database = await createTestDb(kind);
    t = await startTestApp({ database, overrides: { clock: fixedClock(AT) } });
    home = await seedTeam(t.database.db, {
      channel: { platform: 'teams', workspaceId: TEAMS_TENANT, channelId: TEAM_ID },
      people: [{ name: 'Ada Admin', roles: ['admin'], teamsUserId: admin.aadObjectId }],
    });
({ people } = await importPeople(t.database.db, home.team, PEOPLE_CSV));
  });
  afterAll(async () => {
    await t?.close();
    await database?.close();
  });
  beforeEach(() => t.connector.reset());

  it('holds reminders until the first message, links by the member email the connector gives, then delivers', async () => {
    const priya = people['Priya Shah']!;
    const c = await seedCase(t.database.db, home.team, { leadOfficerId: priya.id });
    await reposFor(t.database.db).deadlines.syncOpen({ teamId: home.team.id, kind: 'visit', subjectKey: `visit:${c.id}`, caseId: c.id, ownerMemberId: priya.id, dueOn: '2026-11-19' });
    const services = t.app.delivery as DeliveryServices & { clock: ReturnType<typeof fixedClock> };
    await tick(services, AT);
    expect(await t.database.db.selectFrom('outbound_messages').selectAll().where('member_id', '=', priya.id).execute()).toEqual([]);

    t.connector.setMembers(personal(priyaUser), [{ id: `29:${priyaUser.aadObjectId}`, aadObjectId: priyaUser.aadObjectId, email: 'priya.shah@mosovo.example' }]);
    expect(await say(priyaUser, 'me')).toContain('Priya Shah');
    expect(t.connector.requests.some((r) => r.operation === 'getConversationMember' && r.conversationId === personal(priyaUser))).toBe(true);
    expect(await identitiesOf(priya.id)).toEqual([expect.objectContaining({ platform: 'teams', user_id: priyaUser.aadObjectId, linked_at: expect.any(Date) })]);
    expect((await auditOf(priya.id, 'identity.linked'))[0]!.after).toMatchObject({ platform: 'teams', via: 'email' });

    await tick(services, '2026-11-20T08:32:00Z');
    expect(await t.database.db.selectFrom('outbound_messages').selectAll().where('member_id', '=', priya.id).execute()).toEqual([
      expect.objectContaining({ kind: 'digest', status: 'sent' }),
    ]);
    expect(t.connector.sent().some((s) => s.conversationId === personal(priyaUser))).toBe(true);
  });

  it('links a person added to the team, by their user principal name when Teams gives no email', async () => {
    const tom = people['Tom Reid']!;
    t.connector.setMembers(TEAM_ID, [{ id: `29:${tomUser.aadObjectId}`, aadObjectId: tomUser.aadObjectId, userPrincipalName: 'Tom.Reid@mosovo.example' }]);
    const res = await postActivity(t.teamsMessagesUrl, {
      type: 'conversationUpdate',
      id: 'f:tom-added',
      channelId: 'msteams',
      serviceUrl: t.connector.serviceUrl,
      timestamp: new Date().toISOString(),
      from: { id: `29:${admin.aadObjectId}`, aadObjectId: admin.aadObjectId },
      recipient: { id: BOT_ID, name: 'Casework' },
      conversation: { id: TEAM_ID, conversationType: 'channel', isGroup: true, tenantId: TEAMS_TENANT },
      membersAdded: [{ id: `29:${tomUser.aadObjectId}`, aadObjectId: tomUser.aadObjectId }],
      channelData: { team: { id: TEAM_ID, name: 'North' }, eventType: 'teamMemberAdded', tenant: { id: TEAMS_TENANT } },
    });
    expect(res.status).toBe(200);
    const identities = await identitiesOf(tom.id);
    expect(identities).toEqual([expect.objectContaining({ user_id: tomUser.aadObjectId, linked_at: expect.any(Date) })]);
    // Their own chat can be started from the team's reference: it names Tom, not who added him.
    expect((identities[0]!.conversation_ref as { user?: { id?: string } }).user?.id).toBe(`29:${tomUser.aadObjectId}`);
    expect((await auditOf(tom.id, 'identity.linked'))[0]!.after).toMatchObject({ on: 'joined the channel' });
  });

  it('refuses the account a file named when Teams gives it a different email', async () => {
    const grace = people['Grace Lin']!;
    t.connector.setMembers(personal(graceClaim), [{ id: `29:${graceClaim.aadObjectId}`, aadObjectId: graceClaim.aadObjectId, email: 'someone.else@mosovo.example' }]);
    expect(await say(graceClaim, 'me')).toContain('You are not on a Casework team yet');
    expect(await identitiesOf(grace.id)).toEqual([]);
    expect((await auditOf(grace.id, 'identity.link_refused'))[0]!.after).toEqual({ platform: 'teams', reason: 'the account has a different email' });
  });
});
