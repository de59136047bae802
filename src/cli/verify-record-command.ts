/**
 * `casework verify record FILE`: recomputes a record file's SHA-256 and says whether it is intact
 * (a Markdown record against its footer; a PDF record against the record attached inside it,
 * drawn again). Reads only the file: no database, nothing audited, works on any machine.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DomainError } from '../core/errors.ts';
import { verifyRecordFile } from '../renderers/record/record-verify.ts';
import { guarded, UsageError, writeStdout } from './cli-io.ts';

const USAGE = 'casework verify record FILE';

/** Runs the check: exit 0 when intact, 1 when not. */
export function verifyRecordCommand(args: string[]): Promise<number> {
  return guarded(USAGE, async () => {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    const [what, file, ...more] = positionals;
    if (what !== 'record' || !file || more.length > 0) throw new UsageError('Verify what? Name one file: verify record FILE.');
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new DomainError('invalid_input', `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
    }
    const check = await verifyRecordFile(bytes);
    const kind = check.format === 'pdf' ? 'PDF' : 'Markdown';
    if (check.intact) {
      await writeStdout(`Intact: ${file} is the unaltered ${kind} record of ${check.caseKey ?? 'a case'}.\nSHA-256 of the record: ${check.sha256}\n`);
      return 0;
    }
    await writeStdout(`NOT intact: ${file} (${kind}) has been altered or is not a Casework record: ${check.problem ?? 'it does not verify'}.\n`);
    return 1;
  });
}
