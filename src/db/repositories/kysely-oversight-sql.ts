/**
 * The SQL pieces the oversight queries share, so each definition of docs/oversight.md is written
 * once: a moment's local date in the team's zone, "open at the end of a day" and "fulfilled on"
 * for a deadline row `d`, and the visits that are current and saw the person.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { IsoDate } from '../../core/calendar/working-calendar.ts';
import { seenOutcomes } from '../../core/visits/visit-rules.ts';
import type { Database } from '../schema.ts';

/** A database or a transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** Counts come back as numbers (int8 parser in database.ts); null when a grouping had none. */
export type Num = number | string | null;
/** A count as a number; zero when the row had none. */
export const num = (v: Num | undefined): number => Number(v ?? 0);

/** The local date of a timestamp column in the team's zone. */
export const localDate = (column: RawBuilder<unknown>, tz: string) => sql`(${column} at time zone ${tz}::text)::date`;

/**
 * "Open at the end of `day`" for a deadline row `d` (docs/oversight.md): created by then, and
 * neither fulfilled nor cancelled by then. A met row is fulfilled on its `met_on` or the day it
 * was recorded, whichever is earlier (`least` skips a null `met_on`).
 */
export function openAt(day: RawBuilder<unknown>, tz: string): RawBuilder<unknown> {
  return sql`${localDate(sql`d.created_at`, tz)} <= ${day}
    and not (d.status = 'met' and ${fulfilledOn(tz)} <= ${day})
    and not (d.status = 'cancelled' and ${localDate(sql`d.updated_at`, tz)} <= ${day})`;
}

/** The day a met deadline row `d` was fulfilled. */
export function fulfilledOn(tz: string): RawBuilder<unknown> {
  return sql`least(d.met_on, ${localDate(sql`d.met_at`, tz)})`;
}

export const date = (d: IsoDate) => sql`${d}::date`;
export const REVIEW_KINDS = sql`('assessment_review', 'early_review')`;

/**
 * Visits still current (the latest version of each chain) where the person was seen, on the
 * team's cases, visited from `from` to `to`.
 */
export function currentSeenVisits(teamId: string, from: RawBuilder<unknown>, to: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    select v.id, v.case_id, v.answers, v.recorded_by, v.visited_at, v.recorded_at
    from visits v join cases c on c.id = v.case_id
    where c.team_id = ${teamId} and v.visited_on between ${from} and ${to}
      and v.outcome = any(${[...seenOutcomes]}::text[])
      and not exists (select 1 from visits w
                      where coalesce(w.original_visit_id, w.id) = coalesce(v.original_visit_id, v.id) and w.version > v.version)`;
}

/** True when a visit's answers note at least one protective factor. */
export const STRENGTHS = sql`coalesce(jsonb_typeof(answers -> 'protectiveNotes') = 'object' and answers -> 'protectiveNotes' <> '{}'::jsonb, false)`;
