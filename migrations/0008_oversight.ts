/**
 * Migration 0008: what oversight figures need beyond the schema so far.
 *
 * - `deadlines.met_on`: the day an obligation was fulfilled (the visit's date, the assessment's
 *   date, the supervision session's date), which can be earlier than `met_at`, when it was
 *   recorded: a visit made on time and typed up two days later was still on time. Older rows keep
 *   null, and the figures fall back to `met_at` (docs/oversight.md, "fulfilled on").
 * - An index for reading a team's deadlines by due date whatever their status: the oversight
 *   report counts met and open deadlines due in a period, and the partial index of 0002 covers
 *   open ones only.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`alter table deadlines add column met_on date`,
  sql`create index deadlines_team_kind_due_idx on deadlines (team_id, kind, due_on)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
