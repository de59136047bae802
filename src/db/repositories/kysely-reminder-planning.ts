/**
 * Owns the set-based SQL of reminder planning and folding: one `INSERT … SELECT … ON CONFLICT DO
 * NOTHING` per team plans every (deadline, stage, recipient); one statement per message kind folds
 * due reminders into outbox rows under dedupe keys. Safe to run on several replicas at once.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { FoldCandidate, PlanRecipient, StageRow } from '../../core/reminders/reminder-ports.ts';
import type { Database } from '../schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

const iso = (d: Date): string => d.toISOString();

/**
 * Plans a team's reminders. `stages` maps (recipient's today, due date) to today's stage; the
 * owner gets that stage (or a snooze's own stage on the day a snooze ends), the supervisor one
 * `escalated` row once the stage escalates. Stage keys carry the due date, so a deadline whose due
 * date moves is reminded about afresh, and never twice for the same stage of the same date.
 */
export async function planTeam(db: Executor, teamId: string, stages: readonly StageRow[], recipients: readonly PlanRecipient[]): Promise<number> {
  if (stages.length === 0 || recipients.length === 0) return 0;
  const stageRows = sql`unnest(${stages.map((s) => s.today)}::date[], ${stages.map((s) => s.dueOn)}::date[],
    ${stages.map((s) => s.stage)}::text[], ${stages.map((s) => s.escalate)}::boolean[]) as s(today, due_on, stage, escalate)`;
  const recipientRows = sql`unnest(${recipients.map((r) => r.memberId)}::uuid[], ${recipients.map((r) => r.today)}::date[],
    ${recipients.map((r) => iso(r.sendAfter))}::timestamptz[], ${recipients.map((r) => iso(r.startAt))}::timestamptz[])
    as r(member_id, today, send_after, start_at)`;
  // Deadlines are joined to today's stage first, once (`ds`, materialised), and only then to
  // recipients: the owner directly, the supervisor through the case or owner. Letting the planner
  // start from stages × recipients (it guesses both small) built a cross product of every due date
  // with every member, about a million rows per 10,000 cases, before the supervisor filter.
  // The statement starts with INSERT (its WITH inside) so both dialects report the rows inserted.
  const result = await sql`
    insert into reminders (deadline_id, team_id, recipient_member_id, stage, planned_for, send_after)
    with ds as materialized (
      select d.id, d.team_id, d.due_on, d.urgent, d.snoozed_until, d.acknowledged_at, d.owner_member_id, d.case_id,
             s.today, s.stage, s.escalate
      from deadlines d
      join ${stageRows} on s.due_on = d.due_on
      where d.team_id = ${teamId} and d.status = 'open'
    ), esc as materialized (
      select ds.id, ds.team_id, ds.due_on, ds.urgent, ds.owner_member_id, ds.today,
             coalesce(c.supervisor_id, o.supervisor_member_id) as supervisor_id
      from ds
      left join cases c on c.id = ds.case_id
      left join members o on o.id = ds.owner_member_id
      where ds.escalate
    ), r as materialized (select * from ${recipientRows})
    select ds.id, ds.team_id, r.member_id,
      case when ds.snoozed_until = ds.today then 'snoozed-' || to_char(ds.today, 'YYYY-MM-DD') else ds.stage end
        || '@' || to_char(ds.due_on, 'YYYY-MM-DD'),
      ds.today, r.send_after
    from ds
    join r on r.member_id = ds.owner_member_id and r.today = ds.today
    where (ds.snoozed_until is null or ds.snoozed_until <= ds.today)
      and not (ds.acknowledged_at is not null and ds.stage like 'before-%')
    union all
    select e.id, e.team_id, r.member_id, 'escalated@' || to_char(e.due_on, 'YYYY-MM-DD'), e.today,
      case when e.urgent then r.start_at else r.send_after end
    from esc e
    join r on r.member_id = e.supervisor_id and r.today = e.today
    where r.member_id is distinct from e.owner_member_id
    on conflict (deadline_id, stage, recipient_member_id) do nothing
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Cancels pending reminders nobody should get any more (deadline closed; owner's reminder while
 * snoozed; an early reminder once acknowledged) and supersedes older stages by newer ones, so a
 * digest carries each deadline once, at its latest stage.
 */
export async function tidyPending(db: Executor): Promise<number> {
  const cancelled = await sql`
    update reminders r set status = 'cancelled'
    from deadlines d
    where d.id = r.deadline_id and r.status = 'pending' and r.outbound_message_id is null
      and (d.status <> 'open'
        or (r.stage not like 'escalated%' and d.snoozed_until > r.planned_for)
        or (r.stage like 'before-%' and d.acknowledged_at is not null))
  `.execute(db);
  const superseded = await sql`
    update reminders r set status = 'superseded'
    where r.status = 'pending' and r.outbound_message_id is null
      and exists (select 1 from reminders n
                  where n.deadline_id = r.deadline_id and n.recipient_member_id = r.recipient_member_id
                    and n.planned_for > r.planned_for)
  `.execute(db);
  return Number(cancelled.numAffectedRows ?? 0) + Number(superseded.numAffectedRows ?? 0);
}

function candidatesTable(candidates: readonly FoldCandidate[]) {
  return sql`unnest(${candidates.map((c) => c.memberId)}::uuid[], ${candidates.map((c) => c.today)}::date[],
    ${candidates.map((c) => c.platform)}::text[], ${candidates.map((c) => iso(c.sendBefore))}::timestamptz[],
    ${candidates.map((c) => c.morning)}::boolean[], ${candidates.map((c) => c.supervisor)}::boolean[],
    ${candidates.map((c) => c.weekEnd)}::date[], ${candidates.map((c) => c.waitingSince)}::date[], ${candidates.map((c) => c.weekStart)}::boolean[])
    as c(member_id, today, platform, send_before, morning, supervisor, week_end, waiting_since, week_start)`;
}

async function count(db: Executor, query: RawBuilder<{ messages: number }>): Promise<number> {
  const result = await query.execute(db);
  return Number(result.rows[0]?.messages ?? 0);
}

/**
 * Folds due reminders into outbox rows: each member's morning digest, each supervisor's team
 * digest (with the escalations that are not urgent), and one message at once per urgent
 * escalation. Each message is inserted once under its dedupe key and only the statement that
 * inserted it attaches reminders, so replicas folding together never share or lose an item.
 */
export async function foldDue(db: Executor, now: Date, candidates: readonly FoldCandidate[]): Promise<number> {
  if (candidates.length === 0) return 0;
  const at = iso(now);
  const digests = sql<{ messages: number }>`
    with ins as (
      insert into outbound_messages (team_id, member_id, kind, for_date, dedupe_key, platform, send_after, next_attempt_at, send_before)
      select m.team_id, c.member_id, 'digest', c.today, 'digest:' || c.member_id || ':' || to_char(c.today, 'YYYY-MM-DD'),
             c.platform, ${at}::timestamptz, ${at}::timestamptz, c.send_before
      from ${candidatesTable(candidates)}
      join members m on m.id = c.member_id
      where c.morning and exists (
        select 1 from reminders r
        where r.recipient_member_id = c.member_id and r.status = 'pending' and r.outbound_message_id is null
          and r.send_after <= ${at}::timestamptz and r.stage not like 'escalated%')
      on conflict (dedupe_key) do nothing
      returning id, member_id
    ), linked as (
      update reminders r set outbound_message_id = ins.id from ins
      where r.recipient_member_id = ins.member_id and r.status = 'pending' and r.outbound_message_id is null
        and r.send_after <= ${at}::timestamptz and r.stage not like 'escalated%'
      returning r.id
    )
    select (select count(*) from ins) as messages, (select count(*) from linked) as items`;
  const supervisorDigests = sql<{ messages: number }>`
    with ins as (
      insert into outbound_messages (team_id, member_id, kind, for_date, dedupe_key, platform, send_after, next_attempt_at, send_before, payload)
      select m.team_id, c.member_id, 'supervisor-digest', c.today,
             'supervisor-digest:' || c.member_id || ':' || to_char(c.today, 'YYYY-MM-DD'),
             c.platform, ${at}::timestamptz, ${at}::timestamptz, c.send_before,
             jsonb_build_object('weekEnd', to_char(c.week_end, 'YYYY-MM-DD'), 'waitingSince', to_char(c.waiting_since, 'YYYY-MM-DD'))
      from ${candidatesTable(candidates)}
      join members m on m.id = c.member_id
      where c.morning and c.supervisor and (
        exists (select 1 from reminders r join deadlines d on d.id = r.deadline_id
                where r.recipient_member_id = c.member_id and r.status = 'pending' and r.outbound_message_id is null
                  and r.stage like 'escalated%' and not d.urgent and r.send_after <= ${at}::timestamptz)
        or exists (select 1 from deadlines d
                   left join cases k on k.id = d.case_id
                   left join members o on o.id = d.owner_member_id
                   where d.team_id = m.team_id and d.status = 'open' and d.due_on <= c.week_end
                     and coalesce(k.supervisor_id, o.supervisor_member_id, c.member_id) = c.member_id)
        or exists (select 1 from discussions x
                   join cases k on k.id = x.case_id
                   join teams t on t.id = x.team_id
                   left join members o on o.id = k.lead_officer_id
                   where x.team_id = m.team_id and x.status in ('open', 'awaiting_decision')
                     and (x.opened_at at time zone t.time_zone)::date <= c.waiting_since
                     and coalesce(k.supervisor_id, o.supervisor_member_id, c.member_id) = c.member_id))
      on conflict (dedupe_key) do nothing
      returning id, member_id
    ), linked as (
      update reminders r set outbound_message_id = ins.id from ins, deadlines d
      where d.id = r.deadline_id and not d.urgent
        and r.recipient_member_id = ins.member_id and r.status = 'pending' and r.outbound_message_id is null
        and r.send_after <= ${at}::timestamptz and r.stage like 'escalated%'
      returning r.id
    )
    select (select count(*) from ins) as messages, (select count(*) from linked) as items`;
  const escalations = sql<{ messages: number }>`
    with ins as (
      insert into outbound_messages (team_id, member_id, kind, for_date, dedupe_key, platform, send_after, next_attempt_at, send_before)
      select r.team_id, c.member_id, 'escalation', c.today, 'escalation:' || r.id, c.platform,
             ${at}::timestamptz, ${at}::timestamptz, c.send_before
      from ${candidatesTable(candidates)}
      join reminders r on r.recipient_member_id = c.member_id
      join deadlines d on d.id = r.deadline_id
      where r.status = 'pending' and r.outbound_message_id is null and r.stage like 'escalated%'
        and d.urgent and r.send_after <= ${at}::timestamptz
      on conflict (dedupe_key) do nothing
      returning id, dedupe_key
    ), linked as (
      update reminders r set outbound_message_id = ins.id from ins
      where ins.dedupe_key = 'escalation:' || r.id and r.outbound_message_id is null
      returning r.id
    )
    select (select count(*) from ins) as messages, (select count(*) from linked) as items`;
  // A supervisor's weekly oversight digest: one per ISO week (the dedupe key), made on the first
  // working day of the week at their reminder time, so a bank-holiday Monday moves it to Tuesday.
  // It has no reminders: it is drawn from the oversight figures when sent.
  const weekly = sql<{ messages: number }>`
    with ins as (
      insert into outbound_messages (team_id, member_id, kind, for_date, dedupe_key, platform, send_after, next_attempt_at, send_before, payload)
      select m.team_id, c.member_id, 'oversight-digest', c.today,
             'oversight-digest:' || c.member_id || ':' || to_char(c.today, 'IYYY-"W"IW'),
             c.platform, ${at}::timestamptz, ${at}::timestamptz, c.send_before,
             jsonb_build_object('week', to_char(c.today, 'IYYY-"W"IW'))
      from ${candidatesTable(candidates)}
      join members m on m.id = c.member_id
      where c.morning and c.supervisor and c.week_start
      on conflict (dedupe_key) do nothing
      returning id
    )
    select count(*) as messages from ins`;
  return (await count(db, digests)) + (await count(db, supervisorDigests)) + (await count(db, escalations)) + (await count(db, weekly));
}
