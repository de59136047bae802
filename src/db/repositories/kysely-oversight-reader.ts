/**
 * Owns the SQL behind oversight (docs/oversight.md): each figure is counted by PostgreSQL, per
 * officer and for the team in one pass (`grouping sets`), and only the counts come back. The
 * definitions in docs/oversight.md and the statements here must say the same thing; the fixture
 * test (test/core/oversight/oversight-figures.test.ts) holds them to it.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { IsoDate } from '../../core/calendar/working-calendar.ts';
import type { RiskLevel } from '../../core/domain/vocabulary.ts';
import type {
  CaseWithoutStrengths,
  FigureBounds,
  FigureCounts,
  ListedCase,
  ListedDeadline,
  OfficerCounts,
  OversightReader,
  WaitingDiscussion,
  WeekCounts,
} from '../../core/oversight/oversight-ports.ts';
import { emptyOfficerCounts, zeroCounts } from '../../core/oversight/oversight-figures.ts';
import type { DeadlineKind } from '../../core/ports.ts';
import { seenOutcomes } from '../../core/visits/visit-rules.ts';
import type { Database } from '../schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Counts come back as numbers (int8 parser in database.ts); null when a grouping had none. */
type Num = number | string | null;
const num = (v: Num | undefined): number => Number(v ?? 0);

/** The local date of a timestamp column in the team's zone. */
const localDate = (column: RawBuilder<unknown>, tz: string) => sql`(${column} at time zone ${tz}::text)::date`;

/**
 * "Open at the end of `day`" for a deadline row `d` (docs/oversight.md): created by then, and
 * neither fulfilled nor cancelled by then. A met row is fulfilled on its `met_on` or the day it
 * was recorded, whichever is earlier (`least` skips a null `met_on`).
 */
function openAt(day: RawBuilder<unknown>, tz: string): RawBuilder<unknown> {
  return sql`${localDate(sql`d.created_at`, tz)} <= ${day}
    and not (d.status = 'met' and ${fulfilledOn(tz)} <= ${day})
    and not (d.status = 'cancelled' and ${localDate(sql`d.updated_at`, tz)} <= ${day})`;
}

/** The day a met deadline row `d` was fulfilled. */
function fulfilledOn(tz: string): RawBuilder<unknown> {
  return sql`least(d.met_on, ${localDate(sql`d.met_at`, tz)})`;
}

const date = (d: IsoDate) => sql`${d}::date`;
const REVIEW_KINDS = sql`('assessment_review', 'early_review')`;

/**
 * Visits still current (the latest version of each chain) where the person was seen, on the
 * team's cases, visited from `from` to `to`.
 */
