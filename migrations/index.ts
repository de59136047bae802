/**
 * The schema history, in order. Migrations are numbered, forward-only, and listed here
 * explicitly so the same set runs under tsx, vitest and any bundler without scanning folders.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.ts';
import * as m0002 from './0002_reminders.ts';
import * as m0003 from './0003_visits.ts';
import * as m0004 from './0004_discussions.ts';
import * as m0005 from './0005_reminders_planning.ts';
import * as m0006 from './0006_effects_outbox.ts';
import * as m0009 from './0009_deadlines_source_of_truth.ts';
import * as m0008 from './0008_oversight.ts';
import * as m0010 from './0010_record.ts';
import * as m0011 from './0011_people.ts';
import * as m0012 from './0012_people_notify.ts';

/** Every migration by name; kysely applies them in name order. */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_reminders': m0002,
  '0003_visits': m0003,
  '0004_discussions': m0004,
  '0005_reminders_planning': m0005,
  '0006_effects_outbox': m0006,
  '0009_deadlines_source_of_truth': m0009,
  '0008_oversight': m0008,
  '0010_record': m0010,
  '0011_people': m0011,
  '0012_people_notify': m0012,
};
