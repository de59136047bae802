/**
 * The card templates kept in adaptive-cards/ (authored to open in the Adaptive Cards Designer),
 * filled by the official templating library: the reference the renderers are checked against.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { PROJECT_ROOT } from '../../src/project-root.ts';

const templates = new Map<string, ACData.Template>();

/** Expands the named template in adaptive-cards/ with `data` as its root. */
export function expandTemplate(name: string, data: object): unknown {
  let template = templates.get(name);
  if (!template) {
    template = new ACData.Template(JSON.parse(readFileSync(join(PROJECT_ROOT, 'adaptive-cards', `${name}.json`), 'utf8')));
    templates.set(name, template);
  }
  return template.expand({ $root: data });
}
