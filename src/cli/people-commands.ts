/**
 * The people commands (docs/people-csv.md):
 * - `casework import people FILE --team TEAM [--dry-run] [--skip-invalid]` reads a people CSV,
 *   checks every row, reports every rejected line at once, and writes the rest in one transaction
 *   (nothing at all when a row is rejected, unless --skip-invalid);
 * - `casework export people --team TEAM --reason TEXT [--out FILE]` writes the team's people in
 *   the same format;
 * - `casework people --team TEAM` lists the roster with whether each person is linked to chat yet.
 * The CSV is read by the caseload's reader (src/cli/caseload-csv.ts), after a strict UTF-8 check.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import cliProgress from 'cli-progress';
import { roleLabels } from '../core/domain/entities.ts';
import { DomainError } from '../core/errors.ts';
import { PEOPLE_COLUMNS, type PeopleRecord } from '../core/people/people-file.ts';
import {
  applyPeopleImport,
  exportPeople,
  linkState,
  peopleImportBlocker,
  planPeopleImport,
  type PeopleImportPlan,
  type PeopleTable,
} from '../core/people/people-import.ts';
import { createKyselyStore, reposFor } from '../db/kysely-store.ts';
import { parseCaseloadCsv } from './caseload-csv.ts';
import { withDatabase } from './cli-context.ts';
import { cliActor, formatTable, guarded, UsageError, writeStdout } from './cli-io.ts';
import { resolveTeam } from './team-commands.ts';

const IMPORT_USAGE = 'casework import people FILE --team KEY|NAME [--dry-run] [--skip-invalid]';
const EXPORT_USAGE = 'casework export people --team KEY|NAME --reason "why the export is needed" [--out FILE]';
const LIST_USAGE = 'casework people --team KEY|NAME';
const PROGRESS_MIN_ROWS = 200;

/** Lines (1-based) of `buffer` that are not valid UTF-8. */
export function invalidUtf8Lines(buffer: Buffer): number[] {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const bad: number[] = [];
  let start = 0;
  let line = 1;
  for (let i = 0; i <= buffer.length; i += 1) {
    const byte = buffer[i];
    const end = i === buffer.length || byte === 0x0a || (byte === 0x0d && buffer[i + 1] !== 0x0a);
    if (!end) continue;
    try {
      decoder.decode(buffer.subarray(start, i));
    } catch {
      bad.push(line);
    }
    start = i + 1;
    line += 1;
  }
  return bad;
}

/** Reads a people file: strict UTF-8 (every bad line named), then CSV. */
export function readPeopleCsv(path: string): PeopleTable {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : String(code ?? error);
    throw new DomainError('invalid_input', `Cannot read ${path}: ${why}.`);
  }
  const bad = invalidUtf8Lines(buffer);
  if (bad.length > 0) {
    const lines = bad.map((n) => `line ${n}: is not UTF-8 text`).join('\n');
    throw new DomainError('invalid_input', `${lines}\nSave the file as "CSV UTF-8" and try again. Nothing was imported.`);
  }
  return parseCaseloadCsv(buffer);
}

/** People rows as CSV with a header row; formula-like cells get a leading apostrophe, which an import removes. */
export function writePeopleCsv(records: readonly PeopleRecord[]): string {
  return stringify(records as PeopleRecord[], { header: true, columns: [...PEOPLE_COLUMNS], escape_formulas: true });
}

/** The summary line every run ends with. */
export function peopleSummaryLine(plan: PeopleImportPlan): string {
  const { created, updated, unchanged, rejected } = plan.counts;
  return `created ${created}, updated ${updated}, unchanged ${unchanged}, rejected ${rejected}`;
}

