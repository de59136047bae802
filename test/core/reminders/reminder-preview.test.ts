import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarDays, createWorkingCalendar, dayOfWeek } from '../../../src/core/calendar/working-calendar.ts';
import type { RiskLevel } from '../../../src/core/domain/vocabulary.ts';
import { previewReminders } from '../../../src/core/reminders/reminder-preview.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { reposFor } from '../../../src/db/kysely-store.ts';
import { previewTable } from '../../../src/cli/reminders-command.ts';
import { seedCase, seedTeam } from '../../support/factories.ts';
import { createTestDb } from '../../support/test-db.ts';
import { findInternalCodes } from '../../support/internal-codes.ts';

const RISKS: RiskLevel[] = ['very_high', 'high', 'high', 'medium', 'medium', 'medium', 'low', 'low', 'low', 'low'];

describe('reminders preview', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDb();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('over a year for a 500-case team: nothing at weekends or on bank holidays, nothing twice', async () => {
    const db = database.db;
    const people = [
      { name: 'Sam Supervisor', roles: ['officer' as const, 'supervisor' as const] },
      ...Array.from({ length: 10 }, (_, i) => ({ name: `Officer ${i + 1}`, roles: ['officer' as const] })),
    ];
    const { team, members } = await seedTeam(db, { people });
    const repos = reposFor(db);
    const officers = Object.values(members).filter((m) => m.displayName.startsWith('Officer'));
    for (const o of officers) await repos.members.update(o.id, { supervisorMemberId: members['Sam Supervisor']!.id });
    for (let i = 0; i < 500; i += 1) {
      const lastOn = addCalendarDays('2026-11-30', -((i * 37) % 360));
      await seedCase(db, team, { riskLevel: RISKS[i % RISKS.length]!, leadOfficerId: officers[i % officers.length]!.id, lastVisitOn: lastOn, lastAssessmentOn: lastOn, createdOn: '2025-01-06' });
    }
    const roster = await repos.members.listByTeam(team.id);
    const deadlines = await repos.reminders.openForTeam(team.id);
    expect(deadlines.length).toBeGreaterThanOrEqual(1000);

    const messages = previewReminders(team, roster, deadlines, '2026-12-01', 365);
    expect(messages.length).toBeGreaterThan(500);
    const calendar = createWorkingCalendar();
    for (const m of messages) {
      expect(dayOfWeek(m.date)).toBeLessThanOrEqual(5);
      expect(calendar.bankHolidayName(m.date)).toBeNull();
      expect(m.time >= '07:00' && m.time < '19:00').toBe(true);
    }
    for (const holiday of ['2026-12-25', '2026-12-28', '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03']) {
      expect(messages.some((m) => m.date === holiday)).toBe(false);
    }
    // One digest per person per day, and never the same stage of a deadline twice to one person.
    const perDay = messages.map((m) => `${m.date}|${m.member}|${m.kind}`).filter((_, i) => messages[i]!.kind !== 'escalation');
    expect(new Set(perDay).size).toBe(perDay.length);
    const sent = messages.filter((m) => m.kind !== 'supervisor-digest').flatMap((m) => m.items.map((i) => `${m.member}|${i.caseKey}|${i.deadline}|${i.dueOn}|${i.stage}`));
    expect(new Set(sent).size).toBe(sent.length);
    expect(messages.some((m) => m.kind === 'supervisor-digest' && m.items.some((i) => i.stage === 'escalated'))).toBe(true);
    expect(Object.keys(messages[0]!).sort()).toEqual(['date', 'items', 'kind', 'member', 'time']);
    expect(Object.keys(messages[0]!.items[0]!).sort()).toEqual(['caseKey', 'deadline', 'dueOn', 'stage']);
    const table = previewTable(messages);
    expect(table).toContain('DATE');
    // The table is for people: words, not the stored codes (--json keeps those).
    expect(findInternalCodes(table)).toEqual([]);
    expect(table).toMatch(/working days? before/);
  }, 120_000);
});
