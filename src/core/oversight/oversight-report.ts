/**
 * The oversight report for a period: one row per officer with the figures of docs/oversight.md
 * as of the period's last day, the team's row, and the weekly series the charts draw. Built once
 * here; written as Markdown here (plain text, like the case record), and as CSV and PDF by the
 * renderers in src/renderers/oversight, so every format carries the same numbers.
 */
import { addCalendarDays, dayOfWeek, isIsoDate, type IsoDate } from '../calendar/working-calendar.ts';
import type { Team } from '../domain/entities.ts';
import { DomainError } from '../errors.ts';
import type { Repositories } from '../ports.ts';
import { formatDate, formatDateTime } from '../views/format.ts';
import { coveragePct, protectivePct, reviewsOnTimePct, teamFigures, visitsOnTimePct, weightedLoad, COVERAGE_MONTHS, PROTECTIVE_WINDOW_DAYS } from './oversight-figures.ts';
import type { FigureCounts, OfficerCounts, WeekCounts } from './oversight-ports.ts';

/** The formats the report is written in. */
export const REPORT_FORMATS = ['md', 'pdf', 'csv'] as const;
/** One of {@link REPORT_FORMATS}. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The longest period one report covers (a year, and a day for a leap year). */
export const MAX_REPORT_DAYS = 366;

/** One row of the report: an officer, or the team. */
export interface ReportRow {
  officer: string;
  counts: FigureCounts;
  lastSupervisionOn: IsoDate | null;
  nextSupervisionOn: IsoDate | null;
}

/** The report's content, whatever format it is written in. */
export interface OversightReport {
  teamName: string;
  teamKey: string;
  from: IsoDate;
  to: IsoDate;
  generatedAt: Date;
  timeZone: string;
  officers: ReportRow[];
  team: ReportRow;
  weeks: WeekCounts[];
}

/** Raises a DomainError unless `from`..`to` is a period one report can cover. */
export function checkPeriod(from: unknown, to: unknown): { from: IsoDate; to: IsoDate } {
  if (!isIsoDate(from) || !isIsoDate(to)) throw new DomainError('invalid_input', 'Give the period as two dates, YYYY-MM-DD.');
  if (from > to) throw new DomainError('invalid_input', 'The period must start on or before the day it ends.');
  if (addCalendarDays(from, MAX_REPORT_DAYS - 1) < to) throw new DomainError('invalid_input', `One report covers at most ${MAX_REPORT_DAYS} days.`);
  return { from, to };
}

/** The ISO weeks (Monday to Sunday) that overlap `from`..`to`, each cut to the period. */
export function reportWeeks(from: IsoDate, to: IsoDate): { start: IsoDate; end: IsoDate }[] {
  const weeks: { start: IsoDate; end: IsoDate }[] = [];
  for (let start = from; start <= to; ) {
    const sunday = addCalendarDays(start, 7 - dayOfWeek(start));
    const end = sunday < to ? sunday : to;
    weeks.push({ start, end });
    start = addCalendarDays(end, 1);
  }
  return weeks;
}

/** Builds the report for `team` over `from`..`to`, every figure as of `to`. */
export async function buildOversightReport(repos: Repositories, team: Team, period: { from: IsoDate; to: IsoDate }, generatedAt: Date): Promise<OversightReport> {
  const { from, to } = checkPeriod(period.from, period.to);
  const figures = await teamFigures(repos, team, to, from);
  const weeks = await repos.oversight.weeks(team.id, team.timeZone, reportWeeks(from, to), to);
  const row = (officer: string, counts: OfficerCounts): ReportRow => ({ officer, counts, lastSupervisionOn: counts.lastSupervisionOn, nextSupervisionOn: counts.nextSupervisionOn });
  return {
    teamName: team.name,
    teamKey: team.key,
    from,
    to,
    generatedAt,
    timeZone: team.timeZone,
    officers: figures.officers.map((o) => row(o.officer.displayName, o.counts)),
    team: { officer: 'Whole team', counts: figures.team, lastSupervisionOn: null, nextSupervisionOn: null },
    weeks,
  };
}

