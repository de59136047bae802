/**
 * Writes the oversight report as a file in any of its formats: Markdown (the core's text), CSV
 * (csv-stringify, formulas escaped so a spreadsheet shows names as typed) and PDF (tables and
 * vector charts). The core reaches it through the `ReportWriter` port.
 */
import { stringify } from 'csv-stringify/sync';
import { reportMarkdown, reportRecords, type OversightReport, type ReportFormat, type ReportWriter } from '../../core/oversight/oversight-report.ts';
import { renderOversightPdf } from './oversight-pdf.ts';

/** The report as CSV text: a header row, then one row per officer. */
export function reportCsv(report: OversightReport): string {
  return stringify(reportRecords(report), { escape_formulas: true });
}

/** Writes a report in one format. */
export async function writeReport(report: OversightReport, format: ReportFormat): Promise<Buffer> {
  switch (format) {
    case 'md':
      return Buffer.from(reportMarkdown(report), 'utf8');
    case 'csv':
      return Buffer.from(reportCsv(report), 'utf8');
    case 'pdf':
      return renderOversightPdf(report);
  }
}

/** The report writer the core is given. */
export const reportWriter: ReportWriter = { write: writeReport };
