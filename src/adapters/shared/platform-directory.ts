/**
 * Owns routing people look-ups to the right platform. The core is built before the adapters, so
 * each adapter registers its directory once it exists. Teams' directory knows no names (its
 * people picker gives the AAD object id, and a name would need Microsoft Graph, which the bot
 * does not use; the roster form asks for the name instead), only a member's email, for linking.
 */
import type { Platform } from '../../core/interaction.ts';
import type { PeopleDirectory } from '../../core/ports.ts';

/** A PeopleDirectory that asks the registered directory of each platform (none: undefined). */
export interface PlatformDirectory extends PeopleDirectory {
  register(platform: Platform, directory: PeopleDirectory): void;
}

/** Creates an empty routing directory. */
export function createPlatformDirectory(): PlatformDirectory {
  const byPlatform = new Map<Platform, PeopleDirectory>();
  return {
    register(platform, directory) {
      byPlatform.set(platform, directory);
    },
    async displayName(platform, workspaceId, userId) {
      return byPlatform.get(platform)?.displayName(platform, workspaceId, userId);
    },
    async email(account) {
      return byPlatform.get(account.platform)?.email?.(account);
    },
  };
}
