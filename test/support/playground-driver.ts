// Drives a running Microsoft 365 Agents Playground (0.2.28) the way its web client does: sends messages and
// card actions as mock users over its HTTP API and collects what the bot sent from its conversation websocket.
import WebSocket from 'ws';
import { fetchPlaygroundConfig, type PlaygroundConfig } from '../../src/local/playground.ts';

/** Something the bot posted or updated, as the Playground renders it. */
export interface BotMessage {
  kind: 'created' | 'updated';
  /** The conversation holding the message; pass it (via the message) to `executeAction` / `submitAction`. */
  conversationId: string;
  /** Where the Playground shows it: the channel (team id) when the message started a new channel post. */
  shownInConversationId: string;
  messageId: string;
  timestamp: number;
  fromId: string;
  text?: string;
  attachments: { contentType: string; content: unknown }[];
  /** The first Adaptive Card attachment's JSON, if any. */
  card?: Record<string, unknown>;
  /** The websocket frame as received. */
  raw: unknown;
}

/** A message a mock user sent through the Playground. */
export interface UserMessage {
  messageId: string;
  /** The conversation the bot receives it in: for a new channel post, `<channel>;messageid=<messageId>`. */
  conversationId: string;
  timestamp: number;
}

/** Options for `sendMessage`. */
export interface SendMessageOptions {
  /** Default: the personal chat. A channel id starts a new post; `<channel>;messageid=<root>` replies in a thread. */
  conversationId?: string;
  /** Prefix `<at>bot</at>`; default true outside the personal chat, where the bot only hears @mentions. */
  mentionBot?: boolean;
}

/** What the bot answered to an `adaptiveCard/action` invoke, as the Playground passes it back. */
export interface InvokeResult {
  /** e.g. `application/vnd.microsoft.card.adaptive` or `application/vnd.microsoft.activity.message`. */
  type: string;
  value: unknown;
}

/** Options for `waitForBotMessage`. */
export interface WaitOptions {
  /**
   * Index into `botMessages()` to search from. Default: the count when the driver last sent something, so a
   * wait after a send only sees what arrived since (replies cannot arrive earlier).
   */
  since?: number;
}

/** A connected driver; `close()` when done. */
export interface PlaygroundDriver {
  readonly url: string;
  /** The Playground's mock tenant (fetched once). */
  config(): Promise<PlaygroundConfig>;
  /**
   * Sends a message as the current user, the way the web client's compose box does; the Playground records it,
   * so the bot's replies show in the conversation. (It accepts another member's `from.id` but still delivers
   * the message from the current user: use `sendMessageAs` for other users.)
   */
  sendMessage(text: string, options?: SendMessageOptions): Promise<UserMessage>;
  /**
   * Sends any activity straight to the bot (`/_internal/v1/customActivities`), on top of the Playground's own
   * template for `conversation.id` (ids, serviceUrl, tenant). The Playground does not record it as a message.
   */
  sendActivity(activity: CustomActivity): Promise<void>;
  /** Sends a message from any mock user (`fromId`) as a custom activity, shaped like the Playground's own messages. */
  sendMessageAs(fromId: string, text: string, options?: { conversationId?: string; mentionBot?: boolean }): Promise<void>;
  /** Presses an `Action.Execute` on `message`'s card: an `adaptiveCard/action` invoke; resolves with the bot's answer. */
  executeAction(message: BotMessage, action: { verb: string; data?: Record<string, unknown>; title?: string }, options?: { fromId?: string }): Promise<InvokeResult>;
  /** Presses an `Action.Submit` on `message`'s card (a message activity with `value`). */
  submitAction(message: BotMessage, data: Record<string, unknown>, options?: { fromId?: string }): Promise<void>;
  /** What the web client does when a conversation is first opened: installationUpdate and conversationUpdate to the bot. */
  install(conversationId?: string): Promise<void>;
  /** Everything the bot posted or updated so far, in order. */
  botMessages(): BotMessage[];
  /** Resolves with the first matching bot message (see `WaitOptions.since`); rejects after `timeoutMs`. */
  waitForBotMessage(predicate: (message: BotMessage) => boolean, timeoutMs?: number, options?: WaitOptions): Promise<BotMessage>;
  close(): Promise<void>;
}

