/**
 * Owns importing a caseload: planning what each row of a file would do to the team's cases
 * (create, update, unchanged or rejected, matched on the external reference) without writing,
 * then applying a plan in the caller's transaction with due dates and audit rows. Uses the ports
 * only; reading the CSV text is the command line's job.
 */
import { randomUUID } from 'node:crypto';
import type { IsoDate } from '../calendar/working-calendar.ts';
import { auditableCase } from '../cases/case-commands.ts';
import { generateCaseKey } from '../cases/case-key.ts';
import { caseDeadlineRows } from '../deadlines/recalculate-deadlines.ts';
import type { Case, Member, Team } from '../domain/entities.ts';
import { DomainError } from '../errors.ts';
import type { AuditActor, AuditEntry, CaseChanges, CaseUpsert, DeadlineKind, Repositories } from '../ports.ts';
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

/** Plans a file one row at a time, in file order, remembering only what later rows are checked against. */
export interface CaseImportPlanner {
  /** Problems with the file's columns; when there are any, no row can be planned. */
  readonly fileProblems: string[];
  /** What the row on `line` with these cells would do; call in file order. */
  planRow(line: number, cells: readonly string[]): CaseImportOutcome;
}

/**
 * A planner for a file with these `headers`, given the roster (inactive members included) and the
 * team's existing cases. Planning the same rows again with a fresh planner gives the same outcomes.
 */
export function caseImportPlanner(headers: readonly string[], team: Team, members: readonly Member[], existing: readonly Case[], today: IsoDate): CaseImportPlanner {
  const header = mapHeaders([...headers]);
  if (!header.ok) {
    return {
      fileProblems: header.problems,
      planRow: () => {
        throw new Error('The file has problems with its columns: no row can be planned');
      },
    };
  }
  const schema = caseloadRowSchema({ team, roster: rosterIndex(members), today });
  const state: PlanState = {
    byRef: new Map(existing.flatMap((c) => (c.externalRef ? [[c.externalRef, c] as const] : []))),
    byKey: new Map(existing.map((c) => [c.key, c])),
    refLines: new Map(),
    caseLines: new Map(),
  };
  return {
    fileProblems: [],
    planRow(line, cells) {
      const record: Partial<Record<CaseloadColumn, string>> = {};
      const extra: string[] = [];
      cells.forEach((cell, i) => {
        const column = header.columns[i];
        if (column) record[column] = cell;
        else if (cell.trim() !== '') extra.push(`has a value in column ${i + 1}, which has no header`);
      });
      if (cells.length < header.columns.length) extra.push(`has ${cells.length} cells but the header has ${header.columns.length}`);
      return planRow(line, record, extra, schema, state);
    },
  };
}

/** Adds one outcome to running counts. */
export function countOutcome(counts: CaseImportCounts, outcome: CaseImportOutcome): void {
  counts[outcome.kind === 'create' ? 'created' : outcome.kind === 'update' ? 'updated' : outcome.kind] += 1;
}

/**
 * Works out what importing `table` into `team` would do, given the roster (inactive members
 * included) and the team's existing cases. Every row is checked, so every problem is reported at once.
 */
export function planCaseImport(table: CaseloadTable, team: Team, members: readonly Member[], existing: readonly Case[], today: IsoDate): CaseImportPlan {
  const planner = caseImportPlanner(table.headers, team, members, existing, today);
  if (planner.fileProblems.length > 0) return { team, fileProblems: planner.fileProblems, outcomes: [], counts: countsOf([]) };
  const outcomes = table.rows.map(({ line, cells }) => planner.planRow(line, cells));
  return { team, fileProblems: [], outcomes, counts: countsOf(outcomes) };
}

/** Why a plan may not be written (file problems, or rejected rows without `skipInvalid`), or null. */
export function importBlocker(plan: Pick<CaseImportPlan, 'fileProblems' | 'counts'>, skipInvalid: boolean): string | null {
  if (plan.fileProblems.length > 0) return 'The file cannot be imported: ' + plan.fileProblems.join(' ');
  if (plan.counts.rejected > 0 && !skipInvalid) {
    return `${plan.counts.rejected} row${plan.counts.rejected === 1 ? ' was' : 's were'} rejected, so nothing was imported. Correct them, or import the rest with --skip-invalid.`;
  }
  return null;
}

/** Rows written per batch: one statement for the cases, one for their co-workers, a few for due dates and audit. */
export const IMPORT_BATCH = 500;

/** Options for {@link applyCaseImport} and {@link caseImportWriter}. */
export interface ApplyCaseImportOptions {
  /** The file's name, recorded as the reason on the audit rows. */
  fileName: string;
  skipInvalid: boolean;
  /** Today in the team's time zone: the new cases' creation date. */
  today: IsoDate;
  random?: () => number;
  onProgress?: (done: number, total: number) => void;
  /** Rows per batch; {@link IMPORT_BATCH} unless given. */
  batchSize?: number;
}

/** Writes planned rows in batches, in the caller's transaction. */
export interface CaseImportWriter {
  /** Takes one outcome (rejected and unchanged ones write nothing); writes a batch when one is full. */
  add(outcome: CaseImportOutcome): Promise<void>;
  /** Writes what is left and the file's summary audit row. */
  finish(counts: CaseImportCounts): Promise<void>;
}

const DUE_FIELDS: Partial<Record<DeadlineKind, 'visitDueOn' | 'assessmentReviewDueOn' | 'earlyReviewDueOn' | 'mappaReviewDueOn'>> = {
  visit: 'visitDueOn',
  assessment_review: 'assessmentReviewDueOn',
  early_review: 'earlyReviewDueOn',
  mappa_review: 'mappaReviewDueOn',
};

