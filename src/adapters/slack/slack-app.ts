/**
 * The Slack adapter: a Bolt app whose listeners acknowledge at once, translate the request into
 * a core call, and render the core's reply with Block Kit. No business rule lives here.
 */
import { App, ExpressReceiver, SocketModeReceiver, type App as BoltApp, type CodedError } from '@slack/bolt';
import type { Application } from 'express';
import type { SlackConfig } from '../../config/config.ts';
import type { Casework } from '../../core/casework.ts';
import type { FileDelivery } from '../../core/discussions/discussion-ports.ts';
import type { Reply } from '../../core/interaction.ts';
import type { Notifier, PeopleDirectory } from '../../core/ports.ts';
import type { HomePublisher } from '../../core/reminders/reminder-ports.ts';
import type { Logger } from '../../logging/logger.ts';
import { unreadableFormView } from '../../core/views/error-view.ts';
import type { MessageView } from '../../core/views/message-view.ts';
import {
  FORM_CALLBACK_ID,
  readModalMetadata,
  readModalValues,
  renderFormModal,
  renderMessageModal,
  type SlackViewState,
} from '../../renderers/block-kit/form-modal.ts';
import { safeReply } from '../shared/safe-reply.ts';
import { slackContext } from './slack-context.ts';
import { registerThreadCapture } from './slack-threads.ts';
import { createSlackFileDelivery } from './slack-files.ts';
import { slackPeopleDirectory } from './slack-directory.ts';
import { createSlackNotifier, proactiveSlackClient } from './slack-notifier.ts';
import { createSlackHomePublisher, registerAppHome, renderHomeView } from './slack-home.ts';
import { boltLogger } from './slack-logger.ts';
import { AlwaysAckedReceiver, answerUnprocessable, recordListenerFailure } from './slack-acks.ts';
import { SLACK_BODY_LIMIT_BYTES, slackEndpoint } from './slack-endpoint.ts';
import { isDomainError } from '../../core/errors.ts';
import { openLoadingModal, presentSlackReply, type SlackSurface } from './slack-present.ts';
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
  /** Looks Slack users up (real names for the roster). */
  directory: PeopleDirectory;
  /** Proactive messages: reminders, notices, discussion threads. */
  notifier: Notifier;
  /** Republishes members' App Home tabs ("my deadlines"). */
  homes: HomePublisher;
  /** Private file delivery (record exports into the person's direct messages). */
  files: FileDelivery;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The interaction id of the button that opens a form asked for in a direct message. */
const OPEN_FORM_ACTION = 'form.open';

/** The fields of a block_actions payload the adapter reads. */
interface BlockActionBody {
  trigger_id?: string;
  team?: { id: string } | null;
  user: { id: string; team_id?: string; username?: string; name?: string };
  channel?: { id: string };
  container?: { channel_id?: string };
  view?: { id: string; type?: string; callback_id?: string; state?: { values?: unknown } };
}

/** Button values are JSON objects of strings; anything else (tampered, foreign) becomes empty. */
function parseButtonValue(raw: string | undefined): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(raw ?? '{}');
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

/** The answers of the form modal a button sits in, as button values (lists comma-separated). */
function formInputs(view: BlockActionBody['view']): Record<string, string> {
  if (view?.callback_id !== FORM_CALLBACK_ID || !view.state?.values || typeof view.state.values !== 'object') return {};
  const values = readModalValues(view.state.values as SlackViewState);
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Array.isArray(v) ? v.map(String).join(',') : String(v ?? '')]));
}

/** A message with a button, for when Slack needs a fresh click before it can open a form. */
export function openFormPrompt(text: string): MessageView {
  return {
    kind: 'open-form',
    title: 'Open the form',
    paragraphs: ['Slack opens forms from a button or the /casework command. Press the button to carry on.'],
    actions: [{ id: OPEN_FORM_ACTION, label: 'Open form', value: { text: text.slice(0, 200) }, style: 'primary' }],
  };
}

