import { describe, it, expect } from 'vitest';
import {
  armsFactorListVersion,
  armsProtectiveFactors,
  armsRiskFactorLabels,
  armsRiskFactors,
  deadlineKindLabels,
  deadlineKinds,
  failedEntryOutcomes,
  isOneOf,
  riskLevels,
  significantChangeKinds,
  significantChanges,
  urgencyOf,
  visitOutcomes,
} from '../../../src/core/domain/vocabulary.ts';

describe('vocabulary', () => {
  it('has seven ARMS risk factors and five protective factors, versioned', () => {
    expect(armsRiskFactors).toHaveLength(7);
    expect(armsProtectiveFactors).toHaveLength(5);
    expect(armsFactorListVersion).toBe('ARMS-2');
    expect(armsRiskFactorLabels.negative_social_influences).toBe('Social influences (negative)');
  });

  it('marks exactly the four urgent significant changes', () => {
    const urgent = significantChangeKinds.filter((kind) => urgencyOf(kind) === 'urgent');
    expect(urgent).toEqual(['further_offence', 'breach', 'missing', 'child_access']);
    expect(significantChangeKinds).toHaveLength(16);
    expect(Object.keys(significantChanges)).toEqual([...significantChangeKinds]);
  });

  it('labels every deadline kind the database accepts', () => {
    expect(deadlineKinds).toEqual([
      'visit',
      'assessment_review',
      'early_review',
      'mappa_review',
      'officer_supervision',
      'supervision_action',
    ]);
    for (const kind of deadlineKinds) expect(deadlineKindLabels[kind].length).toBeGreaterThan(0);
  });

  it('counts no reply and access refused as failed entry', () => {
    expect(failedEntryOutcomes.every((outcome) => isOneOf(visitOutcomes, outcome))).toBe(true);
    expect([...failedEntryOutcomes]).toEqual(['no_reply', 'access_refused']);
  });

  it('narrows unknown values with isOneOf', () => {
    expect(isOneOf(riskLevels, 'very_high')).toBe(true);
    expect(isOneOf(riskLevels, 'extreme')).toBe(false);
    expect(isOneOf(riskLevels, undefined)).toBe(false);
  });
});
