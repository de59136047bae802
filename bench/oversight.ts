/**
 * Oversight report benchmark (`npm run bench:oversight`): a 1,000-case team made by a small
 * deterministic generator (below; no randomness, so every run sees the same rows), then
 * `casework report oversight` as the command does it (build the report in SQL, write the file,
 * audit it) for md, pdf and csv, over a 13-week period. Prints one row per database and format
 * and the total of the three, which must stay under 5 s on PostgreSQL. Databases: BENCH_KINDS
 * (default: postgres when DATABASE_URL is set, and pglite). BENCH_CASES changes the team's size.
 */
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import { writeOversightReport } from '../src/cli/report-command.ts';
import { REPORT_FORMATS } from '../src/core/oversight/oversight-report.ts';
import type { Database } from '../src/db/schema.ts';
import { seedTeam } from '../test/support/factories.ts';
import { createTestDb } from '../test/support/test-db.ts';

const CASES = Number(process.env.BENCH_CASES ?? '1000');
const CASELOAD = 50;
const FROM = '2026-09-01';
const TO = '2026-11-30';
const NOW = new Date('2026-11-30T10:00:00Z');
const kinds = (process.env.BENCH_KINDS ?? (process.env.DATABASE_URL ? 'postgres,pglite' : 'pglite')).split(',') as ('postgres' | 'pglite')[];

/**
 * A team of CASES cases, one officer per 50 and a supervisor per ten officers, with a year of
 * history: visit and review deadlines at each case's interval (most met around their due date,
 * some late, some still open), a visit for each met visit deadline (strengths noted in about
 * half), signed notes on a third of cases, four-weekly supervision sessions, and discussions.
 * Everything is derived from row numbers and hashes of ids, so the rows are the same every run.
 */
