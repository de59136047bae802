/**
 * Migration 0012: a notice when who-is-who changes.
 *
 * A running server remembers, for a few seconds, which member and team a chat account acts as
 * (src/core/people/actor-cache.ts), so a burst of commands does not look the person up each time.
 * Any change to the tables that answer that question (teams, members, their chat accounts, team
 * closures), from any process, sends a `casework_people` notification when its transaction
 * commits; every server listening forgets what it remembered. One notice per statement, not per row.
 */
import { sql, type Kysely } from 'kysely';

const TABLES = ['teams', 'members', 'platform_identities', 'team_closures'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create function casework_people_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('casework_people', tg_table_name);
      return null;
    end
  $$`.execute(db);
  for (const table of TABLES) {
    await sql`create trigger ${sql.raw(`${table}_people_changed`)} after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function casework_people_changed()`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
