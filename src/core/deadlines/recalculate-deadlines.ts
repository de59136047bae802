/**
 * Recalculating every case of a team at once (the policy changed): off the request path, in
 * batches, each batch read with a few set-based queries, computed here with the same rules as one
 * case (`computeCaseDeadlines`), and written with one statement per batch. Safe to run twice or
 * on two replicas: a deadline already right is left as it is.
 */
import type { Team } from '../domain/entities.ts';
import type { ManagementMode, MappaLevel, RiskLevel } from '../domain/vocabulary.ts';
import type { CaseRecalculationInput, DeadlineKind, DeadlineSync, Store } from '../ports.ts';
import { calendarFor } from '../services.ts';
import { caseDeadlineSubject } from '../cases/case-deadlines-sync.ts';
import { plannedNextVisitFrom } from '../visits/visit-rules.ts';
import { computeCaseDeadlines } from './case-deadlines.ts';

/** The name of the job that runs requested recalculations. */
export const RECALCULATE_DEADLINES_JOB = 'recalculate-deadlines';

/** Cases per batch: each batch is one short transaction. */
export const RECALCULATION_BATCH = 500;

/** The four deadlines of one case as they should now stand. */
export function caseDeadlineRows(team: Team, input: CaseRecalculationInput): DeadlineSync[] {
  const active = input.status === 'active';
  const due = computeCaseDeadlines(
    {
      riskLevel: input.riskLevel as RiskLevel,
      managementMode: input.managementMode as ManagementMode,
      lastVisitOn: input.lastVisitOn,
      lastAssessmentOn: input.lastAssessmentOn,
      createdOn: input.createdOn,
      planVisitIntervalMonths: input.planVisitIntervalMonths,
      planReviewIntervalMonths: input.planReviewIntervalMonths,
      mappaLevel: (input.mappaLevel as MappaLevel | null) ?? null,
      lastMappaReviewOn: input.lastMappaReviewOn,
      openChanges: input.openChanges,
      plannedNextVisitOn: plannedNextVisitFrom(input.recentVisits, input.lastVisitOn),
    },
    team.policy,
    calendarFor(team),
  );
  const urgentChange = input.openChanges.some((e) => e.urgency === 'urgent');
  const kinds: [DeadlineKind, string | null, boolean][] = [
    ['visit', due.visitDue, false],
    ['assessment_review', due.assessmentReviewDue, false],
    ['early_review', due.earlyReviewDue, urgentChange],
    ['mappa_review', due.mappaReviewDue, false],
  ];
  return kinds.map(([kind, dueOn, urgent]) => ({
    kind,
    subjectKey: caseDeadlineSubject(input.caseId, kind),
    caseId: input.caseId,
    ownerMemberId: input.leadOfficerId,
    dueOn: active ? dueOn : null,
    urgent,
  }));
}

/** Recalculates every case of the team; returns how many cases were looked at. */
export async function recalculateTeamDeadlines(store: Store, team: Team, batchSize = RECALCULATION_BATCH): Promise<number> {
  let after: string | null = null;
  let total = 0;
  for (;;) {
    const cursor: string | null = after;
    const done: string | null = await store.transaction(async (repos) => {
      const inputs = await repos.deadlines.recalculationInputs(team.id, cursor, batchSize);
      if (inputs.length === 0) return null;
      await repos.deadlines.syncMany(team.id, inputs.flatMap((input) => caseDeadlineRows(team, input)));
      total += inputs.length;
      return inputs.at(-1)!.caseId;
    });
    if (done === null) return total;
    after = done;
  }
}

/** What a recalculation run did. */
export interface RecalculationResult {
  teams: number;
  cases: number;
  failures: { scope: string; error: unknown }[];
}

/**
 * Runs the recalculations teams have asked for. A request made again while one ran is left in
 * place, so the newest policy always ends up applied.
 */
export async function runRequestedRecalculations(store: Store): Promise<RecalculationResult> {
  const result: RecalculationResult = { teams: 0, cases: 0, failures: [] };
  const pending = await store.read((repos) => repos.deadlines.pendingRecalculations());
  for (const { teamId, requestedAt } of pending) {
    try {
      const team = await store.read((repos) => repos.teams.findById(teamId));
      if (!team) continue;
      result.cases += await recalculateTeamDeadlines(store, team);
      await store.transaction((repos) => repos.deadlines.finishRecalculation(teamId, requestedAt));
      result.teams += 1;
    } catch (error) {
      result.failures.push({ scope: `team:${teamId}`, error });
    }
  }
  return result;
}
