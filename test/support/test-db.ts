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
  const handle = await openDatabase({ url: url.toString() });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    async close() {
      await handle.close();
      const dropper = new pg.Client({ connectionString: baseUrl });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
