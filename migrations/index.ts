/**
 * The schema history, in order. Migrations are numbered, forward-only, and listed here
 * explicitly so the same set runs under tsx, vitest and any bundler without scanning folders.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.ts';

/** Every migration by name; kysely applies them in name order. */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
};
