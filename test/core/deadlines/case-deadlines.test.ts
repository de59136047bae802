import { describe, it, expect } from 'vitest';
import { createWorkingCalendar } from '../../../src/core/calendar/working-calendar.ts';
import {
  computeCaseDeadlines,
  effectiveIntervals,
  nextVisitProposal,
} from '../../../src/core/deadlines/case-deadlines.ts';
import type { CaseDeadlineInput } from '../../../src/core/deadlines/case-deadlines.ts';
import { defaultPolicy, parsePolicy } from '../../../src/core/policy/policy.ts';

const calendar = createWorkingCalendar();
const policy = defaultPolicy();

function buildCase(overrides: Partial<CaseDeadlineInput> = {}): CaseDeadlineInput {
  return {
    riskLevel: 'high',
    managementMode: 'active',
    lastVisitOn: '2026-01-15',
    lastAssessmentOn: '2026-01-15',
    createdOn: '2025-06-02',
    planVisitIntervalMonths: null,
    planReviewIntervalMonths: null,
    mappaLevel: null,
    lastMappaReviewOn: null,
    openChanges: [],
    ...overrides,
  };
}

describe('routine visit and review by risk level', () => {
  it.each([
    ['very_high', '2026-02-13', '2026-04-15'], // 15 Feb is a Sunday: back to Friday 13th
    ['high', '2026-04-15', '2026-07-15'],
    ['medium', '2026-07-15', '2027-01-15'],
    ['low', '2027-01-15', '2027-01-15'],
  ] as const)('%s: visit due %s, review due %s', (riskLevel, visitDue, reviewDue) => {
    expect(computeCaseDeadlines(buildCase({ riskLevel }), policy, calendar)).toEqual({
      visitDue,
      assessmentReviewDue: reviewDue,
      earlyReviewDue: null,
      mappaReviewDue: null,
    });
  });

  it('moves a due date on a bank holiday to the working day before', () => {
    const deadlines = computeCaseDeadlines(
      buildCase({ riskLevel: 'very_high', lastVisitOn: '2026-03-06' }),
      policy,
      calendar,
    );
    expect(deadlines.visitDue).toBe('2026-04-02'); // 6 Apr is Easter Monday
  });

  it('clamps to the end of a short month, then rolls back off the weekend', () => {
    const deadlines = computeCaseDeadlines(
      buildCase({ riskLevel: 'very_high', lastVisitOn: '2026-01-31' }),
      policy,
      calendar,
    );
    expect(deadlines.visitDue).toBe('2026-02-27'); // 28 Feb 2026 is a Saturday
  });

  it('makes a case never visited or assessed due on the day it was created', () => {
    const fresh = buildCase({ lastVisitOn: null, lastAssessmentOn: null, createdOn: '2026-03-10' });
    expect(computeCaseDeadlines(fresh, policy, calendar)).toMatchObject({
      visitDue: '2026-03-10',
      assessmentReviewDue: '2026-03-10',
    });
    const importedOnSaturday = buildCase({ lastVisitOn: null, createdOn: '2026-03-07' });
    expect(computeCaseDeadlines(importedOnSaturday, policy, calendar).visitDue).toBe('2026-03-06');
  });

  it('follows the team policy table', () => {
    const strict = parsePolicy({ intervals: { high: { visitMonths: 2 } } });
    expect(computeCaseDeadlines(buildCase(), strict, calendar).visitDue).toBe('2026-03-13');
  });
});

describe('plan overrides', () => {
  it('replaces the table interval for that case', () => {
    const deadlines = computeCaseDeadlines(
      buildCase({ planVisitIntervalMonths: 2, planReviewIntervalMonths: 4 }),
      policy,
      calendar,
    );
    expect(deadlines.visitDue).toBe('2026-03-13'); // 15 Mar is a Sunday
    expect(deadlines.assessmentReviewDue).toBe('2026-05-15');
  });

  it('says where each interval came from', () => {
    expect(effectiveIntervals(buildCase({ planVisitIntervalMonths: 2 }), policy)).toEqual({
      visitMonths: 2,
      reviewMonths: 6,
      visitSource: 'plan',
      reviewSource: 'risk_level',
    });
  });

  it('rejects an interval that is not a positive whole number of months', () => {
    expect(() => computeCaseDeadlines(buildCase({ planVisitIntervalMonths: 0 }), policy, calendar)).toThrow(RangeError);
    expect(() => computeCaseDeadlines(buildCase({ planReviewIntervalMonths: 1.5 }), policy, calendar)).toThrow(
      RangeError,
    );
  });
});