/** A column of the CSV (and of the report's tables): its name and how a row fills it. */
export interface ReportColumn {
  name: string;
  /** The heading a person reads. */
  heading: string;
  value(row: ReportRow): string;
  /** How the report's tables show the value, when not as in the CSV (dates in words). */
  shown?(row: ReportRow): string;
}

const count = (pick: (c: FigureCounts) => number) => (row: ReportRow) => String(pick(row.counts));
const pct = (pick: (c: FigureCounts) => number | null) => (row: ReportRow) => {
  const value = pick(row.counts);
  return value === null ? '' : String(value);
};

/**
 * The CSV's columns, in order: one row per officer, every figure as of the period's last day
 * (docs/oversight.md defines each). A share with nothing to share is left empty.
 */
export const REPORT_COLUMNS: readonly ReportColumn[] = [
  { name: 'officer', heading: 'Officer', value: (r) => r.officer },
  { name: 'open_cases', heading: 'Open cases', value: count((c) => c.openCases) },
  { name: 'weighted_load', heading: 'Weighted load', value: count((c) => weightedLoad(c.risk)) },
  { name: 'open_deadlines', heading: 'Open deadlines', value: count((c) => c.openDeadlines) },
  { name: 'overdue_visits', heading: 'Overdue visits', value: count((c) => c.overdueVisits) },
  { name: 'overdue_reviews', heading: 'Overdue reviews', value: count((c) => c.overdueReviews) },
  { name: 'overdue_mappa', heading: 'Overdue MAPPA reviews', value: count((c) => c.overdueMappa) },
  { name: 'overdue_actions', heading: 'Overdue supervision actions', value: count((c) => c.overdueActions) },
  { name: 'visits_due', heading: 'Visits due in period', value: count((c) => c.visitsDue) },
  { name: 'visits_on_time', heading: 'Visits on time', value: count((c) => c.visitsOnTime) },
  { name: 'visits_on_time_pct', heading: 'Visits on time %', value: pct(visitsOnTimePct) },
  { name: 'reviews_due', heading: 'Reviews due in period', value: count((c) => c.reviewsDue) },
  { name: 'reviews_on_time', heading: 'Reviews on time', value: count((c) => c.reviewsOnTime) },
  { name: 'reviews_on_time_pct', heading: 'Reviews on time %', value: pct(reviewsOnTimePct) },
  { name: 'supervised_cases', heading: `Cases supervised in ${COVERAGE_MONTHS} months`, value: count((c) => c.coveredCases) },
  { name: 'supervision_coverage_pct', heading: 'Supervision coverage %', value: pct(coveragePct) },
  { name: 'visits_seen_90d', heading: `Visits seen in ${PROTECTIVE_WINDOW_DAYS} days`, value: count((c) => c.seenVisits) },
  { name: 'visits_with_strengths_90d', heading: 'Visits noting strengths', value: count((c) => c.strengthVisits) },
  { name: 'protective_factor_share_pct', heading: 'Protective-factor share %', value: pct(protectivePct) },
  { name: 'last_supervision', heading: 'Last one-to-one', value: (r) => r.lastSupervisionOn ?? '', shown: (r) => (r.lastSupervisionOn ? formatDate(r.lastSupervisionOn) : '') },
  { name: 'next_supervision_due', heading: 'Next one-to-one due', value: (r) => r.nextSupervisionOn ?? '', shown: (r) => (r.nextSupervisionOn ? formatDate(r.nextSupervisionOn) : '') },
];

/** The CSV's records: the header, then one per officer (the team's row is not a row of the CSV). */
export function reportRecords(report: OversightReport): string[][] {
  return [REPORT_COLUMNS.map((c) => c.name), ...report.officers.map((row) => REPORT_COLUMNS.map((c) => c.value(row)))];
}

