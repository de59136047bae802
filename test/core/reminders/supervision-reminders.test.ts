// Supervision feeds the reminder pipeline: an officer-supervision session coming due reminds the
// supervisor, and an action set in a supervision note reminds its owner, like any other deadline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { reposFor } from '../../../src/db/kysely-store.ts';
import { quietCase, reminderServices, seedReminderTeam, tick } from '../../support/reminder-fixtures.ts';
import { DATABASE_KINDS, createTestDb } from '../../support/test-db.ts';

describe.each(DATABASE_KINDS)('supervision reminders on %s', (kind) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDb(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('reminds the supervisor of a session coming due, and an action’s owner of the action', async () => {
    const db = database.db;
    const t = await seedReminderTeam(db);
    const c = await quietCase(db, t);
    const deadlines = reposFor(db).deadlines;
    // As recording a session does: the next session is the supervisor's deadline, with no case.
    await deadlines.syncOpen({ teamId: t.team.id, kind: 'officer_supervision', subjectKey: `supervision:${t.officer.id}`, caseId: null, ownerMemberId: t.supervisor.id, dueOn: '2026-11-25' });
    // As signing a note does: each action is a deadline for its owner.
    await deadlines.syncOpen({ teamId: t.team.id, kind: 'supervision_action', subjectKey: 'action:test-1', caseId: c.id, ownerMemberId: t.officer.id, dueOn: '2026-11-25' });
    const services = reminderServices(db);
    // Wed 11 Nov 2026 is 10 working days before Wed 25 Nov.
    await tick(services, '2026-11-11T08:31:00Z');
    const toSupervisor = services.notifier.deliveries.filter((d) => d.to === t.supervisor.id && d.view.kind === 'reminder-digest');
    const toOfficer = services.notifier.deliveries.filter((d) => d.to === t.officer.id && d.view.kind === 'reminder-digest');
    expect(toSupervisor).toHaveLength(1);
    expect(JSON.stringify(toSupervisor[0]!.view).toLowerCase()).toContain('supervision');
    expect(toOfficer).toHaveLength(1);
    expect(JSON.stringify(toOfficer[0]!.view)).toContain(c.key);
  });
});
