/**
 * Owns the storage of deadlines as state (`deadlines`): at most one open row per subject,
 * kept in step with the core's due dates, for the reminder pipeline to plan from.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { CaseRecalculationInput, DeadlineKind, DeadlineRecord, DeadlineRepository } from '../../core/ports.ts';
import type { Database, DeadlinesTable } from '../schema.ts';

/** A `deadlines` row as selected. */
export type DeadlineRow = Selectable<DeadlinesTable>;

/** Maps a `deadlines` row to the core's DeadlineRecord. */
export function toDeadline(row: DeadlineRow): DeadlineRecord {
  return {
    id: row.id,
    teamId: row.team_id,
    kind: row.kind as DeadlineKind,
    subjectKey: row.subject_key,
    caseId: row.case_id,
    ownerMemberId: row.owner_member_id,
    dueOn: row.due_on,
    urgent: row.urgent,
    status: row.status,
  };
}

/** Deadlines repository over kysely; pass a transaction to take part in it. */
export function createKyselyDeadlineRepository(db: Kysely<Database> | Transaction<Database>): DeadlineRepository {
  return {
    async recalculationInputs(teamId, afterCaseId, limit, caseIds) {
      // Three set-based reads for the whole batch: the cases, their open changes, and their newest
      // current visit versions (ten a case at most), never a query per case.
      const cases = await db
        .selectFrom('cases')
        .select([
          'id',
          'risk_level',
          'management_mode',
          'lead_officer_id',
          'status',
          'last_visit_on',
          'last_assessment_on',
          'last_mappa_review_on',
          'created_on',
          'plan_visit_interval_months',
          'plan_review_interval_months',
          'mappa_level',
        ])
        .where('team_id', '=', teamId)
        .$if(afterCaseId !== null, (q) => q.where('id', '>', afterCaseId!))
        .$if(caseIds !== undefined && caseIds.length > 0, (q) => q.where('id', '=', sql<string>`any(${caseIds}::uuid[])`))
        .orderBy('id')
        .limit(limit)
        .execute();
      if (cases.length === 0) return [];
      const ids = cases.map((c) => c.id);
      const changes = await db
        .selectFrom('change_events')
        .select(['case_id', 'reported_on', 'urgency'])
        .where('case_id', 'in', ids)
        .where('resolved_by_assessment_id', 'is', null)
        .orderBy('reported_on')
        .execute();
      const visits = await sql<{ case_id: string; visited_on: string; next_visit_on: string | null; outcome: string }>`
        select case_id, visited_on, next_visit_on, outcome from (
          select v.case_id, v.visited_on, v.next_visit_on, v.outcome,
                 row_number() over (partition by v.case_id order by v.visited_at desc, v.recorded_at desc) as n
          from visits v
          where v.case_id = any(${ids}::uuid[])
            and not exists (select 1 from visits w
                            where coalesce(w.original_visit_id, w.id) = coalesce(v.original_visit_id, v.id) and w.version > v.version)
        ) ranked where n <= 10 order by case_id, n`.execute(db);
      const byCase = new Map<string, CaseRecalculationInput>();
      for (const c of cases) {
        byCase.set(c.id, {
          caseId: c.id,
          riskLevel: c.risk_level,
          managementMode: c.management_mode,
          leadOfficerId: c.lead_officer_id,
          status: c.status as 'active' | 'closed',
          lastVisitOn: c.last_visit_on,
          lastAssessmentOn: c.last_assessment_on,
          lastMappaReviewOn: c.last_mappa_review_on,
          createdOn: c.created_on,
          planVisitIntervalMonths: c.plan_visit_interval_months,
          planReviewIntervalMonths: c.plan_review_interval_months,
          mappaLevel: c.mappa_level,
          openChanges: [],
          recentVisits: [],
        });
      }
      for (const e of changes) byCase.get(e.case_id)?.openChanges.push({ reportedOn: e.reported_on, urgency: e.urgency as 'urgent' | 'standard' });
      for (const v of visits.rows) byCase.get(v.case_id)?.recentVisits.push({ visitedOn: v.visited_on, nextVisitOn: v.next_visit_on, outcome: v.outcome });
      return [...byCase.values()];
    },

    async syncMany(teamId, rows) {
      const cancel = rows.filter((r) => r.dueOn === null).map((r) => r.subjectKey);
      if (cancel.length > 0) {
        await sql`update deadlines set status = 'cancelled', updated_at = now()
          where status = 'open' and subject_key = any(${cancel}::text[])`.execute(db);
      }
      const keep = rows.filter((r) => r.dueOn !== null);
      if (keep.length === 0) return;
      // One statement for the batch: rows whose open deadline already says the same are left as
      // they are (no write, no trigger of a re-plan); the rest are created or moved.
      await sql`
        insert into deadlines (team_id, kind, subject_key, case_id, owner_member_id, due_on, urgent)
        select ${teamId}::uuid, r.kind, r.subject_key, r.case_id, r.owner_member_id, r.due_on, r.urgent
        from unnest(${keep.map((r) => r.kind)}::text[], ${keep.map((r) => r.subjectKey)}::text[], ${keep.map((r) => r.caseId)}::uuid[],
                    ${keep.map((r) => r.ownerMemberId)}::uuid[], ${keep.map((r) => r.dueOn)}::date[], ${keep.map((r) => r.urgent)}::boolean[])
             as r(kind, subject_key, case_id, owner_member_id, due_on, urgent)
        on conflict (subject_key) where status = 'open' do update set
          due_on = excluded.due_on,
          owner_member_id = excluded.owner_member_id,
          urgent = excluded.urgent,
          updated_at = now(),
          snoozed_until = case when excluded.due_on < deadlines.snoozed_until then null else deadlines.snoozed_until end
        where deadlines.due_on <> excluded.due_on
           or deadlines.owner_member_id is distinct from excluded.owner_member_id
           or deadlines.urgent <> excluded.urgent`.execute(db);
    },

    async requestRecalculation(teamId, at) {
      await db.updateTable('teams').set({ recalculation_requested_at: at }).where('id', '=', teamId).execute();
    },

    async pendingRecalculations() {
      const rows = await db.selectFrom('teams').select(['id', 'recalculation_requested_at']).where('recalculation_requested_at', 'is not', null).execute();
      return rows.map((r) => ({ teamId: r.id, requestedAt: new Date(r.recalculation_requested_at!) }));
    },

    async finishRecalculation(teamId, requestedAt) {
      const result = await db
        .updateTable('teams')
        .set({ recalculation_requested_at: null })
        .where('id', '=', teamId)
        .where('recalculation_requested_at', '=', requestedAt)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async syncOpen(input) {
      if (input.dueOn === null) {
        await db
          .updateTable('deadlines')
          .set({ status: 'cancelled', updated_at: sql<Date>`now()` })
          .where('subject_key', '=', input.subjectKey)
          .where('status', '=', 'open')
          .execute();
        return;
      }
      // One statement, so two callers racing on one subject cannot both insert: the partial
      // unique index makes the second wait for the first and then update its row. `urgent`
      // left out means "not urgent", since the caller states the whole deadline each time.
      await db
        .insertInto('deadlines')
        .values({
          team_id: input.teamId,
          kind: input.kind,
          subject_key: input.subjectKey,
          case_id: input.caseId,
          owner_member_id: input.ownerMemberId,
          due_on: input.dueOn,
          urgent: input.urgent ?? false,
        })
        .onConflict((oc) =>
          oc
            .column('subject_key')
            // A literal, not a parameter: PostgreSQL matches the partial index by its predicate
            // when it parses the statement, before parameters are known.
            .where('status', '=', sql.lit('open'))
            .doUpdateSet((eb) => ({
              due_on: eb.ref('excluded.due_on'),
              owner_member_id: eb.ref('excluded.owner_member_id'),
              urgent: eb.ref('excluded.urgent'),
              updated_at: sql<Date>`now()`,
              // A snooze past the new, earlier due date would hide the deadline: drop it.
              snoozed_until: eb
                .case()
                .when('excluded.due_on', '<', eb.ref('deadlines.snoozed_until'))
                .then(sql<string | null>`null`)
                .else(eb.ref('deadlines.snoozed_until'))
                .end(),
            }))
            .where((eb) =>
              eb.or([
                eb('deadlines.due_on', '<>', eb.ref('excluded.due_on')),
                eb('deadlines.owner_member_id', 'is distinct from', eb.ref('excluded.owner_member_id')),
                eb('deadlines.urgent', '<>', eb.ref('excluded.urgent')),
              ]),
            ),
        )
        .execute();
    },

    async markMet(subjectKey, at, metOn) {
      await db
        .updateTable('deadlines')
        .set({ status: 'met', met_at: at, met_on: metOn ?? null, updated_at: sql<Date>`now()` })
        .where('subject_key', '=', subjectKey)
        .where('status', '=', 'open')
        .execute();
    },

    async listOpenForCase(caseId) {
      const rows = await db
        .selectFrom('deadlines')
        .selectAll()
        .where('case_id', '=', caseId)
        .where('status', '=', 'open')
        .orderBy('due_on')
        .orderBy('kind')
        .orderBy('subject_key')
        .execute();
      return rows.map(toDeadline);
    },
  };
}
