/**
 * `casework import cases FILE --team TEAM [--dry-run] [--skip-invalid]`: reads a caseload CSV,
 * checks every row, reports every rejected line at once, and writes the rest in one transaction
 * (nothing at all when a row is rejected, unless --skip-invalid). Format: docs/caseload-csv.md.
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { todayIn } from '../core/calendar/working-calendar.ts';
import { applyCaseImport, importBlocker, planCaseImport, type CaseImportPlan } from '../core/caseload/caseload-import.ts';
import type { CaseloadTable } from '../core/caseload/caseload-row.ts';
import { systemClock } from '../core/clock.ts';
import { createKyselyStore } from '../db/kysely-store.ts';
import { readCaseloadCsv } from './caseload-csv.ts';
import { withDatabase } from './cli-context.ts';
import { cliActor, guarded, UsageError } from './cli-io.ts';
import { resolveTeam } from './team-commands.ts';

const USAGE = 'casework import cases FILE --team KEY|NAME [--dry-run] [--skip-invalid]';
// Small files finish before a bar would be worth drawing.
const PROGRESS_MIN_ROWS = 200;

/** The summary line every run ends with. */
export function summaryLine(plan: CaseImportPlan): string {
  const { created, updated, unchanged, rejected } = plan.counts;
  return `created ${created}, updated ${updated}, unchanged ${unchanged}, rejected ${rejected}`;
}

function progressBar(rows: number): { update(done: number): void; stop(): void } | undefined {
  if (!process.stderr.isTTY || rows <= PROGRESS_MIN_ROWS) return undefined;
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'Importing [{bar}] {value}/{total} rows ({eta}s left)', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(rows, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}

function report(plan: CaseImportPlan, dryRun: boolean): void {
  for (const outcome of plan.outcomes) {
    if (outcome.kind === 'rejected') process.stderr.write(`line ${outcome.line}: ${outcome.reason}\n`);
    if (outcome.kind === 'update') {
      const verb = dryRun ? 'would update' : 'updated';
      process.stdout.write(`line ${outcome.line}: ${verb} ${outcome.existing.key} (${outcome.changedColumns.join(', ')})\n`);
    }
  }
}

/** Runs the import command; exit code 0 when the file was imported (or would be), 1 when it was not. */
export function importCasesCommand(args: string[]): Promise<number> {
  return guarded(USAGE, async () => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { team: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'skip-invalid': { type: 'boolean' } },
    });
    const [what, file, ...more] = positionals;
    if (what !== 'cases') throw new UsageError(what ? `Cannot import "${what}": only cases.` : 'Import what?');
    if (!file || more.length > 0) throw new UsageError('Name one CSV file to import.');
    if (!values.team) throw new UsageError('Say which team the cases belong to with --team KEY or --team NAME.');
    const dryRun = values['dry-run'] ?? false;
    const skipInvalid = values['skip-invalid'] ?? false;
    const fileName = basename(file);
    // Read and parse before opening the database, so a bad path fails at once.
    const table: CaseloadTable = readCaseloadCsv(file);
    return withDatabase(async (database) => {
      let bar: ReturnType<typeof progressBar>;
      const plan = await createKyselyStore(database.db)
        .transaction(async (repos) => {
          const team = await resolveTeam(repos, values.team ?? '');
          const members = await repos.members.listByTeam(team.id, { includeInactive: true });
          const existing = await repos.cases.listAll(team.id);
          const today = todayIn(team.timeZone, systemClock.now());
          const planned = planCaseImport(table, team, members, existing, today);
          if (dryRun || importBlocker(planned, skipInvalid)) return planned;
          bar = progressBar(planned.outcomes.length);
          await applyCaseImport(repos, cliActor(team.id), planned, { fileName, skipInvalid, today, onProgress: (done) => bar?.update(done) });
          return planned;
        })
        .finally(() => bar?.stop());
      if (plan.fileProblems.length > 0) {
        for (const problem of plan.fileProblems) process.stderr.write(`${fileName}: ${problem}\n`);
        process.stderr.write('Nothing was imported.\n');
        return 1;
      }
      report(plan, dryRun);
      process.stdout.write(`${summaryLine(plan)}\n`);
      const blocker = importBlocker(plan, skipInvalid);
      if (blocker) {
        process.stderr.write(`${blocker}\n`);
        return 1;
      }
      if (dryRun) process.stdout.write(`Dry run: nothing was written to ${plan.team.name} (${plan.team.key}).\n`);
      else if (skipInvalid && plan.counts.rejected > 0) process.stdout.write(`Skipped the ${plan.counts.rejected} rejected row(s); imported the rest into ${plan.team.name} (${plan.team.key}).\n`);
      else process.stdout.write(`Imported ${fileName} into ${plan.team.name} (${plan.team.key}).\n`);
      return 0;
    });
  });
}
