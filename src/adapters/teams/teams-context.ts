/** Translates a Bot Framework activity into the core's InboundContext. */
import { TurnContext, type Activity } from 'botbuilder';
import { DomainError } from '../../core/errors.ts';
import type { InboundContext } from '../../core/interaction.ts';

const present = (value: string | undefined | null): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/**
 * Who sent an activity: the AAD object id, else the channel account id. Neither blank: an
 * activity naming no one is refused before any lookup could link (or make an admin of) an
 * identity with no one behind it.
 */
export function teamsUserId(activity: Activity): string {
  const userId = present(activity.from?.aadObjectId) ?? present(activity.from?.id);
  if (!userId) throw new DomainError('invalid_input', 'Casework could not tell who sent this, so it did nothing.', { reason: 'blank user id' });
  return userId;
}

/** Builds the core context for a Teams activity, keeping the conversation reference for proactive messages; throws a DomainError when no user is named. */
export function teamsContext(activity: Activity): InboundContext {
  const channelData = (activity.channelData ?? {}) as {
    tenant?: { id?: string };
    team?: { id?: string };
    channel?: { id?: string };
  };
  const tenantId = channelData.tenant?.id ?? activity.conversation?.tenantId ?? '';
  const userId = teamsUserId(activity);
  const conversationType = activity.conversation?.conversationType;
  const reference = TurnContext.getConversationReference(activity) as unknown as Record<string, unknown>;
  const channelId = channelData.channel?.id;
  const conversationId = activity.conversation?.id;
  return {
    user: {
      platform: 'teams',
      workspaceId: tenantId,
      userId,
      ...(activity.from?.name ? { displayName: activity.from.name } : {}),
      ...(activity.from?.id && activity.from.id !== userId ? { chatUserId: activity.from.id } : {}),
    },
    surface:
      conversationType === 'channel' && channelId
        ? {
            kind: 'channel',
            channelId,
            conversationId: activity.conversation.id,
            ...(channelData.team?.id ? { teamId: channelData.team.id } : {}),
          }
        : // A group chat is shared, like a Slack group DM: never the person's own chat, whose
          // reference is kept for their reminders.
          conversationType === 'groupChat' && conversationId
          ? { kind: 'channel', channelId: conversationId, conversationId }
          : { kind: 'direct', conversationId },
    conversationRef: reference,
  };
}
