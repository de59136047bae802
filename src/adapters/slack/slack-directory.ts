/** Owns looking people up in Slack: the PeopleDirectory port over `users.info`. */
import type { webApi } from '@slack/bolt';
import type { PeopleDirectory } from '../../core/ports.ts';
import type { Logger } from '../../logging/logger.ts';

/**
 * A directory of the workspace the bot token belongs to: a user's real name (else their display
 * name or handle). A failed lookup answers undefined, so the form asks for the name instead.
 */
export function slackPeopleDirectory(client: webApi.WebClient, logger: Logger): PeopleDirectory {
  return {
    async displayName(platform, _workspaceId, userId) {
      if (platform !== 'slack') return undefined;
      try {
        const { user } = await client.users.info({ user: userId });
        const name = user?.profile?.real_name || user?.real_name || user?.profile?.display_name || user?.name;
        return name?.trim() || undefined;
      } catch (error) {
        logger.warn({ err: error, op: 'users.info' }, 'could not look up a Slack user');
        return undefined;
      }
    },
    // The profile email needs the users:read.email scope; without it Slack leaves it out.
    async email(account) {
      if (account.platform !== 'slack') return undefined;
      try {
        const { user } = await client.users.info({ user: account.userId });
        if (!user || user.deleted || user.is_bot) return undefined;
        return user.profile?.email?.trim() || undefined;
      } catch (error) {
        logger.warn({ err: error, op: 'users.info' }, 'could not look up a Slack user');
        return undefined;
      }
    },
  };
}
