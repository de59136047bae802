/**
 * Owns working days and date arithmetic: the England and Wales bank holidays (from
 * `date-holidays`), team closure days, and the calendar/time-zone helpers every deadline uses.
 * Dates are plain ISO strings ('YYYY-MM-DD'); arithmetic runs in UTC so DST never shifts a day.
 */
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

/** A calendar date as 'YYYY-MM-DD', with no time and no zone. */
export type IsoDate = string;

/** A wall-clock time as 'HH:mm' (24-hour). */
export type ClockTime = string;

/** Working-day rules for one team: Monday to Friday, minus bank holidays and team closures. */
export interface WorkingCalendar {
  /** True on Monday to Friday unless a bank holiday or a team closure day. */
  isWorkingDay(d: IsoDate): boolean;
  /** The last working day strictly before `d`. */
  previousWorkingDay(d: IsoDate): IsoDate;
  /** `d` if it is a working day, else the previous one: the rule for due dates (never later). */
  onOrBeforeWorkingDay(d: IsoDate): IsoDate;
  /** The first working day strictly after `d`. */
  nextWorkingDay(d: IsoDate): IsoDate;
  /** Steps `n` working days forward (n > 0) or backward (n < 0); `n = 0` returns `d` unchanged. */
  addWorkingDays(d: IsoDate, n: number): IsoDate;
  /**
   * Signed count of working days moved over from `from` to `to`: after `from` up to and
   * including `to` when going forward, negative when `to` is earlier. It inverts
   * `addWorkingDays`: `workingDaysBetween(d, addWorkingDays(d, n)) === n`.
   */
  workingDaysBetween(from: IsoDate, to: IsoDate): number;
  /** The England and Wales bank holiday on `d` (e.g. 'Boxing Day (substitute day)'), or null. */
  bankHolidayName(d: IsoDate): string | null;
  /** True if `d` is one of the team's own closure days. */
  isClosureDay(d: IsoDate): boolean;
}

