/**
 * Draws a case record as a PDF with pdfkit, from the same Markdown body the Markdown export
 * holds, so both carry the same content and the same SHA-256 (printed in the footer of the last
 * page, and in the document's metadata). The Markdown itself travels inside the PDF as an
 * attachment, and the drawing depends only on it and the creation time, so `casework verify
 * record` can draw the PDF again and compare it byte for byte.
 */
import type { CaseRecordDocument } from '../../core/supervision/case-record.ts';

/** Options for the PDF. `compress: false` keeps page streams readable (tests). */
export interface RecordPdfOptions {
  compress?: boolean;
  title?: string;
  /** The PDF's creation time (default now); verification draws again with the one the file states. */
  createdAt?: Date;
}

/** The name of the Markdown record attached inside every record PDF. */
export const ATTACHED_RECORD_NAME = 'case-record.md';

/** "Case record CW-7K3P", from the record's first heading. */
function titleOf(record: CaseRecordDocument): string {
  const key = /^# Case record: (\S+)/.exec(record.body)?.[1];
  return key ? `Case record ${key}` : 'Case record';
}

const HEADING_SIZES: Record<number, number> = { 1: 18, 2: 14, 3: 12, 4: 11 };

/** Renders the record; resolves with the PDF bytes. */
export async function renderRecordPdf(record: CaseRecordDocument, options: RecordPdfOptions = {}): Promise<Buffer> {
  // pdfkit is loaded when a PDF is first asked for, not by every process that could make one.
  const { default: PDFDocument } = await import('pdfkit');
  // Whole seconds: the PDF states its creation time to the second, and verification reads it back.
  const createdAt = new Date(Math.floor((options.createdAt ?? new Date()).getTime() / 1000) * 1000);
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 50,
    compress: options.compress ?? true,
    info: { Title: options.title ?? titleOf(record), Subject: `SHA-256 ${record.sha256}`, Creator: 'Casework', CreationDate: createdAt },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.file(Buffer.from(record.markdown, 'utf8'), { name: ATTACHED_RECORD_NAME, type: 'text/markdown', description: 'The case record this PDF is drawn from', creationDate: createdAt, modifiedDate: createdAt });
  for (const line of record.body.split('\n')) {
    const heading = /^(#{1,4}) (.*)$/.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      pdf.moveDown(level <= 2 ? 0.8 : 0.4).font('Helvetica-Bold').fontSize(HEADING_SIZES[level] ?? 11).text(heading[2]!);
      pdf.moveDown(0.2);
      continue;
    }
    if (line.trim() === '') continue;
    const indent = line.length - line.trimStart().length;
    pdf.font('Helvetica').fontSize(10).text(line.trimStart().replace(/^- /, '• '), pdf.page.margins.left + indent * 4, undefined, { width: pdf.page.width - pdf.page.margins.left - pdf.page.margins.right - indent * 4 });
  }
  pdf.moveDown(1.5).font('Helvetica-Bold').fontSize(9).text('SHA-256 of the record above:', pdf.page.margins.left);
  pdf.font('Courier').fontSize(9).text(record.sha256);
  pdf.end();
  return await done;
}
