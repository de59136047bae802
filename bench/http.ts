/**
 * End-to-end HTTP benchmark (`npm run bench:http`, PostgreSQL: needs DATABASE_URL). Each server
 * runs as its own process, as `npm start` runs it (the built bundle), against a fresh database
 * holding a 1,000-case team of 20 officers; this process drives it over loopback and plays the
 * platform: it signs Slack slash commands and receives their answers at the `response_url`, and
 * posts Teams activities and receives the replies as the Bot Framework connector.
 *
 * Scenarios, each against its floor in the same run:
 *   - Slack `/casework case CW-…` from 20 distinct officers (their own cases), 10 at a time, timed
 *     until the answer reaches the response_url; floor: Bolt, ack, one kysely INSERT, respond.
 *   - Slack `/casework cases`, the same way, against the same floor.
 *   - Teams `case CW-…` in the personal chat, timed until the reply reaches the connector; floor:
 *     a bare CloudAdapter that replies once.
 * For each it prints requests/s, p50, p99, idle and busy RSS of the server process, and the
 * product's database statements per request (its own /metrics), then the ratios to the floor.
 * BENCH_REQUESTS (default 2000) and BENCH_CONCURRENCY (10) change the load; BENCH_PLATFORMS=slack
 * or teams runs one platform's scenarios; BENCH_CPU_PROF=DIR
 * writes each server's CPU profile there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { createScaleTeam } from '../src/local/scale-team.ts';
import { createTestDb } from '../test/support/test-db.ts';
import { startFakeSlackApi } from '../test/support/fake-slack-api.ts';

const ROOT = resolve(import.meta.dirname, '..');
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? '2000');
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? '10');
const WARMUP = Math.min(300, Math.ceil(REQUESTS / 5));
const SECRET = 'bench-signing-secret-0123456789';
const WORKSPACE = 'T0BENCH';
const TENANT = '00000000-0000-0000-0000-00000000beef';
const OFFICERS = 20;
// BENCH_PLATFORMS=teams (or slack) runs one platform's scenarios only.
const PLATFORMS = (process.env.BENCH_PLATFORMS ?? 'slack,teams').split(',');

if (!process.env.DATABASE_URL) {
  process.stderr.write('bench:http measures PostgreSQL mode: set DATABASE_URL to a PostgreSQL database it may create test databases from.\n');
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// The platform side: response_url and the Bot Framework connector, both answering at once.

type Waiter = (at: number) => void;
const waiting = new Map<string, Waiter>();

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Receives answers: POST /r/<id> (Slack response_url) and POST /v3/conversations/<c>/activities/<id> (Teams replies). */
async function startPlatformSide(): Promise<{ server: Server; url: string }> {
  let next = 1;
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const at = performance.now();
      const path = req.url ?? '/';
      const slack = /^\/r\/(\w+)/.exec(path);
      const teams = /\/v3\/conversations\/[^/]+\/activities\/([^/?]+)/.exec(path);
      const key = slack ? `slack:${slack[1]}` : teams ? `teams:${decodeURIComponent(teams[1]!)}` : undefined;
      if (key) {
        waiting.get(key)?.(at);
        waiting.delete(key);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(teams || path.includes('/v3/') ? JSON.stringify({ id: `reply-${next++}` }) : body ? '{"ok":true}' : '{}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function answered(key: string): Promise<number> {
  return new Promise((done) => waiting.set(key, done));
}

// ---------------------------------------------------------------------------------------------
// Server processes.

interface Running {
  child: ChildProcess;
  url: string;
  pid: number;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function startServer(args: string[], env: Record<string, string>): Promise<Running> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  // BENCH_CPU_PROF=DIR writes a V8 CPU profile of each server into DIR when it stops (for finding where the time goes).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const child = spawn(process.execPath, [...profile, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i += 1) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    const up = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (up) return { child, url, pid: child.pid! };
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`server did not start: ${output}`);
}

async function stopServer(server: Running): Promise<void> {
  const exited = new Promise((done) => server.child.on('exit', done));
  server.child.kill('SIGTERM');
  await exited;
}

// ---------------------------------------------------------------------------------------------
// Load.

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  idleMb: number;
  busyMb: number;
  statementsPerRequest: number | null;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `count` requests, `CONCURRENCY` at a time; `send(i)` resolves when request i's answer arrived. */
async function drive(count: number, send: (i: number) => Promise<void>): Promise<{ seconds: number; latencies: number[] }> {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await send(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

async function statements(server: Running): Promise<number | null> {
  const text = await fetch(`${server.url}/metrics`).then((r) => (r.ok ? r.text() : ''), () => '');
  const match = /^casework_db_statements_total (\d+)/m.exec(text);
  return match ? Number(match[1]) : null;
}

async function measure(name: string, server: Running, send: (i: number) => Promise<void>): Promise<Result> {
  await new Promise((done) => setTimeout(done, 1500));
  const idleMb = rssMb(server.pid);
  await drive(WARMUP, (i) => send(i + 1_000_000));
  let busyMb = rssMb(server.pid);
  const sampler = setInterval(() => (busyMb = Math.max(busyMb, rssMb(server.pid))), 100);
  const before = await statements(server);
  const run = await drive(REQUESTS, send);
  const after = await statements(server);
  clearInterval(sampler);
  return {
    name,
    rps: Math.round(REQUESTS / run.seconds),
    p50: Math.round(percentile(run.latencies, 50) * 10) / 10,
    p99: Math.round(percentile(run.latencies, 99) * 10) / 10,
    idleMb,
    busyMb,
    // Less the one statement /metrics itself never costs: nothing else runs meanwhile.
    statementsPerRequest: before !== null && after !== null ? Math.round(((after - before) / REQUESTS) * 10) / 10 : null,
  };
}

function signedCommand(url: string, text: string, userId: string, responseUrl: string): Promise<Response> {
  const body = new URLSearchParams({
    token: 'verification',
    team_id: WORKSPACE,
    team_domain: 'bench',
    channel_id: `D${userId.slice(1)}`,
    channel_name: 'directmessage',
    user_id: userId,
    user_name: userId.toLowerCase(),
    command: '/casework',
    text,
    api_app_id: 'A0CASEWORK',
    response_url: responseUrl,
    trigger_id: `trigger-${Math.random().toString(36).slice(2)}`,
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
    body,
  });
}

function teamsMessage(url: string, serviceUrl: string, userId: string, text: string, id: string): Promise<Response> {
  return fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id,
      channelId: 'msteams',
      serviceUrl,
      timestamp: new Date().toISOString(),
      from: { id: `29:${userId}`, name: userId, aadObjectId: userId },
      recipient: { id: '28:casework-bot', name: 'Casework' },
      conversation: { id: `a:personal-${userId}`, conversationType: 'personal', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      text,
      locale: 'en-GB',
    }),
  });
}

