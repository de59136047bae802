// Help that fits the person: an officer sees what officers do and an admin what admins do, with
// one of their own case keys in the examples; a greeting gets one line; a typo gets the nearest
// command; someone on no team is told how to join.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCasework, type Casework } from '../../../src/core/casework.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import { FEATURES } from '../../../src/core/features.ts';
import type { InboundContext, Reply } from '../../../src/core/interaction.ts';
import type { MessageView } from '../../../src/core/views/message-view.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createKyselyStore } from '../../../src/db/kysely-store.ts';
import { coreServices } from '../../support/core-services.ts';
import { seedCase, seedTeam, SLACK_WORKSPACE, type SeededTeam } from '../../support/factories.ts';
import { createTestDb } from '../../support/test-db.ts';

let database: DatabaseHandle;
let casework: Casework;
let home: SeededTeam;
let officersCase: string;

const as = (userId: string): InboundContext => ({ user: { platform: 'slack', workspaceId: SLACK_WORKSPACE, userId }, surface: { kind: 'direct' }, commandPrefix: '/casework' });
const view = (reply: Reply): MessageView => {
  if (reply.type !== 'message') throw new Error(`expected a message, got ${reply.type}`);
  return reply.view;
};
const commandsShown = (v: MessageView) => (v.sections?.[0]?.facts ?? []).map((f) => f.label.replace('/casework ', '').split(' ')[0]);

beforeAll(async () => {
  database = await createTestDb();
  casework = createCasework(coreServices({ store: createKyselyStore(database.db), clock: fixedClock('2026-11-24T10:00:00Z') }).services, FEATURES);
  home = await seedTeam(database.db, {
    people: [
      { name: 'Olivia Officer', roles: ['officer'], slackUserId: 'U0HOFF' },
      { name: 'Sam Supervisor', roles: ['officer', 'supervisor'], slackUserId: 'U0HSUP' },
      { name: 'Ada Admin', roles: ['admin'], slackUserId: 'U0HADM' },
    ],
  });
  officersCase = (await seedCase(database.db, home.team, { leadOfficerId: home.members['Olivia Officer']!.id })).key;
});
afterAll(async () => {
  await database?.close();
});

describe('help that fits the person', () => {
  it("shows an officer the officer's commands, with one of their own case keys as the example", async () => {
    const help = view(await casework.handleText(as('U0HOFF'), 'help'));
    const shown = commandsShown(help);
    expect(shown).toEqual(expect.arrayContaining(['due', 'case', 'visit', 'discuss', 'record']));
    expect(shown).not.toContain('roster');
    expect(shown).not.toContain('supervision');
    expect(JSON.stringify(help)).toContain(`case ${officersCase}`);
    expect(JSON.stringify(help)).not.toContain('CW-7K3P');
  });

  it("shows an admin the admin's commands and not the officers' case work", async () => {
    const shown = commandsShown(view(await casework.handleText(as('U0HADM'), 'help')));
    expect(shown).toEqual(expect.arrayContaining(['roster', 'policy', 'cases']));
    expect(shown).not.toContain('visit');
  });

  it('answers a greeting or thanks in one line, not with an error and the whole help', async () => {
    for (const text of ['hello', 'Hi there', 'good morning', 'thanks!']) {
      const v = view(await casework.handleText(as('U0HOFF'), text));
      expect(v.kind).toBe('greeting');
      expect(v.notice).toBeUndefined();
      expect(v.paragraphs).toHaveLength(1);
    }
  });

  it('suggests the nearest command for a typo', async () => {
    const v = view(await casework.handleText(as('U0HOFF'), `viist ${officersCase}`));
    expect(v.notice?.text).toBe('Sorry, "viist" is not a command Casework knows. Did you mean /casework visit?');
    expect(view(await casework.handleText(as('U0HOFF'), 'frobnicate')).notice?.text).not.toContain('Did you mean');
    // A command the person cannot use is never suggested.
    expect(view(await casework.handleText(as('U0HOFF'), 'rostr')).notice?.text).not.toContain('roster');
  });

  it('tells someone on no team how to join, offering only what they can do', async () => {
    const v = view(await casework.handleText(as('U0NOBODY'), 'help'));
    expect(commandsShown(v)).toEqual(['help', 'setup']);
    expect(JSON.stringify(v)).toContain('You are not on a Casework team yet');
  });
});
