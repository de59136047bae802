/**
 * Owns importing a caseload: planning what each row of a file would do to the team's cases
 * (create, update, unchanged or rejected, matched on the external reference) without writing,
 * then applying a plan in the caller's transaction with due dates and audit rows. Uses the ports
 * only; reading the CSV text is the command line's job.
 */
import type { IsoDate } from '../calendar/working-calendar.ts';
import { auditableCase } from '../cases/case-commands.ts';
import { refreshCaseDeadlines } from '../cases/case-deadlines-sync.ts';
import { allocateCaseKey } from '../cases/case-key.ts';
import type { Case, Member, Team } from '../domain/entities.ts';
import { DomainError } from '../errors.ts';
import type { AuditActor, CaseChanges, Repositories } from '../ports.ts';
import { caseloadRowSchema, mapHeaders, rosterIndex, rowProblems, type CaseloadColumn, type CaseloadTable, type ImportedCaseRow } from './caseload-row.ts';

/** The case fields an import manages, each with the column it comes from. */
const FIELD_COLUMNS = {
  externalRef: 'external_ref',
  riskLevel: 'risk_level',
  managementMode: 'management_mode',
  leadOfficerId: 'lead_officer',
  supervisorId: 'supervisor',
  coworkerIds: 'coworkers',
  mappaCategory: 'mappa_category',
  mappaLevel: 'mappa_level',
  lastAssessmentOn: 'last_assessment_on',
  lastVisitOn: 'last_visit_on',
  lastMappaReviewOn: 'last_mappa_review_on',
  planVisitIntervalMonths: 'plan_visit_interval_months',
  planReviewIntervalMonths: 'plan_review_interval_months',
} as const satisfies Partial<Record<keyof Case, CaseloadColumn>>;

/** The case fields an import sets. */
export type ImportedFields = Pick<Case, keyof typeof FIELD_COLUMNS>;

const CREATE_DEFAULTS: Omit<ImportedFields, 'externalRef' | 'riskLevel' | 'leadOfficerId'> = {
  managementMode: 'active',
  supervisorId: null,
  coworkerIds: [],
  mappaCategory: null,
  mappaLevel: null,
  lastAssessmentOn: null,
  lastVisitOn: null,
  lastMappaReviewOn: null,
  planVisitIntervalMonths: null,
  planReviewIntervalMonths: null,
};

/** What one row of the file does. `line` is the physical line in the file (the header is line 1). */
export type CaseImportOutcome =
  | { line: number; kind: 'create'; fields: ImportedFields }
  | { line: number; kind: 'update'; existing: Case; changes: CaseChanges; changedColumns: CaseloadColumn[] }
  | { line: number; kind: 'unchanged'; existing: Case }
  | { line: number; kind: 'rejected'; reason: string };

/** How many rows of each kind. */
export interface CaseImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** What importing a file would do; nothing is written until it is applied. */
export interface CaseImportPlan {
  team: Team;
  /** Problems with the file as a whole (its columns); when present, no row was looked at. */
  fileProblems: string[];
  outcomes: CaseImportOutcome[];
  counts: CaseImportCounts;
}

function countsOf(outcomes: readonly CaseImportOutcome[]): CaseImportCounts {
  const counts = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const o of outcomes) counts[o.kind === 'create' ? 'created' : o.kind === 'update' ? 'updated' : o.kind]++;
  return counts;
}

function rowFields(row: ImportedCaseRow): Partial<ImportedFields> {
  const fields: Partial<ImportedFields> = { externalRef: row.externalRef, riskLevel: row.riskLevel, leadOfficerId: row.leadOfficer.id };
  if (row.managementMode !== undefined) fields.managementMode = row.managementMode;
  if (row.supervisor !== undefined) fields.supervisorId = row.supervisor?.id ?? null;
  if (row.coworkers !== undefined) fields.coworkerIds = [...new Set(row.coworkers.map((m) => m.id))].sort();
  const simple = ['mappaCategory', 'mappaLevel', 'lastAssessmentOn', 'lastVisitOn', 'lastMappaReviewOn', 'planVisitIntervalMonths', 'planReviewIntervalMonths'] as const;
  for (const key of simple) if (row[key] !== undefined) Object.assign(fields, { [key]: row[key] });
  return fields;
}

