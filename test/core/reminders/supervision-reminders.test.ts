// Supervision feeds the reminder pipeline: an officer-supervision session coming due reminds the
// supervisor, and an action set in a supervision note reminds its owner, like any other deadline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCasework } from '../../../src/core/casework.ts';
import { FEATURES } from '../../../src/core/features.ts';
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
    // Officer supervision names the officer it is about.
    expect(JSON.stringify(toSupervisor[0]!.view)).toContain(`Officer supervision: ${t.officer.displayName}`);
    expect(toOfficer).toHaveLength(1);
    expect(JSON.stringify(toOfficer[0]!.view)).toContain(c.key);
  });

  it('closes a supervision action when its owner presses Done, and its reminders stop', async () => {
    const db = database.db;
    const t = await seedReminderTeam(db, { platform: 'slack' });
    const c = await quietCase(db, t);
    const repos = reposFor(db);
    const note = await repos.supervision.createNote({ caseId: c.id, discussionId: null, addendumToNoteId: null, authorId: t.supervisor.id, question: 'Q', riskView: 'R', optionsConsidered: '', decision: 'D', rationale: 'Because', dissent: '', nextReviewOn: null });
    const [action] = await repos.supervision.setActions({ noteId: note.id }, [{ ownerMemberId: t.officer.id, dueOn: '2026-11-25', description: 'Check the new address' }]);
    await repos.deadlines.syncOpen({ teamId: t.team.id, kind: 'supervision_action', subjectKey: `action:${action!.id}`, caseId: c.id, ownerMemberId: t.officer.id, dueOn: '2026-11-25' });
    const services = reminderServices(db);
    await tick(services, '2026-11-11T08:31:00Z');
    const digest = services.notifier.deliveries.find((d) => d.to === t.officer.id)!;
    // The item says what the action is and where it was set, not just "Supervision action".
    const section = digest.view.sections!.find((s) => s.heading?.includes('Supervision action'))!;
    expect(section.text).toContain('“Check the new address”.');
    expect(section.text).toContain(`From the supervision note of`);
    const doneButton = digest.view.sections!.flatMap((s) => s.actions ?? []).find((a) => a.id === 'reminder.done')!;
    const identity = (await repos.members.identitiesOf(t.officer.id))[0]!;
    const ctx = { user: { platform: identity.platform, workspaceId: identity.workspaceId, userId: identity.userId }, surface: { kind: 'direct' as const } };

    const reply = await createCasework(services, FEATURES).handleAction(ctx, 'reminder.done', doneButton.value!);
    expect(reply).toMatchObject({ type: 'message', view: { title: 'Action done' } });
    const stored = await db.selectFrom('supervision_actions').select(['status', 'done_by']).where('id', '=', action!.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'done', done_by: t.officer.id });
    const deadline = await db.selectFrom('deadlines').select('status').where('subject_key', '=', `action:${action!.id}`).executeTakeFirstOrThrow();
    expect(deadline.status).toBe('met');
    const audited = await db.selectFrom('audit_log').select('action').where('entity_id', '=', action!.id).execute();
    expect(audited.map((a) => a.action)).toContain('supervision_action.completed');

    // Friday 20 Nov would be the 3-days-before reminder: nothing comes now.
    services.notifier.reset();
    await tick(services, '2026-11-20T08:31:00Z');
    expect(services.notifier.deliveries.filter((d) => d.to === t.officer.id && d.view.kind === 'reminder-digest')).toEqual([]);
  });

  it('lists in the supervisor digest a discussion that has waited 2 working days for a decision', async () => {
    const db = database.db;
    const t = await seedReminderTeam(db);
    const c = await quietCase(db, t);
    const channel = { platform: 'slack' as const, workspaceId: 'T0TEAM', channelId: `C0WAIT${kind}`, ref: null };
    await reposFor(db).teams.update(t.team.id, { channel });
    const services = reminderServices(db, '2026-11-23T10:00:00Z');
    const casework = createCasework(services, FEATURES);
    const identity = await db.selectFrom('platform_identities').select('user_id').where('member_id', '=', t.officer.id).where('platform', '=', 'slack').executeTakeFirstOrThrow();
    // Opened on Monday 23 Nov; the case has no supervisor of its own, so it is the officer's (Sam's).
    const opened = await casework.handleText({ user: { platform: 'slack', workspaceId: 'T0TEAM', userId: identity.user_id }, surface: { kind: 'direct' } }, `discuss ${c.key} Should the visit be joint?`);
    expect(opened.type).toBe('message');
    const digestOf = () =>
      services.notifier.deliveries.filter((d) => d.to === t.supervisor.id && d.view.kind === 'reminder-supervisor-digest').map((d) => JSON.stringify(d.view));
    // Tuesday: one working day, not yet.
    await tick(services, '2026-11-24T08:31:00Z');
    expect(digestOf().join()).not.toContain('waiting for your decision');
    // Wednesday: two working days.
    await tick(services, '2026-11-25T08:31:00Z');
    const wednesday = digestOf().find((v) => v.includes('waiting for your decision'));
    expect(wednesday).toContain(c.key);
    expect(wednesday).toContain('waiting 2 working days');
    expect(wednesday).toContain('discussions.page');
  });
});
