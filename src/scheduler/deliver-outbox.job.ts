/** The `deliver-outbox` job: sends due outbox messages, paced per platform, retrying with backoff. */
import { deliverOutbox, type Pacer } from '../core/reminders/deliver-outbox.ts';
import type { Services } from '../core/services.ts';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../server/metrics.ts';
import { logFailures, type Job } from './job.ts';

/** Options for the delivery job. */
export interface DeliverOutboxJobOptions {
  workerId: string;
  pacer?: Pacer;
  random?: () => number;
}

/** Creates the delivery job. */
export function deliverOutboxJob(services: Services, logger: Logger, options: DeliverOutboxJobOptions, metrics?: Metrics): Job {
  return {
    name: 'deliver-outbox',
    async run(now) {
      const result = await deliverOutbox(services, now, options);
      metrics?.remindersSent.inc(result.sent);
      metrics?.remindersFailed.inc(result.failed);
      logFailures(logger, 'deliver-outbox', result.failures);
      return { sent: result.sent, retried: result.retried, failed: result.failed, dropped: result.dropped, failures: result.failures.length };
    },
  };
}
