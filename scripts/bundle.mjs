// The esbuild bundle of the TypeScript sources (esbuild is installed with tsx): one entry,
// src/cli/main.ts, split into chunks, dependencies left as they are in node_modules. Used by
// scripts/build.mjs for what `npm start` runs, and by the tests, which start the command line from
// a bundle of their own instead of compiling the sources through tsx at every start.
import { rmSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';
import { build } from 'esbuild';

/**
 * Bundles the sources into `outdir`, emptied first. The folder must be inside the repository:
 * the bundle imports its dependencies from the node_modules above it.
 */
export async function bundle(outdir) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}
