import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSlackEvent, postSlackForm, slashCommand } from '../../support/slack-signing.ts';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from '../../support/test-app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

function headerText(blocks: any): string {
  return blocks.find((b: any) => b.type === 'header')?.text?.text;
}

describe('Slack: help', () => {
  it.each([['help'], [''], ['  HELP  ']])('answers /casework %j with the help, privately', async (text) => {
    t.slackApi.reset();
    const name = `help-${text.trim() || 'empty'}`;
    const res = await postSlackForm(t.slackEventsUrl, TEST_SIGNING_SECRET, slashCommand(text, { response_url: t.slackApi.responseUrl(name) }));
    expect(res.status).toBe(200);
    const call = await t.slackApi.waitFor('response_url', (args) => args.name === name);
    expect(call.args.response_type).toBe('ephemeral');
    expect(headerText(call.args.blocks)).toBe('Casework help');
    const flat = JSON.stringify(call.args.blocks);
    expect(flat).toContain('/casework help');
    expect(t.slackApi.violations).toEqual([]);
  });

  it('answers an unknown command with the help and a note naming what was not understood', async () => {
    const name = 'unknown';
    await postSlackForm(t.slackEventsUrl, TEST_SIGNING_SECRET, slashCommand('frobnicate CW-7K3P', { response_url: t.slackApi.responseUrl(name) }));
    const call = await t.slackApi.waitFor('response_url', (args) => args.name === name);
    const flat = JSON.stringify(call.args.blocks);
    expect(flat).toContain('frobnicate');
    expect(flat).toContain('not a command Casework knows');
    expect(headerText(call.args.blocks)).toBe('Casework help');
  });

  it('answers "help" in a direct message with a chat.postMessage in that DM', async () => {
    t.slackApi.reset();
    const res = await postSlackEvent(t.slackEventsUrl, TEST_SIGNING_SECRET, {
      token: 'verification-token',
      team_id: 'T0TEAM',
      api_app_id: 'A0CASEWORK',
      type: 'event_callback',
      event_id: 'Ev0HELPDM01',
      event_time: 1_764_000_000,
      authorizations: [{ team_id: 'T0TEAM', user_id: 'U0BOT', is_bot: true }],
      event: {
        type: 'message',
        channel: 'D0OFFICER',
        channel_type: 'im',
        user: 'U0OFFICER',
        text: 'help',
        ts: '1764000000.000100',
        team: 'T0TEAM',
        event_ts: '1764000000.000100',
      },
    });
    expect(res.status).toBe(200);
    const call = await t.slackApi.waitFor('chat.postMessage');
    expect(call.args.channel).toBe('D0OFFICER');
    expect(headerText(call.args.blocks)).toBe('Casework help');
    expect(t.slackApi.violations).toEqual([]);
  });

  it('rejects an unsigned request with 401 and does not answer it', async () => {
    t.slackApi.reset();
    const res = await postSlackForm(t.slackEventsUrl, TEST_SIGNING_SECRET, slashCommand('help'), { sign: false });
    expect(res.status).toBe(401);
  });

  it('rejects a request signed with the wrong secret with 401', async () => {
    const res = await postSlackForm(t.slackEventsUrl, 'not-the-secret', slashCommand('help'));
    expect(res.status).toBe(401);
  });

  it('rejects a stale request (signed more than five minutes ago) with 401', async () => {
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await postSlackForm(t.slackEventsUrl, TEST_SIGNING_SECRET, slashCommand('help'), { timestamp: stale });
    expect(res.status).toBe(401);
  });

  it('keeps message text out of the log', async () => {
    const secretWords = 'frobnicate-this-should-not-be-logged';
    await postSlackForm(t.slackEventsUrl, TEST_SIGNING_SECRET, slashCommand(secretWords, { response_url: t.slackApi.responseUrl('nolog') }));
    await t.slackApi.waitFor('response_url', (args) => args.name === 'nolog');
    expect(t.log.raw()).not.toContain(secretWords);
    expect(t.log.raw()).not.toContain('xoxb-test-token');
    expect(t.log.raw()).not.toContain(TEST_SIGNING_SECRET);
  });
});
