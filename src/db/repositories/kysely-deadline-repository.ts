/**
 * Owns the storage of deadlines as state (`deadlines`): at most one open row per subject,
 * kept in step with the core's due dates, for the reminder pipeline to plan from.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DeadlineKind, DeadlineRecord, DeadlineRepository } from '../../core/ports.ts';
import type { Database, DeadlinesTable } from '../schema.ts';

/** A `deadlines` row as selected. */
export type DeadlineRow = Selectable<DeadlinesTable>;

/** Maps a `deadlines` row to the core's DeadlineRecord. */
export function toDeadline(row: DeadlineRow): DeadlineRecord {
  return {
    id: row.id,
    teamId: row.team_id,
    kind: row.kind as DeadlineKind,
    subjectKey: row.subject_key,
    caseId: row.case_id,
    ownerMemberId: row.owner_member_id,
    dueOn: row.due_on,
    urgent: row.urgent,
    status: row.status,
  };
}

/** Deadlines repository over kysely; pass a transaction to take part in it. */
export function createKyselyDeadlineRepository(db: Kysely<Database> | Transaction<Database>): DeadlineRepository {
  return {
    async syncOpen(input) {
      if (input.dueOn === null) {
        await db
          .updateTable('deadlines')
          .set({ status: 'cancelled', updated_at: sql<Date>`now()` })
          .where('subject_key', '=', input.subjectKey)
          .where('status', '=', 'open')
          .execute();
        return;
      }
      // One statement, so two callers racing on one subject cannot both insert: the partial
      // unique index makes the second wait for the first and then update its row. `urgent`
      // left out means "not urgent", since the caller states the whole deadline each time.
      await db
        .insertInto('deadlines')
        .values({
          team_id: input.teamId,
          kind: input.kind,
          subject_key: input.subjectKey,
          case_id: input.caseId,
          owner_member_id: input.ownerMemberId,
          due_on: input.dueOn,
          urgent: input.urgent ?? false,
        })
        .onConflict((oc) =>
          oc
            .column('subject_key')
            // A literal, not a parameter: PostgreSQL matches the partial index by its predicate
            // when it parses the statement, before parameters are known.
            .where('status', '=', sql.lit('open'))
            .doUpdateSet((eb) => ({
              due_on: eb.ref('excluded.due_on'),
              owner_member_id: eb.ref('excluded.owner_member_id'),
              urgent: eb.ref('excluded.urgent'),
              updated_at: sql<Date>`now()`,
              // A snooze past the new, earlier due date would hide the deadline: drop it.
              snoozed_until: eb
                .case()
                .when('excluded.due_on', '<', eb.ref('deadlines.snoozed_until'))
                .then(sql<string | null>`null`)
                .else(eb.ref('deadlines.snoozed_until'))
                .end(),
            }))
            .where((eb) =>
              eb.or([
                eb('deadlines.due_on', '<>', eb.ref('excluded.due_on')),
                eb('deadlines.owner_member_id', 'is distinct from', eb.ref('excluded.owner_member_id')),
                eb('deadlines.urgent', '<>', eb.ref('excluded.urgent')),
              ]),
            ),
        )
        .execute();
    },

    async markMet(subjectKey, at, metOn) {
      await db
        .updateTable('deadlines')
        .set({ status: 'met', met_at: at, met_on: metOn ?? null, updated_at: sql<Date>`now()` })
        .where('subject_key', '=', subjectKey)
        .where('status', '=', 'open')
        .execute();
    },

    async listOpenForCase(caseId) {
      const rows = await db
        .selectFrom('deadlines')
        .selectAll()
        .where('case_id', '=', caseId)
        .where('status', '=', 'open')
        .orderBy('due_on')
        .orderBy('kind')
        .orderBy('subject_key')
        .execute();
      return rows.map(toDeadline);
    },
  };
}
