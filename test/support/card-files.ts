/**
 * Writes every kind of message and every registered form, as the gallery shows them, as the JSON
 * each platform receives: an Adaptive Card (paste into the Adaptive Cards Designer,
 * https://adaptivecards.microsoft.com/designer, host app Microsoft Teams) and Block Kit (paste
 * into Slack's Block Kit Builder: a message's `blocks`, a form's modal view). One file per kind
 * and platform, and an index (`index.json`, `index.md`) saying what each is and how the gallery
 * reached it. Used by `npm run cards` (scripts/cards.ts) and its test.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VIEW_KINDS, ALL_VIEW_KINDS } from '../../src/core/views/view-kinds.ts';
import { renderFormCard } from '../../src/renderers/adaptive-cards/form-card.ts';
import { renderMessageCard } from '../../src/renderers/adaptive-cards/message-card.ts';
import { renderFormModal } from '../../src/renderers/block-kit/form-modal.ts';
import { renderMessageBlocks } from '../../src/renderers/block-kit/message-blocks.ts';
import { registeredFormIds, type Gallery } from './view-gallery.ts';

/** One written kind: what it is, where it came from, and its two files (relative to the folder). */
export interface CardIndexEntry {
  kind: string;
  what: 'message' | 'form';
  about: string;
  from: string;
  adaptiveCard: string;
  blockKit: string;
}

/** File names are the kind, with a form's dots made dashes: `case-card`, `form-visit-record`. */
function baseName(what: 'message' | 'form', kind: string): string {
  return what === 'form' ? `form-${kind.replace(/\./g, '-')}` : kind;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Writes the files into `outDir` (created if missing) and returns the index. Throws, naming
 * them, if the gallery lacks a kind or a form, so nothing is left out quietly.
 */
export async function writeCardFiles(gallery: Gallery, outDir: string): Promise<CardIndexEntry[]> {
  const missing = [...ALL_VIEW_KINDS.filter((k) => !gallery.messages.has(k)), ...registeredFormIds().filter((id) => !gallery.forms.has(id)).map((id) => `form ${id}`)];
  if (missing.length > 0) throw new Error(`the gallery has no example of: ${missing.join(', ')}`);
  await mkdir(outDir, { recursive: true });
  const index: CardIndexEntry[] = [];
  const write = async (what: 'message' | 'form', kind: string, about: string, from: string, card: unknown, blockKit: unknown) => {
    const base = baseName(what, kind);
    const entry: CardIndexEntry = { kind, what, about, from, adaptiveCard: `${base}.adaptive-card.json`, blockKit: `${base}.block-kit.json` };
    await writeFile(join(outDir, entry.adaptiveCard), json(card));
    await writeFile(join(outDir, entry.blockKit), json(blockKit));
    index.push(entry);
  };

  for (const kind of ALL_VIEW_KINDS) {
    const { value: view, from } = gallery.messages.get(kind)!;
    // The Block Kit Builder takes a message as `{ "blocks": [...] }`.
    await write('message', kind, VIEW_KINDS[kind], from, renderMessageCard(view), { blocks: renderMessageBlocks(view).blocks });
  }
  for (const id of registeredFormIds()) {
    const { value: form, from } = gallery.forms.get(id)!;
    // A form is a modal on Slack: the Builder takes the whole view (`type: modal`).
    await write('form', id, form.title, from, renderFormCard(form), renderFormModal(form));
  }

  await writeFile(join(outDir, 'index.json'), json(index));
  const rows = index.map((e) => `| ${e.what} | \`${e.kind}\` | ${e.about} | ${e.from.replace(/\|/g, '\\|')} | [card](${e.adaptiveCard}) | [blocks](${e.blockKit}) |`);
  await writeFile(
    join(outDir, 'index.md'),
    [
      '# Casework cards',
      '',
      'Every kind of message and every form, rendered from the gallery (test/support/view-gallery.ts) by `npm run cards`.',
      'Paste an Adaptive Card into https://adaptivecards.microsoft.com/designer (host app: Microsoft Teams) and Block Kit into https://app.slack.com/block-kit-builder.',
      '',
      '| what | kind | about | example from | Teams | Slack |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
  return index;
}
