// PostgreSQL prepares the statements a server sends again and again (parsed and planned once per
// connection), and only those: a statement sent once or twice stays unnamed. Run with DATABASE_URL.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { createTestDb } from '../support/test-db.ts';

describe.runIf(Boolean(process.env.DATABASE_URL))('prepared statements on PostgreSQL', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDb('postgres');
  });
  afterAll(async () => {
    await database?.close();
  });

  it('prepares a statement from its third sending on, on the connection that sends it, and gives the same answers', async () => {
    // One transaction keeps every statement on one connection, whose prepared statements it can see.
    const { answers, prepared } = await database.db.transaction().execute(async (trx) => {
      const answers: number[] = [];
      for (let i = 1; i <= 4; i += 1) {
        const row = await sql<{ n: number }>`select ${i}::int + 1 as n /* repeated */`.execute(trx);
        answers.push(row.rows[0]!.n);
      }
      await sql`select 1 as once /* sent once */`.execute(trx);
      const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(trx);
      return { answers, prepared: prepared.rows.map((r) => r.statement) };
    });
    expect(answers).toEqual([2, 3, 4, 5]);
    expect(prepared.some((s) => s.includes('/* repeated */'))).toBe(true);
    expect(prepared.some((s) => s.includes('/* sent once */'))).toBe(false);
  });
});
