/**
 * `npm run cards`: writes every kind of message and every form as Adaptive Card JSON and Block
 * Kit JSON under build/cards/ (or the folder given), with an index, ready to paste into the
 * Adaptive Cards Designer and Slack's Block Kit Builder. The examples come from the gallery
 * (test/support/view-gallery.ts), the same ones the renderer tests check; making them takes a
 * few seconds on an embedded database of its own.
 *
 * Run: `npm run cards [-- OUT_DIR]`
 */
import { resolve } from 'node:path';
import { writeCardFiles } from '../test/support/card-files.ts';
import { buildGallery } from '../test/support/view-gallery.ts';

const outDir = resolve(process.argv[2] ?? 'build/cards');
const index = await writeCardFiles(await buildGallery(), outDir);
const messages = index.filter((e) => e.what === 'message').length;
console.log(`Wrote ${messages} kinds of message and ${index.length - messages} forms, each as an Adaptive Card and as Block Kit, to ${outDir} (index.md lists them).`);
