// The personal-data nudge: each pattern of docs/domain.md fires, and case keys, dates of visits,
// times and ordinary sentences do not.
import { describe, expect, it } from 'vitest';
import { describePersonalData, findPersonalData } from '../../../src/core/discussions/personal-data.ts';

describe('findPersonalData', () => {
  it.each([
    ['He has moved to SW1A 1AA', 'postcode'],
    ['new address is in m1 1ae', 'postcode'],
    ['B33 8TH', 'postcode'],
    ['call him on 07700 900123', 'phone'],
    ['landline 020 7946 0018', 'phone'],
    ['ring +44 7700 900123', 'phone'],
    ['DOB 12/03/1985', 'date_of_birth'],
    ['born 3rd March 1990', 'date_of_birth'],
    ['date of birth: 01-02-03', 'date_of_birth'],
    ['he is 14/07/1979 if that helps', 'date_of_birth'],
    ['PNC 98/123456A', 'pnc'],
    ['check 2001/1234567Z', 'pnc'],
    ['email j.bloggs@example.com', 'email'],
  ])('finds %s as %s', (text, kind) => {
    expect(findPersonalData(text)).toEqual([kind]);
  });

  it.each([
    'Case CW-7K3P needs a visit',
    'CW-T2A3 and CW-9XY2 are both high risk',
    'I think we should visit next week at 10:30 and review on 12/03/2026.',
    'Visit due 2026-12-24, MAPPA level 2 category 1',
    'Risk level high for 3 months; 2 of 3 targets met',
    'Agreed, a joint visit with probation makes sense.',
  ])('leaves alone: %s', (text) => {
    expect(findPersonalData(text)).toEqual([]);
  });

  it('names several kinds in one sentence', () => {
    const kinds = findPersonalData('SW1A 1AA, 07700 900123, a@b.co');
    expect(kinds).toEqual(['postcode', 'phone', 'email']);
    expect(describePersonalData(kinds)).toBe('a postcode, a phone number and an email address');
  });
});
