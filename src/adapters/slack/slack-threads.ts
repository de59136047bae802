/**
 * Thread capture on Slack: channel message events become core thread messages. A reply is a
 * message whose `thread_ts` differs from its `ts` (plain, `file_share` or `thread_broadcast`);
 * `message_changed` and `message_deleted` carry edits and deletions of replies. The bot's own
 * messages are skipped. Slack retries an event with the same payload: the core makes that a no-op.
 * Logs name the outcome and ids, never the text.
 */
import type { App } from '@slack/bolt';
import type { Casework } from '../../core/casework.ts';
import type { ThreadMessageEvent } from '../../core/discussions/thread-messages.ts';
import type { Logger } from '../../logging/logger.ts';
import { slackContext } from './slack-context.ts';

/** The fields of a Slack message (or the `message` inside a change) this adapter reads. */
interface SlackMessageFields {
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  channel?: string;
  channel_type?: string;
  team?: string;
  edited?: { ts?: string };
  message?: SlackMessageFields;
  previous_message?: SlackMessageFields;
  deleted_ts?: string;
  event_ts?: string;
}

const REPLY_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

/** Slack `ts` ('1596183990.004500') as a Date. */
export function slackTsToDate(ts: string | undefined): Date {
  const seconds = Number(ts);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(Math.round(seconds * 1000)) : new Date();
}

/** What a Slack message event means for a discussion, with its author; undefined when nothing. */
export function threadEventFrom(m: SlackMessageFields): { userId: string; event: ThreadMessageEvent } | undefined {
  const channelId = m.channel;
  if (!channelId || m.channel_type === 'im') return undefined;
  if (REPLY_SUBTYPES.has(m.subtype)) {
    if (m.bot_id || !m.user || !m.ts || !m.thread_ts || m.thread_ts === m.ts) return undefined;
    return { userId: m.user, event: { kind: 'new', channelId, threadRef: m.thread_ts, messageId: m.ts, text: m.text ?? '', at: slackTsToDate(m.ts) } };
  }
  if (m.subtype === 'message_changed') {
    const changed = m.message;
    if (!changed || changed.bot_id || !changed.user || !changed.ts || !changed.thread_ts || changed.thread_ts === changed.ts) return undefined;
    const eventKey = changed.edited?.ts ?? m.event_ts ?? m.ts;
    return {
      userId: changed.user,
      event: { kind: 'edited', channelId, threadRef: changed.thread_ts, messageId: changed.ts, text: changed.text ?? '', at: slackTsToDate(changed.edited?.ts ?? m.ts), ...(eventKey ? { eventKey } : {}) },
    };
  }
  if (m.subtype === 'message_deleted') {
    const previous = m.previous_message;
    const ts = m.deleted_ts ?? previous?.ts;
    if (!previous || previous.bot_id || !previous.user || !ts || !previous.thread_ts || previous.thread_ts === ts) return undefined;
    return { userId: previous.user, event: { kind: 'deleted', channelId, threadRef: previous.thread_ts, messageId: ts, at: slackTsToDate(m.ts) } };
  }
  return undefined;
}

/** Registers the channel-message listener that records discussion replies. */
export function registerThreadCapture(app: App, casework: Casework, logger: Logger): void {
  app.message(async ({ message, body }) => {
    const found = threadEventFrom(message as unknown as SlackMessageFields);
    if (!found) return;
    const workspaceId = (body as { team_id?: string }).team_id ?? (message as SlackMessageFields).team ?? '';
    const ctx = slackContext({ teamId: workspaceId, userId: found.userId, channelId: found.event.channelId });
    const what = { op: 'thread-message', kind: found.event.kind, channel: found.event.channelId, ts: found.event.messageId };
    try {
      const outcome = await casework.threadMessage(ctx, found.event);
      logger.debug({ ...what, outcome }, 'thread message handled');
    } catch (error) {
      logger.error({ ...what, err: error }, 'could not record a thread message');
    }
  });
}
