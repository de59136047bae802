// Reminder delivery through the REAL notifiers: the outbox (core deliverOutbox at a fixed clock)
// sends with the Slack notifier against the loopback Web API and with the Teams notifier against
// the loopback Bot Framework connector. Rate limits are waited out for their Retry-After (not an
// attempt); permanent failures fail the message, mark the member undeliverable, tell the admin and
// are audited; acting on a delivered digest updates that very message in place.
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPlatformNotifier } from '../../src/adapters/shared/platform-notifier.ts';
import { createSlackNotifier, proactiveSlackClient } from '../../src/adapters/slack/slack-notifier.ts';
import { createTeamsNotifier } from '../../src/adapters/teams/teams-notifier.ts';
import { createCasework } from '../../src/core/casework.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { FEATURES } from '../../src/core/features.ts';
import type { InboundContext } from '../../src/core/interaction.ts';
import type { DeliveryServices } from '../../src/core/services.ts';
import { createEffectRunner } from '../../src/core/effects/effect-delivery.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { createKyselyStore, reposFor } from '../../src/db/kysely-store.ts';
import type { Database } from '../../src/db/schema.ts';
import { connectorErrors, startFakeConnector, type FakeConnector } from '../support/fake-bot-connector.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api.ts';
import { SLACK_WORKSPACE, TEAMS_TENANT } from '../support/factories.ts';
import { addDeadline, quietCase, seedReminderTeam, tick, type ReminderTeam } from '../support/reminder-fixtures.ts';
import { DATABASE_KINDS, createTestDb } from '../support/test-db.ts';

type TickServices = DeliveryServices & { clock: ReturnType<typeof fixedClock> };

/** The instant of the first digest: Friday 20 November 2026, just after the 08:30 reminder time. */
const AT = '2026-11-20T08:31:00Z';

async function outboxRow(db: Kysely<Database>, memberId: string) {
  return db.selectFrom('outbound_messages').selectAll().where('member_id', '=', memberId).where('kind', '=', 'digest').executeTakeFirstOrThrow();
}

/** The first object anywhere in `json` for which `match` holds. */
function findDeep(json: unknown, match: (o: Record<string, unknown>) => boolean): Record<string, unknown> | undefined {
  if (!json || typeof json !== 'object') return undefined;
  if (!Array.isArray(json) && match(json as Record<string, unknown>)) return json as Record<string, unknown>;
  for (const child of Object.values(json)) {
    const found = findDeep(child, match);
    if (found) return found;
  }
  return undefined;
}

async function undeliverableAudit(db: Kysely<Database>, t: ReminderTeam) {
  return db.selectFrom('audit_log').selectAll().where('team_id', '=', t.team.id).where('action', '=', 'member.undeliverable').execute();
}

