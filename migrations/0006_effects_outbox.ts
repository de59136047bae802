/**
 * Migration 0006: the outbox carries chat effects as well as reminder messages.
 *
 * - `seq`: the order effects were added in. A unit of work's effects share one send time, and a
 *   thread reply must not overtake its discussion's root card, so claims order by `seq` after
 *   the send time.
 * - The claim index covers (next_attempt_at, seq), and leases are renewed by `claimed_by`.
 * - `platform_identities.chat_user_id`: the id a platform uses for a person inside conversations
 *   when it differs from the directory id (Teams `29:…`), so a card can be drawn for chosen
 *   people only (a discussion's supervisor buttons).
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`alter table outbound_messages add column seq bigint generated always as identity`,
  sql`drop index if exists outbound_messages_claim_idx`,
  sql`create index outbound_messages_claim_idx on outbound_messages (next_attempt_at, seq) where status in ('pending', 'sending')`,
  sql`create index outbound_messages_claimed_by_idx on outbound_messages (claimed_by) where status = 'sending'`,
  sql`alter table platform_identities add column chat_user_id text`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
