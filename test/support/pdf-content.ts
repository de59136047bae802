/**
 * What a PDF shows, read back for tests: the text of its text operators (hex strings in `TJ`
 * arrays and `Tj`) and how many rectangles and line segments it draws, page streams inflated when
 * compressed. Enough for the PDFs pdfkit writes with its standard fonts; not a general PDF reader.
 */
import { inflateSync } from 'node:zlib';

export function pdfContent(pdf: Buffer): { text: string; rectangles: number; lines: number } {
  const out: string[] = [];
  let rectangles = 0;
  let lines = 0;
  for (const match of pdf.toString('latin1').matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content = match[1]!;
    try {
      content = inflateSync(Buffer.from(content, 'latin1')).toString('latin1');
    } catch {
      // Not compressed.
    }
    rectangles += [...content.matchAll(/\bre\b/g)].length;
    lines += [...content.matchAll(/\bl\b/g)].length;
    for (const op of content.matchAll(/\[(.*?)\]\s*TJ|<([0-9a-fA-F]+)>\s*Tj/g)) {
      const parts = op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]+)>/g)].map((m) => m[1]!) : [op[2]!];
      out.push(parts.map((hex) => Buffer.from(hex, 'hex').toString('latin1')).join(''));
    }
  }
  return { text: out.join('\n'), rectangles, lines };
}

/** The text a PDF shows. */
export function pdfText(pdf: Buffer): string {
  return pdfContent(pdf).text;
}
