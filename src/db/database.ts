/**
 * Opens the database: PostgreSQL through a `pg` pool when a URL is given, PGlite in-process
 * (files under the data directory) otherwise. Both speak the same SQL and run the same
 * migrations; type parsers make both return dates as 'YYYY-MM-DD' strings and int8 as numbers.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kysely, Migrator, PostgresDialect, sql, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import { migrations } from '../../migrations/index.ts';
import type { Database } from './schema.ts';

const PG_DATE = 1082;
const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/**
 * Where the data lives: a PostgreSQL URL, a PGlite directory, or PGlite in memory (tests), which
 * may start from a copy of another PGlite's files (`template`, from `dumpTemplate`) instead of an
 * empty cluster: creating a cluster (initdb) is by far the slowest part of opening PGlite.
 */
export type DatabaseTarget = { url: string } | { dataDir: string } | { memory: true; template?: Blob };

/** An open database with what is needed to close it. */
export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
  /** PGlite only: a copy of the database's files, to open others from (`{ memory: true, template }`). */
  dumpTemplate?: () => Promise<Blob>;
  /** Statements sent to the database so far (each one a round trip), for /metrics and benchmarks. */
  queries(): number;
}

/** A kysely `log` hook that counts statements, and the count. */
function statementCounter(): { log: (event: { level: string }) => void; count: () => number } {
  let n = 0;
  return {
    log: (event) => {
      if (event.level === 'query' || event.level === 'error') n += 1;
    },
    count: () => n,
  };
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
    const counter = statementCounter();
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: counter.log });
    return { db, kind: 'postgres', close: () => db.destroy(), queries: counter.count };
  }
  let dataDir: string | undefined;
  if ('dataDir' in target) {
    dataDir = resolve(target.dataDir, 'pglite');
    mkdirSync(dataDir, { recursive: true });
  }
  // Loaded only for the embedded database: a PostgreSQL deployment never pays for it.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGliteDialect } = await import('./pglite-dialect.ts');
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...('template' in target && target.template ? { loadDataDir: target.template } : {}),
    parsers: {
      [PG_DATE]: (v: string) => v,
      [PG_INT8]: (v: string) => Number(v),
      [PG_NUMERIC]: (v: string) => Number(v),
    },
  });
  const counter = statementCounter();
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), log: counter.log });
  return { db, kind: 'pglite', close: () => db.destroy(), dumpTemplate: () => pglite.dumpDataDir('none'), queries: counter.count };
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
