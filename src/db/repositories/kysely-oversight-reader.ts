/**
 * Owns the SQL behind oversight's figures (docs/oversight.md): each is counted by PostgreSQL, per
 * officer and for the team in one pass (`grouping sets`), and only the counts come back; the
 * lists are in kysely-oversight-lists.ts and the shared pieces in kysely-oversight-sql.ts. The
 * definitions in docs/oversight.md and the statements here must say the same thing; the fixture
 * test (test/core/oversight/oversight-figures.test.ts) holds them to it.
 */
import { sql } from 'kysely';
import type { IsoDate } from '../../core/calendar/working-calendar.ts';
import type { RiskLevel } from '../../core/domain/vocabulary.ts';
import { emptyOfficerCounts, zeroCounts } from '../../core/oversight/oversight-figures.ts';
import type { FigureBounds, FigureCounts, OfficerCounts, OversightReader, WeekCounts } from '../../core/oversight/oversight-ports.ts';
import { createKyselyOversightLists } from './kysely-oversight-lists.ts';
import { currentSeenVisits, date, fulfilledOn, localDate, num, openAt, REVIEW_KINDS, STRENGTHS, type Executor, type Num } from './kysely-oversight-sql.ts';

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

  return {
    ...createKyselyOversightLists(db),
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

  };
}
