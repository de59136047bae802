import { DateTime } from 'luxon';
import { describe, it, expect } from 'vitest';
import {
  addCalendarDays,
  addCalendarMonths,
  addWeeks,
  createWorkingCalendar,
  dayOfWeek,
  isIsoDate,
  todayIn,
  zonedDateTimeToInstant,
} from '../../../src/core/calendar/working-calendar.ts';

const calendar = createWorkingCalendar();

describe('bank holidays (England and Wales, from date-holidays)', () => {
  it.each([
    ['2026-04-03', 'Good Friday'],
    ['2026-04-06', 'Easter Monday'],
    ['2027-03-26', 'Good Friday'],
    ['2027-03-29', 'Easter Monday'],
    ['2026-12-25', 'Christmas Day'],
    ['2026-12-28', 'Boxing Day (substitute day)'],
    ['2027-12-27', 'Christmas Day (substitute day)'],
    ['2027-12-28', 'Boxing Day (substitute day)'],
    ['2022-06-02', 'Spring bank holiday'],
    ['2022-06-03', 'Queen’s Platinum Jubilee'],
    ['2022-09-19', "Queen Elizabeth's Funeral Day"],
    ['2023-05-08', "King Charles III's Coronation"],
  ])('%s is a bank holiday (%s), not a working day', (date, name) => {
    expect(calendar.bankHolidayName(date)).toBe(name);
    expect(calendar.isWorkingDay(date)).toBe(false);
  });

  it('leaves out observances such as Easter Sunday and Mother’s Day', () => {
    expect(calendar.bankHolidayName('2026-04-05')).toBeNull();
    expect(calendar.bankHolidayName('2026-03-15')).toBeNull();
  });

  it('counts the days around Easter as working days', () => {
    expect(calendar.isWorkingDay('2026-04-02')).toBe(true);
    expect(calendar.isWorkingDay('2026-04-07')).toBe(true);
    expect(calendar.bankHolidayName('2026-04-07')).toBeNull();
  });

  it('treats weekends as non-working and weekdays as working', () => {
    expect(calendar.isWorkingDay('2026-03-06')).toBe(true); // Friday
    expect(calendar.isWorkingDay('2026-03-07')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-03-08')).toBe(false); // Sunday
    expect([dayOfWeek('2026-03-06'), dayOfWeek('2026-03-08')]).toEqual([5, 7]);
  });
});

describe('moving between working days', () => {
  it('rolls a weekend due date back to the Friday, never forward', () => {
    expect(calendar.onOrBeforeWorkingDay('2026-03-07')).toBe('2026-03-06');
    expect(calendar.onOrBeforeWorkingDay('2026-03-08')).toBe('2026-03-06');
    expect(calendar.onOrBeforeWorkingDay('2026-03-09')).toBe('2026-03-09');
  });

  it('rolls back over Easter and over Christmas substitute days', () => {
    expect(calendar.onOrBeforeWorkingDay('2026-04-06')).toBe('2026-04-02');
    expect(calendar.onOrBeforeWorkingDay('2026-12-28')).toBe('2026-12-24');
    expect(calendar.onOrBeforeWorkingDay('2027-12-28')).toBe('2027-12-24');
  });

  it('finds the previous and next working day strictly before and after', () => {
    expect(calendar.previousWorkingDay('2026-03-09')).toBe('2026-03-06');
    expect(calendar.previousWorkingDay('2026-03-10')).toBe('2026-03-09');
    expect(calendar.nextWorkingDay('2026-12-24')).toBe('2026-12-29');
    expect(calendar.nextWorkingDay('2026-12-31')).toBe('2027-01-04');
    expect(calendar.nextWorkingDay('2027-12-24')).toBe('2027-12-29');
  });

  it('adds working days forward and backward', () => {
    expect(calendar.addWorkingDays('2026-12-24', 1)).toBe('2026-12-29');
    expect(calendar.addWorkingDays('2026-12-24', 5)).toBe('2027-01-05');
    expect(calendar.addWorkingDays('2026-12-29', -1)).toBe('2026-12-24');
    expect(calendar.addWorkingDays('2026-03-06', 5)).toBe('2026-03-13');
    expect(calendar.addWorkingDays('2026-03-20', -10)).toBe('2026-03-06');
    expect(calendar.addWorkingDays('2026-03-07', 0)).toBe('2026-03-07');
    expect(calendar.addWorkingDays('2026-03-07', 1)).toBe('2026-03-09');
  });

  it('counts working days between two dates, signed', () => {
    expect(calendar.workingDaysBetween('2026-12-24', '2026-12-29')).toBe(1);
    expect(calendar.workingDaysBetween('2026-12-29', '2026-12-24')).toBe(-1);
    expect(calendar.workingDaysBetween('2026-03-02', '2026-03-09')).toBe(5);
    expect(calendar.workingDaysBetween('2026-03-09', '2026-03-09')).toBe(0);
    expect(calendar.workingDaysBetween('2026-03-06', '2026-03-08')).toBe(0);
    expect(calendar.workingDaysBetween('2026-04-02', '2026-04-07')).toBe(1);
  });

  it('inverts addWorkingDays from working and non-working starts alike', () => {
    for (const start of ['2026-03-06', '2026-03-07', '2026-04-03', '2026-12-24', '2026-12-26']) {
      for (let n = -15; n <= 15; n += 1) {
        expect(calendar.workingDaysBetween(start, calendar.addWorkingDays(start, n))).toBe(n);
      }
    }
  });
});

describe('team closures', () => {
  const withClosures = createWorkingCalendar({ closures: ['2026-03-10', '2026-12-24'] });

  it('makes a closure day non-working without naming it a bank holiday', () => {
    expect(withClosures.isWorkingDay('2026-03-10')).toBe(false);
    expect(withClosures.isClosureDay('2026-03-10')).toBe(true);
    expect(withClosures.bankHolidayName('2026-03-10')).toBeNull();
    expect(calendar.isWorkingDay('2026-03-10')).toBe(true);
  });

  it('is skipped by working-day arithmetic', () => {
    expect(withClosures.addWorkingDays('2026-03-09', 1)).toBe('2026-03-11');
    expect(withClosures.onOrBeforeWorkingDay('2026-12-28')).toBe('2026-12-23');
    expect(withClosures.workingDaysBetween('2026-03-09', '2026-03-11')).toBe(1);
  });

  it('rejects a malformed closure date', () => {
    expect(() => createWorkingCalendar({ closures: ['2026-13-01'] })).toThrow(RangeError);
  });
});

describe('calendar arithmetic', () => {
  it('clamps months to the end of the month', () => {
    expect(addCalendarMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addCalendarMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addCalendarMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addCalendarMonths('2026-08-31', 3)).toBe('2026-11-30');
  });

  it('adds days and weeks across year ends', () => {
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addCalendarDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addWeeks('2026-01-15', 16)).toBe('2026-05-07');
  });

  it('validates ISO dates', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('26-2-1')).toBe(false);
    expect(isIsoDate(20260228)).toBe(false);
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => addCalendarDays('not a date', 1)).toThrow(RangeError);
  });
});

