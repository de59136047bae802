/**
 * Opens the database: PostgreSQL through a `pg` pool when a URL is given, PGlite in-process
 * (files under the data directory, locked to this process) otherwise. Both speak the same SQL
 * and run the same migrations; type parsers make both return dates as 'YYYY-MM-DD' strings and
 * int8 as numbers. PostgreSQL gets connection and statement timeouts, so an unreachable or
 * frozen server fails requests, readiness checks and scheduled jobs fast instead of hanging them.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kysely, Migrator, PostgresDialect, sql, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import { migrations } from '../../migrations/index.ts';
import type { Logger } from '../logging/logger.ts';
import { prepareRepeatedStatements } from './prepared-statements.ts';
import { lockDataDir } from './data-dir-lock.ts';
import type { Database } from './schema.ts';

const PG_DATE = 1082;
const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/** The embedded database's buffer cache. */
const PGLITE_SHARED_BUFFERS = '64MB';

/** Time limits for PostgreSQL, in milliseconds; 0 turns one off. PGlite runs in-process and has none. */
export interface PostgresTimeouts {
  /** Opening a connection, and waiting for a free one in the pool. */
  connectMs: number;
  /**
   * One statement: the server cancels it (`statement_timeout`), and the client gives up a moment
   * later when the server cannot even say so (a frozen network).
   */
  statementMs: number;
}

/** The defaults the configuration falls back on. */
export const DEFAULT_POSTGRES_TIMEOUTS: PostgresTimeouts = { connectMs: 5_000, statementMs: 30_000 };

/** How much longer than the server's statement timeout the client waits for any answer. */
const CLIENT_GRACE_MS = 2_000;

/**
 * Where the data lives: a PostgreSQL URL, a PGlite directory, or PGlite in memory (tests), which
 * may start from a copy of another PGlite's files (`template`, from `dumpTemplate`) instead of an
 * empty cluster: creating a cluster (initdb) is by far the slowest part of opening PGlite.
 */
export type DatabaseTarget = { url: string; timeouts?: PostgresTimeouts } | { dataDir: string } | { memory: true; template?: Blob };

/** The configuration's database settings (src/config/config.ts): a URL, or else a data directory. */
export interface DatabaseSettings {
  databaseUrl: string | undefined;
  databaseTimeouts: PostgresTimeouts;
  dataDir: string;
}

/**
 * Where the configuration says the data lives. Here rather than beside the application's wiring,
 * so a command-line tool that only opens the database does not load the server, the platforms
 * and the PDF writer with it.
 */
export function databaseTarget(config: DatabaseSettings): DatabaseTarget {
  return config.databaseUrl ? { url: config.databaseUrl, timeouts: config.databaseTimeouts } : { dataDir: config.dataDir };
}

/** What opening needs besides the target: where a connection dropped under a request is reported. */
export interface OpenOptions {
  logger?: Logger;
}

/** An open database with what is needed to close it. */
export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
  /** PGlite only: a copy of the database's files, to open others from (`{ memory: true, template }`). */
  dumpTemplate?: () => Promise<Blob>;
  /** Statements sent to the database so far (each one a round trip), for /metrics and benchmarks. */
  queries(): number;
  /**
   * Listens for notifications on `channel` (from any process, once the sending transaction has
   * committed): `notice` for each one, `lost` when the listening connection fails and notices may
   * have been missed. Resolves once listening, with a function that stops. Closing the database
   * stops every listener.
   */
  listen(channel: string, handlers: NotificationHandlers): Promise<() => Promise<void>>;
}

/** What a listener is told: a notification came, or the connection that listened was lost. */
export interface NotificationHandlers {
  notice(): void;
  lost(error?: unknown): void;
}

const CHANNEL_NAME = /^[a-z_][a-z0-9_]*$/;

function checkChannel(channel: string): void {
  if (!CHANNEL_NAME.test(channel)) throw new Error(`not a notification channel name: ${channel}`);
}

/**
 * PostgreSQL: a connection of its own (never one of the pool's, which are lent to any query) that
 * does nothing but LISTEN. Ended by the returned function or when the database closes.
 */
