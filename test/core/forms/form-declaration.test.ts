// A form is declared once: each field builder gives the field both platforms draw and the zod
// piece that reads its answer, from the same options; defineForm joins them with the form's rules.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { checkboxes, choices, date, defineForm, number, onlyIf, select, text, type FormValues } from '../../../src/core/forms/form-declaration.ts';
import { fieldErrors, readForm } from '../../../src/core/forms/form-runtime.ts';
import type { FormView } from '../../../src/core/views/form-view.ts';

const colours = ['red', 'green'] as const;

function declare(withExtra: boolean) {
  return defineForm(
    [
      text('name', 'Name', { required: 'Enter a name.', maxLength: 5, tooLong: 'At most 5 characters.', hint: 'Short.' }),
      select('colour', 'Colour', choices(colours, { red: 'Red', green: 'Green' }), { invalid: 'Choose a colour from the list.', group: 'More' }),
      number('count', 'Count', { min: 1, max: 3, required: 'Enter a count.', invalid: 'Enter a whole number.', tooBig: 'At most 3.' }),
      date('from', 'From', { invalid: 'Enter a date.' }),
      date('to', 'To', { invalid: 'Enter a date.' }),
      ...onlyIf(withExtra, checkboxes('extra', 'Extra', [{ value: 'x' as const, label: 'X' }], { invalid: 'Tick X or nothing.' })),
    ],
    {
      check: (v, ctx) => {
        if (v.from !== null && v.to !== null && v.to < v.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'To must not be before from.' });
      },
    },
  );
}

const answers = { name: 'Jo', colour: '', count: '2', from: '2026-11-01', to: '2026-11-02', extra: [] };

describe('a declared form', () => {
  it('draws each field from the same options its piece checks', () => {
    expect(declare(true).fields).toEqual([
      { id: 'name', label: 'Name', kind: 'text', required: true, maxLength: 5, hint: 'Short.' },
      { id: 'colour', label: 'Colour', kind: 'select', required: false, options: [{ value: 'red', label: 'Red' }, { value: 'green', label: 'Green' }], group: 'More' },
      { id: 'count', label: 'Count', kind: 'number', required: true, min: 1, max: 3 },
      { id: 'from', label: 'From', kind: 'date', required: false },
      { id: 'to', label: 'To', kind: 'date', required: false },
      { id: 'extra', label: 'Extra', kind: 'checkboxes', required: false, options: [{ value: 'x', label: 'X' }] },
    ]);
    expect(declare(false).fields.map((f) => f.id)).not.toContain('extra');
  });

  it('reads answers into typed values: blanks of optional fields are null, numbers are numbers', () => {
    const form = declare(true);
    const parsed = form.schema.parse(answers);
    expect(parsed).toEqual({ name: 'Jo', colour: null, count: 2, from: '2026-11-01', to: '2026-11-02', extra: [] });
    expectTypeOf(parsed).toEqualTypeOf<FormValues<typeof form>>();
    expectTypeOf(parsed.colour).toEqualTypeOf<'red' | 'green' | null>();
    expectTypeOf(parsed.count).toEqualTypeOf<number>();
    expectTypeOf(parsed.extra).toEqualTypeOf<'x'[] | undefined>();
  });

  it("gives each field's own messages, and the form's rule under its field", () => {
    const form = declare(true);
    const failed = form.schema.safeParse({ ...answers, name: 'Joanna', count: '4', to: '2026-10-01', extra: ['y'] });
    expect(failed.success).toBe(false);
    expect(fieldErrors(failed.error!, form.fields)).toEqual({ name: 'At most 5 characters.', count: 'At most 3.', to: 'To must not be before from.', extra: 'Tick X or nothing.' });
    const blank = form.schema.safeParse({ ...answers, name: '', count: '', colour: 'blue' });
    expect(fieldErrors(blank.error!, form.fields)).toEqual({ name: 'Enter a name.', count: 'Enter a count.', colour: 'Choose a colour from the list.' });
  });

  it('is read by readForm: the shown form again with the answers kept when something is wrong', () => {
    const form = declare(false);
    const view: FormView = { id: 'test.form', title: 'Test', submitLabel: 'Send', fields: form.fields, values: {}, errors: {}, context: {} };
    const reading = readForm(view, { ...answers, name: '  Joanna  ' }, form);
    expect(reading.ok).toBe(false);
    if (!reading.ok) {
      expect(reading.reply.form.errors).toEqual({ name: 'At most 5 characters.' });
      expect(reading.reply.form.values.name).toBe('Joanna');
    }
    expect(readForm(view, answers, form)).toMatchObject({ ok: true, data: { name: 'Jo', count: 2 } });
  });

  it('refuses the same field id twice', () => {
    expect(() => defineForm([text('a', 'A'), text('a', 'A again')])).toThrow('A form declares the field a twice.');
  });
});
