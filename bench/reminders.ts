/**
 * Reminder pipeline benchmark (`npm run bench:reminders`). For each database and size it generates
 * N cases (risk mix 2% very high, 18% high, 30% medium, 50% low; two deadlines each), times planning
 * (the pipeline's own set-based INSERT … SELECT) against a bare INSERT … SELECT over the same rows
 * in the same run, and records memory. The once-per-process start-up cost (bank holidays, time-zone
 * data), which the scheduler pays at start-up, is timed and printed on its own row first. Then it
 * times delivery to the loopback fake Slack API with its per-channel rate limiter on. Sizes: BENCH_SIZES (default 10000, which finishes in about a minute on
 * two cores; 10000,100000 is the full set); BENCH_MILLION=1 adds 1,000,000 on PostgreSQL only;
 * BENCH_KINDS=postgres,pglite picks databases (PostgreSQL needs DATABASE_URL); BENCH_DELIVERIES sets the delivery run.
 */
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import { createSlackNotifier, proactiveSlackClient } from '../src/adapters/slack/slack-notifier.ts';
import { warmWorkingCalendar } from '../src/core/calendar/working-calendar.ts';
import { fixedClock } from '../src/core/clock.ts';
import { deliverOutbox } from '../src/core/reminders/deliver-outbox.ts';
import { planReminders } from '../src/core/reminders/plan-reminders.ts';
import { planRecipients, stageTable } from '../src/core/reminders/reminder-schedule.ts';
import type { DatabaseHandle } from '../src/db/database.ts';
import { createKyselyStore, reposFor } from '../src/db/kysely-store.ts';
import type { Database } from '../src/db/schema.ts';
import { createPacer, DEFAULT_RATES } from '../src/scheduler/pacer.ts';
import { seedTeam, SLACK_WORKSPACE } from '../test/support/factories.ts';
import { startFakeSlackApi } from '../test/support/fake-slack-api.ts';
import { createTestDb } from '../test/support/test-db.ts';

const NOW = new Date('2026-11-25T08:31:00Z');
const TODAY = '2026-11-25';
const CASELOAD = 50;
const sizes = (process.env.BENCH_SIZES ?? '10000').split(',').map(Number).filter((n) => n > 0);
const million = process.env.BENCH_MILLION === '1';
const deliveries = Number(process.env.BENCH_DELIVERIES ?? '200');

type Row = Record<string, string | number>;
const rows: Row[] = [];
const mb = () => Math.round(process.memoryUsage().rss / 1e6);

/** A fresh, migrated database of the kind: the same helper the tests use (PostgreSQL needs DATABASE_URL). */
const open = (kind: 'pglite' | 'postgres'): Promise<DatabaseHandle> => createTestDb(kind);

/** N cases led by N/50 officers, each with a visit and an assessment review spread around today. */
async function generate(db: Kysely<Database>, n: number): Promise<string> {
  const { team } = await seedTeam(db, { people: [] });
  const officers = Math.max(1, Math.ceil(n / CASELOAD));
  await sql`insert into members (team_id, display_name, roles) select ${team.id}, 'Officer ' || g, array['officer'] from generate_series(1, ${officers}) g`.execute(db);
  await sql`
    with o as (select id, row_number() over (order by id) - 1 as k from members where team_id = ${team.id})
    insert into cases (team_id, case_key, risk_level, lead_officer_id, created_on)
    select ${team.id}, 'CW-B' || g,
      case when g % 50 = 0 then 'very_high' when g % 50 < 10 then 'high' when g % 50 < 25 then 'medium' else 'low' end,
      o.id, date '2025-01-06'
    from generate_series(1, ${n}) g join o on o.k = g % ${officers}`.execute(db);
  await sql`
    insert into deadlines (team_id, kind, subject_key, case_id, owner_member_id, due_on)
    select c.team_id, k.kind, 'case:' || c.id || ':' || k.kind, c.id, c.lead_officer_id,
      ${TODAY}::date + ((abs(hashtext(c.id::text || k.kind)) % 400) - 100)
    from cases c cross join (values ('visit'), ('assessment_review')) k(kind) where c.team_id = ${team.id}`.execute(db);
  await sql`analyze`.execute(db);
  return team.id;
}

async function time<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: Math.round(performance.now() - started), value };
}

