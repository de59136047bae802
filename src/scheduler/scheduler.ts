/**
 * Runs the named jobs on a node-cron tick every minute and once at start-up. Jobs run one after
 * another in each tick; a tick that finds the last one still running is skipped, and one job
 * failing never stops the others. A tick first asks whether the database answers (within a
 * bounded time): when it does not, the tick is skipped and says so, rather than every job
 * waiting out its own timeouts. Every replica runs the same jobs: row locks keep sends single.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../logging/logger.ts';
import type { Job } from './job.ts';

/** A running scheduler. */
export interface Scheduler {
  /** Runs every job once now (what each tick does); resolves when they have finished. */
  tick(): Promise<void>;
  /** Stops the ticks and waits for a tick in progress to end. */
  stop(): Promise<void>;
}

/** Starts the ticks. `expression` defaults to every minute. */
export function startScheduler(options: {
  jobs: readonly Job[];
  clock: Clock;
  logger: Logger;
  expression?: string;
  /** Whether the database answers; resolves false (never hangs) when it does not. */
  ready?: () => Promise<boolean>;
}): Scheduler {
  const logger = options.logger.child({ component: 'scheduler' });
  let running: Promise<void> | undefined;
  let stopped = false;

  const runAll = async (): Promise<void> => {
    if (options.ready && !(await options.ready())) {
      logger.error({ jobs: options.jobs.map((j) => j.name) }, 'tick skipped: the database is not answering');
      return;
    }
    for (const job of options.jobs) {
      if (stopped) return;
      const started = Date.now();
      try {
        const summary = await job.run(options.clock.now());
        logger.debug({ job: job.name, ms: Date.now() - started, ...summary }, 'job ran');
      } catch (error) {
        logger.error({ job: job.name, err: error }, 'job failed');
      }
    }
  };

  const tick = (): Promise<void> => {
    if (running) return running;
    running = runAll().finally(() => {
      running = undefined;
    });
    return running;
  };

  const task: ScheduledTask = cron.schedule(options.expression ?? '* * * * *', () => {
    if (running) {
      logger.warn('previous tick still running; skipped');
      return;
    }
    void tick();
  });
  void tick();

  return {
    tick,
    async stop() {
      stopped = true;
      await task.destroy();
      await running;
    },
  };
}