describe('reactive management', () => {
  const reactive = buildCase({ riskLevel: 'low', managementMode: 'reactive' });

  it('has no routine visit and no scheduled review', () => {
    expect(computeCaseDeadlines(reactive, policy, calendar)).toEqual({
      visitDue: null,
      assessmentReviewDue: null,
      earlyReviewDue: null,
      mappaReviewDue: null,
    });
    expect(effectiveIntervals(reactive, policy)).toMatchObject({ visitSource: 'reactive', reviewSource: 'reactive' });
  });

  it('still brings a review forward after a significant change', () => {
    const changed = { ...reactive, openChanges: [{ reportedOn: '2026-03-09', urgency: 'standard' as const }] };
    expect(computeCaseDeadlines(changed, policy, calendar)).toMatchObject({
      visitDue: null,
      assessmentReviewDue: null,
      earlyReviewDue: '2026-03-16',
    });
  });

  it('uses a plan interval when the case has one, and the policy’s reactive row when set', () => {
    expect(computeCaseDeadlines({ ...reactive, planVisitIntervalMonths: 12 }, policy, calendar).visitDue).toBe(
      '2027-01-15',
    );
    const teamPolicy = parsePolicy({ intervals: { reactive: { reviewMonths: 24 } } });
    expect(computeCaseDeadlines(reactive, teamPolicy, calendar)).toMatchObject({
      visitDue: null,
      assessmentReviewDue: '2028-01-14', // 15 Jan 2028 is a Saturday
    });
  });
});

describe('early review after a significant change', () => {
  const early = (openChanges: CaseDeadlineInput['openChanges']) =>
    computeCaseDeadlines(buildCase({ openChanges }), policy, calendar).earlyReviewDue;

  it('is due the next working day after an urgent change, across Christmas', () => {
    // Thursday 24 Dec 2026: 25th Christmas, weekend, 28th substitute Boxing Day.
    expect(early([{ reportedOn: '2026-12-24', urgency: 'urgent' }])).toBe('2026-12-29');
  });

  it('is due within five working days after a standard change', () => {
    expect(early([{ reportedOn: '2026-03-09', urgency: 'standard' }])).toBe('2026-03-16');
    expect(early([{ reportedOn: '2026-12-24', urgency: 'standard' }])).toBe('2027-01-05');
  });

  it('counts from a change reported at the weekend', () => {
    expect(early([{ reportedOn: '2026-03-07', urgency: 'urgent' }])).toBe('2026-03-09');
  });

  it('takes the earliest over all open changes', () => {
    expect(
      early([
        { reportedOn: '2026-03-02', urgency: 'standard' },
        { reportedOn: '2026-03-05', urgency: 'urgent' },
      ]),
    ).toBe('2026-03-06');
    expect(
      early([
        { reportedOn: '2026-03-02', urgency: 'standard' },
        { reportedOn: '2026-03-10', urgency: 'urgent' },
      ]),
    ).toBe('2026-03-09');
  });

  it('is null with no open changes', () => {
    expect(early([])).toBeNull();
  });
});

describe('MAPPA review', () => {
  const mappa = (overrides: Partial<CaseDeadlineInput>) =>
    computeCaseDeadlines(buildCase(overrides), policy, calendar).mappaReviewDue;

  it('is every 16 weeks at level 2 and every 8 weeks at level 3', () => {
    expect(mappa({ mappaLevel: 2, lastMappaReviewOn: '2026-01-15' })).toBe('2026-05-07');
    expect(mappa({ mappaLevel: 3, lastMappaReviewOn: '2026-01-15' })).toBe('2026-03-12');
  });

  it('rolls back off a bank holiday', () => {
    expect(mappa({ mappaLevel: 3, lastMappaReviewOn: '2026-02-09' })).toBe('2026-04-02');
  });

  it('is due on the day the case was created when never reviewed', () => {
    expect(mappa({ mappaLevel: 2, lastMappaReviewOn: null, createdOn: '2026-03-10' })).toBe('2026-03-10');
  });

  it('does not apply at level 1 or outside MAPPA', () => {
    expect(mappa({ mappaLevel: 1, lastMappaReviewOn: '2026-01-15' })).toBeNull();
    expect(mappa({ mappaLevel: null })).toBeNull();
  });
});

describe('next visit proposal', () => {
  it('proposes the visit date plus the interval, on or before a working day', () => {
    const input = { visitedOn: '2026-01-06', riskLevel: 'high', managementMode: 'active', planVisitIntervalMonths: null } as const;
    expect(nextVisitProposal(input, policy, calendar)).toBe('2026-04-02');
    expect(nextVisitProposal({ ...input, planVisitIntervalMonths: 1 }, policy, calendar)).toBe('2026-02-06');
  });

  it('proposes nothing for a reactive case', () => {
    const input = { visitedOn: '2026-01-06', riskLevel: 'low', managementMode: 'reactive', planVisitIntervalMonths: null } as const;
    expect(nextVisitProposal(input, policy, calendar)).toBeNull();
  });
});
