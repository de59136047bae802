/**
 * Migration 0005: per-row work that reminder planning paid for nothing. Planning inserts thousands
 * of reminder rows a day, and each row paid for every foreign-key check and index on the table.
 *
 * - `reminders.team_id` referenced `teams`: redundant. Planning copies it from the reminder's own
 *   deadline (`deadlines.team_id`), and deleting a team already removes its reminders through
 *   deadlines (`deadlines.team_id … on delete cascade` → `reminders.deadline_id … on delete
 *   cascade`). The check cost a key-share lookup of the team row per inserted reminder. The
 *   column stays; only the constraint goes.
 * - `reminders_pending_idx (status, send_after)`: no query reads reminders by send time without a
 *   recipient; pending reminders are found through `reminders_recipient_pending_idx` (partial,
 *   `where status = 'pending'`, 0002), which covers every pending row.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`alter table reminders drop constraint if exists reminders_team_id_fkey`,
  sql`drop index if exists reminders_pending_idx`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
