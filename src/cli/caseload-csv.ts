/**
 * Owns the CSV text of caseload files: reading one into header and row cells, each row with the
 * physical line it starts on (the header is line 1), and writing rows back out. What the cells
 * mean is the core's business (src/core/caseload).
 *
 * A file is read as a stream, one buffer at a time, so a caseload of half a million rows never
 * sits in memory whole. It must be UTF-8 (a byte-order mark is fine) or UTF-16 with its
 * byte-order mark; a Windows (Latin-1) file is read only when the operator says so
 * (`windows-1252`), because guessing would turn names into replacement characters without a word.
 * Messages name lines and columns, never what a cell holds.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CASELOAD_COLUMNS, type CaseloadRecord, type CaseloadTable } from '../core/caseload/caseload-row.ts';
import { DomainError } from '../core/errors.ts';

/** The encodings an operator may name; UTF-16 is recognised by its byte-order mark alone. */
export const CASELOAD_ENCODINGS = ['utf-8', 'windows-1252'] as const;
export type CaseloadEncoding = (typeof CASELOAD_ENCODINGS)[number];

/** Reads an `--encoding` value: utf-8 (the default) or windows-1252 (also latin1, iso-8859-1, cp1252). */
export function caseloadEncoding(name: string | undefined): CaseloadEncoding | null {
  const n = (name ?? 'utf-8').trim().toLowerCase();
  if (n === 'utf-8' || n === 'utf8') return 'utf-8';
  if (['windows-1252', 'cp1252', 'latin1', 'latin-1', 'iso-8859-1'].includes(n)) return 'windows-1252';
  return null;
}

/** One row of a caseload file with the physical line it starts on. */
export interface CaseloadLine {
  line: number;
  cells: string[];
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * Checks that bytes are UTF-8 as they stream past, counting physical lines (LF, CR LF or a lone
 * CR) so a bad byte can be placed.
 */
class Utf8Check {
  private need = 0;
  private lower = 0x80;
  private upper = 0xbf;
  private line = 1;
  private lastCr = false;

  /** The line of the first byte in `chunk` that is not UTF-8, or 0 when all are. */
  check(chunk: Uint8Array): number {
    for (let i = 0; i < chunk.length; i += 1) {
      const b = chunk[i]!;
      if (this.need === 0) {
        if (b < 0x80) {
          if (b === LF) {
            if (!this.lastCr) this.line += 1;
            this.lastCr = false;
          } else if (b === CR) {
            this.line += 1;
            this.lastCr = true;
          } else {
            this.lastCr = false;
          }
          continue;
        }
        this.lastCr = false;
        if (b >= 0xc2 && b <= 0xdf) this.need = 1;
        else if (b >= 0xe0 && b <= 0xef) {
          this.need = 2;
          if (b === 0xe0) this.lower = 0xa0;
          if (b === 0xed) this.upper = 0x9f;
        } else if (b >= 0xf0 && b <= 0xf4) {
          this.need = 3;
          if (b === 0xf0) this.lower = 0x90;
          if (b === 0xf4) this.upper = 0x8f;
        } else return this.line;
      } else {
        if (b < this.lower || b > this.upper) return this.line;
        this.lower = 0x80;
        this.upper = 0xbf;
        this.need -= 1;
      }
    }
    return 0;
  }

  /** The line of a character cut off by the end of the file, or 0. */
  end(): number {
    return this.need > 0 ? this.line : 0;
  }
}

function notUtf8(line: number): DomainError {
  return new DomainError(
    'invalid_input',
    `The file is not UTF-8 text: line ${line} has a character in another encoding. Save it from the spreadsheet as "CSV UTF-8", ` +
      'or, if it is a Windows (Latin-1) file, import it with --encoding windows-1252. Nothing was imported.',
  );
}

/**
 * Turns a file's bytes, chunk by chunk, into UTF-8 for the CSV parser: UTF-8 is checked and passed
 * through as it is; UTF-16 (by its byte-order mark) and windows-1252 (when asked for) are decoded.
 */
class CaseloadDecoder {
  private decoder: TextDecoder | undefined;
  private readonly utf8 = new Utf8Check();
  private started = false;
  private decodedLines = 1;

