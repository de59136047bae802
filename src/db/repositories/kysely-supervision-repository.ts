/**
 * Owns the storage of supervision: notes (`supervision_notes`, locked by trigger once signed),
 * their actions (`supervision_actions`) and officer supervision sessions (`supervision_sessions`);
 * and reads a case's visits and change events for the record export.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type {
  CaseHistoryReader,
  SupervisionAction,
  SupervisionNote,
  SupervisionRepository,
  SupervisionSession,
} from '../../core/discussions/discussion-ports.ts';
import type { Database, SupervisionActionsTable, SupervisionNotesTable, SupervisionSessionsTable } from '../schema.ts';

/** Maps a `supervision_notes` row to the core's SupervisionNote. */
export function toSupervisionNote(row: Selectable<SupervisionNotesTable>): SupervisionNote {
  return {
    id: row.id,
    caseId: row.case_id,
    discussionId: row.discussion_id,
    addendumToNoteId: row.addendum_to_note_id,
    authorId: row.author_id,
    status: row.status,
    question: row.question,
    riskView: row.risk_view,
    optionsConsidered: row.options_considered,
    decision: row.decision,
    rationale: row.rationale,
    dissent: row.dissent,
    nextReviewOn: row.next_review_on,
    contentSha256: row.content_sha256,
    signedAt: row.signed_at,
    createdAt: row.created_at,
  };
}

function toAction(row: Selectable<SupervisionActionsTable>): SupervisionAction {
  return {
    id: row.id,
    noteId: row.note_id,
    sessionId: row.session_id,
    ownerMemberId: row.owner_member_id,
    dueOn: row.due_on,
    description: row.description,
    status: row.status,
    doneAt: row.done_at ? new Date(row.done_at) : null,
    doneBy: row.done_by,
  };
}

function toSession(row: Selectable<SupervisionSessionsTable>): SupervisionSession {
  return {
    id: row.id,
    teamId: row.team_id,
    supervisorId: row.supervisor_id,
    officerId: row.officer_id,
    heldOn: row.held_on,
    casesReviewed: row.cases_reviewed,
    workload: row.workload,
    wellbeing: row.wellbeing,
    development: row.development,
    nextSessionOn: row.next_session_on,
    createdAt: row.created_at,
  };
}

