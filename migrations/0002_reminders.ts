/**
 * Migration 0002: what the reminder pipeline needs beyond the base schema — a closing time and a
 * payload on outbound messages, a mark on reminders whose sent message has been brought up to
 * date, and the indexes planning, folding and claiming read by.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  // A digest not sent by the end of the member's working hours is dropped, never sent at night.
  sql`alter table outbound_messages add column send_before timestamptz`,
  // Data a notice needs that has no row of its own (which member could not be reached, and why).
  sql`alter table outbound_messages add column payload jsonb`,
  // Set once the message this reminder went out in has been updated to show the deadline closed.
  sql`alter table reminders add column refreshed_at timestamptz`,
  sql`create index deadlines_team_open_idx on deadlines (team_id, due_on) where status = 'open'`,
  sql`create index reminders_recipient_pending_idx on reminders (recipient_member_id) where status = 'pending'`,
  sql`create index reminders_outbound_idx on reminders (outbound_message_id) where outbound_message_id is not null`,
  sql`create index reminders_sent_unrefreshed_idx on reminders (deadline_id) where status = 'sent' and refreshed_at is null`,
  sql`create index outbound_messages_claim_idx on outbound_messages (next_attempt_at) where status in ('pending', 'sending')`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
