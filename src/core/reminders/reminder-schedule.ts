/**
 * Owns reminder timing for one member and one team: the member's today, reminder time and working
 * hours as instants (DST-correct, in the member's zone or the team's), and the planning table that
 * maps every due date to the stage that applies today (reminderStageFor, once per due date).
 */
import { addCalendarDays, dayOfWeek, todayIn, zonedDateTimeToInstant, type IsoDate, type WorkingCalendar } from '../calendar/working-calendar.ts';
import type { Team } from '../domain/entities.ts';
import { reminderStageFor } from '../deadlines/reminder-stages.ts';
import { calendarFor } from '../services.ts';
import type { FoldCandidate, PlanRecipient, ReminderRecipient, StageRow } from './reminder-ports.ts';

/** A member's reminder day: today in their zone and the instants that bound it. */
export interface MemberDay {
  zone: string;
  today: IsoDate;
  working: boolean;
  /** True on the first working day of the ISO week (Monday, or later after a bank holiday). */
  weekStart: boolean;
  /** The reminder time, moved inside working hours if it was set outside them. */
  sendAfter: Date;
  startAt: Date;
  endAt: Date;
}

/** The reminder time to use: the member's, or the start of their working hours if it falls outside them. */
export function effectiveReminderTime(r: Pick<ReminderRecipient, 'reminderTime' | 'workingHoursStart' | 'workingHoursEnd'>): string {
  return r.reminderTime < r.workingHoursStart || r.reminderTime >= r.workingHoursEnd ? r.workingHoursStart : r.reminderTime;
}

/** Works out a member's reminder day at instant `now`. */
export function memberDay(team: Team, r: ReminderRecipient, now: Date, calendar = calendarFor(team)): MemberDay {
  const zone = r.timeZone ?? team.timeZone;
  const today = todayIn(zone, now);
  return {
    zone,
    today,
    working: calendar.isWorkingDay(today),
    weekStart: isWeekStart(today, calendar),
    sendAfter: zonedDateTimeToInstant(today, effectiveReminderTime(r), zone),
    startAt: zonedDateTimeToInstant(today, r.workingHoursStart, zone),
    endAt: zonedDateTimeToInstant(today, r.workingHoursEnd, zone),
  };
}

/**
 * Reminder days for a team's members at `now`, worked out once per distinct (zone, reminder time,
 * working hours): most of a team shares them, and time-zone arithmetic per member made planning
 * for thousands of officers cost seconds.
 */
function memberDays(team: Team, members: readonly ReminderRecipient[], now: Date): (r: ReminderRecipient) => MemberDay {
  const calendar = calendarFor(team);
  const days = new Map<string, MemberDay>();
  return (r) => {
    const key = `${r.timeZone ?? ''}|${r.reminderTime}|${r.workingHoursStart}|${r.workingHoursEnd}`;
    let day = days.get(key);
    if (!day) {
      day = memberDay(team, r, now, calendar);
      days.set(key, day);
    }
    return day;
  };
}

/** True when `d` is the first working day of its ISO week (Monday, or the day after a bank-holiday Monday). */
export function isWeekStart(d: IsoDate, calendar: WorkingCalendar): boolean {
  const monday = addCalendarDays(d, 1 - dayOfWeek(d));
  return (calendar.isWorkingDay(monday) ? monday : calendar.nextWorkingDay(monday)) === d;
}

/** The Sunday ending the week of `d`: "due this week" runs to here. */
/** Working days a discussion may wait for a supervisor's decision before their digest lists it. */
export const DECISION_WAIT_WORKING_DAYS = 2;

export function weekEnd(d: IsoDate): IsoDate {
  return addCalendarDays(d, 7 - dayOfWeek(d));
}

// Stage tables depend only on the team's rules and the day, so one per team and day is enough.
const tableCache = new Map<string, StageRow[]>();
const TABLE_CACHE_LIMIT = 1000;

/**
 * For day `today`, the stage of every due date from `earliestDue` to the last one any early
 * reminder can reach: the table planning joins deadlines to. Empty on non-working days.
 */
export function stageTable(team: Team, today: IsoDate, earliestDue: IsoDate): StageRow[] {
  const rules = team.policy.reminders;
  const key = JSON.stringify([team.id, today, earliestDue, rules, team.closures]);
  const cached = tableCache.get(key);
  if (cached) return cached;
  const calendar = calendarFor(team);
  const rows: StageRow[] = [];
  if (calendar.isWorkingDay(today)) {
    const furthest = Math.max(0, ...rules.beforeWorkingDays);
    // Past the furthest early reminder plus a fortnight, no due date has a stage yet.
    const last = addCalendarDays(calendar.addWorkingDays(today, furthest), 14);
    for (let due = earliestDue < today ? earliestDue : today; due <= last; due = addCalendarDays(due, 1)) {
      const stage = reminderStageFor(due, today, team.policy, calendar);
      if (stage) rows.push({ today, dueOn: due, stage: stage.key, escalate: stage.escalate });
    }
  }
  if (tableCache.size >= TABLE_CACHE_LIMIT) tableCache.clear();
  tableCache.set(key, rows);
  return rows;
}

/** Who in a team can be planned for at `now`, each on their own today. */
export function planRecipients(team: Team, members: readonly ReminderRecipient[], now: Date): PlanRecipient[] {
  const out: PlanRecipient[] = [];
  const dayOf = memberDays(team, members, now);
  for (const r of members) {
    const day = dayOf(r);
    if (day.working) out.push({ memberId: r.memberId, today: day.today, sendAfter: day.sendAfter, startAt: day.startAt });
  }
  return out;
}

/** Who in a team may be sent messages right now: a working day, inside working hours, reachable. */
export function foldCandidates(team: Team, members: readonly ReminderRecipient[], now: Date): FoldCandidate[] {
  const out: FoldCandidate[] = [];
  const dayOf = memberDays(team, members, now);
  const calendar = calendarFor(team);
  for (const r of members) {
    const platform = r.platforms[0];
    if (!platform || r.undeliverable) continue;
    const day = dayOf(r);
    if (!day.working || now < day.startAt || now >= day.endAt) continue;
    out.push({
      memberId: r.memberId,
      today: day.today,
      platform,
      sendBefore: day.endAt,
      morning: now >= day.sendAfter,
      supervisor: r.roles.includes('supervisor'),
      weekEnd: weekEnd(day.today),
      waitingSince: calendar.addWorkingDays(day.today, -DECISION_WAIT_WORKING_DAYS),
      weekStart: day.weekStart,
    });
  }
  return out;
}