function progressBar(rows: number): { update(done: number): void; stop(): void } | undefined {
  if (!process.stderr.isTTY || rows <= PROGRESS_MIN_ROWS) return undefined;
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'Importing [{bar}] {value}/{total} people ({eta}s left)', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(rows, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}

/** `import people FILE --team TEAM`: exit code 0 when the file was imported (or would be), 1 when not. */
export function importPeopleCommand(args: string[]): Promise<number> {
  return guarded(IMPORT_USAGE, async () => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { team: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'skip-invalid': { type: 'boolean' } },
    });
    const [what, file, ...more] = positionals;
    if (what !== 'people') throw new UsageError('Import what?');
    if (!file || more.length > 0) throw new UsageError('Name one CSV file to import.');
    if (!values.team) throw new UsageError('Say which team the people belong to with --team KEY or --team NAME.');
    const dryRun = values['dry-run'] ?? false;
    const skipInvalid = values['skip-invalid'] ?? false;
    const fileName = basename(file);
    // Read and check the text before opening the database, so a bad file fails at once.
    const table = readPeopleCsv(file);
    return withDatabase(async (database) => {
      let bar: ReturnType<typeof progressBar>;
      const plan = await createKyselyStore(database.db)
        .transaction(async (repos) => {
          const team = await resolveTeam(repos, values.team ?? '');
          const members = await repos.members.listByTeam(team.id, { includeInactive: true });
          const identities = await repos.members.identitiesOfTeam(team.id);
          const planned = planPeopleImport(table, team, members, identities);
          if (dryRun || peopleImportBlocker(planned, skipInvalid)) return planned;
          bar = progressBar(planned.outcomes.length);
          await applyPeopleImport(repos, cliActor(team.id), planned, { fileName, skipInvalid, onProgress: (done) => bar?.update(done) });
          return planned;
        })
        .finally(() => bar?.stop());
      if (plan.fileProblems.length > 0) {
        for (const problem of plan.fileProblems) process.stderr.write(`${fileName}: ${problem}\n`);
        process.stderr.write('Nothing was imported.\n');
        return 1;
      }
      for (const outcome of plan.outcomes) {
        if (outcome.kind === 'rejected') process.stderr.write(`line ${outcome.line}: ${outcome.reason}\n`);
        if (outcome.kind === 'update') {
          const verb = dryRun ? 'would update' : 'updated';
          const what = [...outcome.changedColumns, ...(outcome.rejoins ? ['rejoins'] : [])].join(', ');
          await writeStdout(`line ${outcome.line}: ${verb} ${outcome.existing.displayName} (${what})\n`);
        }
      }
      await writeStdout(`${peopleSummaryLine(plan)}\n`);
      const blocker = peopleImportBlocker(plan, skipInvalid);
      if (blocker) {
        process.stderr.write(`${blocker}\n`);
        return 1;
      }
      if (dryRun) await writeStdout(`Dry run: nothing was written to ${plan.team.name} (${plan.team.key}).\n`);
      else if (skipInvalid && plan.counts.rejected > 0) await writeStdout(`Skipped the ${plan.counts.rejected} rejected row(s); imported the rest into ${plan.team.name} (${plan.team.key}).\n`);
      else await writeStdout(`Imported ${fileName} into ${plan.team.name} (${plan.team.key}).\n`);
      return 0;
    });
  });
}

function writeOut(path: string, csv: string): void {
  try {
    writeFileSync(path, csv, { mode: 0o600 });
  } catch (error) {
    throw new DomainError('invalid_input', `Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}. Nothing was exported.`);
  }
}

/** `export people --team TEAM --reason TEXT [--out FILE]`: the CSV goes to stdout unless --out names a file. */
export function exportPeopleCommand(args: string[]): Promise<number> {
  return guarded(EXPORT_USAGE, async () => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { team: { type: 'string' }, reason: { type: 'string' }, out: { type: 'string' } },
    });
    const [what, ...more] = positionals;
    if (what !== 'people' || more.length > 0) throw new UsageError(`Cannot export "${positionals.join(' ')}".`);
    if (!values.team) throw new UsageError('Say which team to export with --team KEY or --team NAME.');
    if (!values.reason?.trim()) throw new UsageError('An export discloses people\'s emails and accounts: say why with --reason "…".');
    return withDatabase(async (database) => {
      const { team, count } = await createKyselyStore(database.db).transaction(async (repos) => {
        const found = await resolveTeam(repos, values.team ?? '');
        const records = await exportPeople(repos, cliActor(found.id), found, values.reason ?? '');
        const csv = writePeopleCsv(records);
        // Written before the audit row commits, so a failed write leaves no record of an export that never happened.
        if (values.out) writeOut(values.out, csv);
        else await writeStdout(csv);
        return { team: found, count: records.length };
      });
      process.stderr.write(`Exported ${count} person(s) of ${team.name} (${team.key})${values.out ? ` to ${values.out}` : ''}.\n`);
      return 0;
    });
  });
}

/** `people --team TEAM`: the roster, with roles, supervisor and whether each person is linked to chat yet. */
export function peopleCommand(args: string[]): Promise<number> {
  return guarded(LIST_USAGE, async () => {
    const { values } = parseArgs({ args, options: { team: { type: 'string' } } });
    if (!values.team) throw new UsageError('Say which team with --team KEY or --team NAME.');
    return withDatabase(async (database) => {
      const repos = reposFor(database.db);
      const team = await resolveTeam(repos, values.team ?? '');
      const members = await repos.members.listByTeam(team.id);
      const identities = await repos.members.identitiesOfTeam(team.id);
      if (members.length === 0) {
        await writeStdout(`${team.name} (${team.key}) has nobody on its roster yet. Add people with: casework import people FILE --team ${team.key}\n`);
        return 0;
      }
      const names = new Map(members.map((m) => [m.id, m.displayName]));
      const rows = [['NAME', 'ROLES', 'SUPERVISOR', 'CHAT']];
      for (const m of members) {
        const platforms = [...new Set(identities.filter((i) => i.memberId === m.id && i.linked).map((i) => (i.platform === 'slack' ? 'Slack' : 'Teams')))];
        const state = linkState(m, identities);
        rows.push([m.displayName, m.roles.map((r) => roleLabels[r]).join(', '), m.supervisorMemberId ? (names.get(m.supervisorMemberId) ?? 'former member') : '', state === 'linked' ? `linked (${platforms.join(', ')})` : state]);
      }
      await writeStdout(formatTable(rows));
      const waiting = members.filter((m) => linkState(m, identities) === 'not yet linked').length;
      if (waiting > 0) {
        await writeStdout(`${waiting} not yet linked: they are linked by email when they first message Casework or join the team's channel; their reminders wait until then.\n`);
      }
      return 0;
    });
  });
}
