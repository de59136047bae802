/**
 * Owns the storage of home visits (`visits`, one row per version; the database refuses updates)
 * and unfinished visit forms (`visit_drafts`, one per member and case), mapped to the core's
 * Visit and VisitDraft.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { FieldValue } from '../../core/views/form-view.ts';
import type { Visit, VisitDraft, VisitRepository } from '../../core/visits/visit-ports.ts';
import type { Database, VisitDraftsTable, VisitsTable } from '../schema.ts';

/** A `visits` row as selected. */
export type VisitRow = Selectable<VisitsTable>;
/** A `visit_drafts` row as selected. */
export type VisitDraftRow = Selectable<VisitDraftsTable>;

/** Maps a `visits` row to the core's Visit. */
export function toVisit(row: VisitRow): Visit {
  return {
    id: row.id,
    caseId: row.case_id,
    originalVisitId: row.original_visit_id,
    amendsVisitId: row.amends_visit_id,
    version: row.version,
    visitedAt: new Date(row.visited_at),
    visitedOn: row.visited_on,
    visitType: row.visit_type,
    outcome: row.outcome,
    answers: row.answers,
    nextVisitOn: row.next_visit_on,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
    lastVisitOnBefore: row.last_visit_on_before,
  };
}

/** Maps a `visit_drafts` row to the core's VisitDraft. */
export function toVisitDraft(row: VisitDraftRow): VisitDraft {
  return {
    id: row.id,
    caseId: row.case_id,
    memberId: row.member_id,
    amendsVisitId: row.amends_visit_id,
    answers: row.answers as Record<string, FieldValue>,
    updatedAt: row.updated_at,
  };
}

/** Visits repository over kysely; pass a transaction to take part in it. */
export function createKyselyVisitRepository(db: Kysely<Database> | Transaction<Database>): VisitRepository {
  return {
    async add(visit) {
      const row = await db
        .insertInto('visits')
        .values({
          case_id: visit.caseId,
          original_visit_id: visit.originalVisitId,
          amends_visit_id: visit.amendsVisitId,
          version: visit.version,
          visited_at: visit.visitedAt,
          visited_on: visit.visitedOn,
          visit_type: visit.visitType,
          outcome: visit.outcome,
          answers: JSON.stringify(visit.answers),
          next_visit_on: visit.nextVisitOn,
          recorded_by: visit.recordedBy,
          last_visit_on_before: visit.lastVisitOnBefore,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toVisit(row);
    },

    async findById(id) {
      const row = await db.selectFrom('visits').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toVisit(row) : undefined;
    },

    async latestVersion(originalId) {
      const row = await db
        .selectFrom('visits')
        .selectAll()
        .where(sql<string>`coalesce(original_visit_id, id)`, '=', originalId)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toVisit(row) : undefined;
    },

    async currentVersions(caseId, limit) {
      const rows = await db
        .selectFrom('visits as v')
        .selectAll('v')
        .where('v.case_id', '=', caseId)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('visits as w')
                .select(sql<number>`1`.as('one'))
                .where(sql<boolean>`coalesce(w.original_visit_id, w.id) = coalesce(v.original_visit_id, v.id) and w.version > v.version`),
            ),
          ),
        )
        .orderBy('v.visited_at', 'desc')
        .orderBy('v.recorded_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toVisit);
    },

    async findDraft(caseId, memberId) {
      const row = await db.selectFrom('visit_drafts').selectAll().where('case_id', '=', caseId).where('member_id', '=', memberId).executeTakeFirst();
      return row ? toVisitDraft(row) : undefined;
    },

    async saveDraft(draft) {
      const row = await db
        .insertInto('visit_drafts')
        .values({ case_id: draft.caseId, member_id: draft.memberId, amends_visit_id: draft.amendsVisitId, answers: JSON.stringify(draft.answers) })
        .onConflict((oc) =>
          oc.columns(['case_id', 'member_id']).doUpdateSet((eb) => ({
            amends_visit_id: eb.ref('excluded.amends_visit_id'),
            answers: eb.ref('excluded.answers'),
            updated_at: sql<Date>`now()`,
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toVisitDraft(row);
    },

    async deleteDraft(caseId, memberId) {
      await db.deleteFrom('visit_drafts').where('case_id', '=', caseId).where('member_id', '=', memberId).execute();
    },
  };
}
