/**
 * The short lists behind oversight (docs/oversight.md, "The lists in chat"): discussions awaiting
 * a decision, cases without a supervisor or any open deadline, MAPPA reviews due, an officer's
 * overdue work, and cases with no strengths in their last two visits. Each is counted and paged
 * in the database.
 */
import { sql, type RawBuilder } from 'kysely';
import type { IsoDate } from '../../core/calendar/working-calendar.ts';
import type { RiskLevel } from '../../core/domain/vocabulary.ts';
import type { CaseWithoutStrengths, ListedCase, ListedDeadline, OversightReader, WaitingDiscussion } from '../../core/oversight/oversight-ports.ts';
import type { DeadlineKind } from '../../core/ports.ts';
import { currentSeenVisits, date, num, STRENGTHS, type Executor, type Num } from './kysely-oversight-sql.ts';

/** The list queries of the oversight reader. */
export type OversightLists = Pick<OversightReader, 'listCounts' | 'awaitingDecision' | 'withoutSupervisor' | 'withoutDeadline' | 'mappaDue' | 'overdueFor' | 'casesWithoutStrengths'>;

/** Oversight's lists over kysely; pass a transaction to take part in it. */
export function createKyselyOversightLists(db: Executor): OversightLists {
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
