import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReady, migrateToLatest } from '../../src/db/database.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { migrations } from '../../migrations/index.ts';
import { createTestDb, DATABASE_KINDS } from '../support/test-db.ts';

describe.each(DATABASE_KINDS)('database on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('applies every migration and reports ready', async () => {
    const applied = await sql<{ name: string }>`select name from schema_migrations order by name`.execute(handle.db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    expect(await isReady(handle.db)).toBe(true);
  });

  it('is idempotent: migrating again applies nothing', async () => {
    const again = await migrateToLatest(handle.db);
    expect(again.results ?? []).toEqual([]);
  });

  it('returns dates as ISO strings and counts as numbers', async () => {
    const team = await handle.db.insertInto('teams').values({ team_key: `T-${kind}`, name: 'Date team', policy: JSON.stringify({}) }).returning('id').executeTakeFirstOrThrow();
    await handle.db.insertInto('team_closures').values({ team_id: team.id, closed_on: '2026-12-24', reason: 'training' }).execute();
    const row = await handle.db.selectFrom('team_closures').select('closed_on').where('team_id', '=', team.id).executeTakeFirstOrThrow();
    expect(row.closed_on).toBe('2026-12-24');
    const count = await handle.db.selectFrom('team_closures').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it('keeps the audit log append-only: UPDATE, DELETE and TRUNCATE fail in the database', async () => {
    const inserted = await handle.db
      .insertInto('audit_log')
      .values({ actor_label: 'test', action: 'case.viewed', entity_type: 'case', entity_id: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect(handle.db.updateTable('audit_log').set({ action: 'tampered' }).where('id', '=', inserted.id).execute()).rejects.toThrow(/append-only/);
    await expect(handle.db.deleteFrom('audit_log').where('id', '=', inserted.id).execute()).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(handle.db)).rejects.toThrow(/append-only/);
    const still = await handle.db.selectFrom('audit_log').select('action').where('id', '=', inserted.id).executeTakeFirstOrThrow();
    expect(still.action).toBe('case.viewed');
  });

  it('rolls a failed transaction back without losing concurrent writes from other requests', async () => {
    const team = await handle.db.insertInto('teams').values({ team_key: `T-CONC-${kind}`, name: 'Concurrency', policy: JSON.stringify({}) }).returning('id').executeTakeFirstOrThrow();
    const failing = handle.db.transaction().execute(async (trx) => {
      await trx.insertInto('members').values({ team_id: team.id, display_name: 'rolled back', roles: ['officer'] }).execute();
      // Give other requests a chance to run while this transaction is open.
      await new Promise((resolve) => setImmediate(resolve));
      await trx.insertInto('members').values({ team_id: team.id, display_name: 'also rolled back', roles: ['officer'] }).execute();
      throw new Error('boom');
    });
    const concurrent = Array.from({ length: 20 }, (_, i) =>
      handle.db.insertInto('members').values({ team_id: team.id, display_name: `kept ${i}`, roles: ['officer'] }).execute(),
    );
    await expect(failing).rejects.toThrow('boom');
    await Promise.all(concurrent);
    const names = (await handle.db.selectFrom('members').select('display_name').where('team_id', '=', team.id).execute()).map((r) => r.display_name);
    expect(names).toHaveLength(20);
    expect(names.every((n) => n.startsWith('kept'))).toBe(true);
  });
});
