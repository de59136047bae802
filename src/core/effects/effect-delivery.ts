/**
 * Delivers a unit of work's effects straight after its transaction commits, in the order they
 * were added, through the same code as the outbox worker (so pacing, retries and failure reports
 * are the same). The rows are claimed first, so the worker and another replica never send them
 * twice; whatever fails here stays in the outbox and the worker retries it.
 */
import { deliverOne, deliverySettings, withLeaseRenewal, type DeliveryOptions } from '../reminders/deliver-outbox.ts';
import type { DeliveryServices, EffectDelivery } from '../services.ts';
import type { EffectHandle } from './effect.ts';
import { assertNotInTransaction } from './transaction-scope.ts';

/** Delivery after commit, plus a way to wait for what is still under way (at shutdown). */
export interface EffectRunner extends EffectDelivery {
  /** Resolves once every delivery started so far has finished. */
  drain(): Promise<void>;
}

/** Creates the runner; `onError` hears about failures that are not delivery failures (bugs, a lost database). */
export function createEffectRunner(
  services: DeliveryServices,
  options: DeliveryOptions & {
    onError?: (error: unknown) => void;
    /** Wait for every effect, not only those marked awaited (tests, command-line tools). */
    waitForAll?: boolean;
  },
): EffectRunner {
  const settings = deliverySettings(options);
  const inFlight = new Set<Promise<void>>();

  async function deliver(handles: readonly EffectHandle[]): Promise<void> {
    const now = services.clock.now();
    const ids = handles.map((h) => h.id);
    const claimed = await services.store.transaction((repos) => repos.reminders.claimIds(options.workerId, ids, now));
    const byId = new Map(claimed.map((m) => [m.id, m]));
    await withLeaseRenewal(services, options.workerId, settings.leaseSeconds, async () => {
      for (const handle of handles) {
        const message = byId.get(handle.id);
        // Not claimed: another worker has it already (or it went out with an earlier batch).
        if (!message) {
          handle.outcome = { status: 'queued' };
          continue;
        }
        const done = await deliverOne(services, message, services.clock.now(), settings);
        handle.outcome =
          done.outcome === 'sent'
            ? { status: 'sent', ref: done.ref ?? null }
            : done.outcome === 'retried'
              ? { status: 'queued' }
              : { status: done.outcome, code: done.code ?? 'unknown' };
      }
    });
  }

  return {
    async afterCommit(handles, waitMs) {
      assertNotInTransaction('Effect delivery');
      const run = deliver(handles).catch((error: unknown) => {
        for (const h of handles) h.outcome ??= { status: 'queued' };
        options.onError?.(error);
      });
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
      if (options.waitForAll) {
        await run;
        return;
      }
      if (!handles.some((h) => h.awaited)) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([run, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
      for (const h of handles) if (h.awaited) h.outcome ??= { status: 'queued' };
    },
    async drain() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
