/** What a scheduled job is: a name and a run at a given instant that reports what it did. */
import type { Logger } from '../logging/logger.ts';

/** A failure inside a job that did not stop it: logged with its scope, never with message text. */
export interface JobFailureReport {
  scope: string;
  error: unknown;
}

/** One named job. `run` is what the scheduler calls each tick; tests call it with a fixed instant. */
export interface Job {
  name: string;
  run(now: Date): Promise<Record<string, number>>;
}

/** Logs a job's item failures, one line each, with the scope (an id) and the error, never content. */
export function logFailures(logger: Logger, job: string, failures: readonly JobFailureReport[]): void {
  for (const failure of failures) logger.error({ job, scope: failure.scope, err: failure.error }, 'scheduled job item failed');
}
