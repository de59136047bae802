/**
 * Owns the caseload file format (docs/caseload-csv.md): its columns, how headers are matched,
 * and the zod schema that turns one row of text cells into case fields. Messages name the column
 * and never repeat a cell's value, since a misplaced column may hold personal data.
 */
import { z } from 'zod';
import { isIsoDate, type IsoDate } from '../calendar/working-calendar.ts';
import { normaliseCaseKey } from '../cases/case-key.ts';
import type { Member, Team } from '../domain/entities.ts';
import type { ManagementMode, RiskLevel } from '../domain/vocabulary.ts';
import { matchesExternalRefPattern } from '../policy/policy.ts';

/** The columns of a caseload file, in the order an export writes them. */
export const CASELOAD_COLUMNS = [
  'case_key',
  'external_ref',
  'risk_level',
  'management_mode',
  'lead_officer',
  'supervisor',
  'coworkers',
  'mappa_category',
  'mappa_level',
  'last_assessment_on',
  'last_visit_on',
  'last_mappa_review_on',
  'plan_visit_interval_months',
  'plan_review_interval_months',
] as const;

/** One of {@link CASELOAD_COLUMNS}. */
export type CaseloadColumn = (typeof CASELOAD_COLUMNS)[number];

/** Columns every import file must have (other columns may be left out: the field is then kept as it is). */
export const REQUIRED_COLUMNS: readonly CaseloadColumn[] = ['external_ref', 'risk_level', 'lead_officer'];

/** One row as text, keyed by column: what an export writes and an import reads. */
export type CaseloadRecord = Record<CaseloadColumn, string>;

/** A parsed file before validation: header cells and each record's cells with its physical line. */
export interface CaseloadTable {
  headers: string[];
  rows: { line: number; cells: string[] }[];
}

/** The case fields one row sets. A field is absent when its column is not in the file. */
export interface ImportedCaseRow {
  externalRef: string;
  caseKey?: string | null;
  riskLevel: RiskLevel;
  managementMode?: ManagementMode;
  leadOfficer: Member;
  supervisor?: Member | null;
  coworkers?: Member[];
  mappaCategory?: number | null;
  mappaLevel?: number | null;
  lastAssessmentOn?: IsoDate | null;
  lastVisitOn?: IsoDate | null;
  lastMappaReviewOn?: IsoDate | null;
  planVisitIntervalMonths?: number | null;
  planReviewIntervalMonths?: number | null;
}

/** Where each column sits in the file (null for a blank header), or the file-level problems. */
export type HeaderMapping = { ok: true; columns: (CaseloadColumn | null)[] } | { ok: false; problems: string[] };

const KNOWN = new Set<string>(CASELOAD_COLUMNS);

// Spreadsheets write "Risk level" or "risk-level" as readily as risk_level.
function headerName(raw: string): string {
  return raw.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Matches header cells to columns: case-insensitive and trimmed; unknown, repeated or missing columns are problems. */
export function mapHeaders(headers: readonly string[]): HeaderMapping {
  const names = headers.map(headerName);
  const problems: string[] = [];
  const unknown = names.filter((n) => n !== '' && !KNOWN.has(n));
  if (unknown.length > 0) problems.push(`Unknown column${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}. The columns are: ${CASELOAD_COLUMNS.join(', ')}.`);
  const repeated = [...new Set(names.filter((n, i) => n !== '' && names.indexOf(n) !== i))];
  if (repeated.length > 0) problems.push(`Column${repeated.length === 1 ? '' : 's'} given more than once: ${repeated.join(', ')}.`);
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) problems.push(`Missing required column${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}.`);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, columns: names.map((n) => (n === '' ? null : (n as CaseloadColumn))) };
}

/** Finds roster members by id or by display name (case-insensitive, spacing ignored). */
export interface RosterIndex {
  find(value: string): { member: Member } | { problem: string };
}

function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Indexes a team's roster (include inactive members, so the message can say why one is refused). */
export function rosterIndex(members: readonly Member[]): RosterIndex {
  const byId = new Map(members.map((m) => [m.id.toLowerCase(), m]));
  const byName = new Map<string, Member[]>();
  for (const m of members) byName.set(nameKey(m.displayName), [...(byName.get(nameKey(m.displayName)) ?? []), m]);
  return {
    find(value) {
      const byIdMatch = byId.get(value.trim().toLowerCase());
      if (byIdMatch) return { member: byIdMatch };
      const named = byName.get(nameKey(value)) ?? [];
      const active = named.filter((m) => m.active);
      const pick = named.length === 1 ? named[0] : active.length === 1 ? active[0] : undefined;
      if (pick) return { member: pick };
      if (named.length > 1) return { problem: 'matches more than one person on the roster; use their member id' };
      return { problem: "is not on the team's roster" };
    },
  };
}

/** True if a display name identifies one person on the roster, so an export may write the name. */
export function nameIsUnique(members: readonly Member[], member: Member): boolean {
  return members.filter((m) => nameKey(m.displayName) === nameKey(member.displayName)).length === 1;
}

const RISK_ALIASES: Record<string, RiskLevel> = { low: 'low', medium: 'medium', high: 'high', very_high: 'very_high' };

/** Reads a UK spreadsheet date (31/01/2026) or an ISO one (2026-01-31). */
export function parseCaseloadDate(text: string): IsoDate | null {
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const iso = uk ? `${uk[3]}-${uk[2]?.padStart(2, '0')}-${uk[1]?.padStart(2, '0')}` : text;
  return isIsoDate(iso) ? iso : null;
}

// The characters an export escapes at the start of a cell with an apostrophe, as csv-stringify's
// escape_formulas does: = + - @, tab, carriage return, and the full-width ＝ ＋ － ＠ that some
// spreadsheets also run as formulas.
const ESCAPED_FORMULA = /^'(?=[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20])/;

