/**
 * Owns the storage of cases (`cases`), their co-workers (`case_coworkers`), recorded ARMS
 * assessments (`assessments`) and significant changes (`change_events`), mapped to the core's
 * Case, Assessment and ChangeEvent.
 */
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { Assessment, Case, ChangeEvent } from '../../core/domain/entities.ts';
import type { ChangeUrgency, ManagementMode, RiskLevel } from '../../core/domain/vocabulary.ts';
import { DomainError } from '../../core/errors.ts';
import type { CaseChanges, CaseRepository, CaseUpsert, NewCase, VisitSummary } from '../../core/ports.ts';
import type { CaseRow, CaseRowUpdate, Database } from '../schema.ts';

/** Maps a `cases` row and its co-workers' member ids to the core's Case. */
export function toCase(row: CaseRow, coworkerIds: string[]): Case {
  return {
    id: row.id,
    teamId: row.team_id,
    key: row.case_key,
    externalRef: row.external_ref,
    riskLevel: row.risk_level as RiskLevel,
    managementMode: row.management_mode as ManagementMode,
    leadOfficerId: row.lead_officer_id,
    supervisorId: row.supervisor_id,
    coworkerIds,
    mappaCategory: row.mappa_category,
    mappaLevel: row.mappa_level,
    lastAssessmentOn: row.last_assessment_on,
    lastVisitOn: row.last_visit_on,
    lastMappaReviewOn: row.last_mappa_review_on,
    planVisitIntervalMonths: row.plan_visit_interval_months,
    planReviewIntervalMonths: row.plan_review_interval_months,
    visitDueOn: row.visit_due_on,
    assessmentReviewDueOn: row.assessment_review_due_on,
    earlyReviewDueOn: row.early_review_due_on,
    mappaReviewDueOn: row.mappa_review_due_on,
    status: row.status as Case['status'],
    isDemo: row.is_demo,
    createdOn: row.created_on,
  };
}

type AssessmentRow = { id: string; case_id: string; assessed_on: string; risk_level: string; factor_version: string | null; factor_ratings: Record<string, unknown> | null; recorded_by: string | null };
type ChangeEventRow = { id: string; case_id: string; kind: string; urgency: ChangeUrgency; reported_on: string; source: ChangeEvent['source']; resolved_by_assessment_id: string | null };

/** Maps an `assessments` row to the core's Assessment. */
export function toAssessment(row: AssessmentRow): Assessment {
  return {
    id: row.id,
    caseId: row.case_id,
    assessedOn: row.assessed_on,
    riskLevel: row.risk_level as RiskLevel,
    factorVersion: row.factor_version,
    factorRatings: (row.factor_ratings as Record<string, string> | null) ?? null,
    recordedBy: row.recorded_by,
  };
}

/** Maps a `change_events` row to the core's ChangeEvent. */
export function toChangeEvent(row: ChangeEventRow): ChangeEvent {
  return {
    id: row.id,
    caseId: row.case_id,
    kind: row.kind,
    urgency: row.urgency,
    reportedOn: row.reported_on,
    source: row.source,
    resolvedByAssessmentId: row.resolved_by_assessment_id,
  };
}

// Every writable Case field and its column; the type keeps the two lists in step.
const caseColumns = {
  externalRef: 'external_ref',
  riskLevel: 'risk_level',
  managementMode: 'management_mode',
  leadOfficerId: 'lead_officer_id',
  supervisorId: 'supervisor_id',
  mappaCategory: 'mappa_category',
  mappaLevel: 'mappa_level',
  lastAssessmentOn: 'last_assessment_on',
  lastVisitOn: 'last_visit_on',
  lastMappaReviewOn: 'last_mappa_review_on',
  planVisitIntervalMonths: 'plan_visit_interval_months',
  planReviewIntervalMonths: 'plan_review_interval_months',
  status: 'status',
  isDemo: 'is_demo',
  createdOn: 'created_on',
} as const satisfies Record<Exclude<keyof CaseChanges, 'coworkerIds'>, keyof CaseRowUpdate>;

/** The column values for the fields present in a case change (undefined means "leave as is"). */
export function caseChangesToRow(changes: CaseChanges): CaseRowUpdate {
  const set: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(caseColumns)) {
    const value = changes[field as keyof typeof caseColumns];
    if (value !== undefined) set[column] = value;
  }
  return set as CaseRowUpdate;
}

