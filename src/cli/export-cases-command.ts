/**
 * `casework export cases --team TEAM --reason TEXT [--out FILE]`: writes the team's active cases
 * in the import format (docs/caseload-csv.md), to stdout or a file readable only by its owner.
 * The export and its reason are audited for every case it contains.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { exportCases } from '../core/caseload/caseload-export.ts';
import { DomainError } from '../core/errors.ts';
import { createKyselyStore } from '../db/kysely-store.ts';
import { writeCaseloadCsv } from './caseload-csv.ts';
import { withDatabase } from './cli-context.ts';
import { cliActor, guarded, UsageError, writeStderr, writeStdout } from './cli-io.ts';
import { resolveTeam } from './team-commands.ts';

const USAGE = 'casework export cases --team KEY|NAME --reason "why the export is needed" [--out FILE]';

function writeOut(path: string, csv: string): void {
  try {
    writeFileSync(path, csv, { mode: 0o600 });
  } catch (error) {
    throw new DomainError('invalid_input', `Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}. Nothing was exported.`);
  }
}

/** Runs the export command; the CSV goes to stdout unless --out names a file. */
export function exportCasesCommand(args: string[]): Promise<number> {
  return guarded(USAGE, async () => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { team: { type: 'string' }, reason: { type: 'string' }, out: { type: 'string' } },
    });
    const [what, ...more] = positionals;
    if (what !== 'cases' || more.length > 0) throw new UsageError(what ? `Cannot export "${positionals.join(' ')}": only cases.` : 'Export what?');
    if (!values.team) throw new UsageError('Say which team to export with --team KEY or --team NAME.');
    if (!values.reason?.trim()) throw new UsageError('An export discloses case records: say why with --reason "…".');
    return withDatabase(async (database) => {
      const { team, count } = await createKyselyStore(database.db).transaction(async (repos) => {
        const found = await resolveTeam(repos, values.team ?? '');
        const records = await exportCases(repos, cliActor(found.id), found, values.reason ?? '');
        const csv = writeCaseloadCsv(records);
        // Written before the audit rows commit, so a failed write leaves no record of an export
        // that never happened. OFFICIAL-SENSITIVE: a new file is readable by its owner only.
        if (values.out) writeOut(values.out, csv);
        else await writeStdout(csv);
        return { team: found, count: records.length };
      });
      await writeStderr(`Exported ${count} case(s) of ${team.name} (${team.key})${values.out ? ` to ${values.out}` : ''}.\n`);
      return 0;
    });
  });
}
