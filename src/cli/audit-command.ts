/**
 * `casework audit --case CW-7K3P [--json] [--reason TEXT]`: prints a case's audit trail in order,
 * with times in Europe/London and a compact before→after of each change. External references
 * are masked in the audit rows already, and masked again here in case an old row was not.
 * Reading the trail is itself a consultation of the record, so it is audited too.
 */
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { normaliseCaseKey } from '../core/cases/case-key.ts';
import type { Member } from '../core/domain/entities.ts';
import { DomainError } from '../core/errors.ts';
import type { AuditRecord } from '../core/ports.ts';
import { createKyselyStore } from '../db/kysely-store.ts';
import { withDatabase } from './cli-context.ts';
import { cliActor, formatTable, guarded, UsageError, writeStdout } from './cli-io.ts';

const USAGE = 'casework audit --case CW-7K3P [--json] [--reason TEXT]';
const ZONE = 'Europe/London';
const MAX_VALUE_LENGTH = 40;
// Identity and bookkeeping fields that say nothing about what changed.
const QUIET_FIELDS = new Set(['id', 'teamId', 'key', 'isDemo']);
// jsonb keeps keys in its own order; show a case's fields in the order people think of them.
const FIELD_ORDER = [
  'riskLevel',
  'managementMode',
  'leadOfficerId',
  'supervisorId',
  'coworkerIds',
  'mappaCategory',
  'mappaLevel',
  'lastAssessmentOn',
  'lastVisitOn',
  'lastMappaReviewOn',
  'planVisitIntervalMonths',
  'planReviewIntervalMonths',
  'visitDueOn',
  'assessmentReviewDueOn',
  'earlyReviewDueOn',
  'mappaReviewDueOn',
  'status',
  'externalRef',
  'createdOn',
];

function fieldRank(field: string): number {
  const i = FIELD_ORDER.indexOf(field);
  return i === -1 ? FIELD_ORDER.length : i;
}

type Names = Map<string, Member>;

function maskRefs(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if ('externalRef' in copy) copy.externalRef = copy.externalRef ? '(on file)' : null;
  return copy;
}

function shown(field: string, value: unknown, names: Names): string {
  if (value === null || value === undefined || value === '') return '—';
  const name = (id: unknown) => (typeof id === 'string' ? (names.get(id)?.displayName ?? id) : JSON.stringify(id));
  let text: string;
  if (/Ids$/.test(field) && Array.isArray(value)) text = value.length === 0 ? '—' : value.map(name).join('; ');
  else if (/Id$/.test(field)) text = name(value);
  else text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A one-line summary of what an audit row changed: `field before→after`, or `field=value` for a new record. */
export function compactDiff(before: unknown, after: unknown, names: Names): string {
  const b = asObject(maskRefs(before));
  const a = asObject(maskRefs(after));
  if (!b && !a) return after === null || after === undefined ? '' : shown('value', after, names);
  const fields = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])]
    .filter((f) => !QUIET_FIELDS.has(f))
    .sort((x, y) => fieldRank(x) - fieldRank(y) || x.localeCompare(y));
  const parts: string[] = [];
  for (const field of fields) {
    const was = b?.[field];
    const now = a?.[field];
    if (b && a) {
      if (JSON.stringify(was) !== JSON.stringify(now)) parts.push(`${field} ${shown(field, was, names)}→${shown(field, now, names)}`);
    } else if ((b ? was : now) !== null && (b ? was : now) !== undefined) {
      parts.push(`${field}=${shown(field, b ? was : now, names)}`);
    }
  }
  return parts.join(', ');
}

function localTime(at: Date): string {
  return DateTime.fromJSDate(at, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm:ss');
}

function entityLabel(record: AuditRecord, caseKey: string): string {
  if (record.entityType === 'case') return caseKey;
  return record.entityId ? `${record.entityType} ${record.entityId.slice(0, 8)}` : record.entityType;
}

/** Runs the audit command: the trail as a table, or as JSON with --json. */
export function auditCommand(args: string[]): Promise<number> {
  return guarded(USAGE, async () => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { case: { type: 'string' }, json: { type: 'boolean' }, reason: { type: 'string' } } });
    if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
    if (!values.case) throw new UsageError('Say which case with --case CW-7K3P.');
    const key = normaliseCaseKey(values.case);
    if (!key) throw new UsageError(`"${values.case.slice(0, 20)}" is not a case key. Case keys look like CW-7K3P.`);
    return withDatabase(async (database) => {
      const { records, names } = await createKyselyStore(database.db).transaction(async (repos) => {
        const found = await repos.cases.findByKey(key);
        if (!found) throw new DomainError('case_not_found', `There is no case ${key}.`);
        const trail = await repos.audit.forCase(found.id);
        const members = await repos.members.listByTeam(found.teamId, { includeInactive: true });
        await repos.audit.record(cliActor(found.teamId), {
          action: 'case.audit_viewed',
          entityType: 'case',
          entityId: found.id,
          caseId: found.id,
          reason: values.reason?.trim() || null,
        });
        return { records: trail, names: new Map(members.map((m) => [m.id, m])) };
      });
      if (values.json) {
        const rows = records.map((r) => ({
          at: r.at.toISOString(),
          atLocal: localTime(r.at),
          actor: r.actorLabel,
          action: r.action,
          entityType: r.entityType,
          entityId: r.entityId,
          reason: r.reason,
          before: maskRefs(r.before ?? null),
          after: maskRefs(r.after ?? null),
        }));
        await writeStdout(`${JSON.stringify({ caseKey: key, timeZone: ZONE, entries: rows }, null, 2)}\n`);
        return 0;
      }
      await writeStdout(`Audit trail of ${key}: ${records.length} entr${records.length === 1 ? 'y' : 'ies'}, times in ${ZONE}.\n`);
      const rows = [['TIME', 'ACTOR', 'ACTION', 'ENTITY', 'REASON', 'CHANGES']];
      for (const r of records) {
        rows.push([localTime(r.at), r.actorLabel, r.action, entityLabel(r, key), (r.reason ?? '').replace(/\s+/g, ' '), compactDiff(r.before, r.after, names)]);
      }
      await writeStdout(formatTable(rows));
      return 0;
    });
  });
}
