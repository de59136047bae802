/**
 * The Notifier port over Slack's Web API: direct messages (opening the DM on first use), channel
 * posts, thread replies and in-place updates. Slack's errors become DeliveryErrors the outbox can
 * act on: 429 → rate_limited with Retry-After, a gone channel or user → permanent, the rest transient.
 */
import { webApi } from '@slack/bolt';
import type { ChannelBinding, PlatformIdentity } from '../../core/domain/entities.ts';
import { DeliveryError, type MessageRef, type Notifier } from '../../core/ports.ts';
import type { MessageView } from '../../core/views/message-view.ts';
import { renderMessageBlocks } from '../../renderers/block-kit/message-blocks.ts';

/** Slack error codes after which sending again can never work without someone changing something. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'account_inactive',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'messages_tab_disabled',
  'restricted_action',
  'message_not_found',
  'cant_update_message',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'missing_scope',
]);

/** Turns anything the Web API client threw into a DeliveryError. */
export function toDeliveryError(error: unknown): DeliveryError {
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number };
  if (e.code === webApi.ErrorCode.RateLimitedError) return new DeliveryError('rate_limited', 'ratelimited', e.retryAfter ?? 1);
  if (e.code === webApi.ErrorCode.PlatformError) {
    const code = e.data?.error ?? 'unknown_error';
    return new DeliveryError(PERMANENT.has(code) ? 'permanent' : 'transient', code);
  }
  if (e.code === webApi.ErrorCode.HTTPError) return new DeliveryError('transient', `http_${e.statusCode ?? 'error'}`);
  return new DeliveryError('transient', 'request_error');
}

/** Creates the Slack notifier. `client` should not retry by itself: the outbox owns retries. */
export function createSlackNotifier(client: webApi.WebClient): Notifier {
  const dmChannels = new Map<string, string>();

  async function call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toDeliveryError(error);
    }
  }

  async function dmChannel(identity: PlatformIdentity): Promise<string> {
    const cached = dmChannels.get(identity.userId);
    if (cached) return cached;
    const opened = await call(() => client.conversations.open({ users: identity.userId }));
    const channel = opened.channel?.id;
    if (!channel) throw new DeliveryError('transient', 'no_dm_channel');
    dmChannels.set(identity.userId, channel);
    return channel;
  }

  async function post(channel: string, view: MessageView, threadTs?: string): Promise<MessageRef> {
    const { blocks, text } = renderMessageBlocks(view);
    const posted = await call(() => client.chat.postMessage({ channel, blocks: blocks as never, text, ...(threadTs ? { thread_ts: threadTs } : {}), unfurl_links: false }));
    if (!posted.ts) throw new DeliveryError('transient', 'no_ts');
    return { platform: 'slack', conversationId: posted.channel ?? channel, messageId: posted.ts };
  }

  return {
    async sendToPerson(identity, view) {
      return post(await dmChannel(identity), view);
    },
    async postToChannel(channel: ChannelBinding, view) {
      const ref = await post(channel.channelId, view);
      // The link is a convenience (for notices and confirmations): the post stands without it.
      const link = await client.chat.getPermalink({ channel: ref.conversationId, message_ts: ref.messageId }).then(
        (r) => r.permalink,
        () => undefined,
      );
      return link ? { ...ref, link } : ref;
    },
    async replyInThread(root, view) {
      return post(root.conversationId, view, root.messageId);
    },
    async update(ref, view) {
      const { blocks, text } = renderMessageBlocks(view);
      await call(() => client.chat.update({ channel: ref.conversationId, ts: ref.messageId, blocks: blocks as never, text }));
    },
  };
}

/**
 * How long one proactive call may take. Some are made while a modal submission waits for its
 * 3-second acknowledgement (a supervisor's notice after a visit, a signed note posted to its
 * thread), so a slow Slack must fail fast — as a transient DeliveryError — rather than hang it.
 */
export const PROACTIVE_TIMEOUT_MS = 2000;

/** A Web API client for proactive sends: no retries, 429s handed back (the outbox paces), bounded time. */
export function proactiveSlackClient(token: string, apiUrl: string | undefined, timeoutMs = PROACTIVE_TIMEOUT_MS): webApi.WebClient {
  return new webApi.WebClient(token, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: timeoutMs,
  });
}
