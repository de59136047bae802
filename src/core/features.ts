/** Every feature the core offers, in the order help lists their commands. */
import { assessmentFeature } from './cases/assessment-commands.ts';
import { casesFeature } from './cases/case-commands.ts';
import { changeFeature } from './cases/change-commands.ts';
import type { Feature } from './commands/registry.ts';
import { policyFeature } from './teams/policy-commands.ts';
import { rosterFeature } from './teams/roster-commands.ts';
import { setupFeature } from './teams/setup-commands.ts';

/** The features of this build. */
export const FEATURES: readonly Feature[] = [casesFeature, assessmentFeature, changeFeature, setupFeature, rosterFeature, policyFeature];