// People already on the case keep their place even if they have since left or changed role;
// anyone newly named must be an active member with the role.
function rosterProblems(row: ImportedCaseRow, existing: Case | undefined): string[] {
  const problems: string[] = [];
  const eligible = (m: Member, role: 'officer' | 'supervisor') => m.active && m.roles.includes(role);
  if (row.leadOfficer.id !== existing?.leadOfficerId && !eligible(row.leadOfficer, 'officer')) {
    problems.push('lead_officer: is not an active officer on the roster');
  }
  if (row.supervisor && row.supervisor.id !== existing?.supervisorId && !eligible(row.supervisor, 'supervisor')) {
    problems.push('supervisor: is not an active supervisor on the roster');
  }
  const newCoworker = (m: Member) => !existing?.coworkerIds.includes(m.id) && !eligible(m, 'officer');
  if (row.coworkers?.some(newCoworker)) problems.push('coworkers: every co-worker must be an active officer on the roster');
  return problems;
}

function ruleProblems(target: ImportedFields): string[] {
  const problems: string[] = [];
  if (target.coworkerIds.includes(target.leadOfficerId ?? '')) problems.push('coworkers: the lead officer cannot also be a co-worker');
  if (target.managementMode === 'reactive' && target.riskLevel !== 'low') problems.push('management_mode: reactive management is only for low-risk cases');
  return problems;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
  return a === b;
}

/** The state of a planning run: the team's cases by reference and key, and what earlier rows claimed. */
interface PlanState {
  byRef: Map<string, Case>;
  byKey: Map<string, Case>;
  refLines: Map<string, number>;
  caseLines: Map<string, number>;
}

// Which existing case a row means: its external reference decides; a case key may link a case
// that has no reference on file yet, and must otherwise agree with the reference.
function matchCase(row: ImportedCaseRow, state: PlanState): { existing?: Case; problem?: string } {
  const byRef = state.byRef.get(row.externalRef);
  const byKey = row.caseKey ? state.byKey.get(row.caseKey) : undefined;
  if (!byKey || byKey.id === byRef?.id) return { existing: byRef };
  if (!byRef && byKey.externalRef === null) return { existing: byKey };
  return { problem: 'case_key: belongs to a different case from the one with this external_ref' };
}

function planRow(line: number, record: Partial<Record<CaseloadColumn, string>>, extra: string[], schema: ReturnType<typeof caseloadRowSchema>, state: PlanState): CaseImportOutcome {
  const problems = [...extra];
  const ref = record.external_ref?.trim();
  if (ref) {
    const first = state.refLines.get(ref);
    if (first !== undefined) problems.push(`external_ref: the same reference is already on line ${first}`);
    else state.refLines.set(ref, line);
  }
  const parsed = schema.safeParse(record);
  if (!parsed.success) return { line, kind: 'rejected', reason: [...problems, ...rowProblems(parsed.error)].join('; ') };
  const row = parsed.data;
  const match = matchCase(row, state);
  if (match.problem) problems.push(match.problem);
  const existing = match.existing;
  const claimedOn = existing ? state.caseLines.get(existing.id) : undefined;
  if (claimedOn !== undefined) problems.push(`case_key: the same case is already on line ${claimedOn}`);
  else if (existing) state.caseLines.set(existing.id, line);
  const fields = rowFields(row);
  const target: ImportedFields = { ...CREATE_DEFAULTS, ...(existing ? pickImported(existing) : {}), ...fields } as ImportedFields;
  problems.push(...rosterProblems(row, existing), ...ruleProblems(target));
  if (problems.length > 0) return { line, kind: 'rejected', reason: problems.join('; ') };
  if (!existing) return { line, kind: 'create', fields: target };
  const changes: CaseChanges = {};
  const changedColumns: CaseloadColumn[] = [];
  for (const [field, column] of Object.entries(FIELD_COLUMNS) as [keyof ImportedFields, CaseloadColumn][]) {
    if (fields[field] === undefined || sameValue(fields[field], existing[field])) continue;
    Object.assign(changes, { [field]: fields[field] });
    changedColumns.push(column);
  }
  return changedColumns.length === 0 ? { line, kind: 'unchanged', existing } : { line, kind: 'update', existing, changes, changedColumns };
}

function pickImported(c: Case): ImportedFields {
  const picked = {} as Record<string, unknown>;
  for (const field of Object.keys(FIELD_COLUMNS)) picked[field] = c[field as keyof Case];
  return picked as ImportedFields;
}