describe('counting working days', () => {
  it('agrees with a walk over every day between, for pairs asked in any order, forwards and backwards', () => {
    const calendar = createWorkingCalendar({ closures: ['2026-12-29', '2027-08-02', '2025-05-06'] });
    const walk = (from: string, to: string) => {
      let count = 0;
      const [low, high, sign] = from <= to ? [addCalendarDays(from, 1), to, 1] : [to, addCalendarDays(from, -1), -1];
      for (let d = low; d <= high; d = addCalendarDays(d, 1)) if (calendar.isWorkingDay(d)) count += 1;
      return sign * count;
    };
    // A fixed scatter of days over four years (a small linear congruential sequence): far apart,
    // close together, before anything asked so far, and the same day twice.
    let seed = 7;
    const day = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return addCalendarDays('2025-01-01', seed % 1461);
    };
    for (let i = 0; i < 300; i += 1) {
      const [a, b] = [day(), i % 10 === 0 ? '2026-12-29' : day()];
      expect(calendar.workingDaysBetween(a, b), `${a} → ${b}`).toBe(walk(a, b));
    }
    expect(calendar.workingDaysBetween('2026-12-24', '2026-12-24')).toBe(0);
  });
});

describe('time zones', () => {
  it('gives the local date for an instant', () => {
    expect(todayIn('Europe/London', new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(todayIn('UTC', new Date('2026-06-30T23:30:00Z'))).toBe('2026-06-30');
    expect(todayIn('Europe/London', new Date('2026-01-15T23:30:00Z'))).toBe('2026-01-15');
    expect(() => todayIn('Mars/Olympus', new Date('2026-01-15T00:00:00Z'))).toThrow(RangeError);
  });

  it('gives the local date every quarter of an hour across both DST change days, forwards and back again', () => {
    // todayIn remembers the day it last gave per zone; asked in order and out of order, it must
    // still agree with a fresh conversion at every instant.
    const instants: Date[] = [];
    for (const [from, to] of [['2026-03-27T20:00:00Z', '2026-03-30T04:00:00Z'], ['2026-10-24T20:00:00Z', '2026-10-27T04:00:00Z']] as const) {
      for (let t = Date.parse(from); t <= Date.parse(to); t += 15 * 60_000) instants.push(new Date(t));
    }
    for (const zone of ['Europe/London', 'America/New_York', 'UTC']) {
      for (const at of [...instants, ...[...instants].reverse()]) {
        expect(todayIn(zone, at), `${zone} ${at.toISOString()}`).toBe(DateTime.fromJSDate(at, { zone }).toISODate());
      }
    }
  });

  it('turns 08:30 London time into the right instant on both DST change days', () => {
    const at = (date: string) => zonedDateTimeToInstant(date, '08:30', 'Europe/London').toISOString();
    expect(at('2026-03-28')).toBe('2026-03-28T08:30:00.000Z');
    expect(at('2026-03-29')).toBe('2026-03-29T07:30:00.000Z');
    expect(at('2026-10-24')).toBe('2026-10-24T07:30:00.000Z');
    expect(at('2026-10-25')).toBe('2026-10-25T08:30:00.000Z');
  });

  it('moves a time skipped by the spring change forward', () => {
    expect(zonedDateTimeToInstant('2026-03-29', '01:30', 'Europe/London').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });

  it('rejects a malformed time or zone', () => {
    expect(() => zonedDateTimeToInstant('2026-03-29', '8:30', 'Europe/London')).toThrow(RangeError);
    expect(() => zonedDateTimeToInstant('2026-03-29', '24:00', 'Europe/London')).toThrow(RangeError);
    expect(() => zonedDateTimeToInstant('2026-03-29', '08:30', 'Nowhere/Else')).toThrow(RangeError);
  });
});