/** Takes off the apostrophe an export puts before a formula-like cell; other text is unchanged. */
export function unescapeFormula(text: string): string {
  return text.replace(ESCAPED_FORMULA, '');
}

// Trimmed text; a blank cell becomes null ("no value"), an absent column stays undefined. The
// apostrophe an export puts before a formula-like cell is taken off again.
function cellText(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const text = unescapeFormula(v.trim());
  return text === '' ? null : text;
}
const required = { error: (issue: { input: unknown }) => (issue.input == null ? 'is required' : 'must be text') };

function optional<T extends z.ZodType>(inner: T) {
  return z.preprocess(cellText, inner.nullable()).optional();
}

function member(roster: RosterIndex) {
  return z.string(required).transform((value, ctx) => {
    const found = roster.find(value);
    if ('member' in found) return found.member;
    ctx.addIssue({ code: 'custom', message: found.problem });
    return z.NEVER;
  });
}

function pastDate(today: IsoDate) {
  return z.string().transform((text, ctx) => {
    const date = parseCaseloadDate(text);
    if (date === null) ctx.addIssue({ code: 'custom', message: 'must be a date written YYYY-MM-DD or DD/MM/YYYY' });
    else if (date > today) ctx.addIssue({ code: 'custom', message: 'cannot be in the future' });
    return date ?? z.NEVER;
  });
}

function wholeNumber(min: number, max: number, message: string) {
  return z.string().transform((text, ctx) => {
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
}

/** What the row schema needs: the team (its reference pattern), its roster and today's date. */
export interface RowContext {
  team: Team;
  roster: RosterIndex;
  today: IsoDate;
}

/** The zod schema for one row, keyed by column; a blank cell clears an optional field. */
export function caseloadRowSchema({ team, roster, today }: RowContext) {
  const mappa = optional(wholeNumber(1, 3, 'must be 1, 2, 3 or blank'));
  const months = optional(wholeNumber(1, 36, 'must be a whole number of months from 1 to 36, or blank'));
  return z
    .object({
      external_ref: z.preprocess(
        cellText,
        z
          .string(required)
          .max(64, { message: 'must be at most 64 characters' })
          .refine((ref) => matchesExternalRefPattern(team.policy, ref), { message: "does not match the team's reference format" }),
      ),
      case_key: optional(
        z.string().transform((text, ctx) => {
          const key = normaliseCaseKey(text);
          if (key === null) ctx.addIssue({ code: 'custom', message: 'is not a case key (they look like CW-7K3P)' });
          return key ?? z.NEVER;
        }),
      ),
      risk_level: z.preprocess(
        cellText,
        z.string(required).transform((text, ctx) => {
          const level = RISK_ALIASES[text.toLowerCase().replace(/[\s-]+/g, '_')];
          if (!level) ctx.addIssue({ code: 'custom', message: 'must be low, medium, high or very high' });
          return level ?? z.NEVER;
        }),
      ),
      management_mode: z
        .preprocess(
          (v) => cellText(v) ?? 'active',
          z.string().transform((text, ctx): ManagementMode => {
            const mode = text.toLowerCase();
            if (mode === 'active' || mode === 'reactive') return mode;
            ctx.addIssue({ code: 'custom', message: 'must be active or reactive' });
            return z.NEVER;
          }),
        )
        .optional(),
      lead_officer: z.preprocess(cellText, member(roster)),
      supervisor: optional(member(roster)),
      coworkers: z
        .preprocess(
          // The escape is on the cell, before the first name, so it comes off before the split.
          (v) => (typeof v === 'string' ? unescapeFormula(v.trim()).split(';').map((s) => s.trim()).filter((s) => s !== '') : v),
          z.array(member(roster)).max(5, { message: 'at most five co-workers' }),
        )
        .optional(),
      mappa_category: mappa,
      mappa_level: mappa,
      last_assessment_on: optional(pastDate(today)),
      last_visit_on: optional(pastDate(today)),
      last_mappa_review_on: optional(pastDate(today)),
      plan_visit_interval_months: months,
      plan_review_interval_months: months,
    })
    .transform(
      (r): ImportedCaseRow => ({
        externalRef: r.external_ref,
        caseKey: r.case_key,
        riskLevel: r.risk_level,
        managementMode: r.management_mode,
        leadOfficer: r.lead_officer,
        supervisor: r.supervisor,
        coworkers: r.coworkers,
        mappaCategory: r.mappa_category,
        mappaLevel: r.mappa_level,
        lastAssessmentOn: r.last_assessment_on,
        lastVisitOn: r.last_visit_on,
        lastMappaReviewOn: r.last_mappa_review_on,
        planVisitIntervalMonths: r.plan_visit_interval_months,
        planReviewIntervalMonths: r.plan_review_interval_months,
      }),
    );
}

/** Turns zod's issues into "column: message" lines, one per column, in column order. */
export function rowProblems(error: z.ZodError): string[] {
  const byColumn = new Map<string, string>();
  for (const issue of error.issues) {
    const column = String(issue.path[0] ?? 'row');
    const position = typeof issue.path[1] === 'number' ? ` (name ${issue.path[1] + 1})` : '';
    if (!byColumn.has(column)) byColumn.set(column, `${position}: ${issue.message}`);
  }
  const order = (c: string) => (KNOWN.has(c) ? CASELOAD_COLUMNS.indexOf(c as CaseloadColumn) : CASELOAD_COLUMNS.length);
  return [...byColumn.entries()].sort((a, b) => order(a[0]) - order(b[0])).map(([column, message]) => `${column}${message}`);
}
