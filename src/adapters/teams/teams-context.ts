/** Translates a Bot Framework activity into the core's InboundContext. */
import { TurnContext, type Activity } from 'botbuilder';
import type { InboundContext } from '../../core/interaction.ts';

/** Builds the core context for a Teams activity, keeping the conversation reference for proactive messages. */
export function teamsContext(activity: Activity): InboundContext {
  const channelData = (activity.channelData ?? {}) as {
    tenant?: { id?: string };
    team?: { id?: string };
    channel?: { id?: string };
  };
  const tenantId = channelData.tenant?.id ?? activity.conversation?.tenantId ?? '';
  const userId = activity.from?.aadObjectId ?? activity.from?.id ?? '';
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
