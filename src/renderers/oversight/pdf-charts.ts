/**
 * Charts drawn as PDF vectors with pdfkit (rectangles, lines and text; no browser, no images):
 * grouped vertical bars, a line over weeks, and horizontal percentage bars. Written by hand
 * because the charting libraries we could use either draw to a canvas or need a browser; these
 * three shapes are all the report needs. Every bar and point carries its number as text, so
 * nothing is told by colour alone.
 */
import type PDFDocument from 'pdfkit';

type Pdf = InstanceType<typeof PDFDocument>;

/** Where a chart goes on the page. */
export interface ChartBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One series of a chart: its name (for the legend) and colour. */
export interface Series {
  name: string;
  color: string;
  values: number[];
}

const AXIS = '#444444';
const GRID = '#dddddd';
const LABEL_SIZE = 7;

/** The top of a value axis with four gridline steps of 1, 2 or 5 × 10ⁿ, so every tick is a whole number. */
export function niceMax(max: number): number {
  const rough = Math.max(1, max) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  return 4 * Math.max(1, step);
}

function title(pdf: Pdf, text: string, box: ChartBox): void {
  pdf.font('Helvetica-Bold').fontSize(11).fillColor('#000000').text(text, box.x, box.y, { width: box.width });
}

function legend(pdf: Pdf, series: readonly Series[], x: number, y: number): void {
  let at = x;
  pdf.font('Helvetica').fontSize(LABEL_SIZE + 1);
  for (const s of series) {
    pdf.rect(at, y + 1, 8, 8).fill(s.color);
    pdf.fillColor('#000000').text(s.name, at + 11, y, { lineBreak: false });
    at += 11 + pdf.widthOfString(s.name) + 16;
  }
}

/** The value axis on the left with gridlines at a quarter of the scale each. Returns the y of a value. */
function valueAxis(pdf: Pdf, plot: ChartBox, max: number, format: (v: number) => string): (v: number) => number {
  const yOf = (v: number) => plot.y + plot.height - (v / max) * plot.height;
  pdf.font('Helvetica').fontSize(LABEL_SIZE);
  for (let i = 0; i <= 4; i += 1) {
    const v = (max * i) / 4;
    const y = yOf(v);
    pdf.moveTo(plot.x, y).lineTo(plot.x + plot.width, y).lineWidth(0.5).strokeColor(GRID).stroke();
    pdf.fillColor(AXIS).text(format(v), plot.x - 34, y - 3, { width: 30, align: 'right', lineBreak: false });
  }
  pdf.moveTo(plot.x, plot.y).lineTo(plot.x, plot.y + plot.height).lineTo(plot.x + plot.width, plot.y + plot.height).lineWidth(0.8).strokeColor(AXIS).stroke();
  return yOf;
}

/** Category labels under the plot, thinned out so they never overlap. */
function categoryLabels(pdf: Pdf, plot: ChartBox, labels: readonly string[], slot: number): void {
  pdf.font('Helvetica').fontSize(LABEL_SIZE).fillColor(AXIS);
  const widest = Math.max(1, ...labels.map((l) => pdf.widthOfString(l)));
  const every = Math.max(1, Math.ceil((widest + 4) / slot));
  labels.forEach((label, i) => {
    if (i % every !== 0) return;
    pdf.text(label, plot.x + i * slot, plot.y + plot.height + 3, { width: slot * every, align: 'left', lineBreak: false });
  });
}

const plotOf = (box: ChartBox): ChartBox => ({ x: box.x + 40, y: box.y + 34, width: box.width - 50, height: box.height - 56 });

