/**
 * `casework report oversight --team TEAM --from YYYY-MM-DD --to YYYY-MM-DD --format md|pdf|csv
 * [--out FILE]`: the team's oversight report for a period (docs/oversight.md), every figure as of
 * `--to`, to stdout or a file readable only by its owner. The report is audited as a disclosure.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DomainError } from '../core/errors.ts';
import { buildOversightReport, checkPeriod, REPORT_FORMATS, type ReportFormat } from '../core/oversight/oversight-report.ts';
import { reposFor } from '../db/kysely-store.ts';
import type { Database } from '../db/schema.ts';
import { writeReport } from '../renderers/oversight/report-writer.ts';
import type { Kysely } from 'kysely';
import { withDatabase } from './cli-context.ts';
import { cliActor, guarded, UsageError, writeStderr, writeStdout } from './cli-io.ts';
import { resolveTeam } from './team-commands.ts';

const USAGE = 'casework report oversight --team KEY|NAME --from YYYY-MM-DD --to YYYY-MM-DD --format md|pdf|csv [--out FILE]';

/** What one run asks for, once its arguments are checked. */
export interface ReportRequest {
  team: string;
  from: string;
  to: string;
  format: ReportFormat;
  out?: string;
}

/** Checks the arguments; throws UsageError for anything wrong. */
export function parseReportArgs(args: string[]): ReportRequest {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { team: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  });
  if (positionals[0] !== 'oversight' || positionals.length > 1) throw new UsageError(positionals[0] ? `Cannot report "${positionals.join(' ')}": only oversight.` : 'Report what? casework report oversight …');
  if (!values.team) throw new UsageError('Say which team with --team KEY or --team NAME.');
  const format = values.format;
  if (!format || !(REPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError('--format is md, pdf or csv.');
  try {
    checkPeriod(values.from, values.to);
  } catch (error) {
    if (error instanceof DomainError) throw new UsageError(`--from and --to: ${error.message}`);
    throw error;
  }
  return { team: values.team, from: values.from!, to: values.to!, format: format as ReportFormat, ...(values.out ? { out: values.out } : {}) };
}

/**
 * Builds and writes the report from an open database; returns what was written and where.
 * Separate from the command so the bench can time exactly what the command does.
 */
export async function writeOversightReport(db: Kysely<Database>, request: ReportRequest, now: Date, write: (bytes: Buffer) => unknown): Promise<{ bytes: number; teamName: string; officers: number }> {
  const repos = reposFor(db);
  const team = await resolveTeam(repos, request.team);
  const report = await buildOversightReport(repos, team, request, now);
  const bytes = await writeReport(report, request.format);
  // Written before the audit row, so a failed write leaves no record of a report that never left.
  await write(bytes);
  await repos.audit.record(cliActor(team.id), {
    action: 'oversight.reported',
    entityType: 'team',
    entityId: team.id,
    after: { from: report.from, to: report.to, format: request.format, officers: report.officers.length },
  });
  return { bytes: bytes.length, teamName: team.name, officers: report.officers.length };
}

function writeOut(path: string, bytes: Buffer): void {
  try {
    // OFFICIAL-SENSITIVE: a new file is readable by its owner only.
    writeFileSync(path, bytes, { mode: 0o600 });
  } catch (error) {
    throw new DomainError('invalid_input', `Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}. Nothing was written.`);
  }
}

/** `report oversight …`. */
export function reportCommand(args: string[]): Promise<number> {
  return guarded(USAGE, async () => {
    const request = parseReportArgs(args);
    return withDatabase(async (database) => {
      const written = await writeOversightReport(database.db, request, new Date(), (bytes) => (request.out ? writeOut(request.out, bytes) : writeStdout(bytes)));
      await writeStderr(`Wrote the oversight report of ${written.teamName} (${written.officers} officers, ${request.from} to ${request.to}) as ${request.format}${request.out ? ` to ${request.out}` : ''}.\n`);
      return 0;
    });
  });
}
