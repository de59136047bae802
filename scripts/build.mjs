// Builds what `npm start` runs: the TypeScript sources bundled by esbuild (scripts/bundle.mjs)
// into build/dist. Running the bundle instead of the sources through tsx saves the loader threads
// tsx keeps (about 50 MB of a server's memory) and the compile at every start. Takes about a
// second; the command-line tools still run the sources through tsx, so nothing depends on a build
// being current.
import { fileURLToPath } from 'node:url';
import { bundle } from './bundle.mjs';

await bundle(fileURLToPath(import.meta.resolve('../build/dist/')));
