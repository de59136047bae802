/**
 * Draws the Teams app icons and writes them as PNG files:
 *
 * - `manifest/teams/color.png`: 192×192, a white briefcase with a checkmark on a solid accent
 *   background (the accent is the manifest's `accentColor`).
 * - `manifest/teams/outline.png`: 32×32, the same glyph in white on a transparent background
 *   (Teams requires the outline icon to be white and transparent only).
 *
 * The glyph is built from geometric primitives (rounded rectangles and a stroked polyline),
 * evaluated as signed distances and anti-aliased by supersampling. The PNG encoding (signature,
 * IHDR, IDAT, IEND, CRC-32) is written by hand on top of `node:zlib`, so the script needs no
 * image library. Output is deterministic: re-running it reproduces the committed files.
 *
 * Run: `npx tsx scripts/make-icons.ts`
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

/** The manifest's accentColor, #1F5F8B. */
const ACCENT = { r: 0x1f, g: 0x5f, b: 0x8b } as const;

// ---------------------------------------------------------------------------------------------
// PNG encoding
// ---------------------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309 / PNG) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One PNG chunk: length, type, data, CRC over type and data. */
function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encodes 8-bit RGBA pixels (row-major, 4 bytes a pixel) as a PNG file. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error('pixel buffer has the wrong size');
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: truecolour with alpha
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  // Each scanline starts with its filter type; 0 (None) keeps this simple and the images small
  // enough (flat colours compress well).
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0;
    raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Geometry: signed distances in glyph units (the glyph spans 0..1 on both axes)
// ---------------------------------------------------------------------------------------------

/** Signed distance to a rounded rectangle [x0,x1]×[y0,y1] with corner radius r (< 0 inside). */
function roundedRect(px: number, py: number, x0: number, y0: number, x1: number, y1: number, r: number): number {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const qx = Math.abs(px - cx) - ((x1 - x0) / 2 - r);
  const qy = Math.abs(py - cy) - ((y1 - y0) / 2 - r);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - r;
}

/** Distance from a point to the segment a-b. */
function segment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Checkmark polyline, drawn as a stroke cut out of the briefcase body. */
const CHECK = [
  [0.27, 0.61],
  [0.43, 0.76],
  [0.73, 0.46],
] as const;
const CHECK_WIDTH = 0.11;

/** Whether a point (glyph units) is inside the white part of the glyph. */
function inGlyph(x: number, y: number): boolean {
  const body = roundedRect(x, y, 0, 0.3, 1, 0.94, 0.1);
  const handleOuter = roundedRect(x, y, 0.3, 0.06, 0.7, 0.4, 0.1);
  const handleInner = roundedRect(x, y, 0.41, 0.17, 0.59, 0.5, 0.03);
  const handle = Math.max(handleOuter, -handleInner);
  const [p0, p1, p2] = CHECK;
  const check =
    Math.min(segment(x, y, p0[0], p0[1], p1[0], p1[1]), segment(x, y, p1[0], p1[1], p2[0], p2[1])) -
    CHECK_WIDTH / 2;
  const solid = Math.min(body, handle);
  return Math.max(solid, -check) < 0;
}

/**
 * Coverage (0..1) of the glyph over each pixel of a size×size image whose glyph box is
 * [inset, size - inset] on both axes, using samples×samples points per pixel.
 */
function glyphCoverage(size: number, inset: number, samples: number): Float64Array {
  const cover = new Float64Array(size * size);
  const span = size - 2 * inset;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const gx = (px + (sx + 0.5) / samples - inset) / span;
          const gy = (py + (sy + 0.5) / samples - inset) / span;
          if (inGlyph(gx, gy)) hits++;
        }
      }
      cover[py * size + px] = hits / (samples * samples);
    }
  }
  return cover;
}

// ---------------------------------------------------------------------------------------------
// The two icons
// ---------------------------------------------------------------------------------------------

/** 192×192: white glyph over a solid accent background, glyph in the central ~112 px. */
export function colorIcon(): Buffer {
  const size = 192;
  const cover = glyphCoverage(size, 40, 8);
  const rgba = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const a = cover[i]!;
    rgba[i * 4] = Math.round(ACCENT.r + (255 - ACCENT.r) * a);
    rgba[i * 4 + 1] = Math.round(ACCENT.g + (255 - ACCENT.g) * a);
    rgba[i * 4 + 2] = Math.round(ACCENT.b + (255 - ACCENT.b) * a);
    rgba[i * 4 + 3] = 255;
  }
  return encodePng(size, size, rgba);
}

/** 32×32: white glyph on transparent; coverage goes to alpha so edges stay white. */
export function outlineIcon(): Buffer {
  const size = 32;
  const cover = glyphCoverage(size, 1, 16);
  const rgba = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const alpha = Math.round(cover[i]! * 255);
    // Fully transparent pixels are written as transparent black, the usual encoding.
    const white = alpha > 0 ? 255 : 0;
    rgba[i * 4] = white;
    rgba[i * 4 + 1] = white;
    rgba[i * 4 + 2] = white;
    rgba[i * 4 + 3] = alpha;
  }
  return encodePng(size, size, rgba);
}

function main(): void {
  const dir = fileURLToPath(new URL('../manifest/teams/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}color.png`, colorIcon());
  writeFileSync(`${dir}outline.png`, outlineIcon());
  console.log(`wrote ${dir}color.png and ${dir}outline.png`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
