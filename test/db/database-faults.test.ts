// PostgreSQL faults, through a TCP proxy between the app and the real server (runs only when
// DATABASE_URL is set): a frozen network fails queries within their timeouts and readiness
// within 2 s, and everything recovers when it thaws; an unreachable server fails at once; a
// connection dropped while idle or inside a transaction raises no uncaught exception; and the
// whole app answers /readyz 503 within 2 s and skips scheduler ticks, saying so.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrateToLatest, openDatabase, readinessProbe, type DatabaseHandle } from '../../src/db/database.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { startFaultProxy, type FaultProxy } from '../support/tcp-fault-proxy.ts';
import { createPostgresTestDatabase } from '../support/test-db.ts';
import { startTestApp } from '../support/test-app.ts';

/** Short limits so each fault shows within a second or two. */
const TIMEOUTS = { connectMs: 1_000, statementMs: 1_000 };
/** What /readyz and the readiness probe promise. */
const READY_BOUND_MS = 2_000;

describe.runIf(process.env.DATABASE_URL)('PostgreSQL faults (through a TCP proxy)', () => {
  let scratch: { url: string; drop(): Promise<void> };
  let proxy: FaultProxy;
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  const chunks: string[] = [];
  const logger = createLogger('debug', { write: (c: string) => (chunks.push(c), true) } as unknown as NodeJS.WritableStream);
  const logLines = () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

  beforeAll(async () => {
    scratch = await createPostgresTestDatabase();
    const direct = await openDatabase({ url: scratch.url });
    await migrateToLatest(direct.db);
    await direct.close();
    const target = new URL(scratch.url);
    proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port || 5432) });
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
  });
  afterAll(async () => {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    await proxy?.close();
    await scratch?.drop();
  });

  const openViaProxy = (): Promise<DatabaseHandle> => openDatabase({ url: proxy.via(scratch.url), timeouts: TIMEOUTS }, { logger });

  /** Resolves with how long `work` took, in milliseconds. */
  async function timed(work: () => Promise<unknown>): Promise<number> {
    const started = Date.now();
    await work();
    return Date.now() - started;
  }

  it('frozen network: readiness says no within 2 s, queries fail within their timeouts, and all recovers on thaw', async () => {
    const handle = await openViaProxy();
    try {
      const ready = readinessProbe(handle.db);
      expect(await ready()).toBe(true);
      proxy.freeze();
      expect(await timed(async () => expect(await ready()).toBe(false))).toBeLessThan(READY_BOUND_MS);
      // The connection readiness is waiting on is busy, so this needs a new one: the connect timeout ends it.
      await expect(sql`select 1`.execute(handle.db)).rejects.toThrow();
      proxy.thaw();
      await vi.waitFor(async () => expect(await ready()).toBe(true), { timeout: 10_000, interval: 200 });
      expect((await sql<{ n: number }>`select 1 as n`.execute(handle.db)).rows).toEqual([{ n: 1 }]);
    } finally {
      proxy.thaw();
      await handle.close();
    }
    expect(crashes).toEqual([]);
  });

  it('a statement the server does not answer in time is given up by the client', async () => {
    const handle = await openViaProxy();
    try {
      await sql`select 1`.execute(handle.db);
      proxy.freeze();
      // statement_timeout cannot reach a frozen server: query_timeout (1 s + 2 s) ends it.
      const took = await timed(() => expect(sql`select pg_sleep(0)`.execute(handle.db)).rejects.toThrow(/timeout/i));
      expect(took).toBeLessThan(TIMEOUTS.statementMs + 2_000 + 1_000);
    } finally {
      proxy.thaw();
      await handle.close();
    }
  });

  it('the server cancels a statement past statement_timeout', async () => {
    const handle = await openViaProxy();
    try {
      await expect(sql`select pg_sleep(3)`.execute(handle.db)).rejects.toMatchObject({ code: '57014' });
    } finally {
      await handle.close();
    }
  });

  it('unreachable: a dropped connection, idle or inside a transaction, raises no uncaught exception; readiness and queries fail at once', async () => {
    const handle = await openViaProxy();
    try {
      // Two pooled connections: one left idle, one held by a transaction when the network goes.
      await Promise.all([sql`select pg_sleep(0.05)`.execute(handle.db), sql`select pg_sleep(0.05)`.execute(handle.db)]);
      let cut!: () => void;
      let begun!: () => void;
      const cutDone = new Promise<void>((resolve) => (cut = resolve));
      const inTransaction = new Promise<void>((resolve) => (begun = resolve));
      const transaction = handle.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        begun();
        await cutDone;
        await sql`select 1`.execute(trx);
      });
      await inTransaction;
      await proxy.cut();
      cut();
      await expect(transaction).rejects.toThrow();
      const ready = readinessProbe(handle.db);
      expect(await timed(async () => expect(await ready()).toBe(false))).toBeLessThan(READY_BOUND_MS);
      await expect(sql`select 1`.execute(handle.db)).rejects.toThrow();
      await vi.waitFor(() => expect(logLines().filter((l) => l.msg === 'database connection failed').length).toBeGreaterThan(0));
    } finally {
      await handle.close();
      proxy = await startFaultProxy({ host: new URL(scratch.url).hostname, port: Number(new URL(scratch.url).port || 5432) });
    }
    expect(crashes).toEqual([]);
  });

  it('the app: /readyz answers 503 within 2 s and a scheduler tick is skipped, saying so, while PostgreSQL is frozen', async () => {
    const handle = await openViaProxy();
    const t = await startTestApp({ database: handle, overrides: { scheduler: true } });
    try {
      await t.app.scheduler!.tick();
      expect((await fetch(`${t.app.url}/readyz`)).status).toBe(200);
      proxy.freeze();
      const readyz = await fetch(`${t.app.url}/readyz`, { signal: AbortSignal.timeout(READY_BOUND_MS) });
      expect(readyz.status).toBe(503);
      expect(await readyz.json()).toEqual({ status: 'not ready' });
      await t.app.scheduler!.tick();
      expect(t.log.lines.some((l) => l.msg === 'tick skipped: the database is not answering')).toBe(true);
      proxy.thaw();
      await vi.waitFor(async () => expect((await fetch(`${t.app.url}/readyz`)).status).toBe(200), { timeout: 10_000, interval: 200 });
    } finally {
      proxy.thaw();
      await t.close();
      await handle.close();
    }
    expect(crashes).toEqual([]);
  });
});
