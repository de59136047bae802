/**
 * `casework verify record FILE`: says whether a record file is intact. A Markdown record carries
 * the SHA-256 of its body in its footer; a PDF record carries the Markdown it was drawn from as
 * an attachment, which must verify the same way and draw again into exactly the same bytes.
 */
import { inflateSync } from 'node:zlib';
import { verifyRecord } from '../../core/supervision/case-record.ts';
import { renderRecordPdf } from './record-pdf.ts';

/** What verification found. */
export interface RecordCheck {
  format: 'md' | 'pdf';
  intact: boolean;
  /** The SHA-256 the record states, when it states one. */
  sha256: string | null;
  caseKey: string | null;
  /** Why the file is not intact, in words. */
  problem?: string;
}

function caseKeyOf(markdown: string): string | null {
  return /^# Case record: (\S+)/.exec(markdown)?.[1] ?? null;
}

/** The Markdown attached inside a record PDF, if there is exactly one to find. */
function attachedMarkdown(pdf: Buffer): string | null {
  const raw = pdf.toString('latin1');
  const match = /\/Type \/EmbeddedFile\b[\s\S]*?\/Length (\d+)[\s\S]*?>>\s*stream\r?\n/.exec(raw);
  if (!match) return null;
  const start = match.index + match[0].length;
  const bytes = pdf.subarray(start, start + Number(match[1]));
  try {
    return /\/Filter \/FlateDecode/.test(match[0]) ? inflateSync(bytes).toString('utf8') : bytes.toString('utf8');
  } catch {
    return null;
  }
}

/** The creation time a PDF states in its information dictionary. */
function creationDate(pdf: Buffer): Date | null {
  const m = /\/CreationDate \(D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z\)/.exec(pdf.toString('latin1'));
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))) : null;
}

/** Checks a Markdown or PDF record file. */
export async function verifyRecordFile(bytes: Buffer): Promise<RecordCheck> {
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') {
    const text = bytes.toString('utf8');
    const check = verifyRecord(text);
    return { format: 'md', intact: check.valid, sha256: check.stated || null, caseKey: caseKeyOf(text), ...(check.valid ? {} : { problem: check.stated ? 'the text does not match the SHA-256 in its footer' : 'it has no Casework footer with a SHA-256' }) };
  }
  const markdown = attachedMarkdown(bytes);
  if (markdown === null) return { format: 'pdf', intact: false, sha256: null, caseKey: null, problem: 'it holds no Casework record attachment' };
  const check = verifyRecord(markdown);
  const base = { format: 'pdf' as const, sha256: check.stated || null, caseKey: caseKeyOf(markdown) };
  if (!check.valid) return { ...base, intact: false, problem: 'the record inside it does not match its SHA-256' };
  const createdAt = creationDate(bytes);
  if (!createdAt) return { ...base, intact: false, problem: 'it states no creation time' };
  const again = await renderRecordPdf({ body: check.body, sha256: check.stated, markdown }, { createdAt });
  return again.equals(bytes) ? { ...base, intact: true } : { ...base, intact: false, problem: 'its pages differ from the record inside it' };
}
