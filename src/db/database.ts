/**
 * Opens the database: PostgreSQL through a `pg` pool when a URL is given, PGlite in-process
 * (files under the data directory, locked to this process) otherwise. Both speak the same SQL and run the same
 * migrations; type parsers make both return dates as 'YYYY-MM-DD' strings and int8 as numbers.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import { migrations } from '../../migrations/index.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

const PG_DATE = 1082;
const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/** Where the data lives: a PostgreSQL URL, a PGlite directory, or PGlite in memory (tests). */
export type DatabaseTarget = { url: string } | { dataDir: string } | { memory: true };

/** An open database with what is needed to close it. */
export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/** Opens (but does not migrate) the database for a target. */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if ('url' in target) {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
          if (oid === PG_DATE) return (v: string) => v;
          if (oid === PG_INT8 || oid === PG_NUMERIC) return (v: string) => Number(v);
          return pg.types.getTypeParser(oid, format);
        }) as typeof pg.types.getTypeParser,
      },
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  // One process per data directory: refused here, before PGlite touches a file.
  const lock = 'dataDir' in target ? lockDataDir(resolve(target.dataDir), target.dataDir) : undefined;
  try {
    const dataDir = 'dataDir' in target ? resolve(target.dataDir, 'pglite') : undefined;
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    const pglite = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      parsers: {
        [PG_DATE]: (v: string) => v,
        [PG_INT8]: (v: string) => Number(v),
        [PG_NUMERIC]: (v: string) => Number(v),
      },
    });
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      kind: 'pglite',
      async close() {
        try {
          await db.destroy();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}
}

function migrator(db: Kysely<Database>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
}

/** Applies every pending migration; throws with the failing migration's name if one fails. */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResultSet> {
  const result = await migrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error : new Error(String(result.error));
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause.message}`, { cause });
  }
  return result;
}

/** True when the database answers and every known migration has been applied. */
export async function isReady(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    const known = await migrator(db).getMigrations();
    return known.every((m) => m.executedAt !== undefined);
  } catch {
    return false;
  }
}
