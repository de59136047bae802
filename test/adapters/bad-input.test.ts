// Bad input at both platform endpoints, through the real Bolt receiver and the real CloudAdapter
// over HTTP: first the requests issue 15 found answered 500, held open or let through, then a
// seeded, bounded fuzz (fast-check; FUZZ_SEED and FUZZ_RUNS override) of malformed, oversized
// and mistyped Slack and Teams payloads, signed and unsigned. Asserted throughout: never a 5xx,
// an answer within RESPONSE_BOUND_MS, nothing left for Bolt's 3-second "not acknowledged"
// fallback, no crash, no database write or outbound call from an unauthenticated request, and no
// text from a request in any log line or on the console.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { seedCase, seedTeam, SLACK_WORKSPACE, TEAMS_TENANT } from '../support/factories.ts';
import { badTokens, encodeSlack, slackBodies, teamsBodies, type SlackRequestBody } from '../support/fuzz-payloads.ts';
import { slackSignatureHeaders, slashCommand } from '../support/slack-signing.ts';
import { personalMessage } from '../support/teams-activities.ts';
import { createTestDb, DATABASE_KINDS } from '../support/test-db.ts';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from '../support/test-app.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const RUNS = Number(process.env.FUZZ_RUNS ?? 80);
/** A hung connection would wait for ever; a healthy answer takes milliseconds. */
const RESPONSE_BOUND_MS = 5_000;
/** In every text field the generators fill; the space keeps it from passing as an id. */
const CANARY = 'CANARY q7Zx';
const APP_ID = '6f1d3a52-8c4e-4b7a-9e21-5d0c7b3f9a14';
const SLACK_USER = 'U0FUZZADM';
const TEAMS_USER = 'aad-fuzz-admin';
const CHANNEL = 'C0FUZZ';

async function post(url: string, body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(RESPONSE_BOUND_MS) });
  return { status: res.status, text: await res.text() };
}

const signed = (r: SlackRequestBody, secret = TEST_SIGNING_SECRET, timestamp?: number) => ({ 'content-type': r.contentType, ...slackSignatureHeaders(secret, r.body, timestamp) });
const interactivity = (payload: unknown) => encodeSlack('interactivity', payload);