describe.each(DATABASE_KINDS)('reminder delivery through the real notifiers on %s', (kind) => {
  let database: DatabaseHandle;
  let slackApi: FakeSlackApi;
  let connector: FakeConnector;
  let adapter: CloudAdapter;

  beforeAll(async () => {
    database = await createTestDb(kind);
    slackApi = await startFakeSlackApi();
    connector = await startFakeConnector();
    adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  });
  afterAll(async () => {
    await slackApi?.close();
    await connector?.close();
    await database?.close();
  });
  beforeEach(() => {
    slackApi.reset();
    connector.reset();
  });

  /** Services with both real notifiers behind the platform router; a fresh Slack notifier has no DM cache. */
  function services(): TickServices {
    const notifier = createPlatformNotifier();
    notifier.register('slack', createSlackNotifier(proactiveSlackClient('xoxb-test', slackApi.url)));
    notifier.register('teams', createTeamsNotifier(adapter, 'casework-test'));
    const s: TickServices = { store: createKyselyStore(database.db), clock: fixedClock(AT), notifier };
    s.effects = createEffectRunner(s, { workerId: 'test-effects', waitForAll: true, random: () => 0.5 });
    return s;
  }

  /** A Slack team with one deadline for the officer, due the Wednesday after (3 working days: a reminder on Friday). */
  async function slackTeam(): Promise<ReminderTeam> {
    const t = await seedReminderTeam(database.db, { platform: 'slack' });
    await addDeadline(database.db, t, await quietCase(database.db, t), 'visit', '2026-11-25');
    return t;
  }

  /** A Teams team whose people have personal-chat conversation references on the fake connector. */
  async function teamsTeam(): Promise<ReminderTeam> {
    const t = await seedReminderTeam(database.db, { platform: 'teams' });
    const repos = reposFor(database.db);
    for (const member of [t.officer, t.supervisor, t.admin]) {
      const [identity] = await repos.members.identitiesOf(member.id);
      await repos.members.upsertIdentity(member.id, t.team.id, {
        platform: 'teams',
        workspaceId: TEAMS_TENANT,
        userId: identity!.userId,
        conversationRef: {
          channelId: 'msteams',
          serviceUrl: connector.serviceUrl,
          bot: { id: '28:casework-bot', name: 'Casework' },
          user: { id: `29:${identity!.userId}`, aadObjectId: identity!.userId },
          conversation: { id: `a:personal-${identity!.userId}`, conversationType: 'personal', tenantId: TEAMS_TENANT },
        },
      }, true);
    }
    await addDeadline(database.db, t, await quietCase(database.db, t), 'visit', '2026-11-25');
    return t;
  }

  async function userIdOf(memberId: string): Promise<string> {
    const [identity] = await reposFor(database.db).members.identitiesOf(memberId);
    return identity!.userId;
  }

  describe('Slack', () => {
    it('waits out a 429 for its Retry-After (plus at most a second of jitter), not counted as an attempt, then sends once', async () => {
      const t = await slackTeam();
      const s = services();
      slackApi.respondWith('chat.postMessage', () => ({ status: 429, headers: { 'retry-after': '30' } }), { times: 1 });
      await tick(s, AT);
      expect(slackApi.callsTo('chat.postMessage')).toHaveLength(1);
      const row = await outboxRow(database.db, t.officer.id);
      expect(row).toMatchObject({ status: 'pending', attempts: 0, last_error_code: 'ratelimited' });
      const delay = new Date(row.next_attempt_at).getTime() - new Date(AT).getTime();
      expect(delay).toBeGreaterThanOrEqual(30_000);
      expect(delay).toBeLessThanOrEqual(31_000);
      // Before Retry-After has passed nothing is tried again.
      await tick(s, '2026-11-20T08:31:20Z');
      expect(slackApi.callsTo('chat.postMessage')).toHaveLength(1);
      await tick(s, '2026-11-20T08:31:31Z');
      await tick(s, '2026-11-20T08:35:00Z');
      const posted = slackApi.callsTo('chat.postMessage');
      expect(posted).toHaveLength(2);
      expect(posted[1]!.status).toBe(200);
      expect(posted[1]!.args.channel).toBe(`D${(await userIdOf(t.officer.id)).replace(/^U/, '')}`);
      expect(await outboxRow(database.db, t.officer.id)).toMatchObject({ status: 'sent', attempts: 1 });
      expect(slackApi.violations).toEqual([]);
    });

    it.each([
      ['chat.postMessage', 'channel_not_found'],
      ['conversations.open', 'account_inactive'],
    ])('on a permanent %s failure (%s) fails the message, marks the member undeliverable, tells the admin and audits it', async (method, error) => {
      const t = await slackTeam();
      const s = services();
      const officerUser = await userIdOf(t.officer.id);
      const officerDm = `D${officerUser.replace(/^U/, '')}`;
      // Only the officer's DM fails; the admin's notice goes through.
      slackApi.respondWith(method, (args, { defaultBody }) => (args.channel === officerDm || args.users === officerUser ? { ok: false, error } : defaultBody()));
      await tick(s, AT);
      expect(await outboxRow(database.db, t.officer.id)).toMatchObject({ status: 'failed', last_error_code: error });
      const member = await database.db.selectFrom('members').selectAll().where('id', '=', t.officer.id).executeTakeFirstOrThrow();
      expect(member.undeliverable_at).not.toBeNull();
      expect(member.undeliverable_reason).toBe(error);
      const audit = await undeliverableAudit(database.db, t);
      expect(audit).toHaveLength(1);
      expect(audit[0]!.entity_id).toBe(t.officer.id);
      // The admin is told, in their own DM, through the same notifier.
      const adminDm = `D${(await userIdOf(t.admin.id)).replace(/^U/, '')}`;
      const notices = slackApi.callsTo('chat.postMessage').filter((c) => c.args.channel === adminDm);
      expect(notices).toHaveLength(1);
      expect(JSON.stringify(notices[0]!.args.blocks)).toContain('Olivia Officer');
      // Never tried again: no retry later that day, nothing the next working day.
      await tick(s, '2026-11-20T10:00:00Z');
      await tick(s, '2026-11-23T08:31:00Z');
      expect(slackApi.callsTo('chat.postMessage').filter((c) => c.args.channel === officerDm)).toHaveLength(method === 'chat.postMessage' ? 1 : 0);
      expect(await undeliverableAudit(database.db, t)).toHaveLength(1);
    });

    it('a delivered digest that the officer acknowledges is updated in place with chat.update', async () => {
      const t = await slackTeam();
      const s = services();
      await tick(s, AT);
      const [posted] = slackApi.callsTo('chat.postMessage');
      const row = await outboxRow(database.db, t.officer.id);
      expect(row.status).toBe('sent');
      const button = findDeep(posted!.args.blocks, (o) => typeof o.action_id === 'string' && o.action_id.startsWith('reminder.ack'));
      expect(button).toBeDefined();
      const value = JSON.parse(String(button!.value)) as Record<string, string>;
      expect(value.digestId).toBe(row.id);
      const ctx: InboundContext = { user: { platform: 'slack', workspaceId: SLACK_WORKSPACE, userId: await userIdOf(t.officer.id) }, surface: { kind: 'direct' } };
      s.clock.set('2026-11-20T09:15:00Z');
      await createCasework(s, FEATURES).handleAction(ctx, 'reminder.ack', value);
      const updates = slackApi.callsTo('chat.update');
      expect(updates).toHaveLength(1);
      expect(updates[0]!.args).toMatchObject({ channel: posted!.response && (posted!.response as { channel?: string }).channel, ts: (posted!.response as { ts?: string }).ts });
      expect(JSON.stringify(updates[0]!.args.blocks)).toContain('Acknowledged');
      expect(slackApi.violations).toEqual([]);
    });
  });

  describe('Teams', () => {
    it('waits out a connector 429 for its Retry-After, not counted as an attempt, then sends once', async () => {
      const t = await teamsTeam();
      const s = services();
      const conversationId = `a:personal-${await userIdOf(t.officer.id)}`;
      // botbuilder's own pipeline retries a 429 with Retry-After three times; the fourth reaches the outbox.
      connector.respondWith({ conversationId }, connectorErrors.throttled(2), { times: 4 });
      await tick(s, AT);
      const row = await outboxRow(database.db, t.officer.id);
      expect(row).toMatchObject({ status: 'pending', attempts: 0 });
      const delay = new Date(row.next_attempt_at).getTime() - new Date(AT).getTime();
      expect(delay).toBeGreaterThanOrEqual(2_000);
      expect(delay).toBeLessThanOrEqual(3_000);
      await tick(s, '2026-11-20T08:31:01Z');
      expect(connector.sent().filter((a) => a.conversationId === conversationId)).toHaveLength(0);
      await tick(s, '2026-11-20T08:31:04Z');
      await tick(s, '2026-11-20T08:35:00Z');
      expect(connector.sent().filter((a) => a.conversationId === conversationId)).toHaveLength(1);
      expect(await outboxRow(database.db, t.officer.id)).toMatchObject({ status: 'sent', attempts: 1 });
    }, 20_000);

    it.each([
      ['403 bot blocked', connectorErrors.botBlocked()],
      ['404 conversation not found', connectorErrors.conversationNotFound()],
    ])('on a permanent failure (%s) fails the message, marks the member undeliverable, tells the admin and audits it', async (_name, response) => {
      const t = await teamsTeam();
      const s = services();
      const conversationId = `a:personal-${await userIdOf(t.officer.id)}`;
      connector.respondWith({ conversationId }, response);
      await tick(s, AT);
      const row = await outboxRow(database.db, t.officer.id);
      expect(row.status).toBe('failed');
      const member = await database.db.selectFrom('members').selectAll().where('id', '=', t.officer.id).executeTakeFirstOrThrow();
      expect(member.undeliverable_at).not.toBeNull();
      expect(member.undeliverable_reason).toBe(row.last_error_code);
      expect(await undeliverableAudit(database.db, t)).toHaveLength(1);
      const adminConversation = `a:personal-${await userIdOf(t.admin.id)}`;
      const notices = connector.sent().filter((a) => a.conversationId === adminConversation);
      expect(notices).toHaveLength(1);
      expect(JSON.stringify(notices[0]!.activity.attachments)).toContain('Olivia Officer');
      await tick(s, '2026-11-23T08:31:00Z');
      expect(connector.requests.filter((r) => r.conversationId === conversationId)).toHaveLength(1);
    });

    it('a delivered digest that the officer acknowledges is updated in place with updateActivity', async () => {
      const t = await teamsTeam();
      const s = services();
      await tick(s, AT);
      const conversationId = `a:personal-${await userIdOf(t.officer.id)}`;
      const [sent] = connector.sent().filter((a) => a.conversationId === conversationId);
      const row = await outboxRow(database.db, t.officer.id);
      expect(row.status).toBe('sent');
      const button = findDeep(sent!.activity.attachments, (o) => o.type === 'Action.Execute' && o.verb === 'reminder.ack');
      expect(button).toBeDefined();
      const { verb: _verb, ...value } = button!.data as Record<string, string>;
      expect(value.digestId).toBe(row.id);
      const ctx: InboundContext = { user: { platform: 'teams', workspaceId: TEAMS_TENANT, userId: await userIdOf(t.officer.id) }, surface: { kind: 'direct' } };
      s.clock.set('2026-11-20T09:15:00Z');
      await createCasework(s, FEATURES).handleAction(ctx, 'reminder.ack', value);
      const [updated] = await connector.waitForSent((a) => a.operation === 'updateActivity');
      expect(updated!.conversationId).toBe(conversationId);
      expect(updated!.activityId).toBe(sent!.activityId);
      expect(JSON.stringify(updated!.activity.attachments)).toContain('Acknowledged');
    });
  });
});
