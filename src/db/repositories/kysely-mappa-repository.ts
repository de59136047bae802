/** Owns `mappa_reviews` (migration 0010): MAPPA reviews recorded in Casework, mapped to the core's MappaReview. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { MappaReview, MappaReviewRepository } from '../../core/mappa/mappa-ports.ts';
import type { Database, MappaReviewsTable } from '../schema.ts';

function toReview(row: Selectable<MappaReviewsTable>): MappaReview {
  return {
    id: row.id,
    caseId: row.case_id,
    reviewedOn: row.reviewed_on,
    level: row.level,
    outcome: row.outcome,
    nextReviewOn: row.next_review_on,
    recordedBy: row.recorded_by,
    recordedAt: new Date(row.recorded_at),
  };
}

/** MAPPA reviews over kysely; pass a transaction to take part in it. */
export function createKyselyMappaRepository(db: Kysely<Database> | Transaction<Database>): MappaReviewRepository {
  return {
    async add(review) {
      const row = await db
        .insertInto('mappa_reviews')
        .values({ case_id: review.caseId, reviewed_on: review.reviewedOn, level: review.level, outcome: review.outcome, next_review_on: review.nextReviewOn, recorded_by: review.recordedBy })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toReview(row);
    },
    async forCase(caseId) {
      const rows = await db.selectFrom('mappa_reviews').selectAll().where('case_id', '=', caseId).orderBy('reviewed_on').orderBy('recorded_at').execute();
      return rows.map(toReview);
    },
  };
}