describe.each(DATABASE_KINDS)('bad input on %s', (kind) => {
  let db: DatabaseHandle;
  /** Slack over HTTP, Teams with authentication off (local mode). */
  let local: TestApp;
  /** Teams with an app id: every activity needs a valid token. */
  let secured: TestApp;
  let caseKey: string;
  const crashes: unknown[] = [];
  const consoleText: string[] = [];
  const onCrash = (error: unknown) => crashes.push(error);

  beforeAll(async () => {
    db = await createTestDb(kind);
    const clock = fixedClock('2026-11-27T10:00:00Z');
    [local, secured] = await Promise.all([
      startTestApp({ database: db, overrides: { clock } }),
      startTestApp({ database: db, overrides: { clock }, env: { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'fuzz-password' } }),
    ]);
    const home = await seedTeam(db.db, {
      channel: { platform: 'slack', workspaceId: SLACK_WORKSPACE, channelId: CHANNEL },
      people: [{ name: 'Fuzz Admin', roles: ['officer', 'supervisor', 'admin'], slackUserId: SLACK_USER, teamsUserId: TEAMS_USER }],
    });
    caseKey = (await seedCase(db.db, home.team, { leadOfficerId: home.members['Fuzz Admin']!.id })).key;
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    // botbuilder and the Slack SDKs print to the console when they fail: capture it all.
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleText.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(' ')));
    }
  }, 120_000);

  afterAll(async () => {
    vi.restoreAllMocks();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    await Promise.all([local?.close(), secured?.close()]);
    await db?.close();
  });

  /** Rows in every table: an unauthenticated request must change none of them. */
  /**
   * Row counts once the earlier tests' requests have finished: Slack commands are acknowledged
   * first and worked on after, and their effects go out after commit, so writes can still land
   * a moment after the answer. Counted until two readings a little apart agree.
   */
  async function settledRowCounts(): Promise<Record<string, number>> {
    for (const app of [local, secured]) {
      await app.app.effects.drain();
      await app.app.jobs.drain();
    }
    let last = JSON.stringify(await rowCounts());
    for (let i = 0; i < 50; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = JSON.stringify(await rowCounts());
      if (now === last) return JSON.parse(now) as Record<string, number>;
      last = now;
    }
    throw new Error('the database never settled');
  }

  async function rowCounts(): Promise<Record<string, number>> {
    const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(db.db);
    const counts: Record<string, number> = {};
    for (const { name } of tables.rows) counts[name] = Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(db.db)).rows[0]!.n);
    return counts;
  }

  const teamsTarget = (app: TestApp) => ({ user: { aadObjectId: TEAMS_USER, tenantId: TEAMS_TENANT }, serviceUrl: app.connector.serviceUrl, caseKey, channel: { teamId: '19:fuzz-team', channelId: '19:fuzz-channel' } });
  const slackTarget = () => ({ userId: SLACK_USER, channelId: CHANNEL, caseKey, responseUrl: local.slackApi.responseUrl('fuzz') });

  describe('what issue 15 found', () => {
    it('Teams: "{", "null", no type and a 2 MB body get a 4xx and a short generic body, with a token or without', async () => {
      const big = JSON.stringify({ ...personalMessage({ aadObjectId: TEAMS_USER }, local.connector.serviceUrl, 'x'), text: 'x'.repeat(2 * 1024 * 1024) });
      const bodies: [string, number][] = [
        ['{', 400],
        ['null', 400],
        [JSON.stringify({ text: `hello ${CANARY}` }), 400],
        [JSON.stringify({ ...personalMessage({ aadObjectId: TEAMS_USER }, local.connector.serviceUrl, 'help'), type: undefined }), 400],
        [big, 413],
      ];
      for (const [body, status] of bodies) {
        const json = { 'content-type': 'application/json' };
        const answers = [
          [await post(local.teamsMessagesUrl, body, json), status],
          [await post(secured.teamsMessagesUrl, body, json), 401],
          [await post(secured.teamsMessagesUrl, body, { ...json, authorization: 'Bearer not-a-token' }), status],
        ] as const;
        for (const [answer, expected] of answers) {
          expect(answer.status, body.slice(0, 40)).toBe(expected);
          expect(answer.text.length).toBeLessThan(60);
          expect(answer.text).toMatch(/^\{"error":"[a-z ]+"\}$/);
        }
      }
    });

    it('Teams: an empty or blank user id, and a serviceUrl off this machine with authentication off, are refused before any lookup', async () => {
      const before = await settledRowCounts();
      local.connector.reset();
      const base = personalMessage({ aadObjectId: TEAMS_USER }, local.connector.serviceUrl, 'setup Blank team') as Record<string, any>;
      const variants = [
        { ...base, from: { id: '', name: 'Nobody' } },
        { ...base, from: { id: '   ', aadObjectId: '   ' } },
        { ...base, from: { id: '29:someone', aadObjectId: '' } },
        { ...base, serviceUrl: 'http://nowhere.invalid/' },
        { ...base, serviceUrl: 'file:///etc/passwd' },
      ];
      for (const activity of variants) expect((await post(local.teamsMessagesUrl, JSON.stringify(activity), { 'content-type': 'application/json' })).status).toBe(400);
      expect(await rowCounts()).toEqual(before);
      expect(local.connector.sent()).toEqual([]);
    });

    it('Teams: an invoke nothing handles is a 400, not botbuilder\'s 501', async () => {
      const invoke = { ...personalMessage({ aadObjectId: TEAMS_USER }, local.connector.serviceUrl, ''), type: 'invoke', name: 'composeExtension/query', value: {} };
      expect((await post(local.teamsMessagesUrl, JSON.stringify(invoke), { 'content-type': 'application/json' })).status).toBe(400);
    });

    it('Slack: signed payloads of null, actions:[{}], view:null and a view_submission without state get a 400 at once', async () => {
      const user = { id: SLACK_USER, team_id: SLACK_WORKSPACE };
      const payloads = [
        null,
        { type: 'block_actions', actions: [{}] },
        { type: 'block_actions', user, team: { id: SLACK_WORKSPACE }, actions: [{}] },
        { type: 'view_submission', user, view: null },
        { type: 'view_submission', user, view: { id: 'V1', callback_id: 'casework.form', private_metadata: '{}' } },
        { type: 'shortcut', callback_id: 'x', user },
      ];
      for (const payload of payloads) {
        const r = interactivity(payload);
        const answer = await post(local.slackEventsUrl, r.body, signed(r));
        expect(answer.status, JSON.stringify(payload)).toBe(400);
        expect(answer.text).toBe('{"error":"bad request"}');
      }
      const notJson = { contentType: 'application/json', body: `{"text": "${CANARY}` };
      expect((await post(local.slackEventsUrl, notJson.body, signed(notJson))).status).toBe(400);
    });

    it('Slack: unsigned, forged and stale requests get a 401; a body past the limit a 413', async () => {
      const r = encodeSlack('form', slashCommand(`setup ${CANARY}`, { user_id: SLACK_USER }));
      expect((await post(local.slackEventsUrl, r.body, { 'content-type': r.contentType })).status).toBe(401);
      expect((await post(local.slackEventsUrl, r.body, signed(r, 'not-the-secret'))).status).toBe(401);
      expect((await post(local.slackEventsUrl, r.body, signed(r, TEST_SIGNING_SECRET, Math.floor(Date.now() / 1000) - 600))).status).toBe(401);
      const big = interactivity({ type: 'view_submission', padding: 'x'.repeat(2 * 1024 * 1024) });
      expect((await post(local.slackEventsUrl, big.body, signed(big))).status).toBe(413);
    });

    it('Slack: a blank user id is refused before any lookup', async () => {
      const before = await settledRowCounts();
      const command = encodeSlack('form', slashCommand(`setup ${CANARY}`, { user_id: '  ', channel_id: 'C0BLANK' }));
      const action = interactivity({ type: 'block_actions', user: { id: '' }, team: { id: SLACK_WORKSPACE }, actions: [{ action_id: 'cases.page', value: '{}' }] });
      const event = encodeSlack('event', { type: 'event_callback', team_id: SLACK_WORKSPACE, event: { type: 'member_joined_channel', user: 'U0BOT', channel: 'C0BLANK', inviter: ' ' } });
      for (const r of [command, action, event]) expect((await post(local.slackEventsUrl, r.body, signed(r))).status).toBe(400);
      expect(await rowCounts()).toEqual(before);
    });

    it('Slack: `cases 999999999999999999999` is refused by the core with a clear message, not an unexpected error', async () => {
      const r = encodeSlack('form', slashCommand('cases 999999999999999999999', { user_id: SLACK_USER, channel_id: CHANNEL, response_url: local.slackApi.responseUrl('huge-page') }));
      expect((await post(local.slackEventsUrl, r.body, signed(r))).status).toBe(200);
      const reply = await local.slackApi.waitFor('response_url', (a) => a.name === 'huge-page');
      expect(JSON.stringify(reply.args)).toContain('Page numbers go from 1 to 10,000.');
      expect(JSON.stringify(reply.args)).not.toContain('ERR-');
    });
  });

  describe(`seeded fuzz (seed ${SEED}, ${RUNS} requests a property)`, () => {
    it('Slack, signed: never a 5xx, always answered in time', async () => {
      await fc.assert(
        fc.asyncProperty(slackBodies(slackTarget(), CANARY), async (r) => {
          const answer = await post(local.slackEventsUrl, r.body, signed(r));
          expect(answer.status).toBeLessThan(500);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });

    it('Teams, authentication off: never a 5xx, always answered in time', async () => {
      await fc.assert(
        fc.asyncProperty(teamsBodies(teamsTarget(local), CANARY), async (body) => {
          const answer = await post(local.teamsMessagesUrl, body, { 'content-type': 'application/json' });
          expect(answer.status).toBeLessThan(500);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });

    it('unauthenticated (Slack unsigned, forged or stale; Teams without a valid token): always a 4xx, no write, nothing sent', async () => {
      const before = await settledRowCounts();
      local.slackApi.reset();
      secured.connector.reset();
      const forged = (r: SlackRequestBody, how: number): Record<string, string> => {
        const now = Math.floor(Date.now() / 1000);
        if (how === 0) return { 'content-type': r.contentType };
        if (how === 1) return signed(r, 'a-guessed-secret');
        if (how === 2) return signed(r, TEST_SIGNING_SECRET, now - 301);
        // Signed over other bytes.
        return { 'content-type': r.contentType, 'x-slack-request-timestamp': String(now), 'x-slack-signature': `v0=${createHmac('sha256', TEST_SIGNING_SECRET).update(`v0:${now}:${r.body}x`).digest('hex')}` };
      };
      await fc.assert(
        fc.asyncProperty(slackBodies(slackTarget(), CANARY), fc.nat(3), async (r, how) => {
          const answer = await post(local.slackEventsUrl, r.body, forged(r, how));
          expect([401, 413]).toContain(answer.status);
        }),
        { seed: SEED, numRuns: RUNS },
      );
      await fc.assert(
        fc.asyncProperty(teamsBodies(teamsTarget(secured), CANARY), badTokens(CANARY), async (body, token) => {
          const answer = await post(secured.teamsMessagesUrl, body, { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: token }) });
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expect(answer.status).toBeLessThan(500);
        }),
        { seed: SEED, numRuns: RUNS },
      );
      expect(await rowCounts()).toEqual(before);
      expect(local.slackApi.calls).toEqual([]);
      expect(secured.connector.sent()).toEqual([]);
    });

    it('no crash, nothing left unacknowledged, and no request text in any log line or on the console', async () => {
      for (const app of [local, secured]) expect((await fetch(`${app.app.url}/healthz`)).status).toBe(200);
      expect(crashes).toEqual([]);
      const logs = local.log.raw() + secured.log.raw();
      expect(logs).not.toContain('not acknowledged');
      expect(logs).not.toContain(CANARY);
      expect(consoleText.join('\n')).not.toContain(CANARY);
      // The refusals were logged, with reasons and no content.
      expect(local.log.lines.some((l) => l.msg === 'request refused' && l.reason === 'body is not JSON' && typeof l.sha256 === 'string')).toBe(true);
    });
  });
});
