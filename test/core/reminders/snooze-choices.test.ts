// Snooze offers quick choices, tomorrow and next week in working days, and "pick a day", on both
// platforms (drawn on both in test/renderers/parity.test.ts); a quick choice submits its own date.
import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../../src/core/calendar/working-calendar.ts';
import { SNOOZE_PICK_A_DAY, snoozeChoices } from '../../../src/core/reminders/reminder-commands.ts';

const calendar = createWorkingCalendar();

describe('snooze quick choices', () => {
  it('offers tomorrow and next week, counted in working days, then pick a day', () => {
    // Tue 24 Nov 2026: tomorrow is Wed 25; five working days on is Tue 1 Dec.
    expect(snoozeChoices({ dueOn: '2026-12-31' }, '2026-11-24', calendar)).toEqual([
      { value: '2026-11-25', label: 'Tomorrow, Wed 25 Nov 2026' },
      { value: '2026-12-01', label: 'Next week, Tue 1 Dec 2026' },
      { value: SNOOZE_PICK_A_DAY, label: 'Pick a day' },
    ]);
  });

  it('says "next working day" over a weekend and the Christmas bank holidays', () => {
    expect(snoozeChoices({ dueOn: '2027-01-29' }, '2026-11-27', calendar)[0]).toEqual({ value: '2026-11-30', label: 'Next working day, Mon 30 Nov 2026' });
    // Fri 25 Dec and Mon 28 Dec (Boxing Day's substitute) are bank holidays.
    expect(snoozeChoices({ dueOn: '2027-01-29' }, '2026-12-24', calendar)[0]).toEqual({ value: '2026-12-29', label: 'Next working day, Tue 29 Dec 2026' });
  });

  it('leaves out a quick choice past what the reminder allows', () => {
    expect(snoozeChoices({ dueOn: '2026-11-26' }, '2026-11-24', calendar).map((c) => c.value)).toEqual(['2026-11-25', SNOOZE_PICK_A_DAY]);
  });
});