/** Creates the Bolt app and registers every listener. */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { config, casework } = options;
  const logger = options.logger.child({ platform: 'slack' });
  const socket = Boolean(config.appToken);
  // Over HTTP, bad requests are refused ahead of Bolt's receiver (mounted first, so it runs first).
  if (!socket) options.expressApp.post('/slack/events', ...slackEndpoint({ signingSecret: config.signingSecret!, logger }));
  const receiver = socket
    ? new SocketModeReceiver({ appToken: config.appToken!, logger: boltLogger(logger) })
    : new ExpressReceiver({
        signingSecret: config.signingSecret!,
        endpoints: '/slack/events',
        app: options.expressApp,
        logger: boltLogger(logger),
        // Slack retries unacknowledged requests after 3 s: ack first, then work.
        processBeforeResponse: false,
        bodyLimit: SLACK_BODY_LIMIT_BYTES,
        processEventErrorHandler: answerUnprocessable(logger),
      });

  const app = new App({
    token: config.botToken,
    receiver: new AlwaysAckedReceiver(receiver, logger),
    logger: boltLogger(logger),
    // app.error gets the request body, to answer a form whose listener failed (slack-acks.ts).
    extendedErrorHandler: true,
    clientOptions: {
      ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
      // Hand 429s back to us (the outbox paces and retries) rather than pausing in memory.
      rejectRateLimitedCalls: true,
    },
    ...(options.botIdentity
      ? { tokenVerificationEnabled: false, botId: options.botIdentity.botId, botUserId: options.botIdentity.botUserId }
      : {}),
  });

  app.command(SLACK_COMMAND, async ({ command, ack, respond, client }) => {
    await ack();
    const text = command.text ?? '';
    const ctx = {
      ...slackContext({
        teamId: command.team_id,
        userId: command.user_id,
        channelId: command.channel_id,
        channelType: command.channel_name === 'directmessage' ? 'im' : undefined,
        userName: command.user_name,
      }),
      commandPrefix: SLACK_COMMAND,
    };
    const surface: SlackSurface = {
      client,
      triggerId: command.trigger_id,
      post: (msg) => respond({ response_type: 'ephemeral', replace_original: false, ...msg }),
    };
    await run(surface, { op: 'command' }, casework.formTitleFor({ text }), () => casework.handleText(ctx, text));
  });

  // Direct messages to the app: the same commands as the slash command, without the prefix.
  app.message(async ({ message, say, client }) => {
    if (message.channel_type !== 'im') return;
    if (message.subtype !== undefined || !('user' in message) || !message.user || 'bot_id' in message) return;
    const text = message.text ?? '';
    const ctx = slackContext({ teamId: message.team ?? '', userId: message.user, channelId: message.channel, channelType: 'im' });
    const surface: SlackSurface = { client, post: (msg) => say(msg) };
    const reply = await safeReply(logger, { op: 'direct-message' }, () => casework.handleText(ctx, text));
    if (reply.type === 'form' || reply.type === 'form-invalid') {
      // A typed message carries no trigger id, so a form needs a click: offer a button that opens it.
      await presentSlackReply({ type: 'message', view: openFormPrompt(text) }, surface);
      return;
    }
    await presentSlackReply(reply, surface);
  });

  // Buttons, wherever they are: on messages and inside modals.
  // Replies in case discussion threads, recorded without an @mention.
  registerThreadCapture(app, casework, logger);

  app.action({ type: 'block_actions' }, async ({ ack, body, action, respond, client }) => {
    await ack();
    if (!('action_id' in action)) return;
    // A link button (a discussion's thread) opens in the browser; Slack only tells us it was pressed.
    if ('url' in action && action.url) return;
    const actionId = action.action_id.split('#')[0] ?? '';
    const actionBody = body as BlockActionBody;
    // A button inside a form modal (such as "Save draft") carries the form's answers, as on Teams.
    const value = { ...formInputs(actionBody.view), ...parseButtonValue('value' in action ? action.value : undefined) };
    const ctx = slackContext({
      teamId: actionBody.team?.id ?? actionBody.user.team_id ?? '',
      userId: actionBody.user.id,
      channelId: actionBody.channel?.id ?? actionBody.container?.channel_id,
      userName: actionBody.user.username ?? actionBody.user.name,
    });
    if (actionId === OPEN_FORM_ACTION) {
      const text = value.text ?? '';
      const surface: SlackSurface = { client, triggerId: actionBody.trigger_id, post: (msg) => respond({ response_type: 'ephemeral', replace_original: false, ...msg }) };
      await run(surface, { op: 'open-form' }, casework.formTitleFor({ text }), () => casework.handleText(ctx, text));
      return;
    }
    if (actionBody.view?.type === 'home') {
      // A button on the App Home tab. A form opens as a modal; anything else (the deadline
      // list's pages and filters, an acknowledgement) answers by publishing the home tab again.
      const homeTitle = casework.formTitleFor({ actionId, value });
      const home: SlackSurface = {
        client,
        triggerId: actionBody.trigger_id,
        post: (msg) => client.views.publish({ user_id: actionBody.user.id, view: { type: 'home', blocks: msg.blocks } as never }),
      };
      if (homeTitle) {
        await run(home, { op: 'home-action', action: actionId }, homeTitle, () => casework.handleAction(ctx, actionId, value));
        return;
      }
      const reply = await safeReply(logger, { op: 'home-action', action: actionId }, () => casework.handleAction(ctx, actionId, value));
      if (reply.type === 'message' || reply.type === 'update') {
        await client.views.publish({ user_id: actionBody.user.id, view: renderHomeView(reply.view) as never }).catch((error: unknown) => logger.warn({ err: error, op: 'home-action' }, 'could not publish the home tab'));
      }
      return;
    }
    const inModal = Boolean(actionBody.view?.id);
    // A button inside a modal has no response_url: its answers go into the modal itself.
    const surface: SlackSurface = inModal
      ? { client, triggerId: actionBody.trigger_id, viewId: actionBody.view!.id, post: (msg) => respond({ response_type: 'ephemeral', ...msg }) }
      : {
          client,
          triggerId: actionBody.trigger_id,
          post: (msg) => respond({ response_type: 'ephemeral', replace_original: false, ...msg }),
          replace: (msg) => respond({ replace_original: true, ...msg }),
        };
    const title = casework.formTitleFor({ actionId, value });
    // A button inside a modal that opens another form pushes it onto the modal stack.
    const pushed = title && inModal && actionBody.trigger_id ? await openLoadingModal(client, actionBody.trigger_id, title, true) : undefined;
    const target = pushed ? { ...surface, viewId: pushed } : surface;
    await run(target, { op: 'action', action: actionId }, inModal ? null : title, () => casework.handleAction(ctx, actionId, value));
  });

  // Form submissions: validated by the core inside the 3-second window; errors go back inline.
  app.view(FORM_CALLBACK_ID, async ({ ack, body, view }) => {
    const metadata = readModalMetadata(view.private_metadata);
    const ctx = slackContext({ teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id, userName: body.user.name });
    if (!metadata) {
      await ack({ response_action: 'update', view: renderMessageModal(unreadableFormView()) as never });
      return;
    }
    const values = readModalValues(view.state?.values as unknown as SlackViewState | undefined);
    const reply = await safeReply(logger, { op: 'form-submit', form: metadata.formId }, () =>
      casework.submitForm(ctx, metadata.formId, values, metadata.context),
    );
    // A failed submission comes back as the same modal with every answer, each error under its
    // field and a summary at the top and above the submit button (Slack's own `errors` response
    // can show neither summary).
    if (reply.type === 'form' || reply.type === 'form-invalid') {
      await ack({ response_action: 'update', view: renderFormModal(reply.form) as never });
    } else if (reply.type === 'message' || reply.type === 'update') {
      await ack({ response_action: 'update', view: renderMessageModal(reply.view) as never });
    } else {
      await ack();
    }
  });

  // A form modal closed without submitting: the core keeps its answers as a draft if the form
  // keeps drafts. Slack shows nothing after a close, so the reply is only logged.
  app.view({ callback_id: FORM_CALLBACK_ID, type: 'view_closed' }, async ({ ack, body, view }) => {
    await ack();
    const metadata = readModalMetadata(view.private_metadata);
    if (!metadata) return;
    const ctx = slackContext({ teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id, userName: body.user.name });
    const values = readModalValues(view.state?.values as unknown as SlackViewState | undefined);
    const reply = await safeReply(logger, { op: 'form-closed', form: metadata.formId }, () => casework.formClosed(ctx, metadata.formId, values, metadata.context));
    if (reply.type === 'message' && reply.view.kind === 'error') logger.info({ op: 'form-closed', form: metadata.formId }, 'draft not kept');
  });

  /** Opens a placeholder modal first when a form is coming, then presents the core's reply. */
  async function run(surface: SlackSurface, what: Record<string, unknown>, formTitle: string | null, call: () => Promise<Reply>): Promise<void> {
    let target = surface;
    if (formTitle && surface.triggerId && !surface.viewId) {
      try {
        const viewId = await openLoadingModal(surface.client, surface.triggerId, formTitle);
        if (viewId) target = { ...surface, viewId };
      } catch (error) {
        logger.warn({ err: error, ...what }, 'could not open the modal in time');
      }
    }
    const reply = await safeReply(logger, what, call);
    try {
      await presentSlackReply(reply, target);
    } catch (error) {
      logger.error({ err: error, ...what }, 'could not show the reply in Slack');
    }
  }

  // Casework invited to a channel: the inviter registers the team bound to it, and the welcome
  // (or which team already has the channel) is posted there. Bolt keeps this event from the bot itself.
  app.event('member_joined_channel', async ({ event, body, context, client }) => {
    if (!context.botUserId) return;
    if (event.user !== context.botUserId) {
      // A colleague joined: someone imported by email for the channel's team is linked now.
      const ctx = slackContext({ teamId: event.team || body.team_id, userId: event.user, channelId: event.channel });
      await casework.personJoinedChannel(ctx).catch((error: unknown) => logger.error({ err: error, op: 'person-joined' }, 'could not link a person who joined'));
      return;
    }
    if (!event.inviter) {
      logger.info({ op: 'bot-joined', channel: event.channel }, 'joined a channel with no inviter; setup will register it');
      return;
    }
    const channelName = await client.conversations.info({ channel: event.channel }).then(
      (info) => info.channel?.name,
      () => undefined,
    );
    const ctx = {
      ...slackContext({ teamId: event.team || body.team_id, userId: event.inviter, channelId: event.channel }),
      commandPrefix: SLACK_COMMAND,
    };
    const inviter = event.inviter;
    const reply = await safeReply(logger, { op: 'bot-joined' }, () => casework.botAddedToChannel(ctx, channelName ? { channelName } : {}));
    // Only what the core marked for everyone (the welcome) goes in the channel; a refusal or a
    // question is shown to the inviter alone.
    const shared = (reply.type === 'message' || reply.type === 'update') && reply.view.shared === true;
    const surface: SlackSurface = {
      client,
      post: (msg) => (shared ? client.chat.postMessage({ channel: event.channel, ...msg }) : client.chat.postEphemeral({ channel: event.channel, user: inviter, ...msg })),
    };
    try {
      await presentSlackReply(reply, surface);
    } catch (error) {
      logger.error({ err: error, op: 'bot-joined' }, 'could not show the reply in Slack');
    }
  });

  registerAppHome(app, casework, logger);

  app.error(async ({ error, body }: { error: CodedError; body?: unknown }) => {
    const original = error.original ?? error;
    const reference = recordListenerFailure(body, original);
    if (isDomainError(original)) logger.info({ code: original.code }, 'request refused');
    else logger.error({ reference, err: original, code: error.code }, 'slack listener failed');
  });

  return {
    app,
    mode: socket ? 'socket' : 'http',
    directory: slackPeopleDirectory(app.client, logger),
    notifier: createSlackNotifier(proactiveSlackClient(config.botToken, config.apiUrl)),
    homes: createSlackHomePublisher(app.client),
    files: createSlackFileDelivery(app.client),
    async start() {
      // Over HTTP the receiver is already mounted on the server; Socket Mode opens its websocket here.
      if (socket) await app.start();
    },
    async stop() {
      if (socket) await app.stop();
    },
  };
}
