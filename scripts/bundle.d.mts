/** Bundles the sources into `outdir` (emptied first; inside the repository): see bundle.mjs. */
export function bundle(outdir: string): Promise<void>;
