// The weekly oversight digest through the reminder pipeline's own ticks (plan, fold, deliver):
// exactly once per supervisor per ISO week, at their reminder time on the first working day of
// the week, moved to Tuesday by a bank-holiday Monday, and about their officers' figures.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../../../src/core/views/message-view.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { addDeadline, quietCase, reminderServices, seedReminderTeam, tick, type ReminderTeam } from '../../support/reminder-fixtures.ts';
import { createTestDb, DATABASE_KINDS } from '../../support/test-db.ts';

describe.each(DATABASE_KINDS)('weekly oversight digest on %s', (kind) => {
  let database: DatabaseHandle;
  let t: ReminderTeam;
  let services: ReturnType<typeof reminderServices>;

  beforeAll(async () => {
    database = await createTestDb(kind);
    t = await seedReminderTeam(database.db);
    // Olivia (supervised by Sam) has a home visit overdue since Wed 18 Nov (a week before Monday 23 Nov, it was not yet due).
    const id = await addDeadline(database.db, t, await quietCase(database.db, t), 'visit', '2026-11-18');
    // Oversight counts what existed on the day: date the row in the test's past, not the machine's.
    await sql`update deadlines set created_at = '2026-11-01T09:00:00Z' where id = ${id}`.execute(database.db);
    services = reminderServices(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  const digests = () => database.db.selectFrom('outbound_messages').select(['dedupe_key', 'for_date', 'status']).where('member_id', '=', t.supervisor.id).where('kind', '=', 'oversight-digest').orderBy('for_date').execute();
  const sentDigests = (): MessageView[] => services.notifier.deliveries.filter((d) => d.view.kind === 'oversight-digest').map((d) => d.view);

  it("is made once for the week, at the supervisor's reminder time on Monday, however often the pipeline runs", async () => {
    await tick(services, '2026-11-23T08:29:00Z');
    expect(await digests()).toEqual([]);
    await tick(services, '2026-11-23T08:31:00Z');
    await tick(services, '2026-11-23T08:32:00Z');
    await tick(services, '2026-11-24T08:31:00Z');
    await tick(services, '2026-11-27T08:31:00Z');
    expect(await digests()).toEqual([{ dedupe_key: `oversight-digest:${t.supervisor.id}:2026-W48`, for_date: '2026-11-23', status: 'sent' }]);
    const [view] = sentDigests();
    expect(sentDigests()).toHaveLength(1);
    // Nobody else gets one: Olivia is not a supervisor, Ada is an admin only.
    expect(services.notifier.deliveries.filter((d) => d.view.kind === 'oversight-digest' && d.to !== sentDeliveryTo(services, view!))).toEqual([]);
    const text = JSON.stringify(view);
    expect(view!.title).toBe('Your team this week');
    expect(text).toContain('Olivia Officer');
    expect(text).toContain('Olivia Officer has 1 overdue deadline');
    expect(view!.facts?.find((f) => f.label === 'Overdue deadlines')?.value).toBe('1 (up 1 since last week)');
  });

  it('comes again the next week, and after a bank-holiday Monday on the Tuesday', async () => {
    await tick(services, '2026-11-30T08:31:00Z');
    // Mon 28 Dec 2026 is the Boxing Day bank holiday (substitute day): nothing until Tuesday.
    await tick(services, '2026-12-28T08:31:00Z');
    expect((await digests()).map((d) => d.for_date)).toEqual(['2026-11-23', '2026-11-30']);
    await tick(services, '2026-12-29T08:31:00Z');
    await tick(services, '2026-12-30T08:31:00Z');
    expect((await digests()).map((d) => [d.dedupe_key.split(':').at(-1), d.for_date])).toEqual([
      ['2026-W48', '2026-11-23'],
      ['2026-W49', '2026-11-30'],
      ['2026-W53', '2026-12-29'],
    ]);
  });
});

/** Who the first digest went to (the fake notifier records the recipient). */
function sentDeliveryTo(services: ReturnType<typeof reminderServices>, view: MessageView): string {
  return services.notifier.deliveries.find((d) => d.view === view)!.to;
}
