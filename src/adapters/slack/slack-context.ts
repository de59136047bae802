/** Translates what Slack sends into the core's InboundContext. */
import { DomainError } from '../../core/errors.ts';
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

/**
 * Slack never sends a blank user id, so a request with one did not come from a person: it is
 * refused here, before any lookup could link (or make an admin of) an identity with no one behind it.
 */
export function requireUserId(userId: string | undefined): string {
  if (typeof userId !== 'string' || userId.trim() === '') {
    throw new DomainError('invalid_input', 'Casework could not tell who sent this, so it did nothing.', { reason: 'blank user id' });
  }
  return userId;
}

/** Builds the core context for a Slack request; throws a DomainError when the user id is blank. */
export function slackContext(origin: SlackOrigin): InboundContext {
  const userId = requireUserId(origin.userId);
  const direct = origin.channelType === 'im' || origin.channelType === 'directmessage' || origin.channelId?.startsWith('D');
  return {
    user: {
      platform: 'slack',
      workspaceId: origin.teamId,
      userId,
      ...(origin.userName ? { displayName: origin.userName } : {}),
    },
    surface: direct || !origin.channelId
      ? { kind: 'direct', ...(origin.channelId ? { conversationId: origin.channelId } : {}) }
      : { kind: 'channel', channelId: origin.channelId, conversationId: origin.channelId },
  };
}
