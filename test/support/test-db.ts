/**
 * Test databases through the real migrations: PGlite in memory always, and a fresh PostgreSQL
 * database per call when DATABASE_URL is set (dropped again on close), so one suite runs on both.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../src/db/database.ts';

const MIGRATIONS = fileURLToPath(new URL('../../migrations/', import.meta.url));
// The installed PGlite's own package.json (not exported, so read from the folder): a new PGlite
// may not read an older one's files.
const PGLITE_VERSION = (JSON.parse(readFileSync(fileURLToPath(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url)), 'utf8')) as { version: string }).version;

/** The database kinds this run covers: always PGlite, PostgreSQL too when DATABASE_URL is set. */
export const DATABASE_KINDS: ReadonlyArray<'pglite' | 'postgres'> = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/**
 * A migrated, empty PGlite cluster as files, made once per set of migrations and kept in the
 * system's temporary folder: opening PGlite from it takes about 2 s, against about 10 s to create
 * a cluster (initdb) and migrate it. Several test processes may make it at once; each writes its
 * own file and renames it into place, so a reader never sees half a file.
 */
async function migratedTemplate(): Promise<Blob> {
  const key = createHash('sha256');
  for (const name of readdirSync(MIGRATIONS).sort()) key.update(name).update(readFileSync(join(MIGRATIONS, name)));
  key.update(PGLITE_VERSION);
  const path = join(tmpdir(), `casework-test-pglite-${key.digest('hex').slice(0, 16)}.tar`);
  if (existsSync(path)) return new Blob([readFileSync(path)]);
  const fresh = await openDatabase({ memory: true });
  try {
    await migrateToLatest(fresh.db);
    const template = await fresh.dumpTemplate!();
    const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(partial, Buffer.from(await template.arrayBuffer()));
    renameSync(partial, path);
    return template;
  } finally {
    await fresh.close();
  }
}

let template: Promise<Blob> | undefined;

/** Opens a new, empty, migrated database of the given kind. */
export async function createTestDb(kind: 'pglite' | 'postgres' = 'pglite'): Promise<DatabaseHandle> {
  if (kind === 'pglite') {
    template ??= migratedTemplate();
    const handle = await openDatabase({ memory: true, template: await template });
    // Nothing to do when the template is current; a safety net if it is not.
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
