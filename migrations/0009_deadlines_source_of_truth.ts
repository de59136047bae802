/**
 * Migration 0009: the deadlines table is the one source of truth for a case's due dates.
 *
 * The case row kept its own copy of the four due dates beside the `deadlines` rows reminders are
 * planned from, so the two could drift (a bulk recalculation, say, writing one and not the
 * other). The copies go; `cases_with_due_dates` reads each case with the due date of its open
 * deadline of each kind, and is what the application reads cases through. The view lists the
 * case columns by name, so a later column added to `cases` needs the view made again.
 *
 * `teams.recalculation_requested_at`: set when something changes every case's due dates (the
 * policy saved); a job recalculates the team's cases in batches off the request path and clears
 * it, unless it was set again meanwhile.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`create index deadlines_case_open_idx on deadlines (case_id, kind) where status = 'open'`,
  sql`alter table teams add column recalculation_requested_at timestamptz`,
  sql`alter table cases drop column visit_due_on, drop column assessment_review_due_on, drop column early_review_due_on, drop column mappa_review_due_on`,
  sql`create view cases_with_due_dates as
    select c.id, c.team_id, c.case_key, c.external_ref, c.risk_level, c.management_mode, c.lead_officer_id,
           c.supervisor_id, c.mappa_category, c.mappa_level, c.last_assessment_on, c.last_visit_on,
           c.last_mappa_review_on, c.plan_visit_interval_months, c.plan_review_interval_months, c.status,
           c.is_demo, c.created_on, c.created_at, c.updated_at,
           (select d.due_on from deadlines d where d.case_id = c.id and d.kind = 'visit' and d.status = 'open') as visit_due_on,
           (select d.due_on from deadlines d where d.case_id = c.id and d.kind = 'assessment_review' and d.status = 'open') as assessment_review_due_on,
           (select d.due_on from deadlines d where d.case_id = c.id and d.kind = 'early_review' and d.status = 'open') as early_review_due_on,
           (select d.due_on from deadlines d where d.case_id = c.id and d.kind = 'mappa_review' and d.status = 'open') as mappa_review_due_on
    from cases c`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only.');
}
