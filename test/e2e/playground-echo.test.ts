// The whole local Teams chain with no network: a tiny CloudAdapter bot (auth off) behind the real Agents
// Playground started by src/local/playground.ts, driven by test/support/playground-driver.ts.
// The template for the application's own end-to-end test.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ActivityHandler,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  TurnContext,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
} from 'botbuilder';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlayground, type PlaygroundLogger, type RunningPlayground } from '../../src/local/playground.ts';
import { connectPlayground, type PlaygroundDriver } from '../support/playground-driver.ts';

function helpCard(): Record<string, unknown> {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: 'Echo help', weight: 'Bolder', wrap: true },
      { type: 'Input.Text', id: 'note', label: 'Note' },
    ],
    actions: [{ type: 'Action.Execute', title: 'Ping', verb: 'echo.ping', data: { caseId: 42 } }],
  };
}

/** Replies to "help" with a card, echoes anything else, and records what it received. */
class EchoBot extends ActivityHandler {
  readonly received: Activity[] = [];
  readonly invokes: AdaptiveCardInvokeValue[] = [];

  constructor() {
    super();
    this.onMessage(async (context, next) => {
      this.received.push(context.activity);
      const text = TurnContext.removeRecipientMention(context.activity)?.trim() ?? '';
      await context.sendActivity(
        text === 'help' ? MessageFactory.attachment(CardFactory.adaptiveCard(helpCard())) : `You said: ${text}`,
      );
      await next();
    });
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    this.received.push(context.activity);
    this.invokes.push(invokeValue);
    const done = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: `Pinged ${invokeValue.action.verb}` }] };
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: done };
  }
}

const quietLogger: PlaygroundLogger & { lines: { level: string; msg?: string; obj: object }[] } = {
  lines: [],
  info(obj, msg) {
    this.lines.push({ level: 'info', msg, obj });
  },
  warn(obj, msg) {
    this.lines.push({ level: 'warn', msg, obj });
  },
  error(obj, msg) {
    this.lines.push({ level: 'error', msg, obj });
  },
};

describe('echo bot in the Agents Playground', () => {
  const bot = new EchoBot();
  let server: Server;
  let playground: RunningPlayground | undefined;
  let driver: PlaygroundDriver | undefined;

  beforeAll(async () => {
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const app = express();
    app.use(express.json());
    app.post('/api/messages', (req, res) => adapter.process(req, res, (context) => bot.run(context)));
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const botEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;

    // Port 0: any free port, so parallel runs and a developer's own Playground on 56150 do not collide.
    playground = await startPlayground({ botEndpoint, port: 0, logger: quietLogger, startTimeoutMs: 60_000 });
    driver = await connectPlayground(playground.url);
  }, 90_000);

  afterAll(async () => {
    await driver?.close();
    await playground?.stop();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('reports its mock tenant', async () => {
    const config = await driver!.config();
    expect(config.currentUser).toMatchObject({ id: 'user-id-0', name: 'Alex Wilber' });
    expect(config.currentUser.aadObjectId).toBeTruthy();
    expect(config.users).toHaveLength(5);
    expect(config.team.generalChannelId).toBe(config.team.id);
    expect(config.channelId).toBe('msteams');
  });

  it('delivers "help" from the personal chat and shows the card the bot replied with', async () => {
    const d = driver!;
    const { personalChat, currentUser, tenantId } = await d.config();

    const sent = await d.sendMessage('help');
    const reply = await d.waitForBotMessage((m) => m.card !== undefined, 20_000);

    expect(sent.conversationId).toBe(personalChat.id);
    expect(reply.conversationId).toBe(personalChat.id);
    expect(reply.card).toMatchObject({ version: '1.5', actions: [{ type: 'Action.Execute', verb: 'echo.ping' }] });
    const inbound = bot.received.at(-1);
    expect(inbound).toMatchObject({
      type: 'message',
      channelId: 'msteams',
      conversation: { id: personalChat.id, conversationType: 'personal', tenantId },
      from: { id: currentUser.id, aadObjectId: currentUser.aadObjectId },
    });
    expect(inbound?.serviceUrl).toMatch(/^http:\/\/localhost:\d+\/_connector$/);
  });

  it('sends an Action.Execute on that card to the invoke handler with its verb and data', async () => {
    const d = driver!;
    const { personalChat } = await d.config();
    await d.sendMessage('help');
    const cardMessage = await d.waitForBotMessage((m) => m.card !== undefined, 20_000);

    const result = await d.executeAction(cardMessage, { verb: 'echo.ping', data: { caseId: 42, note: 'seen at home' } });

    expect(bot.invokes.at(-1)?.action).toMatchObject({ type: 'Action.Execute', verb: 'echo.ping', data: { caseId: 42, note: 'seen at home' } });
    expect(bot.received.at(-1)).toMatchObject({
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: cardMessage.messageId,
      conversation: { id: personalChat.id },
    });
    expect(result).toEqual({
      type: 'application/vnd.microsoft.card.adaptive',
      value: expect.objectContaining({ body: [expect.objectContaining({ text: 'Pinged echo.ping' })] }),
    });
  });

  it('delivers an @mention in the General channel and replies in the new thread', async () => {
    const d = driver!;
    const { team, currentUser } = await d.config();

    const sent = await d.sendMessage('hello team', { conversationId: team.generalChannelId });
    const reply = await d.waitForBotMessage((m) => m.text === 'You said: hello team', 20_000);

    expect(sent.conversationId).toBe(`${team.id};messageid=${sent.messageId}`);
    expect(reply.conversationId).toBe(sent.conversationId);
    expect(bot.received.at(-1)).toMatchObject({
      from: { id: currentUser.id },
      conversation: { id: sent.conversationId, conversationType: 'channel' },
      channelData: { team: { id: team.id }, channel: { id: team.generalChannelId } },
    });
  });

  it('sends a message as another mock user in that thread, and an Action.Submit as them', async () => {
    const d = driver!;
    const { team, users } = await d.config();
    const megan = users[0]!;
    const post = await d.sendMessage('help', { conversationId: team.generalChannelId });
    const cardMessage = await d.waitForBotMessage((m) => m.card !== undefined, 20_000);

    await d.sendMessageAs(megan.id, 'me too', { conversationId: post.conversationId });
    const reply = await d.waitForBotMessage((m) => m.text === 'You said: me too', 20_000);
    expect(reply.conversationId).toBe(post.conversationId);
    expect(bot.received.at(-1)).toMatchObject({
      from: { id: megan.id, aadObjectId: megan.aadObjectId },
      conversation: { id: post.conversationId, conversationType: 'channel' },
      channelData: { team: { id: team.id }, channel: { id: team.generalChannelId } },
    });

    await d.submitAction(cardMessage, { caseId: 42 }, { fromId: megan.id });
    await d.waitForBotMessage((m) => m.text === 'You said: ', 20_000);
    expect(bot.received.at(-1)).toMatchObject({ type: 'message', from: { id: megan.id }, value: { caseId: 42 } });
  });

  it('sends a custom activity as another user', async () => {
    const d = driver!;
    const { groupChat, users } = await d.config();
    const adele = users[1]!;

    await d.sendMessageAs(adele.id, 'from a custom activity', { conversationId: groupChat.id });
    await d.waitForBotMessage((m) => m.text === 'You said: from a custom activity', 20_000);

    expect(bot.received.at(-1)).toMatchObject({
      from: { id: adele.id, aadObjectId: adele.aadObjectId },
      conversation: { id: groupChat.id, conversationType: 'groupChat' },
    });
  });
});