  constructor(private readonly encoding: CaseloadEncoding) {}

  private start(chunk: Uint8Array): void {
    this.started = true;
    const [a, b, c] = chunk;
    if (a === 0xff && b === 0xfe) this.decoder = new TextDecoder('utf-16le', { fatal: true });
    else if (a === 0xfe && b === 0xff) this.decoder = new TextDecoder('utf-16be', { fatal: true });
    else if (a === 0xef && b === 0xbb && c === 0xbf) this.decoder = undefined;
    else if (this.encoding === 'windows-1252') this.decoder = new TextDecoder('windows-1252');
  }

  private decoded(text: string): Buffer {
    this.decodedLines += text.match(/\r\n|\r|\n/g)?.length ?? 0;
    return Buffer.from(text, 'utf8');
  }

  private decode(chunk: Uint8Array | undefined, decoder: TextDecoder): Buffer {
    try {
      return this.decoded(chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode());
    } catch {
      throw new DomainError('invalid_input', `The file is not valid UTF-16 text from line ${this.decodedLines} on. Nothing was imported.`);
    }
  }

  push(chunk: Uint8Array): Buffer {
    if (!this.started) this.start(chunk);
    if (this.decoder) return this.decode(chunk, this.decoder);
    const bad = this.utf8.check(chunk);
    if (bad > 0) throw notUtf8(bad);
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }

  end(): Buffer {
    if (this.decoder) return this.decode(undefined, this.decoder);
    const bad = this.utf8.end();
    if (bad > 0) throw notUtf8(bad);
    return Buffer.alloc(0);
  }
}

/**
 * Places parsed records on physical lines. The parser is given every record, blank ones included,
 * and each record but the last ends with one line break; any more are inside its quoted cells.
 */
class LineCounter {
  next = 1;

  place(record: readonly string[]): CaseloadLine | null {
    const line = this.next;
    let breaks = 0;
    for (const cell of record) if (cell.includes('\n') || cell.includes('\r')) breaks += cell.match(/\r\n|\r|\n/g)?.length ?? 0;
    this.next = line + 1 + breaks;
    return record.every((cell) => cell.trim() === '') ? null : { line, cells: record as string[] };
  }
}

const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'a quoted cell has more text after its closing quote',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a quoted cell has more text after its closing quote',
  CSV_MAX_RECORD_SIZE: 'a row is too long',
};

// csv-parse's own messages quote the text they stumbled on; ours name the line and column only.
function csvError(error: unknown, line: number): DomainError {
  if (error instanceof DomainError) return error;
  const { code, column } = error as { code?: string; column?: unknown };
  const where = typeof column === 'number' ? `line ${line}, column ${column + 1}` : `line ${line}`;
  const what = (code && CSV_PROBLEMS[code]) ?? 'it cannot be read as CSV';
  return new DomainError('invalid_input', `The file is not valid CSV: ${where}: ${what}.`);
}

const PARSE_OPTIONS = { bom: true, relax_column_count: true } as const;

/** What reading a file needs besides its bytes. */
export interface CaseloadReadOptions {
  /** How to read a file without a byte-order mark: UTF-8 unless the operator said windows-1252. */
  encoding?: CaseloadEncoding;
}

/**
 * Parses caseload CSV bytes. Rows may have more or fewer cells than the header (the core reports
 * it); blank lines and rows of empty cells are skipped. Malformed CSV is an `invalid_input` error.
 */
