// A team of real size through the real Bolt receiver and the real CloudAdapter: with 1,000 cases,
// every one of the fifteen officers and supervisors gets `due`, `cases`, `cases 2`, `deadlines`
// and the App Home on Slack, and `due` and `deadlines` on Teams, each answered within Slack's
// three seconds and inside each platform's limits (50 blocks a message, 100 in a home tab; 28 KB
// a card), and nothing in the log says a reply could not be shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { createScaleTeam, type ScaleTeam } from '../../src/local/scale-team.ts';
import { cardBytes, TEAMS_CARD_MAX_BYTES } from '../../src/renderers/adaptive-cards/message-card.ts';
import { BLOCK_KIT_LIMITS } from '../../src/renderers/block-kit/message-blocks.ts';
import { SLACK_WORKSPACE, TEAMS_TENANT } from '../support/factories.ts';
import { postSlackEvent, postSlackForm, slashCommand } from '../support/slack-signing.ts';
import { personalMessage, postActivity } from '../support/teams-activities.ts';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from '../support/test-app.ts';

/** Slack acknowledges within 3 s; an answer later than that is an answer too late. */
const ANSWER_WITHIN_MS = 3000;

let t: TestApp;
let scale: ScaleTeam;

beforeAll(async () => {
  t = await startTestApp({ overrides: { clock: fixedClock('2026-11-24T10:00:00Z'), scheduler: false } });
  scale = await createScaleTeam(t.database.db, {
    today: '2026-11-24',
    slack: { workspaceId: SLACK_WORKSPACE, userIdPrefix: 'U0AS' },
    teams: { tenantId: TEAMS_TENANT, userIdPrefix: 'aad-as-' },
  });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const blocksOf = (args: Record<string, any>): unknown[] => (args.blocks ?? args.view?.blocks ?? []) as unknown[];

describe('a 1,000-case team, every person', () => {
  it('Slack: due, cases, cases 2, deadlines and the App Home answer everyone within the limits', { timeout: 180_000 }, async () => {
    const slowest: number[] = [];
    for (const person of scale.people) {
      for (const text of ['due', 'cases', 'cases 2', 'deadlines']) {
        const name = `${person.slackUserId}-${text}`;
        const started = Date.now();
        const res = await postSlackForm(t.slackEventsUrl, TEST_SIGNING_SECRET, slashCommand(text, { user_id: person.slackUserId!, team_id: SLACK_WORKSPACE, response_url: t.slackApi.responseUrl(name) }));
        expect(res.status).toBe(200);
        const answer = await t.slackApi.waitFor('response_url', (_a, call) => call.args.name === name, { timeoutMs: ANSWER_WITHIN_MS });
        slowest.push(Date.now() - started);
        const blocks = blocksOf(answer.args);
        expect(blocks.length, `${name}`).toBeGreaterThan(1);
        expect(blocks.length, `${name}`).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.blocksPerMessage);
        expect(JSON.stringify(blocks)).not.toContain('too long to show here');
      }
      const started = Date.now();
      const res = await postSlackEvent(t.slackEventsUrl, TEST_SIGNING_SECRET, {
        token: 'verification-token',
        team_id: SLACK_WORKSPACE,
        api_app_id: 'A0CASEWORK',
        type: 'event_callback',
        event_id: `Ev0HOME${person.slackUserId}`,
        event_time: 1_763_632_800,
        authorizations: [{ team_id: SLACK_WORKSPACE, user_id: 'U0BOT', is_bot: true }],
        event: { type: 'app_home_opened', user: person.slackUserId, channel: `D${person.slackUserId}`, tab: 'home', event_ts: '1763632800.000100' },
      });
      expect(res.status).toBe(200);
      const home = await t.slackApi.waitFor('views.publish', (args) => args.user_id === person.slackUserId, { timeoutMs: ANSWER_WITHIN_MS });
      slowest.push(Date.now() - started);
      const blocks = blocksOf(home.args);
      expect(blocks.length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.blocksPerHomeOrModal);
      expect(JSON.stringify(blocks)).toContain('My deadlines');
    }
    expect(t.slackApi.violations).toEqual([]);
    expect(t.log.lines.filter((l) => String(l.msg).includes('could not show the reply'))).toEqual([]);
    console.log(`Slack at 1,000 cases: ${slowest.length} answers, slowest ${Math.max(...slowest)} ms`);
  });

  it('Teams: due and deadlines answer everyone within the limits', { timeout: 180_000 }, async () => {
    const slowest: number[] = [];
    for (const person of scale.people) {
      for (const text of ['due', 'deadlines']) {
        t.connector.reset();
        const started = Date.now();
        const res = await postActivity(t.teamsMessagesUrl, personalMessage({ aadObjectId: person.teamsUserId!, name: person.member.displayName }, t.connector.serviceUrl, text));
        expect(res.status).toBeLessThan(300);
        const [sent] = await t.connector.waitForSent((s) => s.conversationId === `a:personal-${person.teamsUserId}`, { timeoutMs: ANSWER_WITHIN_MS });
        slowest.push(Date.now() - started);
        const card = sent!.activity.attachments![0]!.content;
        expect(cardBytes(card), `${person.teamsUserId} ${text}`).toBeLessThanOrEqual(TEAMS_CARD_MAX_BYTES);
        expect(JSON.stringify(card)).toContain('My deadlines');
        expect(JSON.stringify(card)).not.toContain('too long to show here');
      }
    }
    console.log(`Teams at 1,000 cases: ${slowest.length} answers, slowest ${Math.max(...slowest)} ms`);
  });
});
