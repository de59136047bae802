// Recording a MAPPA review: the reminder's Done opens the form, the review closes the open MAPPA
// review deadline and opens the next one from the level's interval, on a working day; the audit
// keeps the dates and level, never the outcome's text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../../src/core/calendar/working-calendar.ts';
import { createCasework, type Casework } from '../../../src/core/casework.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import { FEATURES } from '../../../src/core/features.ts';
import type { InboundContext } from '../../../src/core/interaction.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createKyselyStore } from '../../../src/db/kysely-store.ts';
import { coreServices } from '../../support/core-services.ts';
import { createFakeNotifier } from '../../support/fake-notifier.ts';
import { seedCase, seedTeam, SLACK_WORKSPACE, type SeededTeam } from '../../support/factories.ts';
import { DATABASE_KINDS, createTestDb } from '../../support/test-db.ts';

describe.each(DATABASE_KINDS)('MAPPA reviews on %s', (kind) => {
  const clock = fixedClock('2026-11-24T10:00:00Z');
  let database: DatabaseHandle;
  let casework: Casework;
  let home: SeededTeam;
  const as = (userId: string): InboundContext => ({ user: { platform: 'slack', workspaceId: SLACK_WORKSPACE, userId }, surface: { kind: 'direct' } });

  beforeAll(async () => {
    database = await createTestDb(kind);
    casework = createCasework(coreServices({ store: createKyselyStore(database.db), clock, notifier: createFakeNotifier() }).services, FEATURES);
    home = await seedTeam(database.db, { people: [{ name: 'Olivia Officer', roles: ['officer'], slackUserId: 'U0MOFF' }, { name: 'Pat Peer', roles: ['officer'], slackUserId: 'U0MPEER' }] });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('the reminder leads to the form, and the review closes the deadline', async () => {
    const c = await seedCase(database.db, home.team, { leadOfficerId: home.members['Olivia Officer']!.id, mappaCategory: 1, mappaLevel: 2, lastMappaReviewOn: '2026-08-03' });
    const open = await database.db.selectFrom('deadlines').select(['id', 'due_on']).where('case_id', '=', c.id).where('kind', '=', 'mappa_review').where('status', '=', 'open').executeTakeFirstOrThrow();

    const form = await casework.handleAction(as('U0MOFF'), 'reminder.done', { deadlineId: open.id, kind: 'mappa_review', caseKey: c.key });
    expect(form).toMatchObject({ type: 'form', form: { id: 'mappa.review', title: 'Record MAPPA review', context: { caseKey: c.key } } });

    // Someone who is not on the case cannot record it.
    await expect(casework.submitForm(as('U0MPEER'), 'mappa.review', { reviewedOn: '2026-11-23', level: '3', outcome: 'Raised to level 3.' }, { caseKey: c.key })).rejects.toMatchObject({ code: 'not_authorised' });

    const reply = await casework.submitForm(as('U0MOFF'), 'mappa.review', { reviewedOn: '2026-11-23', level: '3', outcome: 'Raised to level 3: new intelligence.', nextReviewOn: '' }, { caseKey: c.key });
    expect(JSON.stringify(reply)).toContain('MAPPA review of Mon 23 Nov 2026 recorded. Next MAPPA review due Mon 18 Jan 2027.');
    const rows = await database.db.selectFrom('deadlines').select(['status', 'due_on', 'met_on']).where('case_id', '=', c.id).where('kind', '=', 'mappa_review').orderBy('created_at').execute();
    expect(rows[0]).toMatchObject({ status: 'met', met_on: '2026-11-23' });
    const next = rows.find((r) => r.status === 'open')!;
    // Level 3: every 8 weeks from 23 Nov 2026 is Mon 18 Jan 2027, a working day.
    expect(next.due_on).toBe('2027-01-18');
    expect(createWorkingCalendar().isWorkingDay(next.due_on)).toBe(true);
    const stored = await database.db.selectFrom('cases').select(['mappa_level', 'last_mappa_review_on']).where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ mappa_level: 3, last_mappa_review_on: '2026-11-23' });
    const audit = await database.db.selectFrom('audit_log').select(['action', 'after']).where('case_id', '=', c.id).where('action', '=', 'mappa.review_recorded').executeTakeFirstOrThrow();
    expect(JSON.stringify(audit.after)).not.toContain('intelligence');
  });

  it('names a well-formed key that does not exist as missing, not malformed', async () => {
    await expect(casework.handleText(as('U0MOFF'), 'mappa CW-ZZZZ')).rejects.toMatchObject({ code: 'case_not_found', message: expect.stringContaining('There is no case CW-ZZZZ.') });
    await expect(casework.handleText(as('U0MOFF'), 'mappa nonsense!')).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('refuses a review without an outcome, keeping the answers', async () => {
    const c = await seedCase(database.db, home.team, { leadOfficerId: home.members['Olivia Officer']!.id, mappaLevel: 2 });
    const reply = await casework.submitForm(as('U0MOFF'), 'mappa.review', { reviewedOn: '2026-11-23', level: '2', outcome: '' }, { caseKey: c.key });
    expect(reply).toMatchObject({ type: 'form-invalid', form: { errors: { outcome: 'Say what the review decided.' }, values: { reviewedOn: '2026-11-23' } } });
  });
});
