/**
 * `casework audit --case CW-7K3P [--json] [--reason TEXT]`: prints a case's audit trail in order,
 * with times in Europe/London and a compact before→after of each change. External references
 * are masked in the audit rows already, and masked again here in case an old row was not.
 * Reading the trail is itself a consultation of the record, so it is audited too.
 */
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { normaliseCaseKey, wellFormedUnknownKey } from '../core/cases/case-key.ts';
import { roleLabels, type Member } from '../core/domain/entities.ts';
import { auditActionLabel, caseStatusLabels, labelFrom, managementModeLabels, riskLevelLabels, wordsForCode } from '../core/domain/vocabulary.ts';
import { formatDate } from '../core/views/format.ts';
import { DomainError } from '../core/errors.ts';
import type { AuditRecord } from '../core/ports.ts';
import { createKyselyStore } from '../db/kysely-store.ts';
import { withDatabase } from './cli-context.ts';
import { cliActor, guarded, UsageError, writeStdout } from './cli-io.ts';

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

/** Words for a stored field name: `leadOfficerId` reads "lead officer", `risk_level` "risk level". */
export function fieldWords(field: string): string {
  return field
    .replace(/Ids?$/, (m) => (m === 'Ids' ? 's' : ''))
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[._]+/g, ' ')
    .toLowerCase()
    .trim();
}

const VALUE_LABELS: Record<string, Record<string, string>> = { riskLevel: riskLevelLabels, managementMode: managementModeLabels, status: caseStatusLabels };

function shown(field: string, value: unknown, names: Names): string {
  if (value === null || value === undefined || value === '') return '—';
  const name = (id: unknown) => (typeof id === 'string' ? (names.get(id)?.displayName ?? 'a former member') : JSON.stringify(id));
  let text: string;
  if (/Ids$/.test(field) && Array.isArray(value)) text = value.length === 0 ? '—' : value.map(name).join('; ');
  else if (/Id$/.test(field)) text = name(value);
  else if (VALUE_LABELS[field]) text = labelFrom(VALUE_LABELS[field], value);
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) text = formatDate(value);
  else if (typeof value === 'string') text = /^[a-z]+(_[a-z]+)+$/.test(value) ? wordsForCode(value).toLowerCase() : value;
  else if (typeof value === 'boolean') text = value ? 'yes' : 'no';
  else text = JSON.stringify(value);
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
      if (JSON.stringify(was) !== JSON.stringify(now)) parts.push(`${fieldWords(field)} ${shown(field, was, names)} → ${shown(field, now, names)}`);
    } else if ((b ? was : now) !== null && (b ? was : now) !== undefined) {
      parts.push(`${fieldWords(field)}: ${shown(field, b ? was : now, names)}`);
    }
  }
  return parts.join(', ');
}

function localTime(at: Date): string {
  return DateTime.fromJSDate(at, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm:ss');
}

function entityLabel(record: AuditRecord, caseKey: string): string {
  if (record.entityType === 'case') return caseKey;
  const what = wordsForCode(record.entityType).toLowerCase();
  return record.entityId ? `${what} ${record.entityId.slice(0, 8)}` : what;
}

/** Who did it, in words: `Megan Bowen (officer)`, the command line, or Casework itself. */
export function actorWords(record: AuditRecord, names: Names): string {
  const member = record.actorMemberId ? names.get(record.actorMemberId) : undefined;
  if (member) return `${member.displayName} (${member.roles.map((r) => roleLabels[r].toLowerCase()).join(', ') || 'no role'})`;
  if (record.actorMemberId) return 'A former member';
  if (record.actorLabel.startsWith('cli:')) return `Command line (${record.actorLabel.slice(4)})`;
  if (record.actorLabel === 'system' || record.actorLabel === '') return 'Casework (automatic)';
  return record.actorLabel;
}

/** Wraps text to `width` columns: the first line indented by `first` spaces, the rest by `rest`. */
export function wrap(text: string, width: number, first: number, rest: number): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const room = width - (out.length === 0 ? first : rest);
    if (line && line.length + 1 + word.length > room) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.map((l, i) => `${' '.repeat(i === 0 ? first : rest)}${l}`).join('\n');
}



/** Runs the audit command: the trail as a table, or as JSON with --json. */
export function auditCommand(args: string[]): Promise<number> {
  return guarded(USAGE, async () => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { case: { type: 'string' }, json: { type: 'boolean' }, reason: { type: 'string' } } });
    if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
    if (!values.case) throw new UsageError('Say which case with --case CW-7K3P.');
    const key = normaliseCaseKey(values.case);
    const unknown = key ? null : wellFormedUnknownKey(values.case);
    if (unknown) throw new DomainError('case_not_found', `There is no case ${unknown} in this database.`);
    if (!key) throw new UsageError(`"${values.case.slice(0, 20)}" is not a case key. Case keys look like CW-7K3P.`);
    return withDatabase(async (database) => {
      const { records, names } = await createKyselyStore(database.db).transaction(async (repos) => {
        const found = await repos.cases.findByKey(key);
        if (!found) throw new DomainError('case_not_found', `There is no case ${key} in this database.`);
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
      // One short block per entry, wrapped to the terminal, instead of one very wide line.
      const width = Math.max(40, Math.min(process.stdout.columns || 100, 120));
      const lines = [`Audit trail of ${key}: ${records.length} entr${records.length === 1 ? 'y' : 'ies'}, times in ${ZONE}.`];
      for (const r of records) {
        lines.push('', wrap(`${localTime(r.at)}  ${actorWords(r, names)}`, width, 0, 4));
        lines.push(wrap(`${auditActionLabel(r.action)}: ${entityLabel(r, key)}`, width, 4, 6));
        if (r.reason) lines.push(wrap(`Reason: ${r.reason}`, width, 4, 6));
        const changes = compactDiff(r.before, r.after, names);
        if (changes) lines.push(wrap(`Changes: ${changes}`, width, 4, 6));
      }
      await writeStdout(`${lines.join('\n')}\n`);
      return 0;
    });
  });
}
