/**
 * Owns looking people up in Teams: a member's email (or, without one, their user principal name)
 * from the Bot Framework connector's conversation members endpoint, for linking people imported
 * by email. Names are not looked up (that would need Microsoft Graph), so `displayName` knows none.
 */
import { TeamsInfo, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { PeopleDirectory } from '../../core/ports.ts';
import type { Logger } from '../../logging/logger.ts';

/** Creates the Teams directory; `botAppId` may be any non-empty string when authentication is off. */
export function createTeamsDirectory(adapter: CloudAdapter, botAppId: string, logger: Logger): PeopleDirectory {
  return {
    async displayName() {
      return undefined;
    },
    async email(account) {
      const reference = account.conversationRef as Partial<ConversationReference> | undefined;
      if (account.platform !== 'teams' || !reference?.serviceUrl || !reference.conversation?.id) return undefined;
      let found: string | undefined;
      try {
        await adapter.continueConversationAsync(botAppId, reference, async (context) => {
          const member = await TeamsInfo.getMember(context, account.chatUserId ?? account.userId);
          found = member.email?.trim() || member.userPrincipalName?.trim() || undefined;
        });
      } catch (error) {
        logger.warn({ err: error, op: 'teams-get-member' }, 'could not look up a Teams member');
        return undefined;
      }
      return found;
    },
  };
}
