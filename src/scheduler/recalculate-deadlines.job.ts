/** The `recalculate-deadlines` job: recalculates the due dates of teams that asked for it (a policy saved). */
import { RECALCULATE_DEADLINES_JOB, runRequestedRecalculations } from '../core/deadlines/recalculate-deadlines.ts';
import type { Services } from '../core/services.ts';
import type { Logger } from '../logging/logger.ts';
import { logFailures, type Job } from './job.ts';

/** Creates the recalculation job. */
export function recalculateDeadlinesJob(services: Services, logger: Logger): Job {
  return {
    name: RECALCULATE_DEADLINES_JOB,
    async run() {
      const result = await runRequestedRecalculations(services.store);
      logFailures(logger, RECALCULATE_DEADLINES_JOB, result.failures);
      return { teams: result.teams, cases: result.cases, failures: result.failures.length };
    },
  };
}
