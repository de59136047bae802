/**
 * Migration 0010: what a complete, disclosable case record needs.
 *
 * - `assessments.management_mode`: the management the assessment set (active or reactive), so the
 *   record shows every answer of the assessment form, not only the risk level.
 * - `mappa_reviews`: a MAPPA review recorded in Casework (date, level, outcome, next review); one
 *   closes the case's open `mappa_review` deadline.
 * - `record_downloads`: one-time links to a record file, for Teams clients that cannot take a
 *   file in chat. The link's token is kept only as its SHA-256; the file is kept until the link is
 *   used or expires, then cleared.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`alter table assessments add column management_mode text check (management_mode in ('active', 'reactive'))`,
  sql`create table mappa_reviews (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id) on delete cascade,
    reviewed_on date not null,
    level smallint not null check (level in (1, 2, 3)),
    outcome text not null,
    next_review_on date,
    recorded_by uuid references members (id),
    recorded_at timestamptz not null default now()
  )`,
  sql`create index mappa_reviews_case_idx on mappa_reviews (case_id, reviewed_on)`,
  sql`create table record_downloads (
    id uuid primary key default gen_random_uuid(),
    token_sha256 text not null unique,
    team_id uuid not null references teams (id) on delete cascade,
    member_id uuid not null references members (id),
    case_id uuid not null references cases (id) on delete cascade,
    filename text not null,
    media_type text not null,
    content bytea,
    sha256 text not null,
    expires_at timestamptz not null,
    used_at timestamptz,
    created_at timestamptz not null default now()
  )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
