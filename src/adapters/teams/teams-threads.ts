/**
 * Thread capture on Teams: with resource-specific consent (ChannelMessage.Read.Group) every
 * channel message reaches the bot, @mention or not; a reply in a thread has the conversation id
 * `<channel>;messageid=<root>`. New replies, edits (`editMessage`) and soft deletions
 * (`softDeleteMessage`) become core thread messages; the bot's own messages are skipped.
 * Logs name the outcome and ids, never the text.
 */
import { TurnContext, type Activity } from 'botbuilder';
import type { Casework } from '../../core/casework.ts';
import type { ThreadMessageEvent, ThreadMessageOutcome } from '../../core/discussions/thread-messages.ts';
import type { Logger } from '../../logging/logger.ts';
import { teamsContext } from './teams-context.ts';

const ENTITIES: Record<string, string> = { '&nbsp;': ' ', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** The channel and root message of a thread conversation id, if it is one. */
export function teamsThreadOf(activity: Partial<Activity>): { channelId: string; threadRef: string } | undefined {
  if (activity.conversation?.conversationType !== 'channel') return undefined;
  const match = /^(.+);messageid=(.+)$/.exec(activity.conversation.id ?? '');
  return match ? { channelId: match[1]!, threadRef: match[2]! } : undefined;
}

/** True when the activity @mentions the bot. */
export function mentionsBot(activity: Partial<Activity>): boolean {
  return (activity.entities ?? []).some((e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === activity.recipient?.id);
}

/** The message as plain text: the bot's @mention removed, Teams' HTML reduced to its words. */
export function plainTeamsText(activity: Activity): string {
  const text = TurnContext.removeRecipientMention(activity) ?? activity.text ?? '';
  return text
    .replace(/<br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(nbsp|amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity)
    .trim();
}

/**
 * Hands a channel thread message to the core. Undefined when the activity is not a thread
 * message from a person (top-level, personal chat, or the bot's own).
 */
export async function recordTeamsThreadMessage(casework: Casework, logger: Logger, activity: Activity, kind: ThreadMessageEvent['kind']): Promise<ThreadMessageOutcome | undefined> {
  const thread = teamsThreadOf(activity);
  if (!thread || !activity.id || activity.from?.id === activity.recipient?.id) return undefined;
  const at = activity.timestamp ? new Date(activity.timestamp) : new Date();
  const event: ThreadMessageEvent = {
    kind,
    ...thread,
    messageId: activity.id,
    at: Number.isNaN(at.getTime()) ? new Date() : at,
    ...(kind === 'deleted' ? {} : { text: plainTeamsText(activity) }),
  };
  const what = { op: 'thread-message', kind, channel: thread.channelId, messageId: activity.id };
  try {
    const outcome = await casework.threadMessage(teamsContext(activity), event);
    logger.debug({ ...what, outcome }, 'thread message handled');
    return outcome;
  } catch (error) {
    logger.error({ ...what, err: error }, 'could not record a thread message');
    return undefined;
  }
}
