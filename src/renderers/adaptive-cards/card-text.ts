/**
 * Loads the card templates kept in `adaptive-cards/` (authored to open in the Adaptive Cards
 * Designer) and expands them with data through the official templating library.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../project-root.ts';
import * as ACData from 'adaptivecards-templating';

/** Adaptive Card JSON as sent to Teams. */
export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

const templates = new Map<string, ACData.Template>();

function load(name: string): ACData.Template {
  let template = templates.get(name);
  if (!template) {
    template = new ACData.Template(JSON.parse(readFileSync(join(PROJECT_ROOT, 'adaptive-cards', `${name}.json`), 'utf8')));
    templates.set(name, template);
  }
  return template;
}

/** Expands the named template with `data` as its root. */
export function expandTemplate(name: string, data: Record<string, unknown>): AdaptiveCard {
  return load(name).expand({ $root: data }) as AdaptiveCard;
}

/**
 * Escapes the few characters Teams' card markdown gives meaning to, so text a user typed is
 * shown as typed. Templating markers are neutralised too: values are data, never template.
 */
export function escapeCardText(text: string): string {
  return text.replace(/([\\*_[\]`~#>])/g, '\\$1').replace(/\$\{/g, '$\u200b{');
}
