import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import { noPacing } from '../../../src/core/reminders/deliver-outbox.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../../src/db/database.ts';
import { SLACK_WORKSPACE, seedTeam } from '../../support/factories.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

const COUNT = 1000;
const baseUrl = process.env.DATABASE_URL;

// Exactly-once across replicas needs real row locks: this suite runs on PostgreSQL only. CI sets
// DATABASE_URL, so it always runs there; locally it runs whenever DATABASE_URL is set.
describe.runIf(baseUrl)('two app instances on one PostgreSQL database', () => {
  const name = `cw_two_${process.pid}_${randomBytes(3).toString('hex')}`;
  let first: DatabaseHandle;
  let second: DatabaseHandle;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(baseUrl!);
    url.pathname = `/${name}`;
    first = await openDatabase({ url: url.toString() });
    second = await openDatabase({ url: url.toString() });
    await migrateToLatest(first.db);
  }, 60_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    await first?.close();
    await second?.close();
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }, 60_000);

  it(`sends each of ${COUNT} due reminders exactly once`, async () => {
    const db = first.db;
    const { team } = await seedTeam(db, { people: [] });
    // 1,000 officers on Slack, each with one visit due today (Wed 25 Nov 2026), set-based for speed.
    await sql`
      with m as (
        insert into members (team_id, display_name, roles)
        select ${team.id}, 'Officer ' || g, array['officer'] from generate_series(1, ${COUNT}) g
        returning id, display_name)
      , i as (
        insert into platform_identities (member_id, team_id, platform, workspace_id, user_id, linked_at)
        select m.id, ${team.id}, 'slack', ${SLACK_WORKSPACE}, 'U2I' || substr(md5(m.id::text), 1, 10), now() from m)
      insert into deadlines (team_id, kind, subject_key, owner_member_id, due_on)
      select ${team.id}, 'supervision_action', 'two:' || m.id, m.id, '2026-11-25' from m`.execute(db);

    const clock = fixedClock('2026-11-25T08:31:00Z');
    for (const database of [first, second]) {
      apps.push(await startTestApp({ database, overrides: { clock, scheduler: true, pacer: noPacing } }));
    }
    // Both replicas ticked at start-up; tick both together again, twice, as the cron would.
    for (let round = 0; round < 2; round += 1) await Promise.all(apps.map((a) => a.app.scheduler!.tick()));

    const posts = apps.flatMap((a) => a.slackApi.callsTo('chat.postMessage'));
    expect(posts).toHaveLength(COUNT);
    expect(new Set(posts.map((p) => p.args.channel)).size).toBe(COUNT);
    // Both replicas did part of the work.
    expect(apps.every((a) => a.slackApi.callsTo('chat.postMessage').length > 0)).toBe(true);
    const statuses = await sql<{ status: string; n: number }>`select status, count(*)::int as n from reminders group by status`.execute(db);
    expect(statuses.rows).toEqual([{ status: 'sent', n: COUNT }]);
    const outbox = await sql<{ status: string; n: number }>`select status, count(*)::int as n from outbound_messages group by status`.execute(db);
    expect(outbox.rows).toEqual([{ status: 'sent', n: COUNT }]);
  }, 120_000);
});
