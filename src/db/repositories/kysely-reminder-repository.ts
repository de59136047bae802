/**
 * Owns the storage of the reminder pipeline: recipients, planned reminders, the outbox
 * (`outbound_messages`, claimed with FOR UPDATE SKIP LOCKED) and the deadline state reminders act
 * on (acknowledged, snoozed). Planning and folding SQL lives in kysely-reminder-planning.ts.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { IsoDate } from '../../core/calendar/working-calendar.ts';
import type { Role } from '../../core/domain/entities.ts';
import type { RiskLevel } from '../../core/domain/vocabulary.ts';
import type { Platform } from '../../core/interaction.ts';
import type { DeadlineKind, MessageRef } from '../../core/ports.ts';
import type { DeadlineItem, OutboxKind, OutboxMessage, ReminderRepository } from '../../core/reminders/reminder-ports.ts';
import type { Database, OutboundMessagesTable } from '../schema.ts';
import { foldDue, planTeam, tidyPending } from './kysely-reminder-planning.ts';

type Executor = Kysely<Database> | Transaction<Database>;
type OutboundRow = Selectable<OutboundMessagesTable>;

/** Maps an `outbound_messages` row to the core's OutboxMessage. */
export function toOutboxMessage(row: OutboundRow): OutboxMessage {
  return {
    id: row.id,
    teamId: row.team_id,
    memberId: row.member_id,
    kind: row.kind as OutboxKind,
    forDate: row.for_date,
    platform: row.platform,
    status: row.status,
    attempts: row.attempts,
    sendBefore: row.send_before === null ? null : new Date(row.send_before),
    payload: row.payload,
    platformRef: (row.platform_ref as MessageRef | null) ?? null,
    seq: Number(row.seq),
  };
}

interface ItemRow {
  deadline_id: string;
  subject_key: string;
  team_id: string;
  kind: string;
  case_key: string | null;
  risk_level: string | null;
  due_on: string;
  urgent: boolean;
  status: 'open' | 'met' | 'cancelled';
  owner_member_id: string | null;
  owner_name: string | null;
  snoozed_until: string | null;
  acknowledged_at: Date | null;
  stage: string | null;
  action_description: string | null;
  note_signed_at: Date | null;
  session_held_on: string | null;
  session_officer_name: string | null;
  officer_name: string | null;
}

function toItem(row: ItemRow): DeadlineItem {
  return {
    deadlineId: row.deadline_id,
    subjectKey: row.subject_key,
    teamId: row.team_id,
    kind: row.kind as DeadlineKind,
    caseKey: row.case_key,
    riskLevel: (row.risk_level as RiskLevel | null) ?? null,
    dueOn: row.due_on,
    urgent: row.urgent,
    status: row.status,
    ownerMemberId: row.owner_member_id,
    ownerName: row.owner_name,
    snoozedUntil: row.snoozed_until,
    acknowledged: row.acknowledged_at !== null,
    // Stored keys carry the due date ('before-3@2026-12-14'); views want the stage alone.
    stage: row.stage === null ? null : (row.stage.split('@')[0] ?? row.stage),
    actionDescription: row.action_description,
    actionFrom:
      row.note_signed_at !== null
        ? { kind: 'note', on: new Date(row.note_signed_at).toISOString().slice(0, 10) }
        : row.session_held_on !== null
          ? { kind: 'session', on: row.session_held_on, officerName: row.session_officer_name }
          : null,
    officerName: row.officer_name,
  };
}

const ITEM_COLUMNS = sql`d.id as deadline_id, d.subject_key, d.team_id, d.kind, c.case_key, c.risk_level, d.due_on, d.urgent, d.status,
  d.owner_member_id, o.display_name as owner_name, d.snoozed_until, d.acknowledged_at,
  a.description as action_description, coalesce(n.signed_at, n.created_at) as note_signed_at, s.held_on::text as session_held_on, so.display_name as session_officer_name,
  om.display_name as officer_name`;
// Supervision actions say what they are and where they came from; officer supervision names the
// officer. Both are found from the subject key (`action:<id>`, `supervision:<officer id>`).
const ITEM_JOINS = sql`left join cases c on c.id = d.case_id left join members o on o.id = d.owner_member_id
  left join supervision_actions a on d.kind = 'supervision_action' and a.id::text = substr(d.subject_key, 8)
  left join supervision_notes n on n.id = a.note_id
  left join supervision_sessions s on s.id = a.session_id left join members so on so.id = s.officer_id
  left join members om on d.kind = 'officer_supervision' and om.id::text = substr(d.subject_key, 13)`;

