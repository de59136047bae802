/**
 * Audit rows of views, written together. A view answers only once its audit rows are stored; when
 * many people look at cases at once, the rows that arrive while one insert is under way wait for it
 * and then go in one statement (group commit). Nobody waits longer than one insert; alone, a row
 * is written at once, as before. A failed insert fails every view whose rows were in it.
 */
import type { AuditActor, AuditEntry, Store } from './ports.ts';

type AuditRow = { actor: AuditActor; entry: AuditEntry };

/** Writes view audit rows, batching those that arrive while a write is under way. */
export interface AuditGroupWriter {
  /** Resolves once `rows` are stored. */
  write(rows: readonly AuditRow[]): Promise<void>;
}

/** The most rows one statement takes (well inside PostgreSQL's 65,535 parameters). */
const MAX_ROWS = 500;

export function createAuditGroupWriter(store: Store): AuditGroupWriter {
  let writing = false;
  type Waiting = { rows: readonly AuditRow[]; done: () => void; failed: (error: unknown) => void };
  const waiting: Waiting[] = [];

  async function drain(): Promise<void> {
    writing = true;
    try {
      while (waiting.length > 0) {
        const batch: Waiting[] = [];
        let count = 0;
        while (waiting.length > 0 && (batch.length === 0 || count + waiting[0]!.rows.length <= MAX_ROWS)) {
          const next = waiting.shift()!;
          count += next.rows.length;
          batch.push(next);
        }
        try {
          // One statement is atomic on its own: no BEGIN and COMMIT round trips.
          await store.read((repos) => repos.audit.recordMany(batch.flatMap((b) => b.rows)));
          for (const b of batch) b.done();
        } catch (error) {
          for (const b of batch) b.failed(error);
        }
      }
    } finally {
      writing = false;
    }
  }

  return {
    write(rows) {
      if (rows.length === 0) return Promise.resolve();
      return new Promise<void>((done, failed) => {
        waiting.push({ rows, done, failed });
        if (!writing) void drain();
      });
    },
  };
}
