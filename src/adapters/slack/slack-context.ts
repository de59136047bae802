/** Translates what Slack sends into the core's InboundContext. */
import type { InboundContext } from '../../core/interaction.ts';

/** The identifying fields Slack puts on commands, messages and interactions. */
export interface SlackOrigin {
  teamId: string;
  userId: string;
  channelId?: string;
  /** `im` for a direct message with the app; anything else is a channel or group. */
  channelType?: string;
  userName?: string;
}

/** Builds the core context for a Slack request. */
export function slackContext(origin: SlackOrigin): InboundContext {
  const direct = origin.channelType === 'im' || origin.channelType === 'directmessage' || origin.channelId?.startsWith('D');
  return {
    user: {
      platform: 'slack',
      workspaceId: origin.teamId,
      userId: origin.userId,
      ...(origin.userName ? { displayName: origin.userName } : {}),
    },
    surface: direct || !origin.channelId
      ? { kind: 'direct', ...(origin.channelId ? { conversationId: origin.channelId } : {}) }
      : { kind: 'channel', channelId: origin.channelId, conversationId: origin.channelId },
  };
}
