/**
 * Platform-neutral inbound contexts for core tests: who is asking and from where, as an adapter
 * would build them, without a platform in sight.
 */
import type { InboundContext } from '../../src/core/interaction.ts';
import { SLACK_WORKSPACE, TEAMS_TENANT } from './factories.ts';

/** A Slack user in a channel (as from a slash command or a button on a channel message). */
export function slackInChannel(userId: string, channelId: string, displayName?: string): InboundContext {
  return {
    user: { platform: 'slack', workspaceId: SLACK_WORKSPACE, userId, ...(displayName ? { displayName } : {}) },
    surface: { kind: 'channel', channelId, conversationId: channelId },
    commandPrefix: '/casework',
  };
}

/** A Slack user in their direct chat with the bot. */
export function slackDirect(userId: string): InboundContext {
  return { user: { platform: 'slack', workspaceId: SLACK_WORKSPACE, userId }, surface: { kind: 'direct', conversationId: `D${userId}` } };
}

/** A Teams user in a team's channel, with the conversation reference Teams would give. */
export function teamsInChannel(aadObjectId: string, channelId: string, displayName?: string): InboundContext {
  return {
    user: { platform: 'teams', workspaceId: TEAMS_TENANT, userId: aadObjectId, ...(displayName ? { displayName } : {}) },
    surface: { kind: 'channel', channelId, conversationId: channelId, teamId: channelId },
    conversationRef: { conversation: { id: channelId, conversationType: 'channel', tenantId: TEAMS_TENANT }, serviceUrl: 'https://smba.example.test/emea/', channelId: 'msteams' },
  };
}

/** A Teams user in their personal chat with the bot. */
export function teamsDirect(aadObjectId: string): InboundContext {
  return {
    user: { platform: 'teams', workspaceId: TEAMS_TENANT, userId: aadObjectId },
    surface: { kind: 'direct', conversationId: `a:${aadObjectId}` },
    conversationRef: { conversation: { id: `a:${aadObjectId}`, conversationType: 'personal' }, serviceUrl: 'https://smba.example.test/emea/' },
  };
}
