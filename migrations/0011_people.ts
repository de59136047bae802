/**
 * Migration 0011: people from a file, linked to their chat accounts by email.
 *
 * `members.email` is how an imported person is matched (the import's key) and how they are linked
 * to a Slack or Teams account the first time that account talks to Casework or joins the team's
 * channel: it is unique per team, ignoring case. The platform user ids a file gives are kept on
 * the member (`*_user_id_on_file`) until that account is linked, and only ever linked when the
 * platform says the account has the same email.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`alter table members add column email text,
    add column slack_user_id_on_file text,
    add column teams_user_id_on_file text`,
  sql`create unique index members_team_email_uq on members (team_id, lower(email)) where email is not null`,
  sql`create index members_email_idx on members (lower(email)) where email is not null`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