async function planning(kind: 'pglite' | 'postgres', n: number): Promise<void> {
  const handle = await open(kind);
  try {
    const db = handle.db;
    const gen = await time(() => generate(db, n));
    const repos = reposFor(db);
    const teamId = gen.value;
    const team = (await repos.teams.findById(teamId))!;
    const members = (await repos.reminders.recipients()).filter((r) => r.teamId === teamId);
    const before = mb();
    // The pipeline's planning step for the team, exactly as planReminders runs it.
    const plan = await time(async () => {
      const earliest = (await repos.reminders.earliestOpenDue(teamId))!;
      return repos.reminders.plan(teamId, stageTable(team, TODAY, earliest), planRecipients(team, members, NOW));
    });
    const again = await time(async () => {
      const earliest = (await repos.reminders.earliestOpenDue(teamId))!;
      return repos.reminders.plan(teamId, stageTable(team, TODAY, earliest), planRecipients(team, members, NOW));
    });
    await sql`create table bench_baseline (deadline_id uuid, stage text, recipient uuid, planned_for date, send_after timestamptz, unique (deadline_id, stage, recipient))`.execute(db);
    const baseline = await time(() =>
      sql`insert into bench_baseline select d.id, 'due', d.owner_member_id, ${TODAY}::date, now() from deadlines d
          where d.team_id = ${teamId} and d.status = 'open' on conflict do nothing`.execute(db),
    );
    const fold = await time(() => planReminders({ store: createKyselyStore(db), clock: fixedClock(NOW) }, NOW));
    rows.push({
      db: kind,
      cases: n,
      'generate ms': gen.ms,
      'plan ms': plan.ms,
      planned: plan.value,
      'replan ms (no-op)': again.ms,
      'baseline ms': baseline.ms,
      'plan/baseline': (plan.ms / Math.max(1, baseline.ms)).toFixed(2),
      'fold ms': fold.ms,
      digests: fold.value.messages,
      'rss MB': `${before}→${mb()}`,
    });
    console.log(rows.at(-1));
  } finally {
    await handle.close();
  }
}

async function delivery(): Promise<void> {
  const fake = await startFakeSlackApi({ rateLimit: { perChannelPerSecond: 1, burst: 1 } });
  const handle = await open('pglite');
  try {
    const db = handle.db;
    const { team } = await seedTeam(db, { people: [] });
    await sql`
      with m as (insert into members (team_id, display_name, roles)
                 select ${team.id}, 'Officer ' || g, array['officer'] from generate_series(1, ${deliveries}) g returning id)
      , i as (insert into platform_identities (member_id, team_id, platform, workspace_id, user_id, linked_at)
              select m.id, ${team.id}, 'slack', ${SLACK_WORKSPACE}, 'U' || substr(md5(m.id::text), 1, 10), now() from m)
      insert into deadlines (team_id, kind, subject_key, owner_member_id, due_on)
      select ${team.id}, 'supervision_action', 'bench:' || m.id, m.id, ${TODAY}::date from m`.execute(db);
    const services = { store: createKyselyStore(db), clock: fixedClock(NOW), notifier: createSlackNotifier(proactiveSlackClient('xoxb-bench', fake.url)) };
    await planReminders(services, NOW);
    const run = await time(() => deliverOutbox(services, NOW, { workerId: 'bench', pacer: createPacer(), maxBatches: 1000 }));
    const rate = run.value.sent / (run.ms / 1000);
    const permitted = DEFAULT_RATES.slack.perSecond;
    rows.push({ db: 'delivery (pglite → fake Slack)', cases: deliveries, sent: run.value.sent, ms: run.ms, 'msgs/s': rate.toFixed(1), 'paced rate/s': permitted, '% of pace': `${Math.round((100 * rate) / permitted)}%`, '429s': fake.rateLimited, retried: run.value.retried });
    console.log(rows.at(-1));
  } finally {
    await handle.close();
    await fake.close();
  }
}

// One-off start-up cost, timed and reported on its own: bank holidays and time-zone data load the
// first time any planning runs in a process. The scheduler pays it at start-up (startReminderJobs
// calls the same warmWorkingCalendar), so the planning runs below are timed as every tick after.
const warm = await time(async () => warmWorkingCalendar(NOW));
rows.push({ db: 'start-up (once per process: holidays, time zones)', ms: warm.ms });
console.log(rows.at(-1));

const kinds = (process.env.BENCH_KINDS ?? (process.env.DATABASE_URL ? 'postgres,pglite' : 'pglite')).split(',') as ('pglite' | 'postgres')[];
for (const n of sizes) for (const kind of kinds) await planning(kind, n);
if (million && process.env.DATABASE_URL) await planning('postgres', 1_000_000);
await delivery();
console.table(rows);