/** Cases repository over kysely; pass a transaction to take part in it. */
export function createKyselyCaseRepository(db: Kysely<Database> | Transaction<Database>): CaseRepository {
  // Cases come with their co-workers in the same round trip.
  const coworkerIds = sql<string[]>`array(select cw.member_id::text from case_coworkers cw where cw.case_id = cases_with_due_dates.id order by cw.member_id)`.as('coworker_ids');

  /** Cases with their co-workers, as one query. */
  function cases() {
    return db.selectFrom('cases_with_due_dates').selectAll().select(coworkerIds);
  }

  function fromRows(rows: (CaseRow & { coworker_ids: string[] | null })[]): Case[] {
    return rows.map((row) => toCase(row, row.coworker_ids ?? []));
  }

  function one(row: (CaseRow & { coworker_ids: string[] | null }) | undefined): Case | undefined {
    return row ? toCase(row, row.coworker_ids ?? []) : undefined;
  }

  async function replaceCoworkers(caseId: string, memberIds: string[]): Promise<void> {
    await db.deleteFrom('case_coworkers').where('case_id', '=', caseId).execute();
    const unique = [...new Set(memberIds)];
    if (unique.length === 0) return;
    await db.insertInto('case_coworkers').values(unique.map((memberId) => ({ case_id: caseId, member_id: memberId }))).execute();
  }

  async function byId(id: string): Promise<Case | undefined> {
    return one(await cases().where('id', '=', id).executeTakeFirst());
  }

  function listFilter(teamId: string, options: { memberId?: string; status?: 'active' | 'closed' }) {
    return (eb: ExpressionBuilder<Database, 'cases_with_due_dates'>) => {
      const conditions = [eb('cases_with_due_dates.team_id', '=', teamId)];
      if (options.status) conditions.push(eb('cases_with_due_dates.status', '=', options.status));
      const memberId = options.memberId;
      if (memberId !== undefined) {
        conditions.push(
          eb.or([
            eb('cases_with_due_dates.lead_officer_id', '=', memberId),
            eb.exists(
              eb
                .selectFrom('case_coworkers')
                .select(sql<number>`1`.as('one'))
                .whereRef('case_coworkers.case_id', '=', 'cases_with_due_dates.id')
                .where('case_coworkers.member_id', '=', memberId),
            ),
          ]),
        );
      }
      return eb.and(conditions);
    };
  }

  return {
    async findByKey(key) {
      return one(await cases().where('case_key', '=', key).executeTakeFirst());
    },

    async findCard(key, visits) {
      // The card's people and latest visits come as JSON beside the case: one round trip where
      // the card used to take three (the case, the whole team's names, the visits).
      const row = await cases()
        .select([
          sql<{ id: string; displayName: string }[]>`coalesce((
            select json_agg(json_build_object('id', m.id, 'displayName', m.display_name))
            from members m
            where m.id = cases_with_due_dates.lead_officer_id
               or m.id = cases_with_due_dates.supervisor_id
               or m.id in (select cw.member_id from case_coworkers cw where cw.case_id = cases_with_due_dates.id)
          ), '[]'::json)`.as('people'),
          sql<VisitSummary[]>`coalesce((
            select json_agg(json_build_object('visitedOn', latest.visited_on, 'visitedTime', latest.visited_time, 'version', latest.version)
                            order by latest.visited_at desc, latest.recorded_at desc)
            from (
              select v.visited_on, v.visited_at, v.recorded_at, v.version, v.answers->>'visitedTime' as visited_time
              from visits v
              where v.case_id = cases_with_due_dates.id
                and not exists (
                  select 1 from visits w
                  where coalesce(w.original_visit_id, w.id) = coalesce(v.original_visit_id, v.id) and w.version > v.version
                )
              order by v.visited_at desc, v.recorded_at desc
              limit ${visits}
            ) latest
          ), '[]'::json)`.as('recent_visits'),
        ])
        .where('case_key', '=', key)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        case: toCase(row, row.coworker_ids ?? []),
        people: new Map(row.people.map((p) => [p.id, { displayName: p.displayName }])),
        visits: row.recent_visits,
      };
    },

    async findById(id) {
      return byId(id);
    },

    async findByExternalRef(teamId, externalRef) {
      return one(await cases().where('team_id', '=', teamId).where('external_ref', '=', externalRef).executeTakeFirst());
    },

    async keyExists(key) {
      const row = await db.selectFrom('cases').select('id').where('case_key', '=', key).executeTakeFirst();
      return row !== undefined;
    },

    async create(data: NewCase) {
      const { teamId, key, coworkerIds, ...rest } = data;
      const row = await db
        .insertInto('cases')
        .values({ team_id: teamId, case_key: key, ...caseChangesToRow(rest), risk_level: data.riskLevel })
        .returning('id')
        .executeTakeFirstOrThrow();
      await replaceCoworkers(row.id, coworkerIds);
      return (await byId(row.id)) as Case;
    },

    async existingKeys(keys) {
      if (keys.length === 0) return [];
      const rows = await db.selectFrom('cases').select('case_key').where('case_key', '=', sql<string>`any(${[...keys]}::text[])`).execute();
      return rows.map((r) => r.case_key);
    },

    async upsertMany(rows) {
      if (rows.length === 0) return;
      const column = <T>(pick: (r: CaseUpsert) => T): T[] => rows.map(pick);
      // One statement for the batch, whatever its size: each column travels as one array.
      await sql`
        insert into cases (id, team_id, case_key, external_ref, risk_level, management_mode, lead_officer_id, supervisor_id,
                           mappa_category, mappa_level, last_assessment_on, last_visit_on, last_mappa_review_on,
                           plan_visit_interval_months, plan_review_interval_months, created_on)
        select * from unnest(
          ${column((r) => r.id)}::uuid[], ${column((r) => r.teamId)}::uuid[], ${column((r) => r.key)}::text[], ${column((r) => r.externalRef)}::text[],
          ${column((r) => r.riskLevel)}::text[], ${column((r) => r.managementMode)}::text[], ${column((r) => r.leadOfficerId)}::uuid[],
          ${column((r) => r.supervisorId)}::uuid[], ${column((r) => r.mappaCategory)}::smallint[], ${column((r) => r.mappaLevel)}::smallint[],
          ${column((r) => r.lastAssessmentOn)}::date[], ${column((r) => r.lastVisitOn)}::date[], ${column((r) => r.lastMappaReviewOn)}::date[],
          ${column((r) => r.planVisitIntervalMonths)}::smallint[], ${column((r) => r.planReviewIntervalMonths)}::smallint[], ${column((r) => r.createdOn)}::date[])
        on conflict (id) do update set
          external_ref = excluded.external_ref, risk_level = excluded.risk_level, management_mode = excluded.management_mode,
          lead_officer_id = excluded.lead_officer_id, supervisor_id = excluded.supervisor_id, mappa_category = excluded.mappa_category,
          mappa_level = excluded.mappa_level, last_assessment_on = excluded.last_assessment_on, last_visit_on = excluded.last_visit_on,
          last_mappa_review_on = excluded.last_mappa_review_on, plan_visit_interval_months = excluded.plan_visit_interval_months,
          plan_review_interval_months = excluded.plan_review_interval_months, updated_at = now()`.execute(db);
      const existing = rows.filter((r) => !r.isNew).map((r) => r.id);
      if (existing.length > 0) await sql`delete from case_coworkers where case_id = any(${existing}::uuid[])`.execute(db);
      const pairs = rows.flatMap((r) => [...new Set(r.coworkerIds)].map((memberId) => [r.id, memberId] as const));
      if (pairs.length === 0) return;
      await sql`insert into case_coworkers (case_id, member_id)
        select * from unnest(${pairs.map((p) => p[0])}::uuid[], ${pairs.map((p) => p[1])}::uuid[])`.execute(db);
    },

    async update(id, changes) {
      const row = await db
        .updateTable('cases')
        .set({ ...caseChangesToRow(changes), updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .returning('id')
        .executeTakeFirst();
      if (!row) throw new DomainError('case_not_found', 'That case no longer exists.', { caseId: id });
      if (changes.coworkerIds !== undefined) await replaceCoworkers(id, changes.coworkerIds);
      return (await byId(id)) as Case;
    },

    async list(teamId, options) {
      const where = listFilter(teamId, options);
      const rows = await cases().where(where).orderBy('case_key').offset(options.offset).limit(options.limit).execute();
      const count = await db.selectFrom('cases_with_due_dates').select((eb) => eb.fn.countAll<number>().as('total')).where(where).executeTakeFirstOrThrow();
      return { items: fromRows(rows), total: Number(count.total) };
    },

    async listByUrgency(teamId, options) {
      const where = listFilter(teamId, { status: 'active', ...(options.memberId ? { memberId: options.memberId } : {}) });
      const nextDue = sql<string | null>`least(visit_due_on, assessment_review_due_on, early_review_due_on, mappa_review_due_on)`;
      const overdue = sql<boolean>`${nextDue} < ${options.today}::date`;
      const thisWeek = sql<boolean>`${nextDue} >= ${options.today}::date and ${nextDue} <= ${options.weekEnd}::date`;
      // The page, the counts over every matching case (window functions run before the limit) and
      // the lead officers' names, in one statement.
      const rows = await cases()
        .select([
          sql<number>`count(*) over ()`.as('total_count'),
          sql<number>`count(*) filter (where ${overdue}) over ()`.as('overdue_count'),
          sql<number>`count(*) filter (where ${thisWeek}) over ()`.as('this_week_count'),
          sql<string | null>`(select m.display_name from members m where m.id = cases_with_due_dates.lead_officer_id)`.as('lead_name'),
        ])
        .where(where)
        // Overdue first; a case with no due date at all is not overdue (a bare `desc` puts nulls first).
        .orderBy(sql`coalesce(${overdue}, false)`, 'desc')
        .orderBy(sql`case risk_level when 'very_high' then 0 when 'high' then 1 when 'medium' then 2 else 3 end`)
        .orderBy(sql`${nextDue} asc nulls last`)
        .orderBy('case_key')
        .offset(options.offset)
        .limit(options.limit)
        .execute();
      const leadNames = new Map(rows.flatMap((r) => (r.lead_officer_id && r.lead_name !== null ? [[r.lead_officer_id, r.lead_name] as const] : [])));
      const first = rows[0];
      if (first) {
        return { items: fromRows(rows), total: Number(first.total_count), overdue: Number(first.overdue_count), thisWeek: Number(first.this_week_count), leadNames };
      }
      // A page past the end (the list shrank, or a page number typed) has no rows to carry the counts.
      const counts = await db
        .selectFrom('cases_with_due_dates')
        .select([sql<number>`count(*)`.as('total'), sql<number>`count(*) filter (where ${overdue})`.as('overdue'), sql<number>`count(*) filter (where ${thisWeek})`.as('this_week')])
        .where(where)
        .executeTakeFirstOrThrow();
      return { items: [], total: Number(counts.total), overdue: Number(counts.overdue), thisWeek: Number(counts.this_week), leadNames };
    },

    async listAll(teamId) {
      return fromRows(await cases().where('team_id', '=', teamId).orderBy('case_key').execute());
    },

    async countActive(teamId) {
      const row = await db
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .where('team_id', '=', teamId)
        .where('status', '=', 'active')
        .executeTakeFirstOrThrow();
      return Number(row.total);
    },

    async addAssessment(data) {
      const row = await db
        .insertInto('assessments')
        .values({
          case_id: data.caseId,
          assessed_on: data.assessedOn,
          risk_level: data.riskLevel,
          factor_version: data.factorVersion,
          factor_ratings: data.factorRatings ? JSON.stringify(data.factorRatings) : null,
          recorded_by: data.recordedBy,
          management_mode: data.managementMode ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toAssessment(row);
    },

    async addChangeEvent(data) {
      const row = await db
        .insertInto('change_events')
        .values({
          case_id: data.caseId,
          kind: data.kind,
          urgency: data.urgency,
          reported_on: data.reportedOn,
          source: data.source,
          reported_by: data.reportedBy,
          visit_id: data.visitId ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toChangeEvent(row);
    },

    async openChangeEvents(caseId) {
      const rows = await db
        .selectFrom('change_events')
        .selectAll()
        .where('case_id', '=', caseId)
        .where('resolved_by_assessment_id', 'is', null)
        .orderBy('reported_on')
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toChangeEvent);
    },

    async resolveChangeEvents(caseId, assessmentId) {
      const result = await db
        .updateTable('change_events')
        .set({ resolved_by_assessment_id: assessmentId })
        .where('case_id', '=', caseId)
        .where('resolved_by_assessment_id', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
