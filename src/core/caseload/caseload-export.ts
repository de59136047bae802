/**
 * Owns exporting a team's caseload in the import format (docs/caseload-csv.md), so a file can go
 * out, be edited and come back. An export discloses external references, so it needs a reason and
 * is audited for every case it contains.
 */
import type { Case, Member, Team } from '../domain/entities.ts';
import { DomainError } from '../errors.ts';
import type { AuditActor, Repositories } from '../ports.ts';
import { CASELOAD_COLUMNS, nameIsUnique, type CaseloadRecord } from './caseload-row.ts';

const MAX_REASON_LENGTH = 500;

// The name when it identifies one person on the roster, else the member id (which always does).
function personCell(members: readonly Member[], id: string | null): string {
  if (!id) return '';
  const member = members.find((m) => m.id === id);
  if (!member) return id;
  return nameIsUnique(members, member) ? member.displayName : member.id;
}

function numberCell(n: number | null): string {
  return n === null ? '' : String(n);
}

/** One case as a row of the caseload file. */
export function caseToRecord(c: Case, members: readonly Member[]): CaseloadRecord {
  const record: CaseloadRecord = {
    case_key: c.key,
    external_ref: c.externalRef ?? '',
    risk_level: c.riskLevel,
    management_mode: c.managementMode,
    lead_officer: personCell(members, c.leadOfficerId),
    supervisor: personCell(members, c.supervisorId),
    coworkers: c.coworkerIds
      .map((id) => personCell(members, id))
      .sort((a, b) => a.localeCompare(b))
      .join('; '),
    mappa_category: numberCell(c.mappaCategory),
    mappa_level: numberCell(c.mappaLevel),
    last_assessment_on: c.lastAssessmentOn ?? '',
    last_visit_on: c.lastVisitOn ?? '',
    last_mappa_review_on: c.lastMappaReviewOn ?? '',
    plan_visit_interval_months: numberCell(c.planVisitIntervalMonths),
    plan_review_interval_months: numberCell(c.planReviewIntervalMonths),
  };
  // Keep the documented column order whatever order the literal above was written in.
  return Object.fromEntries(CASELOAD_COLUMNS.map((column) => [column, record[column]])) as CaseloadRecord;
}

/**
 * The team's active cases as caseload rows, ordered by case key. Writes a 'case.exported' audit
 * row per case and one 'caseload.exported' row for the file, each with the reason given.
 */
export async function exportCases(repos: Repositories, actor: AuditActor, team: Team, reason: string): Promise<CaseloadRecord[]> {
  const why = reason.trim();
  if (why === '') throw new DomainError('invalid_input', 'An export discloses case records: give the reason for it.');
  if (why.length > MAX_REASON_LENGTH) throw new DomainError('invalid_input', `Keep the reason to ${MAX_REASON_LENGTH} characters.`);
  const cases = (await repos.cases.listAll(team.id)).filter((c) => c.status === 'active');
  const members = await repos.members.listByTeam(team.id, { includeInactive: true });
  for (const c of cases) {
    await repos.audit.record(actor, { action: 'case.exported', entityType: 'case', entityId: c.id, caseId: c.id, reason: why });
  }
  await repos.audit.record(actor, { action: 'caseload.exported', entityType: 'team', entityId: team.id, after: { cases: cases.length }, reason: why });
  return cases.map((c) => caseToRecord(c, members));
}
