/**
 * Migration 0004: what case discussions and supervision need beyond the base schema — a record of
 * thread replies that were refused (author not on the roster), so a retried event never tells the
 * author twice; and a signed supervision note locked against
 * updates in the database itself, not only in code (deletion stays possible for erasure under the
 * retention schedule).
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  // No message text is kept for a refused reply: only that it happened, and who sent it.
  sql`create table discussion_refused_replies (
    discussion_id uuid not null references discussions (id) on delete cascade,
    platform_message_id text not null,
    platform_user_id text not null,
    refused_at timestamptz not null,
    primary key (discussion_id, platform_message_id)
  )`,
  sql`create index supervision_notes_discussion_idx on supervision_notes (discussion_id)`,
  sql`create index supervision_actions_note_idx on supervision_actions (note_id)`,
  sql`create index supervision_sessions_officer_idx on supervision_sessions (officer_id, held_on)`,
  sql`create function supervision_note_is_locked() returns trigger language plpgsql as $$
    begin
      if old.status = 'signed' then
        raise exception 'supervision note % is signed and locked: add an addendum instead', old.id using errcode = 'insufficient_privilege';
      end if;
      return new;
    end
  $$`,
  sql`create trigger supervision_notes_locked before update on supervision_notes
      for each row execute function supervision_note_is_locked()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
