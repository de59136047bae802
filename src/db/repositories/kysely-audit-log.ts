/**
 * Owns the storage of the audit trail (`audit_log`): appending one row per change or view,
 * and reading a case's history back. The table refuses updates and deletes by trigger.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AuditActor, AuditEntry, AuditLog, AuditRecord } from '../../core/ports.ts';
import type { AuditLogRow, Database, NewAuditLogRow } from '../schema.ts';

// Absent and null both become SQL null, so "no before state" never reads back as JSON null.
function jsonOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** Maps an `audit_log` row to the core's AuditRecord. */
export function toAuditRecord(row: AuditLogRow): AuditRecord {
  return {
    // bigint identity: the type parsers return int8 as a number; the port speaks strings.
    id: String(row.id),
    at: row.at,
    teamId: row.team_id,
    actorMemberId: row.actor_member_id,
    actorLabel: row.actor_label,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    caseId: row.case_id,
    before: row.before,
    after: row.after,
    reason: row.reason,
  };
}

function toRow(actor: AuditActor, entry: AuditEntry): NewAuditLogRow {
  return {
    team_id: actor.teamId,
    actor_member_id: actor.memberId,
    actor_label: actor.label,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    case_id: entry.caseId ?? null,
    before: jsonOrNull(entry.before),
    after: jsonOrNull(entry.after),
    reason: entry.reason ?? null,
  };
}

/** Audit log over kysely; pass the transaction of the change so both commit together. */
export function createKyselyAuditLog(db: Kysely<Database> | Transaction<Database>): AuditLog {
  return {
    async record(actor, entry) {
      await db.insertInto('audit_log').values(toRow(actor, entry)).execute();
    },

    async recordMany(rows) {
      if (rows.length === 0) return;
      await db.insertInto('audit_log').values(rows.map((r) => toRow(r.actor, r.entry))).execute();
    },

    async forCase(caseId) {
      const rows = await db.selectFrom('audit_log').selectAll().where('case_id', '=', caseId).orderBy('at').orderBy('id').execute();
      return rows.map(toAuditRecord);
    },
  };
}
