/**
 * PNGs of the Adaptive Cards `npm run cards` wrote, drawn by Microsoft's own renderer (the
 * `adaptivecards` package) in a page of a headless Chromium driven by playwright-core. Optional:
 * without a Chromium (or playwright-core) it says why and writes nothing, and the JSON stands
 * alone. Block Kit has no renderer outside Slack, so Slack gets no pictures.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as PlaywrightModule from 'playwright-core';
import type { CardIndexEntry } from './card-files.ts';

type PlaywrightCore = typeof PlaywrightModule;

/** Where Debian's `chromium` package puts the browser. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** The width Teams gives a card in a chat, near enough. */
const CARD_WIDTH = 520;

/** What happened: the PNG files written, or why there are none. */
export type CardImagesOutcome = { written: string[] } | { skipped: string };

// Runs in the page: a small Markdown subset (what Casework's cards use), as Teams draws it.
const PAGE_SCRIPT = `
window.renderCard = (json) => {
  const escape = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = escape(text)
      .replace(/\\*\\*(.+?)\\*\\*/g, '<strong>$1</strong>')
      .replace(/\\[([^\\]]+)\\]\\(([^)]+)\\)/g, '<a href="$2">$1</a>')
      .replace(/\\n/g, '<br>');
    result.didProcess = true;
  };
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = new AdaptiveCards.HostConfig({ fontFamily: 'Segoe UI, Helvetica Neue, Arial, sans-serif', supportsInteractivity: true });
  card.parse(json);
  const host = document.getElementById('card');
  host.innerHTML = '';
  host.appendChild(card.render());
};
`;

/**
 * Writes `<kind>.adaptive-card.png` next to each card in `outDir`. Never throws for a missing
 * browser: it returns the reason instead.
 */
export async function writeCardImages(outDir: string, index: readonly CardIndexEntry[], chromium: string = DEFAULT_CHROMIUM): Promise<CardImagesOutcome> {
  if (!existsSync(chromium)) return { skipped: `no Chromium at ${chromium} (on Debian: apt-get install chromium)` };
  let playwright: PlaywrightCore;
  try {
    playwright = await import('playwright-core');
  } catch {
    return { skipped: 'playwright-core is not installed (npm install)' };
  }
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve('adaptivecards/package.json')), 'dist');
  const browser = await playwright.chromium.launch({
    executablePath: chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: CARD_WIDTH + 40, height: 800 }, deviceScaleFactor: 1 });
    // Nothing leaves the machine: every request but the blank page is refused.
    await page.route('**/*', (route) => (route.request().url().startsWith('about:') ? route.continue() : route.abort()));
    await page.setContent(
      `<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;padding:20px;background:#f5f5f5}#card{width:${CARD_WIDTH}px;background:#fff;border-radius:4px;box-shadow:0 1px 3px rgba(0,0,0,.2)}</style></head><body><div id="card"></div></body></html>`,
    );
    await page.addStyleTag({ content: await readFile(join(dist, 'adaptivecards.css'), 'utf8') });
    await page.addScriptTag({ content: await readFile(join(dist, 'adaptivecards.min.js'), 'utf8') });
    await page.addScriptTag({ content: PAGE_SCRIPT });
    const written: string[] = [];
    for (const entry of index) {
      const card: unknown = JSON.parse(await readFile(join(outDir, entry.adaptiveCard), 'utf8'));
      // The function runs in the page, where PAGE_SCRIPT put renderCard on the global object.
      await page.evaluate((json) => (globalThis as unknown as { renderCard(j: unknown): void }).renderCard(json), card);
      const file = entry.adaptiveCard.replace(/\.json$/, '.png');
      await page.locator('#card').screenshot({ path: join(outDir, file) });
      written.push(file);
    }
    return { written };
  } finally {
    await browser.close();
  }
}
