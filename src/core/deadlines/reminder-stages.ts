/**
 * Owns when a deadline's reminders fire: which stage (before, on the day, overdue) applies on a
 * given working day, when the supervisor is told, and how far a reminder may be snoozed.
 * Pure rules over ISO dates; planning, dedupe and delivery live elsewhere.
 */
import { DateTime } from 'luxon';
import { isIsoDate } from '../calendar/working-calendar.ts';
import type { IsoDate, WorkingCalendar } from '../calendar/working-calendar.ts';
import type { TeamPolicy } from '../policy/policy.ts';

/** Stable stage key, part of the reminder's unique key: 'before-10', 'due', 'overdue-3'. */
export type ReminderStageKey = `before-${number}` | 'due' | `overdue-${number}`;

/** The reminder stage that applies to a deadline on one day. */
export interface ReminderStage {
  key: ReminderStageKey;
  kind: 'before' | 'due' | 'overdue';
  /** Working days past the due date (overdue stages only). */
  workingDaysOverdue?: number;
  /** True when the supervisor is told as well. */
  escalate: boolean;
}

type ReminderPolicy = Pick<TeamPolicy, 'reminders'>;

function latestBeforeStage(
  due: IsoDate,
  today: IsoDate,
  beforeWorkingDays: readonly number[],
  calendar: WorkingCalendar,
): ReminderStage | null {
  let best: { days: number; triggerOn: IsoDate } | null = null;
  for (const days of beforeWorkingDays) {
    const triggerOn = calendar.addWorkingDays(due, -days);
    if (triggerOn > today) continue;
    if (best === null || triggerOn > best.triggerOn || (triggerOn === best.triggerOn && days < best.days)) {
      best = { days, triggerOn };
    }
  }
  return best === null ? null : { key: `before-${best.days}`, kind: 'before', escalate: false };
}

/**
 * The stage to plan for a deadline due on `due`, on day `today`, or null for none.
 * Reminders go out on working days only. The stage is the latest one whose trigger date has
 * been reached, so after downtime only that one is planned, never a backlog; a 'before' stage
 * applies only while today is before the due date. With daily overdue reminders there is one
 * stage per working day overdue ('overdue-N'); without them, the only overdue stage is the
 * escalation day's. `escalate` is true from the policy's escalation threshold on.
 */
export function reminderStageFor(
  due: IsoDate,
  today: IsoDate,
  policy: ReminderPolicy,
  calendar: WorkingCalendar,
): ReminderStage | null {
  if (!calendar.isWorkingDay(today)) return null;
  const rules = policy.reminders;
  if (today < due) return latestBeforeStage(due, today, rules.beforeWorkingDays, calendar);
  if (today === due) return rules.onDueDate ? { key: 'due', kind: 'due', escalate: false } : null;

  const workingDaysOverdue = calendar.workingDaysBetween(due, today);
  const threshold = rules.escalateAtWorkingDaysOverdue;
  const escalate = workingDaysOverdue >= threshold;
  if (rules.dailyWhileOverdue) {
    return { key: `overdue-${workingDaysOverdue}`, kind: 'overdue', workingDaysOverdue, escalate };
  }
  return escalate ? { key: `overdue-${threshold}`, kind: 'overdue', workingDaysOverdue, escalate } : null;
}

/**
 * The latest date a snooze may choose: the due date (moved on or before a working day) while
 * the deadline is still ahead; once it is due or overdue, the next working day at most.
 */
export function snoozeLimit(due: IsoDate, today: IsoDate, calendar: WorkingCalendar): IsoDate {
  return today < due ? calendar.onOrBeforeWorkingDay(due) : calendar.nextWorkingDay(today);
}

/** Why a snooze date was refused. */
export type SnoozeRejection =
  | 'snooze_invalid_date'
  | 'snooze_not_available'
  | 'snooze_not_later'
  | 'snooze_not_working_day'
  | 'snooze_too_late';

/** Result of {@link validateSnooze}: `reason` is safe to show the user as it is. */
export type SnoozeCheck = { ok: true } | { ok: false; code: SnoozeRejection; reason: string };

/** Formats a date the way people read it: 'Tue 29 Dec 2026'. */
function forPeople(d: IsoDate): string {
  return DateTime.fromISO(d, { zone: 'utc' }).toFormat('ccc d LLL yyyy', { locale: 'en-GB' });
}

function whyNotWorking(d: IsoDate, calendar: WorkingCalendar): string {
  const holiday = calendar.bankHolidayName(d);
  if (holiday !== null) return `it is a bank holiday: ${holiday}`;
  if (calendar.isClosureDay(d)) return 'it is a team closure day';
  return 'it is a weekend';
}

/** Checks a snooze date chosen on `today` for a deadline due on `due`. */
export function validateSnooze(
  due: IsoDate,
  today: IsoDate,
  until: unknown,
  calendar: WorkingCalendar,
): SnoozeCheck {
  if (!isIsoDate(until)) {
    return { ok: false, code: 'snooze_invalid_date', reason: 'Choose a date to snooze until.' };
  }
  const limit = snoozeLimit(due, today, calendar);
  if (limit <= today) {
    return {
      ok: false,
      code: 'snooze_not_available',
      reason: 'This reminder cannot be snoozed: there is no working day left before it is due.',
    };
  }
  if (until <= today) {
    return { ok: false, code: 'snooze_not_later', reason: 'Choose a working day after today.' };
  }
  if (!calendar.isWorkingDay(until)) {
    return {
      ok: false,
      code: 'snooze_not_working_day',
      reason: `${forPeople(until)} is not a working day (${whyNotWorking(until, calendar)}). Choose a working day.`,
    };
  }
  if (until > limit) {
    const reason =
      today >= due
        ? `This is ${today === due ? 'due today' : 'overdue'}, so it can be snoozed to the next working day at most (${forPeople(limit)}).`
        : `A reminder cannot be snoozed past its due date. Choose ${forPeople(limit)} or earlier.`;
    return { ok: false, code: 'snooze_too_late', reason };
  }
  return { ok: true };
}
