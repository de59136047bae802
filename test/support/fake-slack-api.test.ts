import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, WebClient } from '@slack/web-api';
import type { WebAPIPlatformError, WebAPIRateLimitedError } from '@slack/web-api';
import { startFakeSlackApi } from './fake-slack-api.ts';
import type { FakeSlackApi } from './fake-slack-api.ts';

const blocks = [
  { type: 'section', block_id: 'summary', text: { type: 'mrkdwn', text: '*Case 42* review due [soon]' } },
  { type: 'actions', elements: [{ type: 'button', action_id: 'reminder.snooze', text: { type: 'plain_text', text: 'Snooze' } }] },
];

function clientFor(fake: FakeSlackApi): WebClient {
  return new WebClient('xoxb-test-token', {
    slackApiUrl: fake.url,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
}

describe('fake Slack Web API', () => {
  let fake: FakeSlackApi;
  let client: WebClient;

  beforeEach(async () => {
    fake = await startFakeSlackApi();
    client = clientFor(fake);
  });
  afterEach(async () => {
    await fake.close();
  });

  it('serves the Web API under a base URL ending in /api/', () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it('records chat.postMessage with its arguments decoded and answers with an increasing ts', async () => {
    const first = await client.chat.postMessage({ channel: 'C0CASES', text: '[urgent] review', blocks, unfurl_links: false });
    const second = await client.chat.postMessage({ channel: 'C0CASES', text: 'reply', thread_ts: first.ts! });

    const [call] = fake.callsTo('chat.postMessage');
    expect(call).toMatchObject({ method: 'chat.postMessage', token: 'xoxb-test-token', status: 200 });
    expect(call!.args).toEqual({ channel: 'C0CASES', text: '[urgent] review', blocks, unfurl_links: 'false' });
    expect(call!.at).toEqual(expect.any(Number));
    expect(first).toMatchObject({ ok: true, channel: 'C0CASES', message: { text: '[urgent] review', blocks, bot_id: 'B0BOT' } });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(fake.violations).toEqual([]);
  });

  it('answers auth.test with the configured identity', async () => {
    const custom = await startFakeSlackApi({ botUserId: 'U0CUSTOM', teamId: 'T0OTHER' });
    try {
      await expect(clientFor(custom).auth.test()).resolves.toMatchObject({ ok: true, user_id: 'U0CUSTOM', bot_id: 'B0BOT', team_id: 'T0OTHER' });
    } finally {
      await custom.close();
    }
  });

  it('opens and updates a modal, keeping its view id', async () => {
    const view = { type: 'modal' as const, callback_id: 'case.create', title: { type: 'plain_text' as const, text: 'New case' }, blocks: [] };
    const opened = await client.views.open({ trigger_id: '123.456.abc', view });
    expect(opened.view).toMatchObject({ id: expect.stringMatching(/^V/), callback_id: 'case.create', hash: expect.any(String) });
    expect(fake.callsTo('views.open')[0]!.args).toEqual({ trigger_id: '123.456.abc', view });

    const updated = await client.views.update({ view_id: opened.view!.id!, view });
    expect(updated.view!.id).toBe(opened.view!.id);
    expect(updated.view!.hash).not.toBe(opened.view!.hash);
  });

  it('gives each user a stable DM channel', async () => {
    const a = await client.conversations.open({ users: 'UALICE' });
    const b = await client.conversations.open({ users: 'UALICE' });
    expect(a.channel!.id).toBe('DALICE');
    expect(b.channel!.id).toBe('DALICE');
    await expect(client.users.info({ user: 'UALICE' })).resolves.toMatchObject({ user: { id: 'UALICE', tz: 'Europe/London' } });
  });

  it('accepts JSON bodies and query strings, and flags a call without a token', async () => {
    const post = (path: string, init: RequestInit) => fetch(new URL(path, fake.url), { method: 'POST', ...init });
    await post('chat.postEphemeral?channel=C0CASES', {
      headers: { Authorization: 'Bearer xoxb-json', 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ user: 'UALICE', text: 'only you', blocks }),
    });
    expect(fake.callsTo('chat.postEphemeral')[0]).toMatchObject({ token: 'xoxb-json', args: { channel: 'C0CASES', user: 'UALICE', blocks } });

    const anonymous = await post('auth.test', {});
    expect(await anonymous.json()).toMatchObject({ ok: false, error: 'not_authed' });
    expect(fake.violations).toEqual([expect.objectContaining({ kind: 'not_authed', method: 'auth.test' })]);
  });

  it('records a call missing a required argument as a violation', async () => {
    // chat.update requires ts; cast past the types as a buggy caller might.
    const call = client.chat.update({ channel: 'C0CASES', text: 'edited' } as never);
    await expect(call).rejects.toMatchObject({ code: ErrorCode.PlatformError, data: { error: 'invalid_arguments' } });
    expect(fake.violations).toEqual([expect.objectContaining({ kind: 'invalid_arguments', method: 'chat.update', missing: ['ts'] })]);
    expect(fake.callsTo('chat.update')).toEqual([]);
    expect(fake.calls).toHaveLength(1);
  });

  it('records an unknown method as a violation', async () => {
    const error = (await client.apiCall('cases.frobnicate', { id: 1 }).catch((e: unknown) => e)) as WebAPIPlatformError;
    expect(error.data.error).toBe('unknown_method');
    expect(fake.violations).toEqual([expect.objectContaining({ kind: 'unknown_method', method: 'cases.frobnicate' })]);
  });

  it('plays scripted answers, then falls back to the default', async () => {
    fake.respondWith('chat.postMessage', () => ({ status: 429, headers: { 'retry-after': '3' } }), { times: 1 });
    fake.respondWith('conversations.info', () => ({ ok: false, error: 'channel_not_found' }));

    const limited = (await client.chat.postMessage({ channel: 'C0CASES', text: 'hi' }).catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(limited).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 3 });
    await expect(client.chat.postMessage({ channel: 'C0CASES', text: 'hi' })).resolves.toMatchObject({ ok: true });
    await expect(client.conversations.info({ channel: 'C0GONE' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(fake.violations).toEqual([]);
  });

  it('waits for a matching call as it arrives, and times out listing what it saw', async () => {
    const waiting = fake.waitFor('chat.postMessage', (args) => args.channel === 'C0TWO', { count: 2 });
    for (const channel of ['C0ONE', 'C0TWO', 'C0TWO']) await client.chat.postMessage({ channel, text: channel });
    await expect(waiting).resolves.toMatchObject({ args: { channel: 'C0TWO' } });
    expect(fake.calls.indexOf(await waiting)).toBe(2);

    await expect(fake.waitFor('views.publish', undefined, { timeoutMs: 20 })).rejects.toThrow(
      /timed out after 20 ms[\s\S]*Calls seen \(3\)[\s\S]*chat\.postMessage \{"channel":"C0ONE"/,
    );
  });

  it('records posts to a response_url', async () => {
    const response = await fetch(fake.responseUrl('case-42'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'Done' }),
    });
    expect(response.status).toBe(200);
    expect(fake.callsTo('response_url')[0]!.args).toEqual({ replace_original: true, text: 'Done', name: 'case-42' });
  });

  it('takes a files.uploadV2 upload end to end', async () => {
    await client.filesUploadV2({ channel_id: 'C0CASES', filename: 'cases.csv', content: 'id,name\n42,Case 42\n' });
    expect(fake.callsTo('files.getUploadURLExternal')[0]!.args).toMatchObject({ filename: 'cases.csv', length: '19' });
    expect(fake.callsTo('file_upload')[0]!.args).toMatchObject({ filename: 'cases.csv', content: 'id,name\n42,Case 42\n' });
    expect(fake.callsTo('files.completeUploadExternal')[0]!.args).toMatchObject({ channel_id: 'C0CASES', files: [{ id: expect.stringMatching(/^F/) }] });
    expect(fake.violations).toEqual([]);
  });

  it('forgets everything on reset', async () => {
    fake.respondWith('auth.test', () => ({ ok: false, error: 'invalid_auth' }));
    await client.apiCall('no.such.method').catch(() => undefined);
    fake.reset();
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    expect(fake.calls.map((c) => c.method)).toEqual(['auth.test']);
    expect(fake.violations).toEqual([]);
  });
});

describe('fake Slack Web API rate limiter', () => {
  it('limits chat.postMessage per channel with a token bucket', async () => {
    let now = 1_000_000;
    const fake = await startFakeSlackApi({ rateLimit: { perChannelPerSecond: 1, burst: 3 }, now: () => now });
    try {
      const client = clientFor(fake);
      for (let i = 0; i < 3; i++) await client.chat.postMessage({ channel: 'C0BUSY', text: `burst ${i}` });
      const limited = await client.chat.postMessage({ channel: 'C0BUSY', text: 'one too many' }).catch((e: unknown) => e);
      expect(limited).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 1 });
      await expect(client.chat.postMessage({ channel: 'C0QUIET', text: 'other channel' })).resolves.toMatchObject({ ok: true });

      now += 1000; // one token back
      await expect(client.chat.postMessage({ channel: 'C0BUSY', text: 'after a second' })).resolves.toMatchObject({ ok: true });
      expect(fake.rateLimited).toBe(1);
      expect(fake.callsTo('chat.postMessage')).toHaveLength(5);
      expect(fake.calls.filter((c) => c.rejected === 'rate_limited')).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });
});
