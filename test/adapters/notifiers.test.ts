// The real Slack and Teams notifiers against the loopback Slack Web API and Bot Framework connector:
// what each sends, and how each platform's failures become DeliveryErrors the outbox can act on.
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackNotifier, proactiveSlackClient } from '../../src/adapters/slack/slack-notifier.ts';
import { createTeamsNotifier } from '../../src/adapters/teams/teams-notifier.ts';
import type { ChannelBinding, PlatformIdentity } from '../../src/core/domain/entities.ts';
import { DeliveryError, type Notifier } from '../../src/core/ports.ts';
import type { MessageView } from '../../src/core/views/message-view.ts';
import { connectorErrors, startFakeConnector, type FakeConnector } from '../support/fake-bot-connector.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api.ts';

const view: MessageView = { kind: 'reminder-digest', title: 'Your deadlines today', facts: [{ label: 'CW-7K3P', value: 'Home visit due today' }], actions: [{ id: 'reminder.ack', label: 'Acknowledge', value: { deadlineId: 'd1' } }] };

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DeliveryError) return error;
    throw error;
  }
  throw new Error('expected a DeliveryError');
}

describe('Slack notifier', () => {
  let api: FakeSlackApi;
  let notifier: Notifier;
  const person: PlatformIdentity = { id: 'i1', memberId: 'm1', teamId: 't1', platform: 'slack', workspaceId: 'T0TEAM', userId: 'UALICE', displayName: 'Alice', linked: true, conversationRef: null };
  beforeAll(async () => {
    api = await startFakeSlackApi();
    notifier = createSlackNotifier(proactiveSlackClient('xoxb-test', api.url));
  });
  afterAll(async () => api?.close());
  beforeEach(() => api.reset());

  it('opens the DM once and posts the message there; updates it in place', async () => {
    const ref = await notifier.sendToPerson(person, view);
    await notifier.sendToPerson(person, view);
    expect(api.callsTo('conversations.open')).toHaveLength(1);
    const posted = api.callsTo('chat.postMessage');
    expect(posted[0]!.args.channel).toBe('DALICE');
    expect(JSON.stringify(posted[0]!.args.blocks)).toContain('reminder.ack');
    await notifier.update(ref, { ...view, title: 'Done' });
    expect(api.callsTo('chat.update')[0]!.args).toMatchObject({ channel: 'DALICE', ts: ref.messageId });
    expect(api.violations).toEqual([]);
  });

  it('posts a channel root and replies in its thread', async () => {
    const channel: ChannelBinding = { platform: 'slack', workspaceId: 'T0TEAM', channelId: 'C0TEAM', ref: null };
    const root = await notifier.postToChannel(channel, view);
    await notifier.replyInThread(root, view);
    const [first, reply] = api.callsTo('chat.postMessage');
    expect(first!.args.channel).toBe('C0TEAM');
    expect(reply!.args.thread_ts).toBe(root.messageId);
  });

  it('turns a 429 into rate_limited with Retry-After, and a gone channel into permanent', async () => {
    api.respondWith('chat.postMessage', () => ({ status: 429, headers: { 'retry-after': '7' } }), { times: 1 });
    const limited = await failure(notifier.postToChannel({ platform: 'slack', workspaceId: 'T', channelId: 'C1', ref: null }, view));
    expect(limited).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 7 });
    api.respondWith('chat.postMessage', () => ({ ok: false, error: 'channel_not_found' }), { times: 1 });
    const gone = await failure(notifier.postToChannel({ platform: 'slack', workspaceId: 'T', channelId: 'C2', ref: null }, view));
    expect(gone).toMatchObject({ kind: 'permanent', code: 'channel_not_found' });
    api.respondWith('chat.postMessage', () => ({ ok: false, error: 'internal_error' }), { times: 1 });
    expect(await failure(notifier.postToChannel({ platform: 'slack', workspaceId: 'T', channelId: 'C3', ref: null }, view))).toMatchObject({ kind: 'transient' });
  });

  it('gives up on a Slack that does not answer, as a transient failure, instead of hanging', async () => {
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    api.respondWith('chat.postMessage', async () => {
      await stalled;
      return { ok: true };
    }, { times: 1 });
    const quick = createSlackNotifier(proactiveSlackClient('xoxb-test', api.url, 50));
    const error = await failure(quick.postToChannel({ platform: 'slack', workspaceId: 'T', channelId: 'C4', ref: null }, view));
    release();
    expect(error).toMatchObject({ kind: 'transient' });
  });
});