/** Options for {@link createWorkingCalendar}. */
export interface WorkingCalendarOptions {
  /** The team's own closure days, on top of bank holidays. */
  closures?: readonly IsoDate[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
// A run of non-working days longer than this means bad closure data, not a real calendar.
const MAX_NON_WORKING_RUN = 366;

const MS_PER_DAY = 86_400_000;

// Day arithmetic runs on whole days since 1970-01-01 (UTC): it is on the reminder planner's hot
// path, and plain numbers are many times faster than luxon objects. ISO dates also compare
// correctly as strings, which the rest of the core relies on.
function toEpochDay(d: IsoDate): number {
  if (typeof d === 'string' && ISO_DATE.test(d)) {
    const year = Number(d.slice(0, 4));
    const month = Number(d.slice(5, 7));
    const day = Number(d.slice(8, 10));
    const date = new Date(Date.UTC(year, month - 1, day));
    // Round-tripping rejects 2026-02-30 and the 0000-0099 years that Date.UTC remaps.
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) {
      return date.getTime() / MS_PER_DAY;
    }
  }
  throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${JSON.stringify(d)}`);
}

function fromEpochDay(n: number): IsoDate {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

// 1970-01-01 was a Thursday (ISO 4).
function isoWeekday(epochDay: number): number {
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

function toDateTime(d: IsoDate): DateTime {
  toEpochDay(d);
  return DateTime.fromISO(d, { zone: 'utc' });
}

function toIso(dt: DateTime): IsoDate {
  const iso = dt.toISODate();
  if (iso === null) throw new RangeError('Date arithmetic produced an invalid date');
  return iso;
}

/** True if `d` is a well-formed, real calendar date ('2026-02-30' is not). */
export function isIsoDate(d: unknown): d is IsoDate {
  if (typeof d !== 'string') return false;
  try {
    toEpochDay(d);
    return true;
  } catch {
    return false;
  }
}

/** Throws RangeError unless `d` is a real ISO date; returns it for chaining. */
export function assertIsoDate(d: IsoDate): IsoDate {
  toEpochDay(d);
  return d;
}

/** Adds (or subtracts) whole calendar days. */
export function addCalendarDays(d: IsoDate, n: number): IsoDate {
  return fromEpochDay(toEpochDay(d) + n);
}

/** Adds (or subtracts) whole weeks. */
export function addWeeks(d: IsoDate, n: number): IsoDate {
  return fromEpochDay(toEpochDay(d) + 7 * n);
}

/** Adds calendar months, clamping to the month's end (31 Jan + 1 month = 28 or 29 Feb). */
export function addCalendarMonths(d: IsoDate, n: number): IsoDate {
  return toIso(toDateTime(d).plus({ months: n }));
}

/** ISO day of week: 1 = Monday … 7 = Sunday. */
export function dayOfWeek(d: IsoDate): number {
  return isoWeekday(toEpochDay(d));
}

// The day last asked about in each zone, with the instants it starts and ends: every command asks
// for its team's today, and the answer changes once a day.
const todays = new Map<string, { date: IsoDate; from: number; until: number }>();

/** The calendar date at instant `now` in time zone `zone` (e.g. 'Europe/London'). */
export function todayIn(zone: string, now: Date): IsoDate {
  const at = now.getTime();
  const known = todays.get(zone);
  if (known && at >= known.from && at < known.until) return known.date;
  const dt = DateTime.fromJSDate(now, { zone });
  if (!dt.isValid) throw new RangeError(`Unknown time zone: ${JSON.stringify(zone)}`);
  const start = dt.startOf('day');
  const date = toIso(dt);
  todays.set(zone, { date, from: start.toMillis(), until: start.plus({ days: 1 }).toMillis() });
  return date;
}

/**
 * The instant when the wall clock in `zone` shows `time` on `date`, correct across DST.
 * A time skipped by the spring change (01:30 in London on the last Sunday of March) moves
 * forward by the gap; a time repeated by the autumn change resolves to its second (standard-time)
 * occurrence, as luxon does. Reminder times fall well outside both windows.
 */
export function zonedDateTimeToInstant(date: IsoDate, time: ClockTime, zone: string): Date {
  assertIsoDate(date);
  if (!CLOCK_TIME.test(time)) throw new RangeError(`Not a time (HH:mm): ${JSON.stringify(time)}`);
  const dt = DateTime.fromISO(`${date}T${time}`, { zone });
  if (!dt.isValid) throw new RangeError(`Unknown time zone: ${JSON.stringify(zone)}`);
  return dt.toJSDate();
}

// Holiday types that close offices; 'observance' (Mother's Day, Easter Sunday) does not.
const CLOSING_HOLIDAY_TYPES: ReadonlySet<string> = new Set(['public', 'bank']);

let holidaySource: Holidays | null = null;
// Bank holidays are the same for every team, so one cache per process, filled a year at a time.
const holidaysByYear = new Map<number, ReadonlyMap<IsoDate, string>>();

function bankHolidaysIn(year: number): ReadonlyMap<IsoDate, string> {
  const cached = holidaysByYear.get(year);
  if (cached) return cached;
  holidaySource ??= new Holidays('GB', 'ENG', { languages: ['en'], timezone: 'Europe/London' });
  const byDate = new Map<IsoDate, string>();
  for (const holiday of holidaySource.getHolidays(year)) {
    if (!CLOSING_HOLIDAY_TYPES.has(holiday.type)) continue;
    // `date` is local to the holiday's zone, 'YYYY-MM-DD hh:mm:ss'; `start` is a UTC instant.
    const date = holiday.date.slice(0, 10);
    const existing = byDate.get(date);
    byDate.set(date, existing ? `${existing}; ${holiday.name}` : holiday.name);
  }
  holidaysByYear.set(year, byDate);
  return byDate;
}

/**
 * Loads, once per process, what the first working-day or time-zone question would otherwise load
 * lazily: the bank-holiday rules (parsed by `date-holidays` on first use) and the holidays of the
 * years around `now`, and the ICU time-zone data behind luxon for each of `zones`. About 50–80 ms
 * the first time; nothing after. The scheduler calls it at start-up so no planning run pays it.
 */
export function warmWorkingCalendar(now: Date, zones: readonly string[] = ['Europe/London']): void {
  const year = now.getUTCFullYear();
  for (let y = year - 1; y <= year + 1; y += 1) bankHolidaysIn(y);
  for (const zone of zones) {
    const today = todayIn(zone, now);
    zonedDateTimeToInstant(today, '08:30', zone);
  }
}

/**
 * The bank holiday on a day (England and Wales), remembered for every calendar in the process: the
 * holidays are the same for every team, and a calendar is made per request, so without this each
 * request formatted and looked up every day between today and each due date again.
 */
const holidayByEpochDay = new Map<number, string | null>();
function bankHolidayOn(epochDay: number): string | null {
  let name = holidayByEpochDay.get(epochDay);
  if (name === undefined) {
    const iso = fromEpochDay(epochDay);
    name = bankHolidaysIn(Number(iso.slice(0, 4))).get(iso) ?? null;
    // Bounded: a few thousand days cover any real range; an odd caller cannot grow it for ever.
    if (holidayByEpochDay.size > 20_000) holidayByEpochDay.clear();
    holidayByEpochDay.set(epochDay, name);
  }
  return name;
}

/** Builds the working calendar for a team from its closure days. */
export function createWorkingCalendar(options: WorkingCalendarOptions = {}): WorkingCalendar {
  const closures: ReadonlySet<number> = new Set((options.closures ?? []).map(toEpochDay));

  const holidayOn = bankHolidayOn;

  // Remembered per day: planning asks about the same few hundred days thousands of times (each
  // overdue due date counts the working days up to today), and the holiday lookup formats a date.
  const workingDays = new Map<number, boolean>();
  const isWorkingEpochDay = (epochDay: number): boolean => {
    let working = workingDays.get(epochDay);
    if (working === undefined) {
      working = isoWeekday(epochDay) <= 5 && !closures.has(epochDay) && holidayOn(epochDay) === null;
      workingDays.set(epochDay, working);
    }
    return working;
  };

  // Steps to the next working day in `direction`, from a day number; returns a day number.
  const step = (from: number, direction: 1 | -1): number => {
    let current = from;
    for (let i = 0; i < MAX_NON_WORKING_RUN; i += 1) {
      current += direction;
      if (isWorkingEpochDay(current)) return current;
    }
    throw new RangeError(`No working day within ${MAX_NON_WORKING_RUN} days of ${fromEpochDay(from)}`);
  };

  const isWorkingDay = (d: IsoDate): boolean => isWorkingEpochDay(toEpochDay(d));

  const addWorkingDays = (d: IsoDate, n: number): IsoDate => {
    if (!Number.isInteger(n)) throw new RangeError(`Working days must be a whole number: ${n}`);
    let current = toEpochDay(d);
    for (let i = 0; i < Math.abs(n); i += 1) current = step(current, n > 0 ? 1 : -1);
    return fromEpochDay(current);
  };

  // Working days from `origin` through each later day, kept as running totals and extended as far
  // as asked: a count between two days is one subtraction, not a walk over every day between (a
  // page of cases asks for dozens of counts reaching months ahead). Totals are relative to
  // `origin`, so both ends are covered before either is read.
  let origin = 0;
  const through: number[] = [];
  const extendTo = (day: number): void => {
    for (let next = origin + through.length; next <= day; next += 1) through.push((through.at(-1) ?? 0) + (isWorkingEpochDay(next) ? 1 : 0));
  };
  const cover = (low: number, high: number): void => {
    if (through.length === 0 || low < origin) {
      const end = through.length === 0 ? high : Math.max(high, origin + through.length - 1);
      origin = low - 366;
      through.length = 0;
      extendTo(end);
    }
    extendTo(high);
  };
  // Working days in [low, high].
  const countIn = (low: number, high: number): number => {
    if (high < low) return 0;
    cover(low - 1, high);
    return through[high - origin]! - through[low - 1 - origin]!;
  };

  const workingDaysBetween = (from: IsoDate, to: IsoDate): number => {
    const start = toEpochDay(from);
    const end = toEpochDay(to);
    // Forward counts (from, to]; backward counts [to, from), so the count inverts addWorkingDays.
    return start <= end ? countIn(start + 1, end) : -countIn(end, start - 1);
  };

  return {
    isWorkingDay,
    previousWorkingDay: (d) => fromEpochDay(step(toEpochDay(d), -1)),
    onOrBeforeWorkingDay: (d) => (isWorkingDay(d) ? d : fromEpochDay(step(toEpochDay(d), -1))),
    nextWorkingDay: (d) => fromEpochDay(step(toEpochDay(d), 1)),
    addWorkingDays,
    workingDaysBetween,
    bankHolidayName: (d) => holidayOn(toEpochDay(d)),
    isClosureDay: (d) => closures.has(toEpochDay(d)),
  };
}