/** Supervision repository over kysely; pass a transaction to take part in it. */
export function createKyselySupervisionRepository(db: Kysely<Database> | Transaction<Database>): SupervisionRepository {
  return {
    async createNote(data) {
      const row = await db
        .insertInto('supervision_notes')
        .values({
          case_id: data.caseId,
          discussion_id: data.discussionId,
          addendum_to_note_id: data.addendumToNoteId,
          author_id: data.authorId,
          question: data.question,
          risk_view: data.riskView,
          options_considered: data.optionsConsidered,
          decision: data.decision,
          rationale: data.rationale,
          dissent: data.dissent,
          next_review_on: data.nextReviewOn,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSupervisionNote(row);
    },

    async updateDraft(id, content) {
      const row = await db
        .updateTable('supervision_notes')
        .set({
          question: content.question,
          risk_view: content.riskView,
          options_considered: content.optionsConsidered,
          decision: content.decision,
          rationale: content.rationale,
          dissent: content.dissent,
          next_review_on: content.nextReviewOn,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', id)
        .where('status', '=', 'draft')
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSupervisionNote(row);
    },

    async sign(id, at, sha256) {
      const row = await db
        .updateTable('supervision_notes')
        .set({ status: 'signed', signed_at: at, content_sha256: sha256, updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .where('status', '=', 'draft')
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSupervisionNote(row);
    },

    async findNote(id) {
      const row = await db.selectFrom('supervision_notes').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toSupervisionNote(row);
    },

    async notesForCase(caseId) {
      const rows = await db.selectFrom('supervision_notes').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();
      return rows.map(toSupervisionNote);
    },

    async notesForDiscussion(discussionId) {
      const rows = await db.selectFrom('supervision_notes').selectAll().where('discussion_id', '=', discussionId).orderBy('created_at').orderBy('id').execute();
      return rows.map(toSupervisionNote);
    },

    async setActions(owner, actions) {
      const column = 'noteId' in owner ? 'note_id' : 'session_id';
      const ownerId = 'noteId' in owner ? owner.noteId : owner.sessionId;
      await db.deleteFrom('supervision_actions').where(column, '=', ownerId).execute();
      if (actions.length === 0) return [];
      const rows = await db
        .insertInto('supervision_actions')
        .values(
          actions.map((a) => ({
            note_id: 'noteId' in owner ? owner.noteId : null,
            session_id: 'sessionId' in owner ? owner.sessionId : null,
            owner_member_id: a.ownerMemberId,
            due_on: a.dueOn,
            description: a.description,
          })),
        )
        .returningAll()
        .execute();
      return rows.map(toAction);
    },

    async actionsForNotes(noteIds) {
      if (noteIds.length === 0) return [];
      const rows = await db.selectFrom('supervision_actions').selectAll().where('note_id', 'in', noteIds).orderBy('created_at').orderBy('due_on').orderBy('id').execute();
      return rows.map(toAction);
    },

    async completeAction(actionId, doneBy, at) {
      const row = await db
        .updateTable('supervision_actions')
        .set({ status: 'done', done_at: at, done_by: doneBy })
        .where('id', '=', actionId)
        .where('status', '=', 'open')
        .returningAll()
        .executeTakeFirst();
      return row ? toAction(row) : undefined;
    },

    async createSession(data) {
      const row = await db
        .insertInto('supervision_sessions')
        .values({
          team_id: data.teamId,
          supervisor_id: data.supervisorId,
          officer_id: data.officerId,
          held_on: data.heldOn,
          cases_reviewed: data.casesReviewed,
          workload: data.workload,
          wellbeing: data.wellbeing,
          development: data.development,
          next_session_on: data.nextSessionOn,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSession(row);
    },

    async sessionsForOfficer(officerId) {
      const rows = await db.selectFrom('supervision_sessions').selectAll().where('officer_id', '=', officerId).orderBy('held_on').orderBy('created_at').execute();
      return rows.map(toSession);
    },
  };
}

/** Reads a case's visits and change events for the record. */
export function createKyselyCaseHistoryReader(db: Kysely<Database> | Transaction<Database>): CaseHistoryReader {
  return {
    async visits(caseId) {
      const rows = await db.selectFrom('visits').selectAll().where('case_id', '=', caseId).orderBy('visited_at').orderBy('version').execute();
      return rows.map((r) => ({
        id: r.id,
        originalVisitId: r.original_visit_id,
        visitedAt: new Date(r.visited_at),
        visitedOn: r.visited_on,
        visitType: r.visit_type,
        outcome: r.outcome,
        version: r.version,
        amendsVisitId: r.amends_visit_id,
        nextVisitOn: r.next_visit_on,
        recordedBy: r.recorded_by,
        recordedAt: new Date(r.recorded_at),
        answers: (r.answers ?? {}) as Record<string, unknown>,
      }));
    },
    async changes(caseId) {
      const rows = await db.selectFrom('change_events').selectAll().where('case_id', '=', caseId).orderBy('reported_on').orderBy('created_at').execute();
      return rows.map((r) => ({ id: r.id, kind: r.kind, urgency: r.urgency, reportedOn: r.reported_on, source: r.source, reportedBy: r.reported_by, createdAt: new Date(r.created_at) }));
    },
    async assessments(caseId) {
      const rows = await db.selectFrom('assessments').selectAll().where('case_id', '=', caseId).orderBy('assessed_on').orderBy('recorded_at').execute();
      return rows.map((r) => ({
        id: r.id,
        assessedOn: r.assessed_on,
        riskLevel: r.risk_level,
        factorVersion: r.factor_version,
        factorRatings: (r.factor_ratings ?? null) as Record<string, unknown> | null,
        managementMode: r.management_mode,
        recordedBy: r.recorded_by,
        recordedAt: new Date(r.recorded_at),
      }));
    },
    async sessionsReviewing(caseId) {
      const rows = await db.selectFrom('supervision_sessions').selectAll().where(sql<boolean>`${caseId} = any(cases_reviewed)`).orderBy('held_on').orderBy('created_at').execute();
      return rows.map(toSession);
    },
  };
}
