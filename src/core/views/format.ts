/** How dates and times are written for people: 'Fri 3 Apr 2026', '09:15', in British English. */
import { DateTime } from 'luxon';
import type { IsoDate, WorkingCalendar } from '../calendar/working-calendar.ts';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 'Fri 3 Apr 2026' for an ISO date; '—' for none. Three-letter names, whatever the ICU data says. */
export function formatDate(date: IsoDate | null | undefined): string {
  if (!date) return '—';
  // Remembered: a list of cases writes the same few dozen dates many times over, per request.
  let text = formattedDates.get(date);
  if (text === undefined) {
    const d = DateTime.fromISO(date, { zone: 'UTC' });
    text = `${DAYS[d.weekday - 1]} ${d.day} ${MONTHS[d.month - 1]} ${d.year}`;
    if (formattedDates.size > 20_000) formattedDates.clear();
    formattedDates.set(date, text);
  }
  return text;
}
const formattedDates = new Map<string, string>();

/** '3 Apr 2026, 09:15' in the given zone. */
export function formatDateTime(at: Date, zone: string): string {
  const d = DateTime.fromJSDate(at, { zone });
  return `${d.day} ${MONTHS[d.month - 1]} ${d.year}, ${d.toFormat('HH:mm')}`;
}

/** How a due date stands against today, in working days: 'due today', 'in 3 working days', 'overdue by 2 working days'. */
export function dueStatus(due: IsoDate, today: IsoDate, calendar: WorkingCalendar): { text: string; overdue: boolean } {
  if (due === today) return { text: 'due today', overdue: false };
  const days = calendar.workingDaysBetween(today, due);
  if (due > today) {
    return { text: days <= 0 ? 'due next working day' : `in ${days} working day${days === 1 ? '' : 's'}`, overdue: false };
  }
  const late = Math.max(1, -days);
  return { text: `overdue by ${late} working day${late === 1 ? '' : 's'}`, overdue: true };
}

/** A due date with its status, e.g. 'Fri 3 Apr 2026 (in 5 working days)'. */
export function formatDue(due: IsoDate | null, today: IsoDate, calendar: WorkingCalendar, none = 'Not scheduled'): string {
  if (!due) return none;
  const status = dueStatus(due, today, calendar);
  return `${formatDate(due)} (${status.overdue ? '⚠ ' : ''}${status.text})`;
}
