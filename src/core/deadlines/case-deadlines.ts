/**
 * Owns the due dates of one case: home visit, assessment review, early review after a
 * significant change, and MAPPA review, computed from the case's history, its plan and the
 * team policy. Every due date lands on a working day, moved earlier, never later.
 */
import { addCalendarMonths, addWeeks, assertIsoDate } from '../calendar/working-calendar.ts';
import type { IsoDate, WorkingCalendar } from '../calendar/working-calendar.ts';
import type { ChangeUrgency, ManagementMode, MappaLevel, RiskLevel } from '../domain/vocabulary.ts';
import type { TeamPolicy } from '../policy/policy.ts';

/** A significant change not yet answered by an assessment. */
export interface OpenChange {
  reportedOn: IsoDate;
  urgency: ChangeUrgency;
}

/** What the deadline rules need to know about a case. */
export interface CaseDeadlineInput {
  riskLevel: RiskLevel;
  managementMode: ManagementMode;
  lastVisitOn: IsoDate | null;
  lastAssessmentOn: IsoDate | null;
  createdOn: IsoDate;
  /** The plan's own visit interval; replaces the policy table for this case. */
  planVisitIntervalMonths: number | null;
  /** The plan's own review interval; replaces the policy table for this case. */
  planReviewIntervalMonths: number | null;
  mappaLevel: MappaLevel | null;
  lastMappaReviewOn: IsoDate | null;
  /** Changes reported since the last assessment (the caller filters out answered ones). */
  openChanges: readonly OpenChange[];
  /**
   * The next visit the officer chose on the latest visit form, if any. It can only bring the
   * visit forward: a risk deadline never moves later than the plan or the policy allows.
   */
  plannedNextVisitOn?: IsoDate | null;
}

/** A case's due dates; null where the case has no such deadline. */
export interface CaseDeadlines {
  visitDue: IsoDate | null;
  assessmentReviewDue: IsoDate | null;
  earlyReviewDue: IsoDate | null;
  mappaReviewDue: IsoDate | null;
}

/** The intervals that apply to a case, and where each came from. */
export interface EffectiveIntervals {
  visitMonths: number | null;
  reviewMonths: number | null;
  visitSource: IntervalSource;
  reviewSource: IntervalSource;
}

/** Where an interval came from: the case's plan, the risk-level table, or reactive management. */
export type IntervalSource = 'plan' | 'risk_level' | 'reactive';

function checkPlanMonths(value: number | null, name: string): number | null {
  if (value !== null && (!Number.isInteger(value) || value < 1)) {
    throw new RangeError(`${name} must be a whole number of months, at least 1: ${value}`);
  }
  return value;
}

/**
 * The visit and review intervals for a case. A plan interval wins over the table, including
 * under reactive management (the plan is a deliberate decision for that case); otherwise a
 * reactive case uses the policy's reactive row (no routine visit or review by default).
 */
export function effectiveIntervals(
  input: Pick<CaseDeadlineInput, 'riskLevel' | 'managementMode' | 'planVisitIntervalMonths' | 'planReviewIntervalMonths'>,
  policy: TeamPolicy,
): EffectiveIntervals {
  const planVisit = checkPlanMonths(input.planVisitIntervalMonths, 'planVisitIntervalMonths');
  const planReview = checkPlanMonths(input.planReviewIntervalMonths, 'planReviewIntervalMonths');
  const tableSource: IntervalSource = input.managementMode === 'reactive' ? 'reactive' : 'risk_level';
  const table = input.managementMode === 'reactive' ? policy.intervals.reactive : policy.intervals[input.riskLevel];
  return {
    visitMonths: planVisit ?? table.visitMonths,
    reviewMonths: planReview ?? table.reviewMonths,
    visitSource: planVisit !== null ? 'plan' : tableSource,
    reviewSource: planReview !== null ? 'plan' : tableSource,
  };
}

// A case never visited (or assessed, or reviewed) is due on the day it was created.
function dueAfter(
  last: IsoDate | null,
  createdOn: IsoDate,
  advance: (from: IsoDate) => IsoDate,
  calendar: WorkingCalendar,
): IsoDate {
  const due = last === null ? assertIsoDate(createdOn) : advance(last);
  return calendar.onOrBeforeWorkingDay(due);
}

/** The earliest early-review date over the open changes, or null when there are none. */
export function earlyReviewDue(
  openChanges: readonly OpenChange[],
  policy: TeamPolicy,
  calendar: WorkingCalendar,
): IsoDate | null {
  let earliest: IsoDate | null = null;
  for (const change of openChanges) {
    const days = policy.earlyReviewWorkingDays[change.urgency];
    const due = calendar.onOrBeforeWorkingDay(calendar.addWorkingDays(change.reportedOn, days));
    if (earliest === null || due < earliest) earliest = due;
  }
  return earliest;
}

/** The next MAPPA review for a case at level 2 or 3; null at level 1 or outside MAPPA. */
export function mappaReviewDue(
  input: Pick<CaseDeadlineInput, 'lastMappaReviewOn' | 'createdOn'> & { mappaLevel: number | null },
  policy: TeamPolicy,
  calendar: WorkingCalendar,
): IsoDate | null {
  const weeks =
    input.mappaLevel === 2
      ? policy.mappaReviewWeeks.level2
      : input.mappaLevel === 3
        ? policy.mappaReviewWeeks.level3
        : null;
  if (weeks === null) return null;
  return dueAfter(input.lastMappaReviewOn, input.createdOn, (d) => addWeeks(d, weeks), calendar);
}

/** Computes every due date of a case from its history, plan and the team policy. */
export function computeCaseDeadlines(
  input: CaseDeadlineInput,
  policy: TeamPolicy,
  calendar: WorkingCalendar,
): CaseDeadlines {
  const { visitMonths, reviewMonths } = effectiveIntervals(input, policy);
  const policyVisitDue =
    visitMonths === null ? null : dueAfter(input.lastVisitOn, input.createdOn, (d) => addCalendarMonths(d, visitMonths), calendar);
  const planned = input.plannedNextVisitOn ? calendar.onOrBeforeWorkingDay(input.plannedNextVisitOn) : null;
  return {
    visitDue: planned !== null && (policyVisitDue === null || planned < policyVisitDue) ? planned : policyVisitDue,
    assessmentReviewDue:
      reviewMonths === null
        ? null
        : dueAfter(input.lastAssessmentOn, input.createdOn, (d) => addCalendarMonths(d, reviewMonths), calendar),
    earlyReviewDue: earlyReviewDue(input.openChanges, policy, calendar),
    mappaReviewDue: mappaReviewDue(input, policy, calendar),
  };
}

/** What the visit form knows when it proposes the next visit. */
export interface NextVisitProposalInput {
  /** The date of the visit being recorded. */
  visitedOn: IsoDate;
  riskLevel: RiskLevel;
  managementMode: ManagementMode;
  planVisitIntervalMonths: number | null;
}

/**
 * The next-visit date to prefill on a visit form: the visit date plus the case's visit
 * interval, on or before a working day. Null when the case has no routine visits (reactive).
 */
export function nextVisitProposal(
  input: NextVisitProposalInput,
  policy: TeamPolicy,
  calendar: WorkingCalendar,
): IsoDate | null {
  const { visitMonths } = effectiveIntervals({ ...input, planReviewIntervalMonths: null }, policy);
  if (visitMonths === null) return null;
  return calendar.onOrBeforeWorkingDay(addCalendarMonths(input.visitedOn, visitMonths));
}
