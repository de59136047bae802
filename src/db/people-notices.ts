/**
 * Keeps the remembered actors (core/people/actor-cache.ts) honest across processes: listens for
 * the `casework_people` notifications migration 0012 sends when teams, members or their chat
 * accounts change, and forgets what was remembered on each. While not listening (at start, or after
 * the listening connection was lost) the cache keeps nothing, and listening is tried again.
 */
import type { ActorLookupCache } from '../core/people/actor-cache.ts';
import type { Logger } from '../logging/logger.ts';
import type { DatabaseHandle } from './database.ts';

/** The channel migration 0012's triggers notify. */
export const PEOPLE_CHANNEL = 'casework_people';
/** How long to wait before listening again after the connection was lost. */
const RETRY_MS = 5_000;

/** Starts listening (resolves once listening, or once the first try failed) and returns how to stop. */
export async function hearPeopleChanges(database: DatabaseHandle, actors: ActorLookupCache, logger: Logger): Promise<{ stop(): Promise<void> }> {
  let stopped = false;
  let unlisten: (() => Promise<void>) | undefined;
  let retry: NodeJS.Timeout | undefined;

  const again = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void attempt();
    }, RETRY_MS);
    retry.unref();
  };

  async function attempt(): Promise<void> {
    actors.suspend(true);
    try {
      const stop = await database.listen(PEOPLE_CHANNEL, {
        notice: () => actors.forget(),
        lost: () => {
          unlisten = undefined;
          actors.suspend(true);
          again();
        },
      });
      if (stopped) {
        await stop();
        return;
      }
      unlisten = stop;
      actors.suspend(false);
    } catch (error) {
      logger.warn({ err: error }, 'cannot listen for roster changes: who people are is looked up on every command until it can');
      again();
    }
  }

  await attempt();
  return {
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      actors.suspend(true);
      await unlisten?.();
    },
  };
}
