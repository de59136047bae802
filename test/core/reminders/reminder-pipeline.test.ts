import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarDays } from '../../../src/core/calendar/working-calendar.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { reposFor } from '../../../src/db/kysely-store.ts';
import { addDeadline, quietCase, reminderServices, seedReminderTeam, stagesOf, tick } from '../../support/reminder-fixtures.ts';
import { DATABASE_KINDS, createTestDb } from '../../support/test-db.ts';

/** Runs a tick at `time` (UTC) on every calendar day from `from` to `to`, recording who got what each day. */
async function runDays(services: ReturnType<typeof reminderServices>, from: string, to: string, times = ['08:31', '12:00']) {
  const byDay = new Map<string, { to: string; kind: string }[]>();
  for (let day = from; day <= to; day = addCalendarDays(day, 1)) {
    for (const time of times) {
      const before = services.notifier.deliveries.length;
      await tick(services, `${day}T${time}:00Z`);
      const got = services.notifier.deliveries.slice(before).map((d) => ({ to: d.to, kind: d.view.kind }));
      if (got.length) byDay.set(day, [...(byDay.get(day) ?? []), ...got]);
    }
  }
  return byDay;
}

describe.each(DATABASE_KINDS)('reminder pipeline on %s', (kind) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDb(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('sends every stage once, on working days only, and tells the supervisor at 2 working days overdue', async () => {
    const db = database.db;
    const t = await seedReminderTeam(db);
    const c = await quietCase(db, t);
    // Wed 25 Nov 2026: 10 working days before is Wed 11, 3 before is Fri 20; overdue from Thu 26.
    const id = await addDeadline(db, t, c, 'visit', '2026-11-25');
    const services = reminderServices(db);
    const byDay = await runDays(services, '2026-11-09', '2026-12-01');

    const officerDays = [...byDay].filter(([, got]) => got.some((g) => g.to === t.officer.id && g.kind === 'reminder-digest')).map(([day]) => day);
    expect(officerDays).toEqual(['2026-11-11', '2026-11-20', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-30', '2026-12-01']);
    // Never more than one digest a day for one person, whatever the number of ticks.
    for (const got of byDay.values()) {
      const keys = got.map((g) => `${g.to}:${g.kind}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
    // Nothing at the weekend.
    for (const weekend of ['2026-11-14', '2026-11-15', '2026-11-21', '2026-11-22', '2026-11-28', '2026-11-29']) expect(byDay.has(weekend)).toBe(false);

    const stages = await stagesOf(db, id);
    const own = stages.filter((s) => s.recipient === t.officer.id).map((s) => s.stage.split('@')[0]);
    expect(own).toEqual(['before-10', 'before-3', 'due', 'overdue-1', 'overdue-2', 'overdue-3', 'overdue-4']);
    const escalated = stages.filter((s) => s.recipient === t.supervisor.id);
    expect(escalated).toEqual([{ stage: 'escalated@2026-11-25', recipient: t.supervisor.id, status: 'sent' }]);
    // The escalation arrived in Sam's morning team digest on Fri 27 Nov, under "Escalated".
    const samOn27 = services.notifier.deliveries.filter((d) => d.to === t.supervisor.id && d.view.kind === 'reminder-supervisor-digest');
    expect(samOn27.some((d) => d.view.sections?.some((s) => s.heading?.startsWith('Escalated')))).toBe(true);
    // The digest carries per-item buttons with the deadline id.
    const digest = services.notifier.deliveries.find((d) => d.view.kind === 'reminder-digest')!;
    expect(digest.view.sections?.[0]?.actions?.map((a) => a.id)).toEqual(['reminder.done', 'reminder.ack', 'reminder.snooze']);
    expect(digest.view.sections?.[0]?.actions?.[0]?.value?.deadlineId).toBe(id);
    expect(JSON.stringify(digest.view)).not.toContain(t.team.name);
  });

  it('after downtime plans only the latest stage, never a backlog', async () => {
    const db = database.db;
    const t = await seedReminderTeam(db);
    const c = await quietCase(db, t);
    const id = await addDeadline(db, t, c, 'assessment_review', '2026-11-25');
    const services = reminderServices(db);
    // Down from before the 10-day reminder until Tue 24 Nov: only "3 days before" is owed now.
    await tick(services, '2026-11-24T08:31:00Z');
    await tick(services, '2026-11-24T09:31:00Z');
    expect((await stagesOf(db, id)).map((s) => s.stage)).toEqual(['before-3@2026-11-25']);
    expect(services.notifier.deliveries.filter((d) => d.view.kind === 'reminder-digest')).toHaveLength(1);
  });

  it('follows the member clock across the DST change and skips bank holidays and team closures', async () => {
    const db = database.db;
    const t = await seedReminderTeam(db);
    const c = await quietCase(db, t);
    await addDeadline(db, t, c, 'visit', '2027-03-01');
    await reposFor(db).teams.setClosures(t.team.id, ['2027-03-31']);
    const services = reminderServices(db);
    const digestsAt = async (at: string) => {
      const before = services.notifier.deliveries.length;
      await tick(services, at);
      return services.notifier.deliveries.slice(before).filter((d) => d.to === t.officer.id).length;
    };
    // Thu 25 Mar 2027 (GMT): 08:30 London is 08:30Z.
    expect(await digestsAt('2027-03-25T08:29:00Z')).toBe(0);
    expect(await digestsAt('2027-03-25T08:31:00Z')).toBe(1);
    // Fri 26 Mar and Mon 29 Mar 2027 are Good Friday and Easter Monday.
    expect(await digestsAt('2027-03-26T08:31:00Z')).toBe(0);
    expect(await digestsAt('2027-03-29T08:31:00Z')).toBe(0);
    // Tue 30 Mar 2027 (BST since Sunday): 08:30 London is 07:30Z.
    expect(await digestsAt('2027-03-30T07:29:00Z')).toBe(0);
    expect(await digestsAt('2027-03-30T07:31:00Z')).toBe(1);
    // Wed 31 Mar is a team closure day.
    expect(await digestsAt('2027-03-31T07:31:00Z')).toBe(0);
    expect(await digestsAt('2027-04-01T07:31:00Z')).toBe(1);
    expect(await digestsAt('2027-04-02T07:31:00Z')).toBe(1);
    // Nothing outside working hours: a digest not sent by 19:00 is dropped, not sent at night.
    await sql`update members set reminder_time = '18:50' where id = ${t.officer.id}`.execute(db);
    expect(await digestsAt('2027-04-07T19:30:00Z')).toBe(0);
    expect(await digestsAt('2027-04-08T17:51:00Z')).toBe(1);
  });

  it('escalates urgent deadlines to the supervisor at once, at the start of working hours', async () => {
    const db = database.db;
    const t = await seedReminderTeam(db);
    const c = await quietCase(db, t);
    // Due Mon 23 Nov; 2 working days overdue on Wed 25 Nov.
    await addDeadline(db, t, c, 'early_review', '2026-11-23', { urgent: true });
    const services = reminderServices(db);
    await tick(services, '2026-11-25T07:01:00Z');
    const escalations = services.notifier.deliveries.filter((d) => d.view.kind === 'reminder-escalation');
    expect(escalations.map((d) => d.to)).toEqual([t.supervisor.id]);
    expect(escalations[0]!.view.sections?.[0]?.heading).toBe(`${c.key} · Early review (urgent)`);
    // Not again later that day, nor the next.
    await tick(services, '2026-11-25T09:00:00Z');
    await tick(services, '2026-11-26T09:00:00Z');
    expect(services.notifier.deliveries.filter((d) => d.view.kind === 'reminder-escalation')).toHaveLength(1);
  });

  it('cancels pending reminders and updates sent messages when a deadline is met some other way', async () => {
    const db = database.db;
    const t = await seedReminderTeam(db);
    const c = await quietCase(db, t);
    const met = await addDeadline(db, t, c, 'visit', '2026-11-25');
    const other = await addDeadline(db, t, c, 'assessment_review', '2026-11-25');
    const services = reminderServices(db);
    await tick(services, '2026-11-20T08:31:00Z');
    const sent = services.notifier.deliveries.find((d) => d.to === t.officer.id)!;
    expect(sent.view.sections).toHaveLength(2);
    // Planned but not yet folded (before 08:30 on the due day), then met.
    await tick(services, '2026-11-25T06:00:00Z');
    expect((await stagesOf(db, met)).find((s) => s.stage.startsWith('due'))?.status).toBe('pending');
    await reposFor(db).deadlines.markMet(`test:${c.id}:visit`, new Date('2026-11-25T06:30:00Z'));
    await tick(services, '2026-11-25T06:31:00Z');
    expect((await stagesOf(db, met)).find((s) => s.stage.startsWith('due'))?.status).toBe('cancelled');
    const update = services.notifier.deliveries.find((d) => d.op === 'update')!;
    expect(update.ref.messageId).toBe(sent.ref.messageId);
    expect(update.view.sections?.find((s) => s.heading?.includes('Home visit'))?.text).toContain('Done');
    expect(update.view.sections?.find((s) => s.heading?.includes('Home visit'))?.actions).toBeUndefined();
    // Updated once, not on every tick.
    await tick(services, '2026-11-25T06:32:00Z');
    expect(services.notifier.deliveries.filter((d) => d.op === 'update')).toHaveLength(1);
    // The other deadline is still reminded about on its due day.
    await tick(services, '2026-11-25T08:31:00Z');
    expect((await stagesOf(db, other)).map((s) => s.status)).toEqual(['sent', 'sent']);
  });
});
