/** The `refresh-sent` job: cancels reminders of deadlines met meanwhile and updates the messages already sent about them. */
import { refreshSent } from '../core/reminders/refresh-sent.ts';
import type { Services } from '../core/services.ts';
import type { Logger } from '../logging/logger.ts';
import { logFailures, type Job } from './job.ts';

/** Creates the refresh job. */
export function refreshSentJob(services: Services, logger: Logger): Job {
  return {
    name: 'refresh-sent',
    async run(now) {
      const result = await refreshSent(services, now);
      logFailures(logger, 'refresh-sent', result.failures);
      return { cancelled: result.cancelled, updated: result.updated, failures: result.failures.length };
    },
  };
}