describe('Teams notifier', () => {
  let connector: FakeConnector;
  let notifier: Notifier;
  let person: PlatformIdentity;
  beforeAll(async () => {
    connector = await startFakeConnector();
    notifier = createTeamsNotifier(new CloudAdapter(new ConfigurationBotFrameworkAuthentication({})), 'casework-test');
    person = {
      id: 'i2', memberId: 'm2', teamId: 't1', platform: 'teams', workspaceId: 'tenant-1', userId: 'aad-alice', displayName: 'Alice', linked: true,
      conversationRef: { channelId: 'msteams', serviceUrl: connector.serviceUrl, bot: { id: '28:bot', name: 'Casework' }, user: { id: '29:alice', aadObjectId: 'aad-alice' }, conversation: { id: 'a:personal-alice', conversationType: 'personal', tenantId: 'tenant-1' } },
    };
  });
  afterAll(async () => connector?.close());
  beforeEach(() => connector.reset());

  it('sends to a person through their stored conversation reference, and updates the card', async () => {
    const ref = await notifier.sendToPerson(person, view);
    const [sent] = await connector.waitForSent(() => true);
    expect(sent!.conversationId).toBe('a:personal-alice');
    expect(JSON.stringify(sent!.activity.attachments)).toContain('reminder.ack');
    await notifier.update(ref, { ...view, title: 'Done' });
    const updated = await connector.waitForSent((s) => s.operation === 'updateActivity');
    expect(updated[0]!.activityId).toBe(ref.messageId);
  });

  it('starts a thread in the team channel and replies in it', async () => {
    const channel: ChannelBinding = { platform: 'teams', workspaceId: 'tenant-1', channelId: '19:general@thread.tacv2', ref: { serviceUrl: connector.serviceUrl, bot: { id: '28:bot', name: 'Casework' }, channelId: 'msteams' } };
    const root = await notifier.postToChannel(channel, view);
    expect(root.conversationId).toBe(`19:general@thread.tacv2;messageid=${root.messageId}`);
    expect(root.messageId).not.toBe('');
    await notifier.replyInThread(root, { ...view, title: 'Reply' });
    const replies = await connector.waitForSent((s) => s.conversationId === root.conversationId && s.operation !== 'createConversation');
    expect(JSON.stringify(replies[0]!.activity)).toContain('Reply');
  });

  it('reports a person who never talked to the bot, a blocked bot and a vanished chat as permanent', async () => {
    expect(await failure(notifier.sendToPerson({ ...person, conversationRef: null }, view))).toMatchObject({ kind: 'permanent', code: 'no_conversation_reference' });
    connector.respondWith({ conversationId: 'a:personal-alice' }, connectorErrors.botBlocked(), { times: 1 });
    expect(await failure(notifier.sendToPerson(person, view))).toMatchObject({ kind: 'permanent' });
    connector.respondWith({ conversationId: 'a:personal-alice' }, connectorErrors.conversationNotFound(), { times: 1 });
    expect(await failure(notifier.sendToPerson(person, view))).toMatchObject({ kind: 'permanent' });
  });

  it('opens a one-to-one chat with someone known only from a channel', async () => {
    const fromChannel: PlatformIdentity = {
      ...person,
      userId: 'aad-outsider',
      conversationRef: { channelId: 'msteams', serviceUrl: connector.serviceUrl, bot: { id: '28:bot', name: 'Casework' }, user: { id: '29:outsider', aadObjectId: 'aad-outsider' }, conversation: { id: '19:general@thread.tacv2;messageid=1', conversationType: 'channel' } },
    };
    const ref = await notifier.sendToPerson(fromChannel, view);
    const [created] = await connector.waitForSent((s) => s.operation === 'createConversation');
    expect(JSON.stringify(created!.activity.attachments)).toContain('reminder.ack');
    const request = connector.requests.find((r) => r.operation === 'createConversation');
    expect(request?.body).toMatchObject({ isGroup: false, members: [{ id: '29:outsider' }] });
    expect(ref.conversationId).not.toBe('');
  });

  it('reports throttling as rate_limited once the connector keeps answering 429', async () => {
    connector.respondWith({ conversationId: 'a:personal-alice' }, connectorErrors.throttled(), { times: 5 });
    expect(await failure(notifier.sendToPerson(person, view))).toMatchObject({ kind: 'rate_limited' });
  });
});
