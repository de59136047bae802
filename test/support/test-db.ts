/**
 * Test databases through the real migrations: PGlite in memory always, and a fresh PostgreSQL
 * database per call when DATABASE_URL is set (dropped again on close), so one suite runs on both.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../src/db/database.ts';

/** The database kinds this run covers: always PGlite, PostgreSQL too when DATABASE_URL is set. */
export const DATABASE_KINDS: ReadonlyArray<'pglite' | 'postgres'> = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** Opens a new, empty, migrated database of the given kind. */
export async function createTestDb(kind: 'pglite' | 'postgres' = 'pglite'): Promise<DatabaseHandle> {
  if (kind === 'pglite') {
    const handle = await openDatabase({ memory: true });
    await migrateToLatest(handle.db);
    return handle;
  }
  const scratch = await createPostgresTestDatabase();
  const handle = await openDatabase({ url: scratch.url });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    async close() {
      await handle.close();
      await scratch.drop();
    },
  };
}

/** A new, empty PostgreSQL database next to DATABASE_URL's, for tests that connect to it their own way. */
export async function createPostgresTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) throw new Error('DATABASE_URL is not set');
  const name = `cw_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropDatabase(baseUrl, name) };
}

/**
 * Drops a test database once its pool's sessions have gone. The pool resolves `end()` a moment
 * before the server has dropped the sessions, so "in use" is retried briefly instead of forcing
 * (a forced drop kills sessions under a client nothing listens to any more).
 */
async function dropDatabase(baseUrl: string, name: string): Promise<void> {
  const dropper = new pg.Client({ connectionString: baseUrl });
  await dropper.connect();
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await dropper.query(`drop database if exists ${name}`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  } finally {
    await dropper.end();
  }
}
