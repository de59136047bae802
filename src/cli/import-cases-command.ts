/**
 * `casework import cases FILE --team TEAM [--dry-run] [--skip-invalid] [--encoding windows-1252]`:
 * reads a caseload CSV, checks every row, reports every rejected line at once, and writes the rest
 * in one transaction (nothing at all when a row is rejected, unless --skip-invalid). Format:
 * docs/caseload-csv.md.
 *
 * The file is streamed twice rather than held in memory: the first pass checks every row and keeps
 * only the counts and the lines to report; when the import may go ahead, the second pass plans the
 * rows again (the same outcomes: same file, same cases) and writes them in batches as it goes.
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { todayIn } from '../core/calendar/working-calendar.ts';
import { caseImportPlanner, caseImportWriter, countOutcome, importBlocker, type CaseImportCounts, type CaseImportOutcome, type CaseImportPlanner } from '../core/caseload/caseload-import.ts';
import { systemClock } from '../core/clock.ts';
import type { Team } from '../core/domain/entities.ts';
import { DomainError } from '../core/errors.ts';
import { createKyselyStore } from '../db/kysely-store.ts';
import { caseloadEncoding, checkCaseloadFile, streamCaseloadCsv, type CaseloadEncoding } from './caseload-csv.ts';
import { withDatabase } from './cli-context.ts';
import { cliActor, guarded, UsageError, writeStderr, writeStdout } from './cli-io.ts';
import { resolveTeam } from './team-commands.ts';
const USAGE = 'casework import cases FILE --team KEY|NAME [--dry-run] [--skip-invalid] [--encoding windows-1252]';
// Small files finish before a bar would be worth drawing.
const PROGRESS_MIN_ROWS = 200;

/** The summary line every run ends with. */
export function summaryLine(plan: { counts: CaseImportCounts }): string {
  const { created, updated, unchanged, rejected } = plan.counts;
  return `created ${created}, updated ${updated}, unchanged ${unchanged}, rejected ${rejected}`;
}

interface Bar {
  update(done: number): void;
  stop(): void;
}