export function parseCaseloadCsv(buffer: Buffer, options: CaseloadReadOptions = {}): CaseloadTable {
  const decoder = new CaseloadDecoder(options.encoding ?? 'utf-8');
  const bytes = Buffer.concat([decoder.push(buffer), decoder.end()]);
  const lines = new LineCounter();
  let records: string[][];
  try {
    records = parseSync(bytes, PARSE_OPTIONS) as string[][];
  } catch (error) {
    // The sync parser stops at the bad record: place it after the records it read before it.
    const { records: read, lines: parserLine } = error as { records?: unknown; lines?: unknown };
    try {
      const good = parseSync(bytes, { ...PARSE_OPTIONS, to: typeof read === 'number' ? read : 0 }) as string[][];
      for (const record of good) lines.place(record);
    } catch {
      lines.next = typeof parserLine === 'number' ? parserLine : lines.next;
    }
    throw csvError(error, lines.next);
  }
  const rows: CaseloadLine[] = [];
  let headers: string[] | undefined;
  for (const record of records) {
    const placed = lines.place(record);
    if (!placed) continue;
    if (headers === undefined) headers = placed.cells;
    else rows.push(placed);
  }
  if (headers === undefined) throw emptyFile();
  return { headers, rows };
}

function emptyFile(): DomainError {
  return new DomainError('invalid_input', 'The file is empty: it needs a header row naming the columns.');
}

/** Checks that a path names a readable file; an unreadable one is an `invalid_input` error naming it. */
export async function checkCaseloadFile(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('folder'), { code: 'EISDIR' });
    // Opening it now reports a permission problem before any database work.
    const stream = createReadStream(path, { start: 0, end: 0 });
    await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
    stream.destroy();
    return info.size;
  } catch (error) {
    throw unreadable(path, error);
  }
}

function unreadable(path: string, error: unknown): DomainError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : String(code ?? error);
  return new DomainError('invalid_input', `Cannot read ${path}: ${why}.`);
}

/**
 * Streams a caseload file: the header row first, then every non-blank row, each with the line it
 * starts on. `onBytes` hears how many bytes of the file have been read so far (for a progress bar).
 * Read it as often as needed: each call reads the file afresh.
 */
export async function* streamCaseloadCsv(path: string, options: CaseloadReadOptions & { onBytes?: (read: number) => void } = {}): AsyncGenerator<CaseloadLine> {
  const decoder = new CaseloadDecoder(options.encoding ?? 'utf-8');
  let read = 0;
  const decode = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      try {
        read += chunk.length;
        options.onBytes?.(read);
        done(null, decoder.push(chunk));
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        done(null, decoder.end());
      } catch (error) {
        done(error as Error);
      }
    },
  });
  const parser = parse(PARSE_OPTIONS);
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  const flowing = pipeline(source, decode, parser);
  // The pipeline's failure is read through the parser below; this only keeps it from going unhandled.
  flowing.catch(() => undefined);
  const lines = new LineCounter();
  let header = false;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const placed = lines.place(record);
      if (!placed) continue;
      header = true;
      yield placed;
    }
    await flowing;
  } catch (caught) {
    // The stream that failed first (the file, the decoder or the parser) says why.
    const error = await flowing.then(
      () => caught,
      (failure: unknown) => failure,
    );
    const code = (error as NodeJS.ErrnoException).code;
    if (code && /^E[A-Z]+$/.test(code)) throw unreadable(path, error);
    throw csvError(error, lines.next);
  } finally {
    source.destroy();
    parser.destroy();
  }
  if (!header) throw emptyFile();
}

/** Reads and parses a whole caseload file (small files and tests); see {@link streamCaseloadCsv}. */
export async function readCaseloadCsv(path: string, options: CaseloadReadOptions = {}): Promise<CaseloadTable> {
  let headers: string[] | undefined;
  const rows: CaseloadLine[] = [];
  for await (const row of streamCaseloadCsv(path, options)) {
    if (headers === undefined) headers = row.cells;
    else rows.push(row);
  }
  return { headers: headers ?? [], rows };
}

/**
 * Caseload rows as CSV text with a header row, in the documented column order. Cells that a
 * spreadsheet would run as a formula get a leading apostrophe, which an import removes again.
 */
export function writeCaseloadCsv(records: readonly CaseloadRecord[]): string {
  return stringify(records as CaseloadRecord[], { header: true, columns: [...CASELOAD_COLUMNS], escape_formulas: true });
}
