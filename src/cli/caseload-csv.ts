/**
 * Owns the CSV text of caseload files: reading one into header and row cells, each row with the
 * physical line it starts on (the header is line 1), and writing rows back out. What the cells
 * mean is the core's business (src/core/caseload).
 */
import { readFileSync } from 'node:fs';
import { parse, type Info } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CASELOAD_COLUMNS, type CaseloadRecord, type CaseloadTable } from '../core/caseload/caseload-row.ts';
import { DomainError } from '../core/errors.ts';

const CR = 0x0d;
const LF = 0x0a;

// Offsets at which each physical line starts; a line ends at LF, CR LF or a lone CR.
function lineStarts(buffer: Buffer): number[] {
  const starts = [0];
  for (let i = 0; i < buffer.length; i += 1) {
    const byte = buffer[i];
    if (byte === LF || (byte === CR && buffer[i + 1] !== LF)) starts.push(i + 1);
  }
  return starts;
}

function lineAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

/**
 * Parses caseload CSV bytes. Rows may have more or fewer cells than the header (the core reports
 * it); blank lines and rows of empty cells are skipped. Malformed CSV is an `invalid_input` error.
 */
export function parseCaseloadCsv(buffer: Buffer): CaseloadTable {
  let records: { record: string[]; info: Info }[];
  try {
    // With `info`, each record comes with where it ended; the typings do not follow the option.
    records = parse(buffer, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (error) {
    throw new DomainError('invalid_input', `The file is not valid CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
  const starts = lineStarts(buffer);
  // info.bytes is where a record ends; the next one starts after any line breaks that follow.
  let offset = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  const rows: CaseloadTable['rows'] = [];
  let headers: string[] | undefined;
  for (const { record, info } of records) {
    while (buffer[offset] === CR || buffer[offset] === LF) offset += 1;
    const line = lineAt(starts, offset);
    offset = info.bytes;
    if (record.every((cell) => cell.trim() === '')) continue;
    if (headers === undefined) headers = record;
    else rows.push({ line, cells: record });
  }
  if (headers === undefined) throw new DomainError('invalid_input', 'The file is empty: it needs a header row naming the columns.');
  return { headers, rows };
}

/** Reads and parses a caseload file; an unreadable file is an `invalid_input` error naming it. */
export function readCaseloadCsv(path: string): CaseloadTable {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : String(code ?? error);
    throw new DomainError('invalid_input', `Cannot read ${path}: ${why}.`);
  }
  return parseCaseloadCsv(buffer);
}

/**
 * Caseload rows as CSV text with a header row, in the documented column order. Cells that a
 * spreadsheet would run as a formula get a leading apostrophe, which an import removes again.
 */
export function writeCaseloadCsv(records: readonly CaseloadRecord[]): string {
  return stringify(records as CaseloadRecord[], { header: true, columns: [...CASELOAD_COLUMNS], escape_formulas: true });
}
