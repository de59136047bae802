import { describe, it, expect } from 'vitest';
import { createWorkingCalendar } from '../../../src/core/calendar/working-calendar.ts';
import { reminderStageFor, snoozeLimit, validateSnooze } from '../../../src/core/deadlines/reminder-stages.ts';
import { defaultPolicy, parsePolicy } from '../../../src/core/policy/policy.ts';

const calendar = createWorkingCalendar();
const policy = defaultPolicy();
// Friday 20 March 2026: 10 working days before is Fri 6 March, 3 before is Tue 17 March.
const due = '2026-03-20';
const stageOn = (today: string, p = policy, d = due) => reminderStageFor(d, today, p, calendar);

describe('reminder stages', () => {
  it('sends nothing before the first stage', () => {
    expect(stageOn('2026-03-05')).toBeNull();
  });

  it('walks through the default stages', () => {
    expect(stageOn('2026-03-06')).toEqual({ key: 'before-10', kind: 'before', escalate: false });
    expect(stageOn('2026-03-09')?.key).toBe('before-10');
    expect(stageOn('2026-03-17')).toEqual({ key: 'before-3', kind: 'before', escalate: false });
    expect(stageOn('2026-03-19')?.key).toBe('before-3');
    expect(stageOn('2026-03-20')).toEqual({ key: 'due', kind: 'due', escalate: false });
    expect(stageOn('2026-03-23')).toEqual({ key: 'overdue-1', kind: 'overdue', workingDaysOverdue: 1, escalate: false });
    expect(stageOn('2026-03-24')).toEqual({ key: 'overdue-2', kind: 'overdue', workingDaysOverdue: 2, escalate: true });
    expect(stageOn('2026-03-27')).toEqual({ key: 'overdue-5', kind: 'overdue', workingDaysOverdue: 5, escalate: true });
  });

  it('sends nothing on weekends or bank holidays', () => {
    expect(stageOn('2026-03-21')).toBeNull();
    expect(stageOn('2026-03-22')).toBeNull();
    expect(stageOn('2026-04-03', policy, '2026-04-02')).toBeNull();
  });

  it('after downtime plans only the latest stage, not a backlog', () => {
    expect(stageOn('2026-03-18')?.key).toBe('before-3');
    expect(stageOn('2026-03-25')?.key).toBe('overdue-3');
  });

  it('gives a deadline set close to its due date the nearest stage at once', () => {
    expect(stageOn('2026-03-19', policy, '2026-03-20')?.key).toBe('before-3');
  });

  it('counts overdue days in working days, skipping bank holidays', () => {
    // Due Thursday 2 April 2026; Good Friday and Easter Monday follow.
    expect(stageOn('2026-04-07', policy, '2026-04-02')).toMatchObject({ key: 'overdue-1', workingDaysOverdue: 1 });
    expect(stageOn('2026-04-08', policy, '2026-04-02')).toMatchObject({ key: 'overdue-2', escalate: true });
  });

  it('escalates at the team’s threshold', () => {
    const later = parsePolicy({ reminders: { escalateAtWorkingDaysOverdue: 3 } });
    expect(stageOn('2026-03-24', later)?.escalate).toBe(false);
    expect(stageOn('2026-03-25', later)?.escalate).toBe(true);
  });

  it('without daily overdue reminders, only the escalation day has an overdue stage', () => {
    const quiet = parsePolicy({ reminders: { dailyWhileOverdue: false } });
    expect(stageOn('2026-03-23', quiet)).toBeNull();
    expect(stageOn('2026-03-24', quiet)).toEqual({
      key: 'overdue-2',
      kind: 'overdue',
      workingDaysOverdue: 2,
      escalate: true,
    });
    expect(stageOn('2026-03-26', quiet)).toMatchObject({ key: 'overdue-2', workingDaysOverdue: 4 });
  });

  it('follows the team’s own stages', () => {
    const noDueDay = parsePolicy({ reminders: { onDueDate: false, beforeWorkingDays: [] } });
    expect(stageOn('2026-03-19', noDueDay)).toBeNull();
    expect(stageOn('2026-03-20', noDueDay)).toBeNull();
    const five = parsePolicy({ reminders: { beforeWorkingDays: [5] } });
    expect(stageOn('2026-03-13', five)?.key).toBe('before-5');
  });
});

