/**
 * Migration 0003: what the visit quick-update form needs beyond the base schema. Each visit row
 * keeps its visit date in the team's calendar and the case's last-visit date before the row was
 * written (so an amendment can recompute it exactly); rows are never updated in place, because
 * an amendment is a new version; and lookups by chain and by visit get their indexes.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`alter table visits add column visited_on date`,
  sql`alter table visits add column last_visit_on_before date`,
  sql`update visits set visited_on = (visited_at at time zone 'Europe/London')::date where visited_on is null`,
  sql`alter table visits alter column visited_on set not null`,
  sql`create index visits_original_idx on visits (original_visit_id) where original_visit_id is not null`,
  sql`create index change_events_visit_idx on change_events (visit_id) where visit_id is not null`,
  // A submitted visit is amended by a new version, never overwritten: the database refuses updates.
  sql`create function visits_are_not_updated() returns trigger language plpgsql as $$
    begin
      raise exception 'visits are never updated: record an amendment as a new version' using errcode = 'insufficient_privilege';
    end
  $$`,
  sql`create trigger visits_no_update before update on visits for each row execute function visits_are_not_updated()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
