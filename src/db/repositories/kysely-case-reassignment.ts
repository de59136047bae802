/**
 * Owns moving a member's active cases to someone else (`CaseReassignment`): counting and paging
 * what they hold, and the move itself in a few set-based statements whatever the caseload's size,
 * so 90 cases cost the same handful of round trips as one. Run it in the change's transaction.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { CaseHold, CaseReassignment, HeldCase } from '../../core/teams/reassignment-ports.ts';
import type { RiskLevel } from '../../core/domain/vocabulary.ts';
import type { Database } from '../schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

const COLUMN: Record<CaseHold, 'lead_officer_id' | 'supervisor_id'> = { lead: 'lead_officer_id', supervisor: 'supervisor_id' };

function num(value: unknown): number {
  return Number(value ?? 0);
}

/** The case reassignment port over kysely; pass the transaction of the change. */
export function createKyselyCaseReassignment(db: Executor): CaseReassignment {
  return {
    async holds(teamId, memberId) {
      const { rows } = await sql<{ leads: string | number; supervises: string | number }>`
        select count(*) filter (where lead_officer_id = ${memberId}) as leads,
               count(*) filter (where supervisor_id = ${memberId}) as supervises
        from cases
        where team_id = ${teamId} and status = 'active' and (lead_officer_id = ${memberId} or supervisor_id = ${memberId})
      `.execute(db);
      return { leads: num(rows[0]?.leads), supervises: num(rows[0]?.supervises) };
    },

    async list(teamId, memberId, hold, options) {
      const column = sql.ref(COLUMN[hold]);
      const total = num(
        (await sql<{ total: string | number }>`select count(*) as total from cases where team_id = ${teamId} and status = 'active' and ${column} = ${memberId}`.execute(db)).rows[0]?.total,
      );
      if (total === 0) return { items: [], total };
      const after = options.afterKey ? sql`and case_key > ${options.afterKey}` : sql``;
      const { rows } = await sql<{ id: string; case_key: string; risk_level: RiskLevel }>`
        select id, case_key, risk_level from cases
        where team_id = ${teamId} and status = 'active' and ${column} = ${memberId} ${after}
        order by case_key limit ${options.limit}
      `.execute(db);
      const items: HeldCase[] = rows.map((r) => ({ id: r.id, key: r.case_key, riskLevel: r.risk_level }));
      return { items, total };
    },

    async move(teamId, input) {
      const column = sql.ref(COLUMN[input.hold]);
      const only = input.caseIds ? sql`and id = any(${[...input.caseIds]}::uuid[])` : sql``;
      const moved = (
        await sql<{ id: string; case_key: string }>`
          update cases set ${column} = ${input.toId}, updated_at = now()
          where team_id = ${teamId} and status = 'active' and ${column} = ${input.fromId} ${only}
          returning id, case_key
        `.execute(db)
      ).rows.sort((a, b) => a.case_key.localeCompare(b.case_key));
      if (moved.length === 0) return { cases: [], deadlines: 0, reminders: 0 };
      const ids = moved.map((m) => m.id);
      let deadlines = 0;
      if (input.hold === 'lead') {
        // The new lead cannot also be a co-worker of the same case.
        await sql`delete from case_coworkers where case_id = any(${ids}::uuid[]) and member_id = ${input.toId}`.execute(db);
        const owned = await sql`
          update deadlines set owner_member_id = ${input.toId}, updated_at = now()
          where case_id = any(${ids}::uuid[]) and status = 'open' and owner_member_id = ${input.fromId}
        `.execute(db);
        deadlines = num(owned.numAffectedRows);
      }
      // Reminders planned for the old holder and not yet in a digest go to the new one; where the
      // new holder already has the same stage of the same deadline, the old one is cancelled.
      const handed = await sql`
        update reminders r set recipient_member_id = ${input.toId}
        from deadlines d
        where d.id = r.deadline_id and d.case_id = any(${ids}::uuid[]) and d.status = 'open'
          and r.recipient_member_id = ${input.fromId} and r.status = 'pending' and r.outbound_message_id is null
          and not exists (select 1 from reminders n where n.deadline_id = r.deadline_id and n.stage = r.stage and n.recipient_member_id = ${input.toId})
      `.execute(db);
      await sql`
        update reminders r set status = 'cancelled'
        from deadlines d
        where d.id = r.deadline_id and d.case_id = any(${ids}::uuid[])
          and r.recipient_member_id = ${input.fromId} and r.status = 'pending' and r.outbound_message_id is null
      `.execute(db);
      return { cases: moved.map((m) => ({ id: m.id, key: m.case_key })), deadlines, reminders: num(handed.numAffectedRows) };
    },
  };
}
