/**
 * `casework export record CW-7K3P --format md|pdf --reason TEXT [--out FILE]`: writes a case's
 * complete supervision record (Markdown or PDF, the SHA-256 of its content in the footer) to
 * stdout or a file readable only by its owner. The export is audited with its reason and hash.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { normaliseCaseKey } from '../core/cases/case-key.ts';
import { DomainError } from '../core/errors.ts';
import { buildCaseRecord } from '../core/supervision/case-record.ts';
import { createKyselyStore } from '../db/kysely-store.ts';
import { renderRecordPdf } from '../renderers/record/record-pdf.ts';
import { withDatabase } from './cli-context.ts';
import { cliActor, guarded, UsageError, writeStderr, writeStdout } from './cli-io.ts';

const USAGE = 'casework export record CW-7K3P --format md|pdf --reason "why the export is needed" [--out FILE]';

/** Runs the record export; the file goes to stdout unless --out names a file. */
export function exportRecordCommand(args: string[]): Promise<number> {
  return guarded(USAGE, async () => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { format: { type: 'string', default: 'md' }, reason: { type: 'string' }, out: { type: 'string' } },
    });
    const [what, rawKey, ...more] = positionals;
    if (what !== 'record' || more.length > 0) throw new UsageError('Export what? Name one case: export record CW-7K3P.');
    const key = normaliseCaseKey(rawKey);
    if (!key) throw new UsageError(rawKey ? `"${rawKey}" is not a case key.` : 'Which case? Name it: export record CW-7K3P.');
    const format = values.format;
    if (format !== 'md' && format !== 'pdf') throw new UsageError('--format is md or pdf.');
    const reason = values.reason?.trim();
    if (!reason) throw new UsageError('An export discloses a case record: say why with --reason "…".');
    return withDatabase(async (database) => {
      const sha256 = await createKyselyStore(database.db).transaction(async (repos) => {
        const c = await repos.cases.findByKey(key);
        const team = c && (await repos.teams.findById(c.teamId));
        if (!c || !team) throw new DomainError('case_not_found', `There is no case ${key}.`);
        const actor = cliActor(team.id);
        const doc = await buildCaseRecord(repos, team, c, { exportedBy: actor.label, exportedAt: new Date(), reason });
        const bytes = format === 'pdf' ? await renderRecordPdf(doc, { title: `Case record ${c.key}` }) : Buffer.from(doc.markdown, 'utf8');
        // Written before the audit row commits, so a failed write leaves no record of an export
        // that never happened. OFFICIAL-SENSITIVE: a new file is readable by its owner only.
        if (values.out) {
          try {
            writeFileSync(values.out, bytes, { mode: 0o600 });
          } catch (error) {
            throw new DomainError('invalid_input', `Cannot write ${values.out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}. Nothing was exported.`);
          }
        } else {
          await writeStdout(bytes);
        }
        await repos.audit.record(actor, { action: 'record.exported', entityType: 'case', entityId: c.id, caseId: c.id, reason, after: { format, sha256: doc.sha256 } });
        return doc.sha256;
      });
      await writeStderr(`Exported the record of ${key} as ${format}${values.out ? ` to ${values.out}` : ''}. SHA-256 ${sha256}\n`);
      return 0;
    });
  });
}
