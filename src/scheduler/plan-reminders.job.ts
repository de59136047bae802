/** The `plan-reminders` job: plans today's reminder stages for every team and folds what is due into the outbox. */
import { planReminders } from '../core/reminders/plan-reminders.ts';
import type { Services } from '../core/services.ts';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../server/metrics.ts';
import { logFailures, type Job } from './job.ts';

/** Creates the planning job. */
export function planRemindersJob(services: Services, logger: Logger, metrics?: Metrics): Job {
  return {
    name: 'plan-reminders',
    async run(now) {
      const result = await planReminders(services, now);
      metrics?.remindersPlanned.inc(result.planned);
      logFailures(logger, 'plan-reminders', result.failures);
      return { planned: result.planned, tidied: result.tidied, messages: result.messages, failures: result.failures.length };
    },
  };
}