// Fresh case keys for a batch, with one look-up per round for the lot: as allocateKey does for one,
// four characters while they last and longer as the space fills.
async function allocateCaseKeys(repos: Repositories, count: number, random: () => number): Promise<string[]> {
  const keys: (string | undefined)[] = new Array<string | undefined>(count).fill(undefined);
  const given = new Set<string>();
  let pending = keys.map((_, i) => i);
  for (let attempt = 0; attempt < 20 && pending.length > 0; attempt += 1) {
    const tried = new Map<string, number>();
    for (const i of pending) {
      const key = generateCaseKey(random, 4 + Math.floor(attempt / 5));
      if (!tried.has(key) && !given.has(key)) tried.set(key, i);
    }
    const taken = new Set(await repos.cases.existingKeys([...tried.keys()]));
    for (const [key, i] of tried) {
      if (taken.has(key)) continue;
      keys[i] = key;
      given.add(key);
    }
    pending = pending.filter((i) => keys[i] === undefined);
  }
  if (pending.length > 0) throw new Error('Could not allocate free case keys after 20 attempts');
  return keys as string[];
}

/**
 * A writer for a planned import into `team`, in the caller's transaction. Each batch is written
 * set-based: the cases in one statement, then their due dates worked out with the same rules and
 * queries as a team recalculation (`caseDeadlineRows`) and synced in one statement, then one audit
 * row per case in one statement. `case.imported` and `case.updated` rows carry the case as written,
 * due dates included, as a single-case change would.
 */
export function caseImportWriter(repos: Repositories, actor: AuditActor, team: Team, options: ApplyCaseImportOptions): CaseImportWriter {
  const batchSize = options.batchSize ?? IMPORT_BATCH;
  const random = options.random ?? Math.random;
  const reason = options.fileName;
  let batch: (Extract<CaseImportOutcome, { kind: 'create' | 'update' }>)[] = [];

  async function flush(): Promise<void> {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    const creates = current.filter((o) => o.kind === 'create').length;
    const keys = await allocateCaseKeys(repos, creates, random);
    let k = 0;
    const rows: CaseUpsert[] = current.map((o) =>
      o.kind === 'create'
        ? { ...o.fields, id: randomUUID(), teamId: team.id, key: keys[k++]!, createdOn: options.today, isNew: true }
        : { ...pickImported(o.existing), ...o.changes, id: o.existing.id, teamId: team.id, key: o.existing.key, createdOn: o.existing.createdOn, isNew: false },
    );
    await repos.cases.upsertMany(rows);
    const inputs = await repos.deadlines.recalculationInputs(team.id, null, rows.length, rows.map((r) => r.id));
    const deadlines = inputs.flatMap((input) => caseDeadlineRows(team, input));
    await repos.deadlines.syncMany(team.id, deadlines);
    const due = new Map<string, Partial<Case>>();
    for (const d of deadlines) {
      const field = DUE_FIELDS[d.kind];
      if (field && d.caseId) due.set(d.caseId, { ...due.get(d.caseId), [field]: d.dueOn });
    }
    await repos.audit.recordMany(
      current.map((o, i) => {
        const { isNew: _isNew, ...row } = rows[i]!;
        const saved: Case = {
          ...row,
          visitDueOn: null,
          assessmentReviewDueOn: null,
          earlyReviewDueOn: null,
          mappaReviewDueOn: null,
          ...due.get(row.id),
          status: o.kind === 'update' ? o.existing.status : 'active',
          isDemo: o.kind === 'update' ? o.existing.isDemo : false,
        };
        const entry: AuditEntry =
          o.kind === 'create'
            ? { action: 'case.imported', entityType: 'case', entityId: saved.id, caseId: saved.id, after: auditableCase(saved), reason }
            : { action: 'case.updated', entityType: 'case', entityId: saved.id, caseId: saved.id, before: auditableCase(o.existing), after: auditableCase(saved), reason };
        return { actor, entry };
      }),
    );
  }

  return {
    async add(outcome) {
      if (outcome.kind !== 'create' && outcome.kind !== 'update') return;
      batch.push(outcome);
      if (batch.length >= batchSize) await flush();
    },
    async finish(counts) {
      await flush();
      await repos.audit.record(actor, {
        action: 'caseload.imported',
        entityType: 'team',
        entityId: team.id,
        after: { ...counts, skippedInvalid: options.skipInvalid && counts.rejected > 0 },
        reason,
      });
    },
  };
}

/**
 * Writes a plan in the caller's transaction: creates and updates cases in batches, works out their
 * due dates and writes one audit row per case plus a summary row for the file. Throws
 * `invalid_input` (having written nothing) when {@link importBlocker} says the plan may not be written.
 */
export async function applyCaseImport(repos: Repositories, actor: AuditActor, plan: CaseImportPlan, options: ApplyCaseImportOptions): Promise<CaseImportCounts> {
  const blocker = importBlocker(plan, options.skipInvalid);
  if (blocker) throw new DomainError('invalid_input', blocker, { counts: plan.counts });
  const writer = caseImportWriter(repos, actor, plan.team, options);
  let done = 0;
  for (const outcome of plan.outcomes) {
    await writer.add(outcome);
    done += 1;
    options.onProgress?.(done, plan.outcomes.length);
  }
  await writer.finish(plan.counts);
  return plan.counts;
}
