/**
 * What oversight reads from storage, declared beside the feature (re-exported through
 * `Repositories.oversight`, implemented in src/db): every figure of docs/oversight.md as counts
 * the database works out, per officer and for the whole team, and the short lists a supervisor
 * drills into. Nothing here loads rows to count them in JavaScript.
 */
import type { IsoDate } from '../calendar/working-calendar.ts';
import type { RiskLevel } from '../domain/vocabulary.ts';
import type { DeadlineKind } from '../ports.ts';

/** The days a set of figures is counted on (docs/oversight.md, "as of"). */
export interface FigureBounds {
  /** The day the figures are as of: overdue means due before it. */
  asOf: IsoDate;
  /** The team's time zone: instants (met, signed, cancelled) count on their local date. */
  timeZone: string;
  /** "Due soon" runs from `asOf` to here (10 working days on). */
  dueSoonUntil: IsoDate;
  /** First day of the protective-factor window (90 days up to `asOf`). */
  protectiveFrom: IsoDate;
  /** First day of the supervision-coverage window (3 months up to `asOf`). */
  coverageFrom: IsoDate;
  /** First day of the report's period: on-time shares count deadlines due from here to `asOf`. */
  periodFrom?: IsoDate;
}

/** Counts for one officer, or for the whole team, as of one day. */
export interface FigureCounts {
  openCases: number;
  /** Open cases by risk level. */
  risk: Record<RiskLevel, number>;
  /** Open cases with a signed supervision note or a supervision session about them in the coverage window. */
  coveredCases: number;
  openDeadlines: number;
  overdueVisits: number;
  overdueReviews: number;
  overdueMappa: number;
  overdueActions: number;
  /** Overdue deadlines of every kind (officer supervision included). */
  overdueAll: number;
  /** Overdue deadlines marked urgent (an early review after an urgent change). */
  overdueUrgent: number;
  dueSoon: number;
  actionsOpen: number;
  /** Visits in the protective window where the person was seen, and those with a protective factor noted. */
  seenVisits: number;
  strengthVisits: number;
  /** Visit and review deadlines due in the period, and those met on time (report only; 0 otherwise). */
  visitsDue: number;
  visitsOnTime: number;
  reviewsDue: number;
  reviewsOnTime: number;
}

/** One officer's counts with their supervision dates. */
export interface OfficerCounts extends FigureCounts {
  memberId: string;
  /** The latest one-to-one supervision session held on or before the as-of day. */
  lastSupervisionOn: IsoDate | null;
  /** When the next session is due (the officer-supervision deadline open on the as-of day). */
  nextSupervisionOn: IsoDate | null;
}

/** Counts for every member who has any, and for the team as a whole. */
export interface TeamCounts {
  /** By member id; members with nothing to count are absent. */
  byMember: Map<string, OfficerCounts>;
  team: FigureCounts;
}

/** One week of the report's charts. */
export interface WeekCounts {
  /** Monday of the ISO week, or the period's first day for a partial first week. */
  start: IsoDate;
  /** Sunday of the week, or the period's last day. */
  end: IsoDate;
  visitsDue: number;
  visitsDone: number;
  /** Deadlines overdue at the end of the week. */
  overdue: number;
}

/** How many items each drill-down list has right now. */
export interface ListCounts {
  awaitingDecision: number;
  withoutSupervisor: number;
  withoutDeadline: number;
  mappaDue: number;
}

/** A case in a drill-down list. */
export interface ListedCase {
  caseId: string;
  caseKey: string;
  riskLevel: RiskLevel;
  managementMode: string;
  leadOfficerName: string | null;
}

/** A discussion waiting for a supervisor's decision. */
export interface WaitingDiscussion {
  discussionId: string;
  caseId: string;
  caseKey: string;
  status: 'open' | 'awaiting_decision';
  openedAt: Date;
  leadOfficerName: string | null;
  /** A link to its thread, when the platform gave one. */
  link: string | null;
}

/** A deadline in a drill-down list (MAPPA reviews due, an officer's overdue work). */
export interface ListedDeadline {
  deadlineId: string;
  kind: DeadlineKind;
  caseId: string | null;
  caseKey: string | null;
  dueOn: IsoDate;
  urgent: boolean;
  ownerName: string | null;
  mappaLevel: number | null;
}

/** A page of a list, counted in the database. */
export interface ListSlice<T> {
  items: T[];
  total: number;
}

/** A case whose last two visits where the person was seen recorded no protective factor. */
export interface CaseWithoutStrengths {
  caseId: string;
  caseKey: string;
  leadOfficerId: string | null;
}

/** The oversight queries. */
export interface OversightReader {
  /** Every figure of docs/oversight.md for each member and the team, as of `bounds.asOf`. */
  counts(teamId: string, bounds: FigureBounds): Promise<TeamCounts>;
  /** Visits due and done, and deadlines overdue at each week's end, for the report's charts. */
  weeks(teamId: string, timeZone: string, weeks: readonly { start: IsoDate; end: IsoDate }[], asOf: IsoDate): Promise<WeekCounts[]>;
  /** The sizes of the drill-down lists now; MAPPA reviews count when due on or before `mappaUntil`. */
  listCounts(teamId: string, mappaUntil: IsoDate): Promise<ListCounts>;
  /** Discussions not yet decided, longest waiting first. */
  awaitingDecision(teamId: string, offset: number, limit: number): Promise<ListSlice<WaitingDiscussion>>;
  /** Active cases with no supervisor, on the case or through their lead officer. */
  withoutSupervisor(teamId: string, offset: number, limit: number): Promise<ListSlice<ListedCase>>;
  /** Active cases with no open deadline at all. */
  withoutDeadline(teamId: string, offset: number, limit: number): Promise<ListSlice<ListedCase>>;
  /** Open MAPPA reviews due on or before `until` (overdue ones first). */
  mappaDue(teamId: string, until: IsoDate, offset: number, limit: number): Promise<ListSlice<ListedDeadline>>;
  /** A member's open deadlines due before `asOf`, earliest first. */
  overdueFor(memberId: string, asOf: IsoDate, offset: number, limit: number): Promise<ListSlice<ListedDeadline>>;
  /** Active cases (led by `officerId`, or any) whose last two visits where the person was seen noted no strength. */
  casesWithoutStrengths(teamId: string, officerId?: string): Promise<CaseWithoutStrengths[]>;
}