// Drawn on stderr in a terminal only, for files big enough to be worth it.
function progressBar(label: string, total: number, unit: string, worthIt: boolean): Bar | undefined {
  if (!process.stderr.isTTY || !worthIt) return undefined;
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {value}/{total} ${unit} ({eta}s left)`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}

/** A line of the report: rejected rows to stderr, updated ones to stdout, in file order. */
interface ReportLine {
  toStderr: boolean;
  text: string;
}

function reportLine(outcome: CaseImportOutcome, dryRun: boolean): ReportLine | undefined {
  if (outcome.kind === 'rejected') return { toStderr: true, text: `line ${outcome.line}: ${outcome.reason}\n` };
  if (outcome.kind === 'update') {
    const verb = dryRun ? 'would update' : 'updated';
    return { toStderr: false, text: `line ${outcome.line}: ${verb} ${outcome.existing.key} (${outcome.changedColumns.join(', ')})\n` };
  }
  return undefined;
}

/** What a run found. */
interface ImportRun {
  team: Team;
  fileProblems: string[];
  counts: CaseImportCounts;
  report: ReportLine[];
}

/** Runs the import command; exit code 0 when the file was imported (or would be), 1 when it was not. */
export function importCasesCommand(args: string[]): Promise<number> {
  return guarded(USAGE, async () => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { team: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'skip-invalid': { type: 'boolean' }, encoding: { type: 'string' } },
    });
    const [what, file, ...more] = positionals;
    if (what !== 'cases') throw new UsageError(what ? `Cannot import "${what}": only cases.` : 'Import what?');
    if (!file || more.length > 0) throw new UsageError('Name one CSV file to import.');
    if (!values.team) throw new UsageError('Say which team the cases belong to with --team KEY or --team NAME.');
    const encoding: CaseloadEncoding | null = caseloadEncoding(values.encoding);
    if (!encoding) throw new UsageError('--encoding takes utf-8 (the default) or windows-1252 (a Windows or Latin-1 file).');
    const dryRun = values['dry-run'] ?? false;
    const skipInvalid = values['skip-invalid'] ?? false;
    const fileName = basename(file);
    // Check the file before opening the database, so a bad path fails at once.
    const size = await checkCaseloadFile(file);
    return withDatabase(async (database) => {
      let bar: Bar | undefined;
      const run = await createKyselyStore(database.db)
        .transaction(async (repos): Promise<ImportRun> => {
          const team = await resolveTeam(repos, values.team ?? '');
          const members = await repos.members.listByTeam(team.id, { includeInactive: true });
          const existing = await repos.cases.listAll(team.id);
          const today = todayIn(team.timeZone, systemClock.now());

          // First pass: check every row; keep the counts and the lines to report, nothing else.
          const counts: CaseImportCounts = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
          const report: ReportLine[] = [];
          let rows = 0;
          bar = progressBar('Checking', size, 'bytes', size > 64 * 1024);
          const checking = rowsOf(file, encoding, (read) => bar?.update(read));
          let planner: CaseImportPlanner | undefined = await plannerFor(checking, (headers) => caseImportPlanner(headers, team, members, existing, today));
          if (planner.fileProblems.length > 0) {
            await checking.return?.(undefined);
            return { team, fileProblems: planner.fileProblems, counts, report };
          }
          for await (const { line, cells } of checking) {
            const outcome = planner.planRow(line, cells);
            countOutcome(counts, outcome);
            const said = reportLine(outcome, dryRun);
            if (said) report.push(said);
            rows += 1;
          }
          // What it remembered (every reference in the file) is not needed for the second pass.
          planner = undefined;
          bar?.stop();
          bar = undefined;
          if (dryRun || importBlocker({ fileProblems: [], counts }, skipInvalid)) return { team, fileProblems: [], counts, report };

          // Second pass: the same rows planned afresh, written in batches as they come.
          const writer = caseImportWriter(repos, cliActor(team.id), team, { fileName, skipInvalid, today });
          bar = progressBar('Importing', rows, 'rows', rows > PROGRESS_MIN_ROWS);
          const writing = rowsOf(file, encoding);
          const again = await plannerFor(writing, (headers) => caseImportPlanner(headers, team, members, existing, today));
          if (again.fileProblems.length > 0) throw new DomainError('invalid_input', `${fileName} changed while it was being imported. Nothing was imported; run the import again.`);
          const written: CaseImportCounts = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
          let done = 0;
          for await (const { line, cells } of writing) {
            const outcome = again.planRow(line, cells);
            countOutcome(written, outcome);
            await writer.add(outcome);
            done += 1;
            if (done % 100 === 0 || done === rows) bar?.update(done);
          }
          // Only a file changed between the passes can plan differently: roll the lot back.
          if (summaryLine({ counts: written }) !== summaryLine({ counts })) {
            throw new DomainError('invalid_input', `${fileName} changed while it was being imported. Nothing was imported; run the import again.`);
          }
          await writer.finish(counts);
          return { team, fileProblems: [], counts, report };
        })
        .finally(() => bar?.stop());
      if (run.fileProblems.length > 0) {
        for (const problem of run.fileProblems) await writeStderr(`${fileName}: ${problem}\n`);
        await writeStderr('Nothing was imported.\n');
        return 1;
      }
      for (const line of run.report) await (line.toStderr ? writeStderr(line.text) : writeStdout(line.text));
      await writeStdout(`${summaryLine(run)}\n`);
      const blocker = importBlocker({ fileProblems: [], counts: run.counts }, skipInvalid);
      if (blocker) {
        await writeStderr(`${blocker}\n`);
        return 1;
      }
      if (dryRun) await writeStdout(`Dry run: nothing was written to ${run.team.name} (${run.team.key}).\n`);
      else if (skipInvalid && run.counts.rejected > 0) await writeStdout(`Skipped the ${run.counts.rejected} rejected row(s); imported the rest into ${run.team.name} (${run.team.key}).\n`);
      else await writeStdout(`Imported ${fileName} into ${run.team.name} (${run.team.key}).\n`);
      return 0;
    });
  });
}

/** The file's rows as an iterator, so the header can be taken first and the rows after. */
function rowsOf(file: string, encoding: CaseloadEncoding, onBytes?: (read: number) => void): AsyncIterableIterator<{ line: number; cells: string[] }> {
  return streamCaseloadCsv(file, { encoding, ...(onBytes ? { onBytes } : {}) });
}

/** Takes the header row off `rows` and makes the planner for it. */
async function plannerFor<P>(rows: AsyncIterableIterator<{ cells: string[] }>, make: (headers: string[]) => P): Promise<P> {
  const first = await rows.next();
  return make(first.done ? [] : first.value.cells);
}
