/**
 * The `purge-record-files` job: a record kept for a one-time link or a Teams file offer is cleared
 * once its 10 minutes are up, whether or not anyone asked for it, so no file outlives its offer
 * by more than a tick.
 */
import type { Services } from '../core/services.ts';
import type { Job } from './job.ts';

/** Creates the purge job. */
export function purgeRecordFilesJob(services: Pick<Services, 'store'>): Job {
  return {
    name: 'purge-record-files',
    async run(now) {
      const cleared = await services.store.transaction((repos) => repos.recordDownloads.clearExpired(now));
      return { cleared };
    },
  };
}
