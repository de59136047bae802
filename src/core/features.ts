/** Every feature the core offers, in the order help lists their commands. */
import { assessmentFeature } from './cases/assessment-commands.ts';
import { casesFeature } from './cases/case-commands.ts';
import { changeFeature } from './cases/change-commands.ts';
import type { Feature } from './commands/registry.ts';
import { discussionFeature } from './discussions/discussion-commands.ts';
import { discussionListFeature } from './discussions/discussion-list.ts';
import { mappaFeature } from './mappa/mappa-commands.ts';
import { oversightFeature } from './oversight/oversight-commands.ts';
import { reminderFeature } from './reminders/reminder-commands.ts';
import { policyFeature } from './teams/policy-commands.ts';
import { leaverFeature } from './teams/leaver-commands.ts';
import { rosterFeature } from './teams/roster-commands.ts';
import { supervisionNoteFeature } from './supervision/note-commands.ts';
import { officerSupervisionFeature } from './supervision/officer-supervision.ts';
import { recordFeature } from './supervision/record-commands.ts';
import { setupFeature } from './teams/setup-commands.ts';
import { visitFeature } from './visits/visit-commands.ts';

/** The features of this build. */
export const FEATURES: readonly Feature[] = [casesFeature, visitFeature, assessmentFeature, mappaFeature, changeFeature, discussionFeature, discussionListFeature, supervisionNoteFeature, officerSupervisionFeature, recordFeature, reminderFeature, oversightFeature, setupFeature, rosterFeature, leaverFeature, policyFeature];
