// Any date Casework proposes is a working day: the next officer supervision (4 weeks after a
// Sunday 29 Nov 2026 is Sunday 27 Dec, between Christmas and the Boxing Day substitute, so the
// proposal is Thu 24 Dec), the next visit, and a snooze (on Christmas Eve, the next working day
// is Tue 29 Dec).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../../src/core/calendar/working-calendar.ts';
import { createCasework } from '../../../src/core/casework.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import { FEATURES } from '../../../src/core/features.ts';
import type { InboundContext, Reply } from '../../../src/core/interaction.ts';
import type { FormView } from '../../../src/core/views/form-view.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createKyselyStore, reposFor } from '../../../src/db/kysely-store.ts';
import { coreServices } from '../../support/core-services.ts';
import { createFakeNotifier } from '../../support/fake-notifier.ts';
import { seedCase, seedTeam, SLACK_WORKSPACE, type SeededTeam } from '../../support/factories.ts';
import { createTestDb } from '../../support/test-db.ts';

const clock = fixedClock('2026-11-29T12:00:00Z');
const calendar = createWorkingCalendar();
let database: DatabaseHandle;
let home: SeededTeam;
const as = (userId: string): InboundContext => ({ user: { platform: 'slack', workspaceId: SLACK_WORKSPACE, userId }, surface: { kind: 'direct' } });
const casework = () => createCasework(coreServices({ store: createKyselyStore(database.db), clock, notifier: createFakeNotifier() }).services, FEATURES);

function formOf(reply: Reply): FormView {
  if (reply.type !== 'form') throw new Error(`expected a form, got ${reply.type}`);
  return reply.form;
}

beforeAll(async () => {
  database = await createTestDb();
  home = await seedTeam(database.db, {
    people: [
      { name: 'Olivia Officer', roles: ['officer'], slackUserId: 'U0WOFF' },
      { name: 'Sam Supervisor', roles: ['officer', 'supervisor'], slackUserId: 'U0WSUP' },
    ],
  });
});
afterAll(async () => {
  await database?.close();
});

describe('dates Casework proposes are working days', () => {
  it('proposes the next officer supervision on the working day before a holiday weekend, and keeps the deadline there', async () => {
    const olivia = home.members['Olivia Officer']!;
    const form = formOf(await casework().handleText(as('U0WSUP'), 'supervision'));
    expect(form.values.nextSessionOn).toBe('2026-12-24');
    // Left blank, the team default is used: the same working day.
    await casework().submitForm(as('U0WSUP'), form.id, { officerId: olivia.id, heldOn: '2026-11-29' }, form.context);
    const deadline = await database.db.selectFrom('deadlines').select(['id', 'due_on']).where('subject_key', '=', `supervision:${olivia.id}`).executeTakeFirstOrThrow();
    expect(deadline.due_on).toBe('2026-12-24');
    // The reminder's Done is a way to meet it: the session form, with the officer chosen.
    const next = formOf(await casework().handleAction(as('U0WSUP'), 'reminder.done', { deadlineId: deadline.id }));
    expect(next).toMatchObject({ id: 'supervision.session', values: { officerId: olivia.id } });
  });

  it('proposes the next visit on a working day', async () => {
    const c = await seedCase(database.db, home.team, { riskLevel: 'very_high', leadOfficerId: home.members['Olivia Officer']!.id });
    const form = formOf(await casework().handleText(as('U0WOFF'), `visit ${c.key}`));
    const next = form.values.nextVisitOn as string;
    expect(next).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(calendar.isWorkingDay(next)).toBe(true);
  });

  it('proposes a snooze to the next working day', async () => {
    clock.set('2026-12-24T10:00:00Z');
    const c = await seedCase(database.db, home.team, { leadOfficerId: home.members['Olivia Officer']!.id });
    await reposFor(database.db).deadlines.syncOpen({ teamId: home.team.id, kind: 'mappa_review', subjectKey: `case:${c.id}:mappa_review`, caseId: c.id, ownerMemberId: home.members['Olivia Officer']!.id, dueOn: '2027-01-15' });
    const d = await database.db.selectFrom('deadlines').select('id').where('subject_key', '=', `case:${c.id}:mappa_review`).executeTakeFirstOrThrow();
    const form = formOf(await casework().handleAction(as('U0WOFF'), 'reminder.snooze', { deadlineId: d.id }));
    // Thursday 24 December: the quick choice proposed first is the next working day, Tuesday 29th.
    expect(form.values.when).toBe('2026-12-29');
    expect(form.fields[0]!.options![0]!.label).toBe('Next working day, Tue 29 Dec 2026');
  });
});
