/**
 * The Slack adapter: a Bolt app whose listeners acknowledge at once, translate the request into
 * a core call, and render the core's reply with Block Kit. No business rule lives here.
 */
import { App, ExpressReceiver, SocketModeReceiver, type App as BoltApp } from '@slack/bolt';
import type { Application } from 'express';
import type { SlackConfig } from '../../config/config.ts';
import type { Casework } from '../../core/casework.ts';
import type { Reply } from '../../core/interaction.ts';
import type { Logger } from '../../logging/logger.ts';
import { renderMessageBlocks } from '../../renderers/block-kit/message-blocks.ts';
import { safeReply } from '../shared/safe-reply.ts';
import { slackContext } from './slack-context.ts';
import { boltLogger } from './slack-logger.ts';
import { SLACK_COMMAND } from './slack-requirements.ts';

/** Options for the Slack adapter; `expressApp` is where the HTTP receiver mounts `/slack/events`. */
export interface SlackAdapterOptions {
  config: SlackConfig;
  casework: Casework;
  logger: Logger;
  expressApp: Application;
  /** Test hook: skip `auth.test` by naming the bot's ids up front. */
  botIdentity?: { botId: string; botUserId: string };
}

/** A running Slack adapter. */
export interface SlackAdapter {
  app: BoltApp;
  mode: 'http' | 'socket';
  start(): Promise<void>;
  stop(): Promise<void>;
}

type PostMessage = (args: { blocks: unknown[]; text: string }) => Promise<unknown>;

/** Creates the Bolt app and registers every listener. */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { config, casework } = options;
  const logger = options.logger.child({ platform: 'slack' });
  const socket = Boolean(config.appToken);
  const receiver = socket
    ? new SocketModeReceiver({ appToken: config.appToken!, logger: boltLogger(logger) })
    : new ExpressReceiver({
        signingSecret: config.signingSecret!,
        endpoints: '/slack/events',
        app: options.expressApp,
        logger: boltLogger(logger),
        // Slack retries unacknowledged requests after 3 s: ack first, then work.
        processBeforeResponse: false,
      });

  const app = new App({
    token: config.botToken,
    receiver,
    logger: boltLogger(logger),
    clientOptions: {
      ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
      // Hand 429s back to us (the outbox paces and retries) rather than pausing in memory.
      rejectRateLimitedCalls: true,
    },
    ...(options.botIdentity
      ? { tokenVerificationEnabled: false, botId: options.botIdentity.botId, botUserId: options.botIdentity.botUserId }
      : {}),
  });

  /** Renders a reply where the user is; messages only for now, forms arrive with later features. */
  async function deliver(reply: Reply, post: PostMessage): Promise<void> {
    if (reply.type === 'message' || reply.type === 'update') {
      await post(renderMessageBlocks(reply.view));
    }
  }

  app.command(SLACK_COMMAND, async ({ command, ack, respond }) => {
    await ack();
    const ctx = slackContext({
      teamId: command.team_id,
      userId: command.user_id,
      channelId: command.channel_id,
      channelType: command.channel_name === 'directmessage' ? 'im' : undefined,
      userName: command.user_name,
    });
    const reply = await safeReply(logger, { op: 'command' }, () =>
      casework.handleText({ ...ctx, commandPrefix: SLACK_COMMAND }, command.text ?? ''),
    );
    await deliver(reply, (msg) => respond({ response_type: 'ephemeral', replace_original: false, ...msg }));
  });

  // Direct messages to the app: the same commands as the slash command, without the prefix.
  app.message(async ({ message, say }) => {
    if (message.channel_type !== 'im') return;
    if (message.subtype !== undefined || !('user' in message) || !message.user || 'bot_id' in message) return;
    const ctx = slackContext({ teamId: message.team ?? '', userId: message.user, channelId: message.channel, channelType: 'im' });
    const reply = await safeReply(logger, { op: 'direct-message' }, () => casework.handleText(ctx, message.text ?? ''));
    await deliver(reply, (msg) => say(msg));
  });

  app.error(async (error) => {
    logger.error({ err: error.original ?? error, code: error.code }, 'slack listener failed');
  });

  return {
    app,
    mode: socket ? 'socket' : 'http',
    async start() {
      // Over HTTP the receiver is already mounted on the server; Socket Mode opens its websocket here.
      if (socket) await app.start();
    },
    async stop() {
      if (socket) await app.stop();
    },
  };
}
