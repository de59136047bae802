/**
 * `npm run cards`: writes every kind of message and every form as Adaptive Card JSON and Block
 * Kit JSON under build/cards/ (or the folder given), with an index, ready to paste into the
 * Adaptive Cards Designer and Slack's Block Kit Builder. The examples come from the gallery
 * (test/support/view-gallery.ts), the same ones the renderer tests check; making them takes a
 * few seconds on an embedded database of its own. With a headless Chromium at /usr/bin/chromium
 * (or CHROMIUM=path) it also draws each Adaptive Card as a PNG with Microsoft's renderer; without
 * one it says so and writes the JSON only.
 *
 * Run: `npm run cards [-- OUT_DIR]`
 */
import { resolve } from 'node:path';
import { writeCardFiles } from '../test/support/card-files.ts';
import { DEFAULT_CHROMIUM, writeCardImages } from '../test/support/card-images.ts';
import { buildGallery } from '../test/support/view-gallery.ts';

const outDir = resolve(process.argv[2] ?? 'build/cards');
const index = await writeCardFiles(await buildGallery(), outDir);
const messages = index.filter((e) => e.what === 'message').length;
console.log(`Wrote ${messages} kinds of message and ${index.length - messages} forms, each as an Adaptive Card and as Block Kit, to ${outDir} (index.md lists them).`);
const images = await writeCardImages(outDir, index, process.env.CHROMIUM ?? DEFAULT_CHROMIUM);
if ('skipped' in images) console.log(`No pictures: ${images.skipped}. The JSON is complete without them.`);
else console.log(`Drew ${images.written.length} Adaptive Cards as PNG (*.adaptive-card.png).`);