function currentSeenVisits(teamId: string, from: RawBuilder<unknown>, to: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    select v.id, v.case_id, v.answers, v.recorded_by, v.visited_at, v.recorded_at
    from visits v join cases c on c.id = v.case_id
    where c.team_id = ${teamId} and v.visited_on between ${from} and ${to}
      and v.outcome = any(${[...seenOutcomes]}::text[])
      and not exists (select 1 from visits w
                      where coalesce(w.original_visit_id, w.id) = coalesce(v.original_visit_id, v.id) and w.version > v.version)`;
}

/** True when a visit's answers note at least one protective factor. */
const STRENGTHS = sql`coalesce(jsonb_typeof(answers -> 'protectiveNotes') = 'object' and answers -> 'protectiveNotes' <> '{}'::jsonb, false)`;

interface Grouped {
  member_id: string | null;
  whole_team: Num;
}

/** Oversight reader over kysely; pass a transaction to take part in it. */
export function createKyselyOversightReader(db: Executor): OversightReader {
  async function caseCounts(teamId: string, b: FigureBounds) {
    const result = await sql<Grouped & Record<'open_cases' | RiskLevel | 'covered', Num>>`
      with noted as (
        select distinct n.case_id from supervision_notes n join cases c on c.id = n.case_id
        where c.team_id = ${teamId} and n.status = 'signed'
          and ${localDate(sql`n.signed_at`, b.timeZone)} between ${date(b.coverageFrom)} and ${date(b.asOf)}
      ), reviewed as (
        select distinct r.case_id from supervision_sessions s cross join unnest(s.cases_reviewed) as r(case_id)
        where s.team_id = ${teamId} and s.held_on between ${date(b.coverageFrom)} and ${date(b.asOf)}
      )
      select c.lead_officer_id as member_id, grouping(c.lead_officer_id) as whole_team,
        count(*) as open_cases,
        count(*) filter (where c.risk_level = 'low') as low,
        count(*) filter (where c.risk_level = 'medium') as medium,
        count(*) filter (where c.risk_level = 'high') as high,
        count(*) filter (where c.risk_level = 'very_high') as very_high,
        count(*) filter (where nt.case_id is not null or rv.case_id is not null) as covered
      from cases c
      left join noted nt on nt.case_id = c.id
      left join reviewed rv on rv.case_id = c.id
      where c.team_id = ${teamId} and c.status = 'active' and c.created_on <= ${date(b.asOf)}
      group by grouping sets ((c.lead_officer_id), ())`.execute(db);
    return result.rows;
  }

  async function deadlineCounts(teamId: string, b: FigureBounds) {
    const asOf = date(b.asOf);
    const result = await sql<Grouped & Record<'open_deadlines' | 'overdue_visits' | 'overdue_reviews' | 'overdue_mappa' | 'overdue_actions' | 'overdue_all' | 'overdue_urgent' | 'due_soon' | 'actions_open', Num>>`
      select d.owner_member_id as member_id, grouping(d.owner_member_id) as whole_team,
        count(*) as open_deadlines,
        count(*) filter (where d.due_on < ${asOf} and d.kind = 'visit') as overdue_visits,
        count(*) filter (where d.due_on < ${asOf} and d.kind in ${REVIEW_KINDS}) as overdue_reviews,
        count(*) filter (where d.due_on < ${asOf} and d.kind = 'mappa_review') as overdue_mappa,
        count(*) filter (where d.due_on < ${asOf} and d.kind = 'supervision_action') as overdue_actions,
        count(*) filter (where d.due_on < ${asOf}) as overdue_all,
        count(*) filter (where d.due_on < ${asOf} and d.urgent) as overdue_urgent,
        count(*) filter (where d.due_on between ${asOf} and ${date(b.dueSoonUntil)}) as due_soon,
        count(*) filter (where d.kind = 'supervision_action') as actions_open
      from deadlines d
      where d.team_id = ${teamId} and ${openAt(asOf, b.timeZone)}
      group by grouping sets ((d.owner_member_id), ())`.execute(db);
    return result.rows;
  }

  async function periodCounts(teamId: string, b: FigureBounds & { periodFrom: IsoDate }) {
    const asOf = date(b.asOf);
    const result = await sql<Grouped & Record<'visits_due' | 'visits_on_time' | 'reviews_due' | 'reviews_on_time', Num>>`
      with due as (
        select d.owner_member_id, d.kind, d.due_on, case when d.status = 'met' then ${fulfilledOn(b.timeZone)} end as fulfilled_on
        from deadlines d
        where d.team_id = ${teamId} and (d.kind = 'visit' or d.kind in ${REVIEW_KINDS})
          and d.due_on between ${date(b.periodFrom)} and ${asOf}
          and ${localDate(sql`d.created_at`, b.timeZone)} <= ${asOf}
          and not (d.status = 'cancelled' and ${localDate(sql`d.updated_at`, b.timeZone)} <= d.due_on)
          -- Due on the last day and still open then: not late yet, so not counted either way.
          and not (d.due_on = ${asOf} and ${openAt(asOf, b.timeZone)})
      )
      select owner_member_id as member_id, grouping(owner_member_id) as whole_team,
        count(*) filter (where kind = 'visit') as visits_due,
        count(*) filter (where kind = 'visit' and fulfilled_on <= due_on) as visits_on_time,
        count(*) filter (where kind <> 'visit') as reviews_due,
        count(*) filter (where kind <> 'visit' and fulfilled_on <= due_on) as reviews_on_time
      from due
      group by grouping sets ((owner_member_id), ())`.execute(db);
    return result.rows;
  }

  async function visitCounts(teamId: string, b: FigureBounds) {
    // Everyone who took part in a visit: the officers listed as attending, and whoever recorded it.
    const result = await sql<Grouped & Record<'seen_visits' | 'strength_visits', Num>>`
      with cur as (${currentSeenVisits(teamId, date(b.protectiveFrom), date(b.asOf))}),
      took_part as (
        select cur.id, ${STRENGTHS} as strengths, a.member_id
        from cur cross join lateral (
          select jsonb_array_elements_text(case when jsonb_typeof(cur.answers -> 'officerIds') = 'array'
                                                then cur.answers -> 'officerIds' else '[]'::jsonb end) as member_id
          union
          select cur.recorded_by::text where cur.recorded_by is not null
        ) a
      )
      select member_id, grouping(member_id) as whole_team,
        count(distinct id) as seen_visits, count(distinct id) filter (where strengths) as strength_visits
      from took_part
      group by grouping sets ((member_id), ())`.execute(db);
    return result.rows;
  }

  async function supervisionDates(teamId: string, b: FigureBounds) {
    const asOf = date(b.asOf);
    const last = await sql<{ member_id: string; on_date: string }>`
      select officer_id as member_id, max(held_on) as on_date from supervision_sessions
      where team_id = ${teamId} and held_on <= ${asOf} group by officer_id`.execute(db);
    const next = await sql<{ member_id: string; on_date: string }>`
      select substr(d.subject_key, length('supervision:') + 1) as member_id, min(d.due_on) as on_date
      from deadlines d
      where d.team_id = ${teamId} and d.kind = 'officer_supervision' and d.subject_key like 'supervision:%'
        and ${openAt(asOf, b.timeZone)}
      group by 1`.execute(db);
    return { last: last.rows, next: next.rows };
  }

  async function slice<T>(count: RawBuilder<{ total: Num }>, rows: RawBuilder<T>): Promise<{ items: T[]; total: number }> {
    const total = num((await count.execute(db)).rows[0]?.total);
    return { items: total === 0 ? [] : (await rows.execute(db)).rows, total };
  }

  const WITHOUT_SUPERVISOR = (teamId: string) => sql`
    from cases c left join members l on l.id = c.lead_officer_id
    where c.team_id = ${teamId} and c.status = 'active' and coalesce(c.supervisor_id, l.supervisor_member_id) is null`;
  const WITHOUT_DEADLINE = (teamId: string) => sql`
    from cases c left join members l on l.id = c.lead_officer_id
    where c.team_id = ${teamId} and c.status = 'active'
      and not exists (select 1 from deadlines d where d.case_id = c.id and d.status = 'open')`;
  const MAPPA_DUE = (teamId: string, until: IsoDate) => sql`
    from deadlines d join cases c on c.id = d.case_id left join members o on o.id = d.owner_member_id
    where d.team_id = ${teamId} and d.status = 'open' and d.kind = 'mappa_review' and d.due_on <= ${date(until)}`;
  const AWAITING = (teamId: string) => sql`
    from discussions d join cases c on c.id = d.case_id left join members l on l.id = c.lead_officer_id
    where d.team_id = ${teamId} and d.status in ('open', 'awaiting_decision')`;

  type CaseRow = { case_id: string; case_key: string; risk_level: RiskLevel; management_mode: string; lead_name: string | null };
  const toListedCase = (r: CaseRow): ListedCase => ({ caseId: r.case_id, caseKey: r.case_key, riskLevel: r.risk_level, managementMode: r.management_mode, leadOfficerName: r.lead_name });
  const CASE_COLUMNS = sql`c.id as case_id, c.case_key, c.risk_level, c.management_mode, l.display_name as lead_name`;

  type DeadlineRow = { deadline_id: string; kind: DeadlineKind; case_id: string | null; case_key: string | null; due_on: string; urgent: boolean; owner_name: string | null; mappa_level: number | null };
  const toListedDeadline = (r: DeadlineRow): ListedDeadline => ({
    deadlineId: r.deadline_id,
    kind: r.kind,
    caseId: r.case_id,
    caseKey: r.case_key,
    dueOn: r.due_on,
    urgent: r.urgent,
    ownerName: r.owner_name,
    mappaLevel: r.mappa_level,
  });
  const DEADLINE_COLUMNS = sql`d.id as deadline_id, d.kind, d.case_id, c.case_key, d.due_on, d.urgent, o.display_name as owner_name, c.mappa_level`;

  return {
    async counts(teamId, bounds) {
      const byMember = new Map<string, OfficerCounts>();
      const team = zeroCounts();
      const target = (row: Grouped): FigureCounts | undefined => {
        if (num(row.whole_team) === 1) return team;
        if (row.member_id === null) return undefined;
        let counts = byMember.get(row.member_id);
        if (!counts) {
          counts = emptyOfficerCounts(row.member_id);
          byMember.set(row.member_id, counts);
        }
        return counts;
      };
      for (const row of await caseCounts(teamId, bounds)) {
        const t = target(row);
        if (!t) continue;
        t.openCases = num(row.open_cases);
        t.risk = { low: num(row.low), medium: num(row.medium), high: num(row.high), very_high: num(row.very_high) };
        t.coveredCases = num(row.covered);
      }
      for (const row of await deadlineCounts(teamId, bounds)) {
        const t = target(row);
        if (!t) continue;
        t.openDeadlines = num(row.open_deadlines);
        t.overdueVisits = num(row.overdue_visits);
        t.overdueReviews = num(row.overdue_reviews);
        t.overdueMappa = num(row.overdue_mappa);
        t.overdueActions = num(row.overdue_actions);
        t.overdueAll = num(row.overdue_all);
        t.overdueUrgent = num(row.overdue_urgent);
        t.dueSoon = num(row.due_soon);
        t.actionsOpen = num(row.actions_open);
      }
      for (const row of await visitCounts(teamId, bounds)) {
        const t = target(row);
        if (!t) continue;
        t.seenVisits = num(row.seen_visits);
        t.strengthVisits = num(row.strength_visits);
      }
      if (bounds.periodFrom) {
        for (const row of await periodCounts(teamId, { ...bounds, periodFrom: bounds.periodFrom })) {
          const t = target(row);
          if (!t) continue;
          t.visitsDue = num(row.visits_due);
          t.visitsOnTime = num(row.visits_on_time);
          t.reviewsDue = num(row.reviews_due);
          t.reviewsOnTime = num(row.reviews_on_time);
        }
      }
      const { last, next } = await supervisionDates(teamId, bounds);
      for (const row of last) (target({ member_id: row.member_id, whole_team: 0 }) as OfficerCounts).lastSupervisionOn = row.on_date;
      for (const row of next) (target({ member_id: row.member_id, whole_team: 0 }) as OfficerCounts).nextSupervisionOn = row.on_date;
      return { byMember, team };
    },

    async weeks(teamId, timeZone, weeks, asOf) {
      if (weeks.length === 0) return [];
      const result = await sql<{ start_on: string; end_on: string; visits_due: Num; visits_done: Num; overdue: Num }>`
        with w as (select * from unnest(${weeks.map((x) => x.start)}::date[], ${weeks.map((x) => x.end)}::date[]) as w(start_on, end_on))
        select w.start_on, w.end_on,
          (select count(*) from deadlines d
            where d.team_id = ${teamId} and d.kind = 'visit' and d.due_on between w.start_on and w.end_on
              and ${localDate(sql`d.created_at`, timeZone)} <= ${date(asOf)}
              and not (d.status = 'cancelled' and ${localDate(sql`d.updated_at`, timeZone)} <= d.due_on)) as visits_due,
          (select count(*) from (${currentSeenVisits(teamId, sql`w.start_on`, sql`w.end_on`)}) v) as visits_done,
          (select count(*) from deadlines d
            where d.team_id = ${teamId} and d.due_on < w.end_on and ${openAt(sql`w.end_on`, timeZone)}) as overdue
        from w order by w.start_on`.execute(db);
      return result.rows.map((r): WeekCounts => ({ start: r.start_on, end: r.end_on, visitsDue: num(r.visits_due), visitsDone: num(r.visits_done), overdue: num(r.overdue) }));
    },

    async listCounts(teamId, mappaUntil) {
      const result = await sql<Record<'awaiting' | 'without_supervisor' | 'without_deadline' | 'mappa_due', Num>>`
        select (select count(*) ${AWAITING(teamId)}) as awaiting,
               (select count(*) ${WITHOUT_SUPERVISOR(teamId)}) as without_supervisor,
               (select count(*) ${WITHOUT_DEADLINE(teamId)}) as without_deadline,
               (select count(*) ${MAPPA_DUE(teamId, mappaUntil)}) as mappa_due`.execute(db);
      const row = result.rows[0];
      return {
        awaitingDecision: num(row?.awaiting),
        withoutSupervisor: num(row?.without_supervisor),
        withoutDeadline: num(row?.without_deadline),
        mappaDue: num(row?.mappa_due),
      };
    },

    async awaitingDecision(teamId, offset, limit) {
      type Row = { id: string; case_id: string; case_key: string; status: 'open' | 'awaiting_decision'; opened_at: Date; lead_name: string | null; link: string | null };
      const { items, total } = await slice(
        sql<{ total: Num }>`select count(*) as total ${AWAITING(teamId)}`,
        sql<Row>`select d.id, d.case_id, c.case_key, d.status, d.opened_at, l.display_name as lead_name, d.conversation_ref ->> 'link' as link
          ${AWAITING(teamId)} order by d.opened_at, c.case_key, d.id limit ${limit} offset ${offset}`,
      );
      return {
        total,
        items: items.map((r): WaitingDiscussion => ({ discussionId: r.id, caseId: r.case_id, caseKey: r.case_key, status: r.status, openedAt: new Date(r.opened_at), leadOfficerName: r.lead_name, link: r.link })),
      };
    },

    async withoutSupervisor(teamId, offset, limit) {
      const { items, total } = await slice(
        sql<{ total: Num }>`select count(*) as total ${WITHOUT_SUPERVISOR(teamId)}`,
        sql<CaseRow>`select ${CASE_COLUMNS} ${WITHOUT_SUPERVISOR(teamId)} order by c.case_key limit ${limit} offset ${offset}`,
      );
      return { total, items: items.map(toListedCase) };
    },

    async withoutDeadline(teamId, offset, limit) {
      const { items, total } = await slice(
        sql<{ total: Num }>`select count(*) as total ${WITHOUT_DEADLINE(teamId)}`,
        sql<CaseRow>`select ${CASE_COLUMNS} ${WITHOUT_DEADLINE(teamId)} order by c.case_key limit ${limit} offset ${offset}`,
      );
      return { total, items: items.map(toListedCase) };
    },

    async mappaDue(teamId, until, offset, limit) {
      const { items, total } = await slice(
        sql<{ total: Num }>`select count(*) as total ${MAPPA_DUE(teamId, until)}`,
        sql<DeadlineRow>`select ${DEADLINE_COLUMNS} ${MAPPA_DUE(teamId, until)} order by d.due_on, c.case_key limit ${limit} offset ${offset}`,
      );
      return { total, items: items.map(toListedDeadline) };
    },

    async overdueFor(memberId, asOf, offset, limit) {
      const where = sql`from deadlines d left join cases c on c.id = d.case_id left join members o on o.id = d.owner_member_id
        where d.owner_member_id = ${memberId} and d.status = 'open' and d.due_on < ${date(asOf)}`;
      const { items, total } = await slice(
        sql<{ total: Num }>`select count(*) as total ${where}`,
        sql<DeadlineRow>`select ${DEADLINE_COLUMNS} ${where} order by d.due_on, d.kind, c.case_key limit ${limit} offset ${offset}`,
      );
      return { total, items: items.map(toListedDeadline) };
    },

    async casesWithoutStrengths(teamId, officerId) {
      const result = await sql<{ case_id: string; case_key: string; lead_officer_id: string | null }>`
        with cur as (${currentSeenVisits(teamId, sql`'-infinity'::date`, sql`'infinity'::date`)}),
        ranked as (
          select case_id, ${STRENGTHS} as strengths,
                 row_number() over (partition by case_id order by visited_at desc, recorded_at desc, id) as n
          from cur
        )
        select c.id as case_id, c.case_key, c.lead_officer_id
        from cases c join ranked r on r.case_id = c.id and r.n <= 2
        where c.team_id = ${teamId} and c.status = 'active' ${officerId ? sql`and c.lead_officer_id = ${officerId}` : sql``}
        group by c.id, c.case_key, c.lead_officer_id
        having count(*) = 2 and not bool_or(r.strengths)
        order by c.case_key`.execute(db);
      return result.rows.map((r): CaseWithoutStrengths => ({ caseId: r.case_id, caseKey: r.case_key, leadOfficerId: r.lead_officer_id }));
    },
  };
}
