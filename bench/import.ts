/**
 * Caseload import benchmark (`npm run bench:import`). Generates a caseload CSV of about 50 MB
 * (BENCH_IMPORT_MB, default 50: about 546,000 rows) for a team of twelve officers and three
 * supervisors in a temporary folder, then runs the real command line as a child process, as an
 * operator would: `import cases --dry-run`, then the import for real, into an embedded database
 * (PGlite) in the same folder, or PostgreSQL when BENCH_DATABASE_URL is set. For each run it
 * prints rows, seconds, rows per second and the child's peak resident memory (VmHWM from
 * /proc/<pid>/status, sampled until it exits). BENCH_IMPORT_BIN runs another build of the command
 * line (an older checkout, to compare); BENCH_IMPORT_RUNS=dry runs the dry run only. Everything in
 * the file is made up.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { CASELOAD_COLUMNS } from '../src/core/caseload/caseload-row.ts';
import { defaultPolicy } from '../src/core/policy/policy.ts';
import { migrateToLatest, openDatabase, type DatabaseTarget } from '../src/db/database.ts';
import { reposFor } from '../src/db/kysely-store.ts';
import { CASEWORK_BIN, cliEnv } from '../test/support/cli-process.ts';

const TARGET_BYTES = Number(process.env.BENCH_IMPORT_MB ?? '50') * 1024 * 1024;
const BIN = process.env.BENCH_IMPORT_BIN ?? CASEWORK_BIN;
const OFFICERS = Array.from({ length: 12 }, (_, i) => `Officer ${String.fromCharCode(65 + i)}${'abcdefghijkl'[i]}ley`);
const SUPERVISORS = ['Supervisor Ashworth', 'Supervisor Bramley', 'Supervisor Carver'];
const RISKS = ['low', 'medium', 'high', 'very high', 'medium', 'low'];

/** The n-th row: varied enough to exercise every column, about 95 bytes. */
function csvRow(n: number): string {
  const officer = OFFICERS[n % OFFICERS.length]!;
  const coworker = n % 4 === 0 ? OFFICERS[(n + 1) % OFFICERS.length]! : '';
  const day = String(1 + (n % 28)).padStart(2, '0');
  const cells: Record<(typeof CASELOAD_COLUMNS)[number], string> = {
    case_key: '',
    external_ref: `REF-${String(n).padStart(7, '0')}`,
    risk_level: RISKS[n % RISKS.length]!,
    management_mode: n % 20 === 0 && RISKS[n % RISKS.length] === 'low' ? 'reactive' : 'active',
    lead_officer: officer,
    supervisor: SUPERVISORS[n % SUPERVISORS.length]!,
    coworkers: coworker,
    mappa_category: n % 5 === 0 ? '1' : '',
    mappa_level: n % 5 === 0 ? String(1 + (n % 3)) : '',
    last_assessment_on: `2026-0${1 + (n % 9)}-${day}`,
    last_visit_on: n % 3 === 0 ? `${day}/10/2026` : '',
    last_mappa_review_on: n % 5 === 0 ? `2026-08-${day}` : '',
    plan_visit_interval_months: n % 11 === 0 ? '2' : '',
    plan_review_interval_months: '',
  };
  return CASELOAD_COLUMNS.map((c) => cells[c]).join(',');
}

async function writeCsv(path: string): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  let rows = 0;
  const header = `${CASELOAD_COLUMNS.join(',')}\n`;
  out.write(header);
  bytes += header.length;
  while (bytes < TARGET_BYTES) {
    const lines: string[] = [];
    for (let i = 0; i < 1000; i += 1) lines.push(csvRow(++rows));
    const chunk = `${lines.join('\n')}\n`;
    bytes += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

async function peakRss(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0; // already gone
  }
}

/** Runs the command line, sampling its peak memory until it exits. */
async function run(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; seconds: number; peak: number; stdout: string; stderr: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout = (stdout + c.toString()).slice(-4000)));
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  let peak = 0;
  let exited = false;
  const closed = new Promise<number | null>((done) => child.on('close', (code) => ((exited = true), done(code))));
  while (!exited) {
    peak = Math.max(peak, await peakRss(child.pid ?? 0));
    await new Promise((r) => setTimeout(r, 100));
  }
  return { code: await closed, seconds: (performance.now() - started) / 1000, peak, stdout, stderr };
}

const dir = await mkdtemp(join(tmpdir(), 'casework-bench-import-'));
try {
  const target: DatabaseTarget = process.env.BENCH_DATABASE_URL ? { url: process.env.BENCH_DATABASE_URL } : { dataDir: join(dir, 'data') };
  const database = await openDatabase(target);
  let teamKey: string;
  try {
    await migrateToLatest(database.db);
    const repos = reposFor(database.db);
    teamKey = `BENCH${Date.now().toString(36).toUpperCase().slice(-4)}`;
    const team = await repos.teams.create({ key: teamKey, name: `Import bench ${teamKey}`, timeZone: 'Europe/London', policy: defaultPolicy(), channel: null, isDemo: true });
    for (const name of OFFICERS) await repos.members.create({ teamId: team.id, displayName: name, roles: ['officer'] });
    for (const name of SUPERVISORS) await repos.members.create({ teamId: team.id, displayName: name, roles: ['supervisor'] });
  } finally {
    await database.close();
  }

  const file = join(dir, 'caseload.csv');
  const rows = await writeCsv(file);
  const size = (await stat(file)).size;
  console.log(`caseload.csv: ${rows} rows, ${(size / 1024 / 1024).toFixed(1)} MB; ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}; node ${process.version}`);
  const env = cliEnv({
    ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : { DATA_DIR: join(dir, 'data') }),
    LOG_LEVEL: 'silent',
  });
  const table: Record<string, string | number>[] = [];
  for (const [label, extra] of [
    ['dry run', ['--dry-run']],
    ['import', []],
  ] as const) {
    if (process.env.BENCH_IMPORT_RUNS === 'dry' && label !== 'dry run') continue;
    const result = await run(['import', 'cases', file, '--team', teamKey, ...extra], env, dir);
    if (result.code !== 0) {
      console.error(`${label} exited ${result.code}:\n${result.stderr}`);
      process.exitCode = 1;
    }
    const figures = {
      run: label,
      rows,
      seconds: Number(result.seconds.toFixed(1)),
      'rows/s': Math.round(rows / result.seconds),
      'peak RSS MB': Math.round(result.peak / 1024 / 1024),
      summary: result.stdout.split('\n').find((l) => l.startsWith('created')) ?? '',
    };
    console.log(JSON.stringify(figures));
    table.push(figures);
  }
  console.table(table);
} finally {
  await rm(dir, { recursive: true, force: true });
}