/** Reminder repository over kysely; pass a transaction to take part in it. */
export function createKyselyReminderRepository(db: Executor): ReminderRepository {
  const items = async (query: ReturnType<typeof sql<ItemRow>>): Promise<DeadlineItem[]> => (await query.execute(db)).rows.map(toItem);

  return {
    async recipients() {
      const result = await sql<{
        id: string; team_id: string; display_name: string; roles: string[]; reminder_time: string; time_zone: string | null;
        working_hours_start: string; working_hours_end: string; undeliverable_at: Date | null; platforms: string[] | null;
      }>`
        select m.id, m.team_id, m.display_name, m.roles, m.reminder_time, m.time_zone, m.working_hours_start,
               m.working_hours_end, m.undeliverable_at,
               (select array_agg(p.platform order by p.last_seen_at desc nulls last, p.linked_at desc nulls last)
                  from platform_identities p where p.member_id = m.id) as platforms
        from members m where m.active order by m.team_id, m.id`.execute(db);
      return result.rows.map((r) => ({
        memberId: r.id,
        teamId: r.team_id,
        displayName: r.display_name,
        roles: r.roles as Role[],
        reminderTime: r.reminder_time,
        timeZone: r.time_zone,
        workingHoursStart: r.working_hours_start,
        workingHoursEnd: r.working_hours_end,
        undeliverable: r.undeliverable_at !== null,
        platforms: [...new Set((r.platforms ?? []) as Platform[])],
      }));
    },

    async earliestOpenDue(teamId) {
      const row = await db
        .selectFrom('deadlines')
        .select((eb) => eb.fn.min('due_on').as('earliest'))
        .where('team_id', '=', teamId)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return (row?.earliest as IsoDate | null | undefined) ?? null;
    },

    plan: (teamId, stages, recipients) => planTeam(db, teamId, stages, recipients),
    tidyPending: () => tidyPending(db),
    fold: (now, candidates) => foldDue(db, now, candidates),

    async enqueue(m) {
      const result = await db
        .insertInto('outbound_messages')
        .values({
          ...(m.id ? { id: m.id } : {}),
          team_id: m.teamId,
          member_id: m.memberId,
          kind: m.kind,
          for_date: m.forDate,
          dedupe_key: m.dedupeKey,
          platform: m.platform,
          send_after: m.sendAfter,
          next_attempt_at: m.sendAfter,
          send_before: m.sendBefore,
          payload: m.payload ? JSON.stringify(m.payload) : null,
        })
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async claim(workerId, now, limit, staleBefore) {
      const result = await sql<OutboundRow>`
        update outbound_messages o
        set status = 'sending', claimed_by = ${workerId}, claimed_at = ${now.toISOString()}::timestamptz, attempts = o.attempts + 1
        where o.id in (
          select id from outbound_messages
          where (status = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz)
             or (status = 'sending' and claimed_at < ${staleBefore.toISOString()}::timestamptz)
          order by next_attempt_at, seq
          limit ${limit}
          for update skip locked)
        returning o.*`.execute(db);
      return result.rows.map(toOutboxMessage).sort((a, b) => a.seq - b.seq);
    },

    async claimIds(workerId, ids, now) {
      if (ids.length === 0) return [];
      const result = await sql<OutboundRow>`
        update outbound_messages o
        set status = 'sending', claimed_by = ${workerId}, claimed_at = ${now.toISOString()}::timestamptz, attempts = o.attempts + 1
        where o.id in (
          select id from outbound_messages where id = any(${[...ids]}::uuid[]) and status = 'pending'
          for update skip locked)
        returning o.*`.execute(db);
      return result.rows.map(toOutboxMessage);
    },

    async renewClaims(workerId, now) {
      await db.updateTable('outbound_messages').set({ claimed_at: now }).where('claimed_by', '=', workerId).where('status', '=', 'sending').execute();
    },

    async findByDedupeKey(dedupeKey) {
      const row = await db.selectFrom('outbound_messages').selectAll().where('dedupe_key', '=', dedupeKey).executeTakeFirst();
      return row ? toOutboxMessage(row) : undefined;
    },

    itemsOf: (outboxId) =>
      items(sql<ItemRow>`select ${ITEM_COLUMNS}, r.stage from reminders r join deadlines d on d.id = r.deadline_id ${ITEM_JOINS}
        where r.outbound_message_id = ${outboxId} order by d.due_on, d.kind, c.case_key`),

    supervisorScope: (teamId, supervisorId, until) =>
      items(sql<ItemRow>`select ${ITEM_COLUMNS}, null as stage from deadlines d ${ITEM_JOINS}
        where d.team_id = ${teamId} and d.status = 'open' and d.due_on <= ${until}::date
          and coalesce(c.supervisor_id, o.supervisor_member_id, ${supervisorId}::uuid) = ${supervisorId}::uuid
        order by d.due_on, d.kind, c.case_key limit 200`),

    openFor: (memberId) =>
      items(sql<ItemRow>`select ${ITEM_COLUMNS}, null as stage from deadlines d ${ITEM_JOINS}
        where d.owner_member_id = ${memberId} and d.status = 'open' order by d.due_on, d.kind, c.case_key`),

    async openForTeam(teamId) {
      const rows = await sql<ItemRow & { case_supervisor_id: string | null }>`select ${ITEM_COLUMNS}, null as stage, c.supervisor_id as case_supervisor_id
        from deadlines d ${ITEM_JOINS} where d.team_id = ${teamId} and d.status = 'open' order by d.due_on, d.kind, c.case_key`.execute(db);
      return rows.rows.map((r) => ({ ...toItem(r), caseSupervisorId: r.case_supervisor_id }));
    },

    async markSent(id, ref, at) {
      await db
        .updateTable('outbound_messages')
        .set({ status: 'sent', platform_ref: ref ? JSON.stringify(ref) : null, sent_at: at, last_error_code: null, claimed_by: null })
        .where('id', '=', id)
        .execute();
      await db.updateTable('reminders').set({ status: 'sent' }).where('outbound_message_id', '=', id).where('status', '=', 'pending').execute();
    },

    async retryLater(id, at, code, countsAsAttempt) {
      await db
        .updateTable('outbound_messages')
        .set((eb) => ({
          status: 'pending',
          next_attempt_at: at,
          last_error_code: code,
          claimed_by: null,
          ...(countsAsAttempt ? {} : { attempts: eb('attempts', '-', 1) }),
        }))
        .where('id', '=', id)
        .execute();
    },

    async markFailed(id, code) {
      await db.updateTable('outbound_messages').set({ status: 'failed', last_error_code: code }).where('id', '=', id).execute();
      await db.updateTable('reminders').set({ status: 'failed' }).where('outbound_message_id', '=', id).where('status', '=', 'pending').execute();
    },

    async drop(id, reason) {
      await db.updateTable('outbound_messages').set({ status: 'cancelled', last_error_code: reason }).where('id', '=', id).execute();
      // Never sent, so never "the same stage twice": planning may create them again.
      await db.deleteFrom('reminders').where('outbound_message_id', '=', id).where('status', '=', 'pending').execute();
    },

    async markUndeliverable(memberId, reason, at) {
      const result = await db
        .updateTable('members')
        .set({ undeliverable_at: at, undeliverable_reason: reason })
        .where('id', '=', memberId)
        .where('undeliverable_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async staleSent(limit) {
      const result = await sql<OutboundRow>`
        select o.* from outbound_messages o
        where o.status = 'sent' and o.platform_ref is not null
          and exists (select 1 from reminders r join deadlines d on d.id = r.deadline_id
                      where r.outbound_message_id = o.id and r.status = 'sent' and r.refreshed_at is null and d.status <> 'open')
        order by o.sent_at limit ${limit}`.execute(db);
      return result.rows.map(toOutboxMessage);
    },

    async markRefreshed(outboxId, at) {
      await sql`update reminders r set refreshed_at = ${at.toISOString()}::timestamptz from deadlines d
        where d.id = r.deadline_id and r.outbound_message_id = ${outboxId} and r.refreshed_at is null and d.status <> 'open'`.execute(db);
    },

    async findMessage(id) {
      const row = await db.selectFrom('outbound_messages').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toOutboxMessage(row) : undefined;
    },

    async findDeadline(id) {
      const rows = await items(sql<ItemRow>`select ${ITEM_COLUMNS}, null as stage from deadlines d ${ITEM_JOINS} where d.id = ${id}`);
      return rows[0];
    },

    async acknowledge(deadlineId, at) {
      await db.updateTable('deadlines').set({ acknowledged_at: at, updated_at: at }).where('id', '=', deadlineId).execute();
    },

    async snooze(deadlineId, until) {
      await db.updateTable('deadlines').set({ snoozed_until: until, updated_at: sql<Date>`now()` }).where('id', '=', deadlineId).execute();
    },
  };
}