/**
 * Works out what importing `table` into `team` would do, given the roster (inactive members
 * included) and the team's existing cases. Every row is checked, so every problem is reported at once.
 */
export function planCaseImport(table: CaseloadTable, team: Team, members: readonly Member[], existing: readonly Case[], today: IsoDate): CaseImportPlan {
  const header = mapHeaders(table.headers);
  if (!header.ok) return { team, fileProblems: header.problems, outcomes: [], counts: countsOf([]) };
  const schema = caseloadRowSchema({ team, roster: rosterIndex(members), today });
  const state: PlanState = {
    byRef: new Map(existing.flatMap((c) => (c.externalRef ? [[c.externalRef, c] as const] : []))),
    byKey: new Map(existing.map((c) => [c.key, c])),
    refLines: new Map(),
    caseLines: new Map(),
  };
  const outcomes = table.rows.map(({ line, cells }) => {
    const record: Partial<Record<CaseloadColumn, string>> = {};
    const extra: string[] = [];
    cells.forEach((cell, i) => {
      const column = header.columns[i];
      if (column) record[column] = cell;
      else if (cell.trim() !== '') extra.push(`has a value in column ${i + 1}, which has no header`);
    });
    if (cells.length < header.columns.length) extra.push(`has ${cells.length} cells but the header has ${header.columns.length}`);
    return planRow(line, record, extra, schema, state);
  });
  return { team, fileProblems: [], outcomes, counts: countsOf(outcomes) };
}

/** Why a plan may not be written (file problems, or rejected rows without `skipInvalid`), or null. */
export function importBlocker(plan: CaseImportPlan, skipInvalid: boolean): string | null {
  if (plan.fileProblems.length > 0) return 'The file cannot be imported: ' + plan.fileProblems.join(' ');
  if (plan.counts.rejected > 0 && !skipInvalid) {
    return `${plan.counts.rejected} row${plan.counts.rejected === 1 ? ' was' : 's were'} rejected, so nothing was imported. Correct them, or import the rest with --skip-invalid.`;
  }
  return null;
}

/** Options for {@link applyCaseImport}. */
export interface ApplyCaseImportOptions {
  /** The file's name, recorded as the reason on the audit rows. */
  fileName: string;
  skipInvalid: boolean;
  /** Today in the team's time zone: the new cases' creation date. */
  today: IsoDate;
  random?: () => number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Writes a plan in the caller's transaction: creates and updates cases, recomputes their due
 * dates and writes one audit row per case plus a summary row for the file. Throws `invalid_input`
 * (having written nothing) when {@link importBlocker} says the plan may not be written.
 */
export async function applyCaseImport(repos: Repositories, actor: AuditActor, plan: CaseImportPlan, options: ApplyCaseImportOptions): Promise<CaseImportCounts> {
  const blocker = importBlocker(plan, options.skipInvalid);
  if (blocker) throw new DomainError('invalid_input', blocker, { counts: plan.counts });
  const { team } = plan;
  const reason = options.fileName;
  let done = 0;
  for (const outcome of plan.outcomes) {
    if (outcome.kind === 'create') {
      const key = await allocateCaseKey((k) => repos.cases.keyExists(k), options.random);
      const created = await repos.cases.create({ ...outcome.fields, teamId: team.id, key, createdOn: options.today });
      const saved = await refreshCaseDeadlines(repos, team, created);
      await repos.audit.record(actor, { action: 'case.imported', entityType: 'case', entityId: saved.id, caseId: saved.id, after: auditableCase(saved), reason });
    } else if (outcome.kind === 'update') {
      const updated = await repos.cases.update(outcome.existing.id, outcome.changes);
      const saved = await refreshCaseDeadlines(repos, team, updated);
      await repos.audit.record(actor, {
        action: 'case.updated',
        entityType: 'case',
        entityId: saved.id,
        caseId: saved.id,
        before: auditableCase(outcome.existing),
        after: auditableCase(saved),
        reason,
      });
    }
    done += 1;
    options.onProgress?.(done, plan.outcomes.length);
  }
  await repos.audit.record(actor, {
    action: 'caseload.imported',
    entityType: 'team',
    entityId: team.id,
    after: { ...plan.counts, skippedInvalid: options.skipInvalid && plan.counts.rejected > 0 },
    reason,
  });
  return plan.counts;
}