// ---------------------------------------------------------------------------------------------

// A fresh database for the run (dropped at the end), migrated, with the team in it.
const database = await createTestDb('postgres');
const dbUrl = new URL(process.env.DATABASE_URL);
dbUrl.pathname = `/${(await sql<{ name: string }>`select current_database() as name`.execute(database.db)).rows[0]!.name}`;
const scale = await createScaleTeam(database.db, {
  today: new Date().toISOString().slice(0, 10),
  officers: OFFICERS,
  supervisors: 3,
  cases: 1000,
  slack: { workspaceId: WORKSPACE, userIdPrefix: 'U0BN' },
  teams: { tenantId: TENANT, userIdPrefix: 'aad-bn-' },
});
const officers = scale.people.slice(0, OFFICERS);
const ownCase = new Map<string, string>();
for (const o of officers) {
  const row = await database.db.selectFrom('cases').select('case_key').where('lead_officer_id', '=', o.member.id).orderBy('case_key').executeTakeFirstOrThrow();
  ownCase.set(o.member.id, row.case_key);
}

const platform = await startPlatformSide();
const slackApi = await startFakeSlackApi({ teamId: WORKSPACE });
const build = spawn(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
await new Promise((done) => build.on('exit', done));

const results: Result[] = [];
let sequence = 0;
const slackSend = (server: Running, text: (i: number) => string) => async (i: number) => {
  const officer = officers[i % officers.length]!;
  const id = `s${++sequence}`;
  const arrival = answered(`slack:${id}`);
  const res = await signedCommand(server.url, text(i), officer.slackUserId!, `${platform.url}/r/${id}`);
  if (res.status !== 200) throw new Error(`slash command answered ${res.status}`);
  await arrival;
};
const teamsSend = (server: Running, text: (i: number) => string) => async (i: number) => {
  const officer = officers[i % officers.length]!;
  const id = `t${++sequence}`;
  const arrival = answered(`teams:${id}`);
  const res = await teamsMessage(server.url, `${platform.url}/`, officer.teamsUserId!, text(i), id);
  if (res.status >= 300) throw new Error(`activity answered ${res.status}`);
  await arrival;
};
const caseOf = (i: number) => `case ${ownCase.get(officers[i % officers.length]!.member.id)}`;

// Slack: floor, then the product.
if (PLATFORMS.includes('slack')) {
  const slackFloor = await startServer([join(ROOT, 'bench/floor/slack-floor.mjs')], { DATABASE_URL: dbUrl.toString(), SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slackApi.url });
  results.push(await measure('Slack floor (ack, INSERT, respond)', slackFloor, slackSend(slackFloor, caseOf)));
  await stopServer(slackFloor);
  const slackProduct = await startServer([join(ROOT, 'build/dist/main.js'), 'serve'], {
    DATABASE_URL: dbUrl.toString(),
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slackApi.url,
    HOST: '127.0.0.1',
  });
  results.push(await measure('Slack `case CW-…`', slackProduct, slackSend(slackProduct, caseOf)));
  results.push(await measure('Slack `cases`', slackProduct, slackSend(slackProduct, () => 'cases')));
  await stopServer(slackProduct);
}

// Teams: floor, then the product (local mode: no app id, authentication off, loopback only).
if (PLATFORMS.includes('teams')) {
  const teamsFloor = await startServer([join(ROOT, 'bench/floor/teams-floor.mjs')], {});
  results.push(await measure('Teams floor (CloudAdapter, one reply)', teamsFloor, teamsSend(teamsFloor, caseOf)));
  await stopServer(teamsFloor);
  const teamsProduct = await startServer([join(ROOT, 'build/dist/main.js'), 'serve'], { DATABASE_URL: dbUrl.toString(), PLAYGROUND: 'off' });
  results.push(await measure('Teams `case CW-…`', teamsProduct, teamsSend(teamsProduct, caseOf)));
  await stopServer(teamsProduct);
}

platform.server.close();
await slackApi.close();
await database.close();

const floorOf = (r: Result) => results.find((f) => f.name.startsWith(r.name.split(' ')[0]!) && f.name.includes('floor'))!;
process.stdout.write(`\nbench:http on ${process.platform} ${process.arch}, Node ${process.version}, ${REQUESTS} requests at ${CONCURRENCY} concurrent (after ${WARMUP} to warm up), PostgreSQL\n\n`);
const rows = [['scenario', 'req/s', 'p50 ms', 'p99 ms', 'idle MB', 'busy MB', 'statements/req', 'req/s vs floor', 'p99 vs floor']];
for (const r of results) {
  const floor = floorOf(r);
  const isFloor = r === floor;
  rows.push([
    r.name,
    String(r.rps),
    String(r.p50),
    String(r.p99),
    String(r.idleMb),
    String(r.busyMb),
    r.statementsPerRequest === null ? (r.name.includes('INSERT') ? '1 (the INSERT)' : '0') : String(r.statementsPerRequest),
    isFloor ? '1.00' : (r.rps / floor.rps).toFixed(2),
    isFloor ? '1.00' : (r.p99 / floor.p99).toFixed(2),
  ]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const row of rows) process.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}\n`);
process.stdout.write('\nTargets: `case` at least 0.5x the floor\'s req/s with p99 at most 3x; idle RSS at most 150 MB in PostgreSQL mode.\n');
process.exit(0);
