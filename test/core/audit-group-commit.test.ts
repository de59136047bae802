// Views' audit rows written together: alone at once, together while a write is under way, each
// view answered only once its own rows are stored, and a failed write failing only its own views.
import { describe, expect, it } from 'vitest';
import { createAuditGroupWriter } from '../../src/core/audit-group-commit.ts';
import type { AuditActor, AuditEntry, Repositories, Store } from '../../src/core/ports.ts';

type Row = { actor: AuditActor; entry: AuditEntry };
const row = (n: number): Row => ({ actor: { teamId: 't', memberId: 'm', label: 'slack:T/U' }, entry: { action: 'case.viewed', entityType: 'case', entityId: `c${n}` } });

/** A store whose audit inserts take a turn of the event loop each, recorded as they finish. */
function fakeStore(fail: (batch: readonly Row[]) => boolean = () => false) {
  const statements: string[][] = [];
  const store: Store = {
    transaction: () => Promise.reject(new Error('not used')),
    read: (work) =>
      work({
        audit: {
          async recordMany(rows: readonly Row[]) {
            await new Promise((done) => setTimeout(done, 5));
            if (fail(rows)) throw new Error('insert failed');
            statements.push(rows.map((r) => r.entry.entityId!));
          },
        },
      } as unknown as Repositories),
  };
  return { store, statements };
}

describe('audit rows of views, written together', () => {
  it('writes a view alone at once, in one statement', async () => {
    const { store, statements } = fakeStore();
    await createAuditGroupWriter(store).write([row(1), row(2)]);
    expect(statements).toEqual([['c1', 'c2']]);
  });

  it('puts the views that come while a write is under way into the next statement, in order, and answers each once its rows are stored', async () => {
    const { store, statements } = fakeStore();
    const writer = createAuditGroupWriter(store);
    const answered: string[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        writer.write([row(i)]).then(() => {
          // Stored before answered: the statement holding this row has finished.
          expect(statements.flat()).toContain(`c${i}`);
          answered.push(`c${i}`);
        }),
      ),
    );
    expect(statements).toEqual([['c0'], ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9']]);
    expect(answered).toHaveLength(10);
  });

  it('fails only the views whose rows were in a failed statement, and goes on with the rest', async () => {
    const { store, statements } = fakeStore((batch) => batch.some((r) => r.entry.entityId === 'c2'));
    const writer = createAuditGroupWriter(store);
    const first = writer.write([row(1)]);
    const second = writer.write([row(2)]);
    const third = writer.write([row(3)]);
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toThrow('insert failed');
    await expect(third).rejects.toThrow('insert failed'); // in the same statement as c2
    await expect(writer.write([row(4)])).resolves.toBeUndefined();
    expect(statements).toEqual([['c1'], ['c4']]);
  });

  it('keeps each statement within its row limit', async () => {
    const { store, statements } = fakeStore();
    const writer = createAuditGroupWriter(store);
    const many = Array.from({ length: 4 }, (_, i) => writer.write(Array.from({ length: 200 }, (_, j) => row(i * 1000 + j))));
    await Promise.all(many);
    expect(statements.map((s) => s.length)).toEqual([200, 400, 200]);
  });
});
