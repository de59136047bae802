/**
 * The rules a recorded visit follows, whatever form or platform it came from: which outcomes
 * count as a visit for the interval, what a failed entry is, and when the warrant route applies.
 */
import { failedEntryOutcomes, isOneOf, type VisitOutcome } from '../domain/vocabulary.ts';
import type { Visit } from './visit-ports.ts';

/** Outcomes where the person was seen: only these meet the home-visit deadline. */
export const seenOutcomes = ['seen_at_home', 'seen_elsewhere'] as const satisfies readonly VisitOutcome[];

/** True when the visit saw the person, so it counts as the visit the policy asks for. */
export function countsAsVisit(outcome: string): boolean {
  return isOneOf(seenOutcomes, outcome);
}

/** True for an attempt where entry could not be gained (no reply, access refused). */
export function isFailedEntry(outcome: string): boolean {
  return isOneOf(failedEntryOutcomes, outcome);
}

/** How many failed entries in a row end the list, newest first (as `currentVersions` returns them). */
export function consecutiveFailedEntries(newestFirst: readonly Pick<Visit, 'outcome'>[]): number {
  let count = 0;
  for (const visit of newestFirst) {
    if (!isFailedEntry(visit.outcome)) break;
    count += 1;
  }
  return count;
}

/** From the second failed entry in a row, the confirmation points out the s.96B warrant. */
export const WARRANT_AFTER_FAILED_ENTRIES = 2;

/**
 * The next visit the officer planned, read from the newest visits: the latest chosen date, as
 * long as no visit that saw the person has come since (a visit without a date then falls back to
 * the policy) and the case's last visit is not later than the visit that set it.
 */
export function plannedNextVisitFrom(newestFirst: readonly Pick<Visit, 'visitedOn' | 'nextVisitOn' | 'outcome'>[], lastVisitOn: string | null): string | null {
  for (const visit of newestFirst) {
    if (lastVisitOn !== null && lastVisitOn > visit.visitedOn) return null;
    if (visit.nextVisitOn) return visit.nextVisitOn;
    if (countsAsVisit(visit.outcome)) return null;
  }
  return null;
}
