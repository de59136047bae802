/**
 * Draws the oversight report as a PDF with pdfkit: the same tables as the Markdown and CSV (from
 * the core's `reportTables`), then four charts drawn as vectors (visits due and done per week,
 * deadlines overdue at each week's end, supervision coverage and protective-factor share per
 * officer), the week-by-week table and what the figures mean.
 */
import type PDFDocument from 'pdfkit';
import { coveragePct, protectivePct } from '../../core/oversight/oversight-figures.ts';
import { REPORT_NOTES, reportHeading, reportTables, weeksTable, type OversightReport } from '../../core/oversight/oversight-report.ts';
import { formatDate } from '../../core/views/format.ts';
import { groupedBarChart, lineChart, percentBarChart } from './pdf-charts.ts';

type Pdf = InstanceType<typeof PDFDocument>;

/** Options for the PDF. `compress: false` keeps page streams readable (tests). */
export interface OversightPdfOptions {
  compress?: boolean;
}

const MARGIN = 40;
const COLOURS = { due: '#1f5fa8', done: '#e08a1e', overdue: '#b3261e', coverage: '#2e7d4f', strengths: '#6a3d9a' };

function bottom(pdf: Pdf): number {
  return pdf.page.height - MARGIN;
}

function ensureRoom(pdf: Pdf, height: number): void {
  if (pdf.y + height > bottom(pdf)) pdf.addPage();
}

/** A table whose first column is wider; the last row (the team's) is bold. Repeats its header on a new page. */
function table(pdf: Pdf, heading: string | null, columns: readonly string[], rows: readonly string[][], options: { boldLast?: boolean } = {}): void {
  const width = pdf.page.width - 2 * MARGIN;
  const first = Math.min(170, width / 3);
  const rest = (width - first) / Math.max(1, columns.length - 1);
  const widths = columns.map((_, i) => (i === 0 ? first : rest));
  const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const rowHeight = (cells: readonly string[], font: string) => {
    pdf.font(font).fontSize(8);
    return 4 + Math.max(...cells.map((c, i) => pdf.heightOfString(c, { width: widths[i]! - 6 })));
  };
  const drawRow = (cells: readonly string[], font: string, fill: string | null) => {
    const h = rowHeight(cells, font);
    const y = pdf.y;
    if (fill) pdf.rect(MARGIN, y, width, h).fill(fill);
    pdf.font(font).fontSize(8).fillColor('#000000');
    cells.forEach((c, i) => pdf.text(c, xs[i]! + 3, y + 2, { width: widths[i]! - 6, align: i === 0 ? 'left' : 'right' }));
    pdf.y = y + h;
    pdf.x = MARGIN;
  };
  if (heading) {
    ensureRoom(pdf, 60);
    pdf.font('Helvetica-Bold').fontSize(12).fillColor('#000000').text(heading, MARGIN, pdf.y);
    pdf.moveDown(0.3);
  }
  const header = () => drawRow(columns, 'Helvetica-Bold', '#e8e8e8');
  ensureRoom(pdf, rowHeight(columns, 'Helvetica-Bold') + 16);
  header();
  rows.forEach((cells, i) => {
    const bold = options.boldLast && i === rows.length - 1;
    const font = bold ? 'Helvetica-Bold' : 'Helvetica';
    if (pdf.y + rowHeight(cells, font) > bottom(pdf)) {
      pdf.addPage();
      header();
    }
    drawRow(cells, font, i % 2 === 1 ? '#f6f6f6' : null);
  });
  pdf.moveDown(0.8);
}

/** Short week labels for chart axes: '1 Sep', '7 Sep'. */
function weekLabel(start: string): string {
  return formatDate(start).split(' ').slice(1, 3).join(' ');
}

function charts(pdf: Pdf, report: OversightReport): void {
  const width = pdf.page.width - 2 * MARGIN;
  const height = (pdf.page.height - 2 * MARGIN - 20) / 2;
  pdf.addPage();
  const labels = report.weeks.map((w) => weekLabel(w.start));
  groupedBarChart(pdf, { x: MARGIN, y: MARGIN, width, height }, 'Home visits due and done, week by week', labels, [
    { name: 'Due', color: COLOURS.due, values: report.weeks.map((w) => w.visitsDue) },
    { name: 'Done (person seen)', color: COLOURS.done, values: report.weeks.map((w) => w.visitsDone) },
  ]);
  lineChart(pdf, { x: MARGIN, y: MARGIN + height + 20, width, height }, "Deadlines overdue at each week's end", labels, {
    name: 'Overdue deadlines',
    color: COLOURS.overdue,
    values: report.weeks.map((w) => w.overdue),
  });
  // Officers' bars, as many pages as the team needs.
  const perPage = 26;
  for (let i = 0; i < Math.max(1, report.officers.length); i += perPage) {
    const officers = [...report.officers.slice(i, i + perPage), ...(i + perPage >= report.officers.length ? [report.team] : [])];
    const boxHeight = Math.min(height, 40 + officers.length * 18);
    pdf.addPage();
    percentBarChart(pdf, { x: MARGIN, y: MARGIN, width, height: boxHeight }, 'Supervision coverage by officer', officers.map((r) => ({ label: r.officer, value: coveragePct(r.counts) })), COLOURS.coverage);
    percentBarChart(pdf, { x: MARGIN, y: MARGIN + boxHeight + 20, width, height: boxHeight }, 'Protective-factor share by officer', officers.map((r) => ({ label: r.officer, value: protectivePct(r.counts) })), COLOURS.strengths);
  }
}

/** Renders the report; resolves with the PDF bytes. */
export async function renderOversightPdf(report: OversightReport, options: OversightPdfOptions = {}): Promise<Buffer> {
  const { title, subtitle } = reportHeading(report);
  // pdfkit (about 25 MB once loaded) comes in with the first PDF, not with every server start.
  const { default: PdfDocument } = await import('pdfkit');
  const pdf = new PdfDocument({ size: 'A4', layout: 'landscape', margin: MARGIN, compress: options.compress ?? true, info: { Title: title, Creator: 'Casework' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.font('Helvetica-Bold').fontSize(16).text(title);
  pdf.font('Helvetica').fontSize(9).fillColor('#333333').text(subtitle).fillColor('#000000');
  pdf.moveDown(0.8);
  for (const t of reportTables(report)) table(pdf, t.heading, t.columns, t.rows, { boldLast: true });
  charts(pdf, report);
  pdf.addPage();
  const weeks = weeksTable(report);
  table(pdf, 'Week by week', weeks.columns, weeks.rows);
  ensureRoom(pdf, 80);
  pdf.font('Helvetica-Bold').fontSize(12).text('What the figures mean', MARGIN, pdf.y);
  pdf.moveDown(0.3);
  for (const note of REPORT_NOTES) pdf.font('Helvetica').fontSize(9).text(`• ${note}`, { width: pdf.page.width - 2 * MARGIN });
  pdf.end();
  return done;
}