/** Grouped vertical bars, one group per category, one bar per series, each with its value above it. */
export function groupedBarChart(pdf: Pdf, box: ChartBox, chartTitle: string, categories: readonly string[], series: readonly Series[]): void {
  title(pdf, chartTitle, box);
  legend(pdf, series, box.x, box.y + 16);
  const plot = plotOf(box);
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const yOf = valueAxis(pdf, plot, max, (v) => String(Math.round(v)));
  const slot = plot.width / Math.max(1, categories.length);
  const bar = Math.max(1, (slot * 0.8) / series.length);
  categories.forEach((_, i) => {
    series.forEach((s, j) => {
      const value = s.values[i] ?? 0;
      const x = plot.x + i * slot + slot * 0.1 + j * bar;
      const top = yOf(value);
      if (value > 0) pdf.rect(x, top, bar, plot.y + plot.height - top).fill(s.color);
      if (bar >= 6) pdf.font('Helvetica').fontSize(LABEL_SIZE - 1).fillColor('#000000').text(String(value), x - 4, top - 8, { width: bar + 8, align: 'center', lineBreak: false });
    });
  });
  categoryLabels(pdf, plot, categories, slot);
}

/** A line with a marked point per category, each with its value beside it. */
export function lineChart(pdf: Pdf, box: ChartBox, chartTitle: string, categories: readonly string[], s: Series): void {
  title(pdf, chartTitle, box);
  legend(pdf, [s], box.x, box.y + 16);
  const plot = plotOf(box);
  const max = niceMax(Math.max(0, ...s.values));
  const yOf = valueAxis(pdf, plot, max, (v) => String(Math.round(v)));
  const slot = plot.width / Math.max(1, categories.length);
  const points = s.values.map((v, i) => ({ x: plot.x + i * slot + slot / 2, y: yOf(v), v }));
  if (points.length > 1) {
    pdf.moveTo(points[0]!.x, points[0]!.y);
    for (const p of points.slice(1)) pdf.lineTo(p.x, p.y);
    pdf.lineWidth(1.5).strokeColor(s.color).stroke();
  }
  for (const p of points) {
    pdf.circle(p.x, p.y, 2.2).fill(s.color);
    if (slot >= 10) pdf.font('Helvetica').fontSize(LABEL_SIZE - 1).fillColor('#000000').text(String(p.v), p.x - 10, p.y - 10, { width: 20, align: 'center', lineBreak: false });
  }
  categoryLabels(pdf, plot, categories, slot);
}

/** Horizontal bars on a 0–100 % scale, one per row; a row with no value says so in words. */
export function percentBarChart(pdf: Pdf, box: ChartBox, chartTitle: string, rows: readonly { label: string; value: number | null }[], color: string): void {
  title(pdf, chartTitle, box);
  const labelWidth = 140;
  const plot = { x: box.x + labelWidth, y: box.y + 22, width: box.width - labelWidth - 40, height: box.height - 34 };
  const rowHeight = Math.min(18, plot.height / Math.max(1, rows.length));
  pdf.font('Helvetica').fontSize(LABEL_SIZE).fillColor(AXIS);
  for (const tick of [0, 25, 50, 75, 100]) {
    const x = plot.x + (tick / 100) * plot.width;
    pdf.moveTo(x, plot.y).lineTo(x, plot.y + rowHeight * rows.length).lineWidth(0.5).strokeColor(GRID).stroke();
    pdf.fillColor(AXIS).text(`${tick}%`, x - 12, plot.y + rowHeight * rows.length + 3, { width: 24, align: 'center', lineBreak: false });
  }
  rows.forEach((row, i) => {
    const y = plot.y + i * rowHeight;
    pdf.font('Helvetica').fontSize(LABEL_SIZE + 1).fillColor('#000000').text(row.label, box.x, y + rowHeight / 2 - 4, { width: labelWidth - 6, align: 'right', lineBreak: false, ellipsis: true });
    if (row.value === null) {
      pdf.font('Helvetica-Oblique').fontSize(LABEL_SIZE).fillColor(AXIS).text('nothing to count', plot.x + 4, y + rowHeight / 2 - 3, { lineBreak: false });
      return;
    }
    const width = (Math.max(0, Math.min(100, row.value)) / 100) * plot.width;
    if (width > 0) pdf.rect(plot.x, y + rowHeight * 0.15, width, rowHeight * 0.7).fill(color);
    pdf.font('Helvetica').fontSize(LABEL_SIZE).fillColor('#000000').text(`${row.value}%`, plot.x + width + 3, y + rowHeight / 2 - 3, { lineBreak: false });
  });
}
