import { describe, it, expect } from 'vitest';
import { isDomainError } from '../../../src/core/errors.ts';
import {
  defaultPolicy,
  matchesExternalRefPattern,
  parsePolicy,
  policySchema,
  safeParsePolicy,
} from '../../../src/core/policy/policy.ts';

describe('default policy', () => {
  it('holds the docs/domain.md defaults', () => {
    const policy = defaultPolicy();
    expect(policy.intervals).toEqual({
      very_high: { visitMonths: 1, reviewMonths: 3 },
      high: { visitMonths: 3, reviewMonths: 6 },
      medium: { visitMonths: 6, reviewMonths: 12 },
      low: { visitMonths: 12, reviewMonths: 12 },
      reactive: { visitMonths: null, reviewMonths: null },
    });
    expect(policy.earlyReviewWorkingDays).toEqual({ urgent: 1, standard: 5 });
    expect(policy.mappaReviewWeeks).toEqual({ level2: 16, level3: 8 });
    expect(policy.officerSupervisionWeeks).toBe(4);
    expect(policy.reminders).toEqual({
      beforeWorkingDays: [10, 3],
      onDueDate: true,
      dailyWhileOverdue: true,
      escalateAtWorkingDaysOverdue: 2,
      defaultTime: '08:30',
    });
    expect(policy.visitAmendmentWindowDays).toBe(7);
    expect(policy.storeArmsRatings).toBe(false);
    expect(policy.externalRefPattern).toBeNull();
  });

  it('returns a fresh copy each time', () => {
    const a = defaultPolicy();
    a.reminders.beforeWorkingDays.push(1);
    expect(defaultPolicy().reminders.beforeWorkingDays).toEqual([10, 3]);
  });

  it('passes its own schema unchanged', () => {
    expect(parsePolicy(defaultPolicy())).toEqual(defaultPolicy());
  });
});

describe('parsing partial policy', () => {
  it('fills an empty, null or missing policy with the defaults', () => {
    expect(parsePolicy({})).toEqual(defaultPolicy());
    expect(parsePolicy(null)).toEqual(defaultPolicy());
    expect(parsePolicy(undefined)).toEqual(defaultPolicy());
    expect(policySchema.parse({})).toEqual(defaultPolicy());
  });

  it('merges nested partial values over the defaults', () => {
    const policy = parsePolicy({ intervals: { high: { visitMonths: 2 } }, reminders: { defaultTime: '09:15' } });
    expect(policy.intervals.high).toEqual({ visitMonths: 2, reviewMonths: 6 });
    expect(policy.intervals.very_high).toEqual({ visitMonths: 1, reviewMonths: 3 });
    expect(policy.reminders.defaultTime).toBe('09:15');
    expect(policy.reminders.beforeWorkingDays).toEqual([10, 3]);
  });

  it('loads JSON stored by an older version, dropping keys it no longer knows', () => {
    const stored = { reviewReminderDays: 5, storeArmsRatings: true, reminders: { escalateAtWorkingDaysOverdue: 3 } };
    const policy = parsePolicy(stored);
    expect(policy.storeArmsRatings).toBe(true);
    expect(policy.reminders.escalateAtWorkingDaysOverdue).toBe(3);
    expect(policy).not.toHaveProperty('reviewReminderDays');
  });

  it('replaces lists rather than merging them, and orders reminder stages earliest first', () => {
    expect(parsePolicy({ reminders: { beforeWorkingDays: [3, 10, 5] } }).reminders.beforeWorkingDays).toEqual([10, 5, 3]);
    expect(parsePolicy({ reminders: { beforeWorkingDays: [] } }).reminders.beforeWorkingDays).toEqual([]);
  });

  it('lets a team give reactive cases a routine review', () => {
    const policy = parsePolicy({ intervals: { reactive: { reviewMonths: 24 } } });
    expect(policy.intervals.reactive).toEqual({ visitMonths: null, reviewMonths: 24 });
  });

  it('accepts a compilable external reference pattern and matches it as a whole', () => {
    const policy = parsePolicy({ externalRefPattern: '[A-Z]{2}\\d{4}' });
    expect(matchesExternalRefPattern(policy, 'AB1234')).toBe(true);
    expect(matchesExternalRefPattern(policy, 'xAB1234')).toBe(false);
    expect(matchesExternalRefPattern(policy, 'AB12345')).toBe(false);
    expect(matchesExternalRefPattern(defaultPolicy(), 'anything')).toBe(true);
  });
});

describe('rejecting bad policy', () => {
  it('lists every problem with its path', () => {
    const result = safeParsePolicy({
      intervals: { high: { visitMonths: 0 }, reactive: { reviewMonths: 2.5 } },
      earlyReviewWorkingDays: { urgent: 'one' },
      reminders: { defaultTime: '8:30', beforeWorkingDays: [3, 3] },
      storeArmsRatings: 'yes',
      externalRefPattern: '([A-Z',
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        'intervals.high.visitMonths: must be a whole number of months from 1 to 36',
        'intervals.reactive.reviewMonths: must be null (none) or a whole number of months from 1 to 36',
        'earlyReviewWorkingDays.urgent: must be a whole number of working days from 1 to 20',
        'reminders.defaultTime: must be a time such as 08:30 (24-hour HH:mm)',
        'reminders.beforeWorkingDays: must not repeat a number',
        'storeArmsRatings: must be true or false',
      ]),
    );
    expect(result.problems.find((p) => p.startsWith('externalRefPattern:'))).toMatch(
      /is not a valid regular expression/,
    );
    expect(result.problems).toHaveLength(7);
  });

  it('rejects a policy that is not an object, or a section that is not one', () => {
    expect(safeParsePolicy('strict')).toEqual({ success: false, problems: ['policy must be an object'] });
    expect(safeParsePolicy({ intervals: 5 })).toEqual({
      success: false,
      problems: ['intervals: must be an object keyed by risk level'],
    });
  });

  it('rejects an empty pattern and out-of-range reminder settings', () => {
    const result = safeParsePolicy({
      externalRefPattern: '',
      reminders: { escalateAtWorkingDaysOverdue: 0, beforeWorkingDays: [61] },
    });
    expect(result).toEqual({
      success: false,
      problems: expect.arrayContaining([
        'externalRefPattern: must not be empty (use null for no pattern)',
        'reminders.escalateAtWorkingDaysOverdue: must be a whole number of working days from 1 to 30',
        'reminders.beforeWorkingDays.0: must be a whole number of working days from 1 to 60',
      ]),
    });
  });

  it('throws an invalid_input DomainError carrying the problems', () => {
    let caught: unknown;
    try {
      parsePolicy({ officerSupervisionWeeks: -1 });
    } catch (error) {
      caught = error;
    }
    expect(isDomainError(caught)).toBe(true);
    if (!isDomainError(caught)) return;
    expect(caught.code).toBe('invalid_input');
    expect(caught.message).toContain('officerSupervisionWeeks: must be a whole number of weeks from 1 to 26');
    expect(caught.details).toEqual({
      problems: ['officerSupervisionWeeks: must be a whole number of weeks from 1 to 26'],
    });
  });
});
