/**
 * Closing the loop: when a deadline is met some other way (a visit or assessment recorded, a case
 * closed), its pending reminders are cancelled and every message already sent about it is updated
 * in place to show it done.
 */
import { DeliveryError } from '../ports.ts';
import type { DeliveryServices } from '../services.ts';
import { renderOutboxMessage } from './deliver-outbox.ts';
import type { JobFailure } from './plan-reminders.ts';
import { publishHome } from './reminder-home.ts';

/** What a refresh run did. */
export interface RefreshResult {
  cancelled: number;
  updated: number;
  failures: JobFailure[];
}

/** Cancels reminders of closed deadlines and updates up to `limit` sent messages that mention them. */
export async function refreshSent(services: DeliveryServices, now: Date, limit = 50): Promise<RefreshResult> {
  const result: RefreshResult = { cancelled: 0, updated: 0, failures: [] };
  result.cancelled = await services.store.transaction((repos) => repos.reminders.tidyPending());
  const stale = await services.store.transaction((repos) => repos.reminders.staleSent(limit));
  for (const message of stale) {
    try {
      const view = await services.store.transaction((repos) => renderOutboxMessage(repos, message, now, true));
      if (view && message.platformRef && services.notifier) {
        try {
          await services.notifier.update(message.platformRef, view);
        } catch (error) {
          // A message that can never be updated (deleted, chat gone) is left as it is; others retry next tick.
          if (!(error instanceof DeliveryError) || error.kind !== 'permanent') throw error;
        }
      }
      await services.store.transaction((repos) => repos.reminders.markRefreshed(message.id, now));
      if (message.memberId) await publishHome(services, message.memberId, now);
      result.updated += 1;
    } catch (error) {
      result.failures.push({ scope: `refresh:${message.id}`, error });
    }
  }
  return result;
}
