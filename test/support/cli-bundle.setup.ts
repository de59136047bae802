/**
 * Vitest global set-up: bundles the sources once per test run (scripts/bundle.mjs, about a
 * second) into a folder of its own under build/, so the command-line tests start `node <bundle>`
 * instead of compiling the sources through tsx at every start (seconds each, on a busy machine).
 * The folder is this run's alone, so runs at once in one checkout do not replace each other's
 * bundle, and it is removed when the run ends. In watch mode it is built again before each rerun,
 * so the tests never run a stale bundle.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundle } from '../../scripts/bundle.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bundled command line's entry point (`main.js`) for this run. */
    caseworkBundle: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const buildDir = resolve(import.meta.dirname, '../../build');
  mkdirSync(buildDir, { recursive: true });
  const outdir = mkdtempSync(join(buildDir, 'test-cli-'));
  await bundle(outdir);
  project.onTestsRerun(() => bundle(outdir));
  project.provide('caseworkBundle', join(outdir, 'main.js'));
  return () => rmSync(outdir, { recursive: true, force: true });
}