/** An activity for `sendActivity`; `conversation.id` selects the template. */
export interface CustomActivity {
  type: string;
  conversation: { id: string };
  [field: string]: unknown;
}

interface ConversationFrame {
  action: 'createMessage' | 'updateMessage' | 'typing';
  actionConversationId: string;
  message?: {
    messageId: string;
    timestamp: number;
    from: { id: string };
    text?: string;
    attachments?: { contentType: string; content: unknown }[];
    postConversationId?: string;
  };
}

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** Connects to the Playground at `url` (its conversation websocket first, so no bot message is missed). */
export async function connectPlayground(url: string): Promise<PlaygroundDriver> {
  const messages: BotMessage[] = [];
  const listeners = new Set<() => void>();
  let mark = 0;
  let cachedConfig: Promise<PlaygroundConfig> | undefined;

  // The Playground buffers frames while no websocket client is connected and hands them to the first one.
  const socket = new WebSocket(new URL('/_ws_conversation/v1/conversations/stream', url.replace(/^http/, 'ws')));
  socket.on('message', (data: WebSocket.RawData) => {
    const frame = JSON.parse(data.toString()) as ConversationFrame;
    if (frame.action === 'typing' || !frame.message) return;
    // An update frame for a channel post's root names the channel, not the post: keep the conversation first seen.
    const earlier = messages.find((m) => m.messageId === frame.message?.messageId);
    messages.push(toBotMessage(frame, frame.message, earlier?.conversationId));
    for (const listener of listeners) listener();
  });
  let socketError: Error | undefined;
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.on('error', (error) => {
    socketError = error;
  });

  const config = (): Promise<PlaygroundConfig> => (cachedConfig ??= fetchPlaygroundConfig(url));

  async function post<T>(path: string, body: unknown): Promise<T> {
    mark = messages.length;
    const response = await fetchOnFreshSocket(new URL(path, url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`agents playground: POST ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async function sendActivity(activity: CustomActivity): Promise<void> {
    const templateUrl = new URL('/_internal/v1/customActivities/template', url);
    templateUrl.searchParams.set('conversationId', activity.conversation.id);
    const response = await fetchOnFreshSocket(templateUrl);
    if (!response.ok) throw new Error(`agents playground: no activity template for ${activity.conversation.id}: ${response.status}`);
    const template = (await response.json()) as { conversation: Record<string, unknown> };
    await post('/_internal/v1/customActivities', {
      ...template,
      ...activity,
      conversation: { ...template.conversation, ...activity.conversation },
    });
  }

  async function mentionFor(conversationId: string, mentionBot: boolean | undefined, text: string) {
    const { bot, personalChat } = await config();
    if (!(mentionBot ?? conversationId !== personalChat.id)) return { text, mentions: undefined };
    const tag = `<at>${bot.name}</at>`;
    return { text: `${tag} ${text}`, mentions: [{ mentioned: { id: bot.id, name: bot.name }, text: tag }] };
  }

  return {
    url,
    config,

    async sendMessage(text, options = {}) {
      const { currentUser, personalChat } = await config();
      const conversationId = options.conversationId ?? personalChat.id;
      const mention = await mentionFor(conversationId, options.mentionBot, text);
      const body = {
        from: { id: currentUser.id },
        text: mention.text,
        textFormat: 'plain',
        ...(mention.mentions ? { mentions: mention.mentions } : {}),
      };
      const sent = await post<{ messageId: string; postConversationId?: string; timestamp: number }>(
        `/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`,
        body,
      );
      return { messageId: sent.messageId, conversationId: sent.postConversationId ?? conversationId, timestamp: sent.timestamp };
    },

    sendActivity,

    async sendMessageAs(fromId, text, options = {}) {
      const { personalChat, team, tenantId, currentUser, users } = await config();
      const conversationId = options.conversationId ?? personalChat.id;
      const user = [currentUser, ...users].find((u) => u.id === fromId);
      if (!user) throw new Error(`agents playground: no mock user ${fromId}`);
      const mention = await mentionFor(conversationId, options.mentionBot, text);
      // A channel conversation is the channel id, or `<channel id>;messageid=<root>` for a thread.
      const channel = team.channels.find((c) => c.id === conversationId.split(';')[0]);
      await sendActivity({
        type: 'message',
        id: `driver-${Date.now()}-${Math.random().toString(36).slice(2)}`,
        conversation: { id: conversationId },
        from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
        text: mention.text,
        textFormat: 'plain',
        entities: (mention.mentions ?? []).map((m) => ({ type: 'mention', ...m })),
        channelData: {
          tenant: { id: tenantId },
          ...(channel ? { team: { id: team.id }, channel: { id: channel.id } } : {}),
        },
      });
    },

    async executeAction(message, action, options = {}) {
      const { currentUser } = await config();
      return post<InvokeResult>('/_conversation/v1/invoke', {
        name: 'adaptiveCard/action',
        from: { id: options.fromId ?? currentUser.id },
        conversation: { id: message.conversationId },
        replyToId: message.messageId,
        value: { action: { type: 'Action.Execute', title: action.title, verb: action.verb, data: action.data ?? {} } },
      });
    },

    async submitAction(message, data, options = {}) {
      const { currentUser } = await config();
      await post('/_conversation/v1/submit', {
        conversation: { id: message.conversationId },
        from: { id: options.fromId ?? currentUser.id },
        replyToId: message.messageId,
        value: data,
      });
    },

    async install(conversationId) {
      const id = conversationId ?? (await config()).personalChat.id;
      await post(`/_debug/conversation/${encodeURIComponent(id)}/installation`, {});
    },

    botMessages: () => [...messages],

    waitForBotMessage(predicate, timeoutMs = 15_000, options = {}) {
      const since = options.since ?? mark;
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = messages.slice(since).find(predicate);
          if (!found) return;
          done();
          resolve(found);
        };
        const timer = setTimeout(() => {
          done();
          const seen = messages.slice(since).map((m) => ({ kind: m.kind, text: m.text, card: m.card !== undefined }));
          const socketState = socketError ? `; websocket failed: ${socketError.message}` : '';
          reject(new Error(`agents playground: no matching bot message within ${timeoutMs} ms; saw ${JSON.stringify(seen)}${socketState}`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },

    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.close();
      await closed;
    },
  };
}

function toBotMessage(
  frame: ConversationFrame,
  message: NonNullable<ConversationFrame['message']>,
  knownConversationId: string | undefined,
): BotMessage {
  const attachments = message.attachments ?? [];
  const card = attachments.find((a) => a.contentType === ADAPTIVE_CARD)?.content as Record<string, unknown> | undefined;
  return {
    kind: frame.action === 'createMessage' ? 'created' : 'updated',
    conversationId: knownConversationId ?? message.postConversationId ?? frame.actionConversationId,
    shownInConversationId: frame.actionConversationId,
    messageId: message.messageId,
    timestamp: message.timestamp,
    fromId: message.from.id,
    ...(message.text !== undefined ? { text: message.text } : {}),
    attachments,
    ...(card ? { card } : {}),
    raw: frame,
  };
}

/**
 * fetch, retried once when the pooled keep-alive socket turns out to have been closed by the
 * Playground's server while idle (undici reports "other side closed" before sending anything).
 */
async function fetchOnFreshSocket(input: URL, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(input, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code !== 'UND_ERR_SOCKET') throw error;
    return fetch(input, init);
  }
}
