/** Every feature the core offers, in the order help lists their commands. */
import { casesFeature } from './cases/case-commands.ts';
import type { Feature } from './commands/registry.ts';

/** The features of this build. */
export const FEATURES: readonly Feature[] = [casesFeature];
