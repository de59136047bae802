/**
 * Where Casework's own files are (card templates, the Teams manifest): the folder holding its
 * package.json, found by walking up from this module. The same answer whether the sources run
 * through tsx or from the bundle `npm start` builds into build/dist.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'casework') return dir;
    if (dirname(dir) === dir) throw new Error(`Casework's package.json was not found above ${start}`);
  }
}

/** The project's root folder. */
export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
