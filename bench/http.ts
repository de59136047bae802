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
 * or teams runs one platform's scenarios; BENCH_ROUNDS (3) how many rounds floor and product are
 * measured in turn, the figures being medians over them; BENCH_CPU_PROF=DIR
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
// BENCH_PLATFORMS=teams (or slack) runs one platform's scenarios only; BENCH_ROUNDS how many
// times floor and product are measured in turn (the figures are medians).
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? '3'));
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

async function measure(name: string, server: Running, send: (i: number) => Promise<void>, fresh: boolean): Promise<Result> {
  // Resident memory at rest: on the first round, before the server has served anything.
  if (fresh) await new Promise((done) => setTimeout(done, 1500));
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

// Each platform's floor and product run side by side (only one is driven at a time) for
// BENCH_ROUNDS rounds, alternating, so that both meet the same moment of a shared machine: the
// figures printed are medians over the rounds, and the ratios the median of each round's ratio.
const rounds: Result[][] = [];
async function measureRounds(scenarios: { name: string; server: Running; send: (i: number) => Promise<void> }[]): Promise<void> {
  for (let round = 0; round < ROUNDS; round += 1) {
    const results: Result[] = [];
    for (const s of scenarios) {
      const result = await measure(s.name, s.server, s.send, round === 0);
      process.stderr.write(`round ${round + 1}: ${result.name} ${result.rps} req/s, p99 ${result.p99} ms\n`);
      results.push(result);
    }
    rounds.push(results);
  }
}

if (PLATFORMS.includes('slack')) {
  const slackFloor = await startServer([join(ROOT, 'bench/floor/slack-floor.mjs')], { DATABASE_URL: dbUrl.toString(), SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slackApi.url });
  const slackProduct = await startServer([join(ROOT, 'build/dist/main.js'), 'serve'], {
    DATABASE_URL: dbUrl.toString(),
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slackApi.url,
    HOST: '127.0.0.1',
  });
  await measureRounds([
    { name: 'Slack floor (ack, INSERT, respond)', server: slackFloor, send: slackSend(slackFloor, caseOf) },
    { name: 'Slack `case CW-…`', server: slackProduct, send: slackSend(slackProduct, caseOf) },
    { name: 'Slack `cases`', server: slackProduct, send: slackSend(slackProduct, () => 'cases') },
  ]);
  await stopServer(slackFloor);
  await stopServer(slackProduct);
}

// Teams: local mode (no app id, authentication off, loopback only).
if (PLATFORMS.includes('teams')) {
  const teamsFloor = await startServer([join(ROOT, 'bench/floor/teams-floor.mjs')], {});
  const teamsProduct = await startServer([join(ROOT, 'build/dist/main.js'), 'serve'], { DATABASE_URL: dbUrl.toString(), PLAYGROUND: 'off' });
  await measureRounds([
    { name: 'Teams floor (CloudAdapter, one reply)', server: teamsFloor, send: teamsSend(teamsFloor, caseOf) },
    { name: 'Teams `case CW-…`', server: teamsProduct, send: teamsSend(teamsProduct, caseOf) },
  ]);
  await stopServer(teamsFloor);
  await stopServer(teamsProduct);
}

platform.server.close();
await slackApi.close();
await database.close();

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const names = [...new Set(rounds.flatMap((r) => r.map((x) => x.name)))];
const floorName = (name: string) => names.find((n) => n.startsWith(name.split(' ')[0]!) && n.includes('floor'))!;
const runsOf = (name: string) => rounds.flatMap((r) => r.filter((x) => x.name === name));
const ratios = (name: string, pick: (r: Result) => number) =>
  rounds.filter((r) => r.some((x) => x.name === name)).map((r) => pick(r.find((x) => x.name === name)!) / pick(r.find((x) => x.name === floorName(name))!));
process.stdout.write(
  `\nbench:http on ${process.platform} ${process.arch}, Node ${process.version}, ${REQUESTS} requests at ${CONCURRENCY} concurrent (after ${WARMUP} to warm up), PostgreSQL, ${ROUNDS} rounds: medians\n\n`,
);
const rows = [['scenario', 'req/s', 'p50 ms', 'p99 ms', 'idle MB', 'busy MB', 'statements/req', 'req/s vs floor', 'p99 vs floor']];
const byRound: string[] = [];
for (const name of names) {
  const runs = runsOf(name);
  const isFloor = name === floorName(name);
  const statementsPerRequest = runs[0]!.statementsPerRequest;
  rows.push([
    name,
    String(Math.round(median(runs.map((r) => r.rps)))),
    median(runs.map((r) => r.p50)).toFixed(1),
    median(runs.map((r) => r.p99)).toFixed(1),
    String(runs[0]!.idleMb),
    String(Math.max(...runs.map((r) => r.busyMb))),
    statementsPerRequest === null ? (name.includes('INSERT') ? '1 (the INSERT)' : '0') : String(median(runs.map((r) => r.statementsPerRequest ?? 0))),
    isFloor ? '1.00' : median(ratios(name, (r) => r.rps)).toFixed(2),
    isFloor ? '1.00' : median(ratios(name, (r) => r.p99)).toFixed(2),
  ]);
  if (!isFloor) byRound.push(`${name}: req/s vs floor by round ${ratios(name, (r) => r.rps).map((x) => x.toFixed(2)).join(', ')}; p99 vs floor ${ratios(name, (r) => r.p99).map((x) => x.toFixed(2)).join(', ')}`);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const row of rows) process.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}\n`);
process.stdout.write(`\n${byRound.join('\n')}\n`);
process.stdout.write('\nTargets: `case` at least 0.5x the floor\'s req/s with p99 at most 3x; idle RSS at most 150 MB in PostgreSQL mode.\n');
process.exit(0);