function postgresListener(url: string, timeouts: PostgresTimeouts, logger: Logger | undefined) {
  const open = new Set<pg.Client>();
  async function listen(channel: string, handlers: NotificationHandlers): Promise<() => Promise<void>> {
    checkChannel(channel);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeouts.connectMs, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    let stopping = false;
    let listening = false;
    const lost = (error?: unknown) => {
      if (stopping) return;
      stopping = true;
      open.delete(client);
      void client.end().catch(() => undefined);
      // Before it listened, the caller hears of the failure from listen() itself.
      if (!listening) return;
      logger?.warn({ err: error, channel }, 'lost the database connection that listened for notifications');
      handlers.lost(error);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => {
      if (message.channel === channel) handlers.notice();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      lost(error);
      throw error;
    }
    listening = true;
    open.add(client);
    return async () => {
      stopping = true;
      open.delete(client);
      await client.end().catch(() => undefined);
    };
  }
  async function closeAll(): Promise<void> {
    await Promise.all([...open].map((client) => client.end().catch(() => undefined)));
    open.clear();
  }
  return { listen, closeAll };
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
export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<DatabaseHandle> {
  if ('url' in target) {
    const timeouts = target.timeouts ?? DEFAULT_POSTGRES_TIMEOUTS;
    const pool = new pg.Pool({
      connectionString: target.url,
      max: 10,
      connectionTimeoutMillis: timeouts.connectMs,
      ...(timeouts.statementMs > 0 ? { statement_timeout: timeouts.statementMs, query_timeout: timeouts.statementMs + CLIENT_GRACE_MS } : {}),
      // Notice a peer that vanished while a connection sat idle.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
          if (oid === PG_DATE) return (v: string) => v;
          if (oid === PG_INT8 || oid === PG_NUMERIC) return (v: string) => Number(v);
          return pg.types.getTypeParser(oid, format);
        }) as typeof pg.types.getTypeParser,
      },
    });
    listenForConnectionErrors(pool, options.logger);
    prepareRepeatedStatements(pool);
    const counter = statementCounter();
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: counter.log });
    const listeners = postgresListener(target.url, timeouts, options.logger);
    return {
      db,
      kind: 'postgres',
      queries: counter.count,
      listen: listeners.listen,
      async close() {
        await listeners.closeAll();
        await db.destroy();
      },
    };
  }
  // One process per data directory: refused here, before PGlite touches a file.
  const lock = 'dataDir' in target ? lockDataDir(resolve(target.dataDir), target.dataDir) : undefined;
  try {
    const dataDir = 'dataDir' in target ? resolve(target.dataDir, 'pglite') : undefined;
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    // Loaded only for the embedded database: a PostgreSQL deployment never pays for it.
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGliteDialect } = await import('./pglite-dialect.ts');
    const pglite = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...('template' in target && target.template ? { loadDataDir: target.template } : {}),
      // PostgreSQL's default buffer cache (128 MB) lives in PGlite's WebAssembly memory, which never
      // shrinks: a large import filled all of it. A team's database is read through the operating
      // system's file cache as well, so a smaller one costs little (see docs/performance.md).
      postgresqlconf: [`shared_buffers = ${PGLITE_SHARED_BUFFERS}`],
      parsers: {
        [PG_DATE]: (v: string) => v,
        [PG_INT8]: (v: string) => Number(v),
        [PG_NUMERIC]: (v: string) => Number(v),
      },
    });
    const counter = statementCounter();
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), log: counter.log });
    return {
      db,
      kind: 'pglite',
      dumpTemplate: () => pglite.dumpDataDir('none'),
      queries: counter.count,
      async listen(channel, handlers) {
        // In-process: PGlite calls back once the notifying transaction commits; nothing to lose.
        checkChannel(channel);
        const unlisten = await pglite.listen(channel, () => handlers.notice());
        // Once the database is closed there is nothing left to stop listening to.
        return () => (pglite.closed ? Promise.resolve() : unlisten());
      },
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

/**
 * A connection that drops emits 'error' on its client; with no listener that is an uncaught
 * exception. The pool listens while a client is idle (and discards it); these listeners cover a
 * client checked out by a request, whose query fails on its own, and the pool itself.
 */
function listenForConnectionErrors(pool: pg.Pool, logger: Logger | undefined): void {
  const report = (where: string) => (error: Error) => logger?.warn({ err: error, where }, 'database connection failed');
  pool.on('error', report('idle'));
  pool.on('connect', (client) => client.on('error', report('in use')));
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

/** How long a readiness check waits for the database before answering "not ready". */
export const READINESS_TIMEOUT_MS = 1_500;

/** True when the database answers within `timeoutMs` and every known migration has been applied. */
export function isReady(db: Kysely<Database>, timeoutMs = READINESS_TIMEOUT_MS): Promise<boolean> {
  return readinessProbe(db, timeoutMs)();
}

/**
 * A readiness check for repeated use (`/readyz`, the scheduler). It answers within `timeoutMs`
 * whatever the database does; checks asked for while one is still waiting share it, so a frozen
 * database holds at most one pooled connection for them. Migrations, once seen applied, are not
 * looked up again: only whether the database answers.
 */
export function readinessProbe(db: Kysely<Database>, timeoutMs = READINESS_TIMEOUT_MS): () => Promise<boolean> {
  let migrated = false;
  let pending: Promise<boolean> | undefined;
  const check = async (): Promise<boolean> => {
    await sql`select 1`.execute(db);
    if (!migrated) migrated = (await migrator(db).getMigrations()).every((m) => m.executedAt !== undefined);
    return migrated;
  };
  return () => {
    pending ??= check()
      .catch(() => false)
      .finally(() => {
        pending = undefined;
      });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
    });
    return Promise.race([pending, deadline]).finally(() => clearTimeout(timer));
  };
}
