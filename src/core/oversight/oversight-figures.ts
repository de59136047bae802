/**
 * The figures of docs/oversight.md as the core hands them to views, the digest and the report:
 * the days they are counted on (worked out here, with the team's working calendar), the
 * officers they are shown for, and the few derived numbers (shares, the risk-weighted load).
 * The counting itself is done by the database (`repos.oversight`).
 */
import { addCalendarDays, addCalendarMonths, type IsoDate } from '../calendar/working-calendar.ts';
import type { Member, Team } from '../domain/entities.ts';
import { riskLevels, type RiskLevel } from '../domain/vocabulary.ts';
import type { Repositories } from '../ports.ts';
import { calendarFor } from '../services.ts';
import type { FigureBounds, FigureCounts, OfficerCounts } from './oversight-ports.ts';

/** "Due soon": due within this many working days from the as-of day. */
export const DUE_SOON_WORKING_DAYS = 10;
/** The protective-factor share looks at visits in this many days, the as-of day included. */
export const PROTECTIVE_WINDOW_DAYS = 90;
/** Supervision coverage looks back this many calendar months. */
export const COVERAGE_MONTHS = 3;
/** Risk weights for the weighted caseload (very high 4, high 3, medium 2, low 1). */
export const RISK_WEIGHTS: Record<RiskLevel, number> = { very_high: 4, high: 3, medium: 2, low: 1 };

/** The days figures as of `asOf` are counted on; with `periodFrom`, the report's on-time shares too. */
export function figureBounds(team: Team, asOf: IsoDate, periodFrom?: IsoDate): FigureBounds {
  return {
    asOf,
    timeZone: team.timeZone,
    dueSoonUntil: calendarFor(team).addWorkingDays(asOf, DUE_SOON_WORKING_DAYS),
    protectiveFrom: addCalendarDays(asOf, -(PROTECTIVE_WINDOW_DAYS - 1)),
    coverageFrom: addCalendarMonths(asOf, -COVERAGE_MONTHS),
    ...(periodFrom ? { periodFrom } : {}),
  };
}

/** A share as a whole percentage (halves round up), or null when there is nothing to share. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((100 * part) / whole) : null;
}

/** The risk-weighted caseload. */
export function weightedLoad(risk: Record<RiskLevel, number>): number {
  return riskLevels.reduce((sum, level) => sum + RISK_WEIGHTS[level] * risk[level], 0);
}

/** Supervision coverage of a set of counts, as a percentage. */
export const coveragePct = (c: FigureCounts): number | null => percent(c.coveredCases, c.openCases);
/** Protective-factor share of a set of counts, as a percentage. */
export const protectivePct = (c: FigureCounts): number | null => percent(c.strengthVisits, c.seenVisits);
/** Share of visits due in the period that were met on time. */
export const visitsOnTimePct = (c: FigureCounts): number | null => percent(c.visitsOnTime, c.visitsDue);
/** Share of reviews due in the period that were met on time. */
export const reviewsOnTimePct = (c: FigureCounts): number | null => percent(c.reviewsOnTime, c.reviewsDue);

/** One officer with their counts (zeros when they have nothing to count). */
export interface OfficerFigures {
  officer: Member;
  counts: OfficerCounts;
}

/** Everything counted for a team as of one day. */
export interface TeamFigures {
  bounds: FigureBounds;
  /** Every active officer, by name. */
  officers: OfficerFigures[];
  team: FigureCounts;
}

/** The officers figures are shown for: active members with the officer role, by name. */
export function officersOf(members: readonly Member[]): Member[] {
  return members.filter((m) => m.active && m.roles.includes('officer')).sort((a, b) => a.displayName.localeCompare(b.displayName, 'en-GB') || a.id.localeCompare(b.id));
}

/** Counts the team's figures as of `asOf` (and the period from `periodFrom`, for the report). */
export async function teamFigures(repos: Repositories, team: Team, asOf: IsoDate, periodFrom?: IsoDate): Promise<TeamFigures> {
  const bounds = figureBounds(team, asOf, periodFrom);
  const [members, counts] = [await repos.members.listByTeam(team.id), await repos.oversight.counts(team.id, bounds)];
  const officers = officersOf(members).map((officer): OfficerFigures => {
    const found = counts.byMember.get(officer.id);
    return { officer, counts: found ?? emptyOfficerCounts(officer.id) };
  });
  return { bounds, officers, team: counts.team };
}

/** A zeroed set of counts. */
export function zeroCounts(): FigureCounts {
  return {
    openCases: 0,
    risk: { low: 0, medium: 0, high: 0, very_high: 0 },
    coveredCases: 0,
    openDeadlines: 0,
    overdueVisits: 0,
    overdueReviews: 0,
    overdueMappa: 0,
    overdueActions: 0,
    overdueAll: 0,
    overdueUrgent: 0,
    dueSoon: 0,
    actionsOpen: 0,
    seenVisits: 0,
    strengthVisits: 0,
    visitsDue: 0,
    visitsOnTime: 0,
    reviewsDue: 0,
    reviewsOnTime: 0,
  };
}

/** Counts for an officer with nothing to count. */
export function emptyOfficerCounts(memberId: string): OfficerCounts {
  return { ...zeroCounts(), memberId, lastSupervisionOn: null, nextSupervisionOn: null };
}