describe('snoozing', () => {
  it('allows a snooze up to the due date while it is ahead', () => {
    expect(snoozeLimit(due, '2026-03-10', calendar)).toBe('2026-03-20');
    expect(validateSnooze(due, '2026-03-10', '2026-03-13', calendar)).toEqual({ ok: true });
    expect(validateSnooze(due, '2026-03-10', '2026-03-20', calendar)).toEqual({ ok: true });
  });

  it('refuses a date past the due date, naming the latest allowed', () => {
    expect(validateSnooze(due, '2026-03-10', '2026-03-23', calendar)).toEqual({
      ok: false,
      code: 'snooze_too_late',
      reason: 'A reminder cannot be snoozed past its due date. Choose Fri 20 Mar 2026 or earlier.',
    });
  });

  it('allows an overdue item one working day at most', () => {
    expect(snoozeLimit(due, '2026-03-24', calendar)).toBe('2026-03-25');
    expect(validateSnooze(due, '2026-03-24', '2026-03-25', calendar)).toEqual({ ok: true });
    expect(validateSnooze(due, '2026-03-24', '2026-03-26', calendar)).toMatchObject({
      ok: false,
      code: 'snooze_too_late',
      reason: 'This is overdue, so it can be snoozed to the next working day at most (Wed 25 Mar 2026).',
    });
    expect(snoozeLimit('2026-12-22', '2026-12-24', calendar)).toBe('2026-12-29');
  });

  it('treats an item due today like an overdue one', () => {
    expect(snoozeLimit(due, due, calendar)).toBe('2026-03-23');
    expect(validateSnooze(due, due, '2026-03-24', calendar)).toMatchObject({
      ok: false,
      reason: 'This is due today, so it can be snoozed to the next working day at most (Mon 23 Mar 2026).',
    });
  });

  it('refuses non-working days and says why', () => {
    expect(validateSnooze(due, '2026-03-10', '2026-03-14', calendar)).toEqual({
      ok: false,
      code: 'snooze_not_working_day',
      reason: 'Sat 14 Mar 2026 is not a working day (it is a weekend). Choose a working day.',
    });
    expect(validateSnooze('2026-04-10', '2026-04-01', '2026-04-03', calendar)).toMatchObject({
      reason: 'Fri 3 Apr 2026 is not a working day (it is a bank holiday: Good Friday). Choose a working day.',
    });
    const closed = createWorkingCalendar({ closures: ['2026-03-16'] });
    expect(validateSnooze(due, '2026-03-10', '2026-03-16', closed)).toMatchObject({
      reason: 'Mon 16 Mar 2026 is not a working day (it is a team closure day). Choose a working day.',
    });
  });

  it('refuses today, the past, and anything that is not a date', () => {
    expect(validateSnooze(due, '2026-03-10', '2026-03-10', calendar)).toMatchObject({ code: 'snooze_not_later' });
    expect(validateSnooze(due, '2026-03-10', '2026-03-09', calendar)).toMatchObject({ code: 'snooze_not_later' });
    expect(validateSnooze(due, '2026-03-10', 'tomorrow', calendar)).toMatchObject({ code: 'snooze_invalid_date' });
    expect(validateSnooze(due, '2026-03-10', '2026-02-30', calendar)).toMatchObject({ code: 'snooze_invalid_date' });
  });

  it('says so when no working day is left before the due date', () => {
    // Due on a Sunday (for instance after a closure was added): nothing after Friday qualifies.
    expect(validateSnooze('2026-03-22', '2026-03-20', '2026-03-23', calendar)).toMatchObject({
      ok: false,
      code: 'snooze_not_available',
    });
  });
});
