import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../src/server/http-server.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('operator endpoints', () => {
  it('GET /healthz answers while the process is alive', async () => {
    const res = await fetch(`${t.app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers ready when the database is reachable and migrated', async () => {
    const res = await fetch(`${t.app.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  it('GET /metrics serves Prometheus text with request counts', async () => {
    await fetch(`${t.app.url}/healthz`);
    const res = await fetch(`${t.app.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/casework_http_requests_total\{route="\/healthz",method="GET",status="200"\} \d+/);
    expect(text).toContain('casework_errors_total');
  });

  it('answers unknown paths with 404 and no detail', async () => {
    const res = await fetch(`${t.app.url}/nope`);
    expect(res.status).toBe(404);
  });
});

describe('connections', () => {
  it('keeps idle keep-alive connections longer than load balancers do (65 s), and allows headers longer still', async () => {
    const { server } = await listen(express(), 0, '127.0.0.1');
    try {
      expect(server.keepAliveTimeout).toBeGreaterThanOrEqual(65_000);
      expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
      expect(server.requestTimeout).toBeGreaterThanOrEqual(server.headersTimeout);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers a request past the body limits with 413 and a short body, not 500', async () => {
    const res = await fetch(`${t.app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"text":"${'x'.repeat(600 * 1024)}"}` });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'payload too large' });
  });
});

describe('readiness', () => {
  it('answers 503 within 2 s while the embedded database is held by a transaction that does not end', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // PGlite is one connection: a transaction holding it makes every other query wait.
    const transaction = t.database.db.transaction().execute(() => held);
    try {
      const res = await fetch(`${t.app.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      expect(res.status).toBe(503);
    } finally {
      release();
      await transaction;
    }
    expect((await fetch(`${t.app.url}/readyz`)).status).toBe(200);
  });

  it('reports not ready once the database is gone', async () => {
    const other = await startTestApp();
    await other.database.close();
    const res = await fetch(`${other.app.url}/readyz`);
    expect(res.status).toBe(503);
    await other.app.stop();
    await other.slackApi.close();
  });
});
