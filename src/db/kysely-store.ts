/**
 * Owns the Store port over kysely: one database transaction per unit of work, with every
 * repository (and the audit log) bound to it, so a change and its audit row commit together.
 */
import type { Kysely, Transaction } from 'kysely';
import { inTransaction, runInTransactionScope } from '../core/effects/transaction-scope.ts';
import type { Repositories, Store } from '../core/ports.ts';
import { createKyselyAuditLog } from './repositories/kysely-audit-log.ts';
import { createKyselyCaseReassignment } from './repositories/kysely-case-reassignment.ts';
import { createKyselyCaseRepository } from './repositories/kysely-case-repository.ts';
import { createKyselyDeadlineRepository } from './repositories/kysely-deadline-repository.ts';
import { createKyselyDiscussionRepository } from './repositories/kysely-discussion-repository.ts';
import { createKyselyMemberRepository } from './repositories/kysely-member-repository.ts';
import { createKyselyMappaRepository } from './repositories/kysely-mappa-repository.ts';
import { createKyselyRecordDownloadRepository } from './repositories/kysely-record-download-repository.ts';
import { createKyselyOversightReader } from './repositories/kysely-oversight-reader.ts';
import { createKyselyReminderRepository } from './repositories/kysely-reminder-repository.ts';
import { createKyselyCaseHistoryReader, createKyselySupervisionRepository } from './repositories/kysely-supervision-repository.ts';
import { createKyselyTeamRepository } from './repositories/kysely-team-repository.ts';
import { createKyselyVisitRepository } from './repositories/kysely-visit-repository.ts';
import type { Database } from './schema.ts';

/**
 * Every repository bound to one executor: a transaction, or the database itself for reads
 * that need none (each statement then commits on its own).
 */
export function reposFor(executor: Kysely<Database> | Transaction<Database>): Repositories {
  return {
    teams: createKyselyTeamRepository(executor),
    members: createKyselyMemberRepository(executor),
    cases: createKyselyCaseRepository(executor),
    deadlines: createKyselyDeadlineRepository(executor),
    reminders: createKyselyReminderRepository(executor),
    audit: createKyselyAuditLog(executor),
    discussions: createKyselyDiscussionRepository(executor),
    supervision: createKyselySupervisionRepository(executor),
    caseHistory: createKyselyCaseHistoryReader(executor),
    visits: createKyselyVisitRepository(executor),
    oversight: createKyselyOversightReader(executor),
    reassignment: createKyselyCaseReassignment(executor),
    mappaReviews: createKyselyMappaRepository(executor),
    recordDownloads: createKyselyRecordDownloadRepository(executor),
  };
}

/**
 * The Store port: `transaction(work)` commits everything `work` wrote, or nothing if it throws;
 * while it runs, the code inside is marked as in a transaction, so a chat call there is refused.
 * `read(work)` runs statements on their own.
 */
export function createKyselyStore(db: Kysely<Database>): Store {
  const direct = reposFor(db);
  return {
    transaction(work) {
      return runInTransactionScope(() => db.transaction().execute((trx) => work(reposFor(trx))));
    },
    read(work) {
      // On PGlite this would wait forever for the open transaction's connection; on PostgreSQL
      // it would not see that transaction's writes. Either way it is a mistake in the caller.
      if (inTransaction()) return Promise.reject(new Error('store.read() was called inside a transaction: use the transaction\'s repositories'));
      return work(direct);
    },
  };
}