async function generate(db: Kysely<Database>): Promise<string> {
  const { team } = await seedTeam(db, { name: `Bench ${CASES}`, people: [] });
  const officers = Math.max(1, Math.ceil(CASES / CASELOAD));
  const supervisors = Math.max(1, Math.ceil(officers / 10));
  await sql`insert into members (team_id, display_name, roles) select ${team.id}, 'Supervisor ' || g, array['officer', 'supervisor'] from generate_series(1, ${supervisors}) g`.execute(db);
  await sql`
    with s as (select id, row_number() over (order by display_name) - 1 as k from members where team_id = ${team.id})
    insert into members (team_id, display_name, roles, supervisor_member_id)
    select ${team.id}, 'Officer ' || lpad(g::text, 3, '0'), array['officer'], s.id from generate_series(1, ${officers}) g join s on s.k = g % ${supervisors}`.execute(db);
  await sql`
    with o as (select id, row_number() over (order by display_name) - 1 as k from members where team_id = ${team.id} and not ('supervisor' = any(roles)))
    insert into cases (team_id, case_key, risk_level, lead_officer_id, mappa_level, created_on, status)
    select ${team.id}, 'CW-BN' || lpad(g::text, 4, '0'),
      case when g % 50 = 0 then 'very_high' when g % 50 < 10 then 'high' when g % 50 < 25 then 'medium' else 'low' end,
      case when g % 97 = 0 then null else o.id end,
      case when g % 25 = 0 then 2 end, date '2025-06-01',
      case when g % 200 = 0 then 'closed' else 'active' end
    from generate_series(1, ${CASES}) g join o on o.k = g % ${officers}`.execute(db);
  // Deadlines at each case's interval over the year to March 2027: met (on time or a few days
  // late) when due before the last week, open after; about one in twelve past ones still open.
  await sql`
    with c as (
      select id, case_key, team_id, lead_officer_id, abs(hashtext(case_key)) as h,
        case risk_level when 'very_high' then 30 when 'high' then 91 when 'medium' then 182 else 365 end as visit_days,
        case risk_level when 'very_high' then 91 when 'high' then 182 else 365 end as review_days
      from cases where team_id = ${team.id}
    ), d as (
      select c.id, c.team_id, c.lead_officer_id, c.h, k.kind, n, date '2025-12-01' + (c.h % k.days) + n * k.days as due_on
      from c cross join lateral (values ('visit', c.visit_days), ('assessment_review', c.review_days)) as k(kind, days)
      cross join lateral generate_series(0, 480 / k.days) as n
    )
    insert into deadlines (team_id, kind, subject_key, case_id, owner_member_id, due_on, status, met_at, met_on, created_at, updated_at)
    select team_id, kind, 'bench:' || id || ':' || kind || ':' || n, id, lead_officer_id, due_on,
      case when due_on < ${TO}::date - 7 and (h + n) % 12 <> 0 then 'met' else 'open' end,
      case when due_on < ${TO}::date - 7 and (h + n) % 12 <> 0 then (due_on + ((h + n) % 9 - 5))::timestamptz + interval '14 hours' end,
      case when due_on < ${TO}::date - 7 and (h + n) % 12 <> 0 then due_on + ((h + n) % 9 - 6) end,
      (due_on - 60)::timestamptz, now()
    from d where due_on - 60 <= ${TO}::date`.execute(db);
  await sql`
    insert into visits (case_id, version, visited_at, visited_on, visit_type, outcome, answers, recorded_by, recorded_at)
    select d.case_id, 1, d.met_on::timestamptz + interval '11 hours', d.met_on, 'scheduled',
      case when abs(hashtext(d.subject_key)) % 10 = 0 then 'no_reply' else 'seen_at_home' end,
      jsonb_build_object('officerIds', jsonb_build_array(d.owner_member_id),
        'protectiveNotes', case when abs(hashtext(d.subject_key || 's')) % 2 = 0 then '{"commitment_to_desist": "Noted"}'::jsonb else '{}'::jsonb end),
      d.owner_member_id, d.met_at
    from deadlines d where d.team_id = ${team.id} and d.kind = 'visit' and d.status = 'met' and d.owner_member_id is not null`.execute(db);
  await sql`
    insert into supervision_notes (case_id, author_id, status, decision, rationale, signed_at, content_sha256)
    select c.id, c.s, 'signed', 'Carry on.', 'Stable.', timestamptz '2026-06-01 10:00Z' + (abs(hashtext(c.case_key)) % 180) * interval '1 day', repeat('a', 64)
    from (select cases.id, cases.case_key, m.supervisor_member_id as s, row_number() over (order by case_key) as g from cases join members m on m.id = cases.lead_officer_id where cases.team_id = ${team.id}) c
    where c.g % 3 = 0`.execute(db);
  await sql`
    insert into supervision_sessions (team_id, supervisor_id, officer_id, held_on, cases_reviewed, next_session_on)
    select ${team.id}, m.supervisor_member_id, m.id, s.held_on,
      array(select id from cases where lead_officer_id = m.id and risk_level in ('very_high', 'high') order by case_key limit 3),
      s.held_on + 28
    from members m cross join lateral (select date '2025-12-01' + (abs(hashtext(m.display_name)) % 14) + 28 * n as held_on from generate_series(0, 12) n) s
    where m.team_id = ${team.id} and m.supervisor_member_id is not null and s.held_on <= ${TO}::date`.execute(db);
  await sql`
    insert into discussions (team_id, case_id, question, status, opened_at)
    select ${team.id}, id, 'What next?', case when g % 3 = 0 then 'awaiting_decision' when g % 3 = 1 then 'open' else 'decided' end, timestamptz '2026-11-01 10:00Z' + g * interval '6 hours'
    from (select id, row_number() over (order by case_key) as g from cases where team_id = ${team.id}) c where g % 20 = 0`.execute(db);
  await sql`analyze`.execute(db);
  return team.id;
}

async function count(db: Kysely<Database>, table: 'deadlines' | 'visits' | 'cases'): Promise<number> {
  return Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]?.n ?? 0);
}

const rows: Record<string, string | number>[] = [];
for (const kind of kinds) {
  const database = await createTestDb(kind);
  try {
    const teamId = await generate(database.db);
    const sizes = { cases: await count(database.db, 'cases'), deadlines: await count(database.db, 'deadlines'), visits: await count(database.db, 'visits') };
    const key = (await sql<{ team_key: string }>`select team_key from teams where id = ${teamId}`.execute(database.db)).rows[0]!.team_key;
    // One untimed run first, as a running process has its modules loaded and fonts parsed.
    await writeOversightReport(database.db, { team: key, from: FROM, to: TO, format: 'pdf' }, NOW, () => undefined);
    let total = 0;
    for (const format of REPORT_FORMATS) {
      const started = performance.now();
      const written = await writeOversightReport(database.db, { team: key, from: FROM, to: TO, format }, NOW, () => undefined);
      const ms = Math.round(performance.now() - started);
      total += ms;
      rows.push({ database: kind, format, ms, bytes: written.bytes, officers: written.officers, ...sizes });
    }
    rows.push({ database: kind, format: 'all three', ms: total, bytes: '', officers: '', ...sizes });
  } finally {
    await database.close();
  }
}
console.table(rows);
const pg = rows.find((r) => r.database === 'postgres' && r.format === 'all three');
if (pg) console.log(`PostgreSQL, md + pdf + csv for ${CASES} cases: ${pg.ms} ms (target: under 5000 ms)`);
