// `npm run cards` (the JSON part): every kind of message in the catalogue and every registered
// form is written, for both platforms, into a temporary folder, with an index; every Adaptive
// Card passes Microsoft's parser and every Block Kit file is the payload its Builder takes.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_VIEW_KINDS } from '../../src/core/views/view-kinds.ts';
import { BLOCK_KIT_LIMITS } from '../../src/renderers/block-kit/message-blocks.ts';
import { adaptiveCardProblems } from '../support/adaptive-card-validation.ts';
import { writeCardFiles, type CardIndexEntry } from '../support/card-files.ts';
import { DEFAULT_CHROMIUM, writeCardImages } from '../support/card-images.ts';
import { pngSize } from '../../src/cli/package-teams.ts';
import { buildGallery, registeredFormIds } from '../support/view-gallery.ts';

describe('npm run cards', () => {
  let dir: string;
  let index: CardIndexEntry[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'casework-cards-'));
    index = await writeCardFiles(await buildGallery(), dir);
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const read = async (name: string) => JSON.parse(await readFile(join(dir, name), 'utf8')) as Record<string, any>;

  it('writes every kind of message and every form, two files each, and an index of them', async () => {
    expect(index.filter((e) => e.what === 'message').map((e) => e.kind)).toEqual(ALL_VIEW_KINDS);
    expect(index.filter((e) => e.what === 'form').map((e) => e.kind)).toEqual(registeredFormIds());
    const files = new Set(await readdir(dir));
    for (const e of index) {
      expect(files).toContain(e.adaptiveCard);
      expect(files).toContain(e.blockKit);
    }
    expect(files.size).toBe(index.length * 2 + 2);
    expect(await read('index.json')).toEqual(index);
    const md = await readFile(join(dir, 'index.md'), 'utf8');
    for (const e of index) expect(md).toContain(`(${e.adaptiveCard})`);
  });

  it('writes Adaptive Cards that Microsoft’s parser reads without a problem', async () => {
    const problems: string[] = [];
    for (const e of index) {
      const card = await read(e.adaptiveCard);
      expect(card.type).toBe('AdaptiveCard');
      // A people picker filled by Teams' own search (choices.data) needs no fixed choices.
      const dynamicPicker = JSON.stringify(card).includes('"choices.data"');
      for (const p of adaptiveCardProblems(card)) {
        if (!(dynamicPicker && p === 'An Input.ChoiceSet must have at least one choice defined.')) problems.push(`${e.adaptiveCard}: ${p}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('writes Block Kit as the Builder takes it: a message’s blocks, a form’s modal', async () => {
    for (const e of index) {
      const payload = await read(e.blockKit);
      expect(Array.isArray(payload.blocks), e.blockKit).toBe(true);
      if (e.what === 'form') {
        expect(payload.type, e.blockKit).toBe('modal');
        expect(payload.blocks.length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.blocksPerHomeOrModal);
      } else {
        expect(payload.blocks.length, e.blockKit).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.blocksPerMessage);
      }
      for (const block of payload.blocks) expect(typeof block.type, e.blockKit).toBe('string');
    }
  });

  it('without a Chromium, says why and draws nothing (the JSON stands alone)', async () => {
    const outcome = await writeCardImages(dir, index, join(dir, 'no-such-chromium'));
    expect(outcome).toEqual({ skipped: expect.stringContaining('no Chromium') });
    expect((await readdir(dir)).filter((f) => f.endsWith('.png'))).toEqual([]);
  });

  it.skipIf(!existsSync(DEFAULT_CHROMIUM))('with a Chromium, draws cards as PNGs with Microsoft’s renderer', { timeout: 120_000 }, async () => {
    const some = index.filter((e) => e.kind === 'case-card' || e.kind === 'visit.record');
    const outcome = await writeCardImages(dir, some);
    expect(outcome).toEqual({ written: ['case-card.adaptive-card.png', 'form-visit-record.adaptive-card.png'] });
    for (const file of ['case-card.adaptive-card.png', 'form-visit-record.adaptive-card.png']) {
      const { width, height } = pngSize(await readFile(join(dir, file)));
      expect(width).toBeGreaterThan(300);
      expect(height).toBeGreaterThan(100);
    }
  });
});
