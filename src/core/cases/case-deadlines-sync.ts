/**
 * Keeps a case's due dates true: recomputes them from the policy, the calendar and the case's
 * history whenever something relevant changes, and keeps them as the case's open deadlines, the
 * one source of truth that case cards, lists and reminders all read.
 */
import type { IsoDate } from '../calendar/working-calendar.ts';
import { computeCaseDeadlines, type CaseDeadlines } from '../deadlines/case-deadlines.ts';
import type { Case, Team } from '../domain/entities.ts';
import type { MappaLevel } from '../domain/vocabulary.ts';
import type { DeadlineKind, Repositories } from '../ports.ts';
import { calendarFor } from '../services.ts';
import { plannedNextVisitFrom } from '../visits/visit-rules.ts';

/** The subject key of a case deadline: one open deadline per case and kind. */
export function caseDeadlineSubject(caseId: string, kind: DeadlineKind): string {
  return `case:${caseId}:${kind}`;
}

// How many recent visits to look through for the officer's chosen next-visit date.
const PLANNED_VISIT_LOOKBACK = 10;

async function plannedNextVisit(repos: Repositories, c: Case): Promise<IsoDate | null> {
  return plannedNextVisitFrom(await repos.visits.currentVersions(c.id, PLANNED_VISIT_LOOKBACK), c.lastVisitOn);
}

/** Computes a case's due dates without storing them. */
export async function computeDeadlinesFor(repos: Repositories, team: Team, c: Case): Promise<CaseDeadlines> {
  const openChanges = c.id ? await repos.cases.openChangeEvents(c.id) : [];
  return computeCaseDeadlines(
    {
      riskLevel: c.riskLevel,
      managementMode: c.managementMode,
      lastVisitOn: c.lastVisitOn,
      lastAssessmentOn: c.lastAssessmentOn,
      createdOn: c.createdOn,
      planVisitIntervalMonths: c.planVisitIntervalMonths,
      planReviewIntervalMonths: c.planReviewIntervalMonths,
      mappaLevel: (c.mappaLevel as MappaLevel | null) ?? null,
      lastMappaReviewOn: c.lastMappaReviewOn,
      openChanges: openChanges.map((e) => ({ reportedOn: e.reportedOn, urgency: e.urgency })),
      plannedNextVisitOn: c.id ? await plannedNextVisit(repos, c) : null,
    },
    team.policy,
    calendarFor(team),
  );
}

/**
 * Recomputes the case's due dates and makes its open deadlines match (the deadlines table is the
 * one place they are kept). Returns the case with its due dates as they now stand.
 */
export async function refreshCaseDeadlines(repos: Repositories, team: Team, c: Case): Promise<Case> {
  const due = await computeDeadlinesFor(repos, team, c);
  const openChanges = await repos.cases.openChangeEvents(c.id);
  const urgentChange = openChanges.some((e) => e.urgency === 'urgent');
  const active = c.status === 'active';
  const updated: Case = {
    ...c,
    visitDueOn: active ? due.visitDue : null,
    assessmentReviewDueOn: active ? due.assessmentReviewDue : null,
    earlyReviewDueOn: active ? due.earlyReviewDue : null,
    mappaReviewDueOn: active ? due.mappaReviewDue : null,
  };
  const owner = c.leadOfficerId;
  const kinds: [DeadlineKind, string | null, boolean][] = [
    ['visit', due.visitDue, false],
    ['assessment_review', due.assessmentReviewDue, false],
    ['early_review', due.earlyReviewDue, urgentChange],
    ['mappa_review', due.mappaReviewDue, false],
  ];
  for (const [kind, dueOn, urgent] of kinds) {
    await repos.deadlines.syncOpen({
      teamId: team.id,
      kind,
      subjectKey: caseDeadlineSubject(c.id, kind),
      caseId: c.id,
      ownerMemberId: owner,
      dueOn: active ? dueOn : null,
      urgent,
    });
  }
  return updated;
}
