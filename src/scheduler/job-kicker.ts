/**
 * Runs a named job on request, straight away, outside the request that asked: a command that
 * leaves work for a job (the policy saved: recalculate every case) need not wait for the next
 * tick. A job asked for while it runs runs once more afterwards, never twice at once.
 */
import type { Clock } from '../core/clock.ts';
import type { BackgroundJobs } from '../core/services.ts';
import type { Logger } from '../logging/logger.ts';
import type { Job } from './job.ts';

/** Background jobs on request, and a way to wait for those running (at shutdown, in tests). */
export interface JobKicker extends BackgroundJobs {
  /** Resolves once no kicked job is running or waiting to run. */
  drain(): Promise<void>;
}

/** Creates the kicker for `jobs`; unknown names are logged and ignored. */
export function createJobKicker(jobs: readonly Job[], clock: Clock, logger: Logger): JobKicker {
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();

  function start(job: Job): void {
    const run = (async () => {
      do {
        again.delete(job.name);
        try {
          const summary = await job.run(clock.now());
          logger.debug({ job: job.name, ...summary }, 'job ran on request');
        } catch (error) {
          logger.error({ job: job.name, err: error }, 'job failed on request');
        }
      } while (again.has(job.name));
    })().finally(() => running.delete(job.name));
    running.set(job.name, run);
  }

  return {
    kick(name) {
      const job = byName.get(name);
      if (!job) {
        logger.warn({ job: name }, 'no such job to run');
        return;
      }
      if (running.has(name)) again.add(name);
      else start(job);
    },
    async drain() {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
  };
}