/** The report's title and the line under it, shared by every format. */
export function reportHeading(report: OversightReport): { title: string; subtitle: string } {
  return {
    title: `Oversight report: ${report.teamName}`,
    subtitle: `${formatDate(report.from)} to ${formatDate(report.to)}. Figures as of ${formatDate(report.to)}; generated ${formatDateTime(report.generatedAt, report.timeZone)}.`,
  };
}

/** The tables every written format shows, as headings and rows of cells (team row last). */
export function reportTables(report: OversightReport): { heading: string; columns: string[]; rows: string[][] }[] {
  const rows = [...report.officers, report.team];
  const table = (heading: string, names: string[]) => {
    const columns = names.map((n) => REPORT_COLUMNS.find((c) => c.name === n)!);
    return { heading, columns: columns.map((c) => c.heading), rows: rows.map((r) => columns.map((c) => (c.shown ?? c.value)(r) || '—')) };
  };
  return [
    table('Caseload and overdue work', ['officer', 'open_cases', 'weighted_load', 'open_deadlines', 'overdue_visits', 'overdue_reviews', 'overdue_mappa', 'overdue_actions']),
    table('Deadlines met on time in the period', ['officer', 'visits_due', 'visits_on_time', 'visits_on_time_pct', 'reviews_due', 'reviews_on_time', 'reviews_on_time_pct']),
    table('Supervision and strengths', ['officer', 'supervised_cases', 'supervision_coverage_pct', 'last_supervision', 'next_supervision_due', 'visits_seen_90d', 'visits_with_strengths_90d', 'protective_factor_share_pct']),
  ];
}

/** The weekly series as a table. */
export function weeksTable(report: OversightReport): { columns: string[]; rows: string[][] } {
  return {
    columns: ['Week', 'Visits due', 'Visits done', 'Overdue at week end'],
    rows: report.weeks.map((w) => [`${formatDate(w.start)} to ${formatDate(w.end)}`, String(w.visitsDue), String(w.visitsDone), String(w.overdue)]),
  };
}

/** What the report's figures mean, in a few lines (docs/oversight.md has the full definitions). */
export const REPORT_NOTES = [
  'Counts are as of the last day of the period; "overdue" means due before that day and not yet met.',
  'A visit or review is on time when it was met on or before its due date (the visit\'s or assessment\'s own date counts, not the day it was typed up).',
  `Supervision coverage: open cases with a signed supervision note or a one-to-one supervision discussion of the case in the last ${COVERAGE_MONTHS} months.`,
  `Protective-factor share: visits in the last ${PROTECTIVE_WINDOW_DAYS} days where the person was seen that noted at least one protective factor.`,
  'The whole-team row counts every case and deadline once, including those with no lead officer, so it can be more than the officers add up to.',
];

function markdownTable(columns: string[], rows: string[][]): string[] {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  return [`| ${columns.map(cell).join(' | ')} |`, `|${columns.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

/** The report as Markdown. */
export function reportMarkdown(report: OversightReport): string {
  const { title, subtitle } = reportHeading(report);
  const lines = [`# ${title}`, '', subtitle, ''];
  for (const t of reportTables(report)) lines.push(`## ${t.heading}`, '', ...markdownTable(t.columns, t.rows), '');
  const weeks = weeksTable(report);
  lines.push('## Week by week', '', ...markdownTable(weeks.columns, weeks.rows), '');
  lines.push('## What the figures mean', '', ...REPORT_NOTES.map((n) => `- ${n}`), '');
  return lines.join('\n');
}

/** The file name a report is saved under, e.g. `oversight-TEAM1-2026-09-01-to-2026-11-30.pdf`. */
export function reportFilename(report: Pick<OversightReport, 'teamKey' | 'from' | 'to'>, format: ReportFormat): string {
  return `oversight-${report.teamKey}-${report.from}-to-${report.to}.${format}`;
}

/**
 * Writes a report as file bytes in a format (PDF and CSV need libraries the core does not take
 * on: src/renderers/oversight implements this, and src/app.ts hands it over in Services).
 */
export interface ReportWriter {
  write(report: OversightReport, format: ReportFormat): Promise<Buffer>;
}
