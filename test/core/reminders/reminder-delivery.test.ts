import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCasework } from '../../../src/core/casework.ts';
import { FEATURES } from '../../../src/core/features.ts';
import { DeliveryError } from '../../../src/core/ports.ts';
import { backoffSeconds } from '../../../src/core/reminders/deliver-outbox.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { reposFor } from '../../../src/db/kysely-store.ts';
import { SLACK_WORKSPACE } from '../../support/factories.ts';
import { addDeadline, quietCase, reminderServices, seedReminderTeam, stagesOf, tick } from '../../support/reminder-fixtures.ts';
import { DATABASE_KINDS, createTestDb } from '../../support/test-db.ts';

describe.each(DATABASE_KINDS)('reminder delivery and actions on %s', (kind) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDb(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('waits out a 429 for its Retry-After without counting it as an attempt, then sends once', async () => {
    const db = database.db;
    const t = await seedReminderTeam(db);
    await addDeadline(db, t, await quietCase(db, t), 'visit', '2026-11-25');
    const services = reminderServices(db);
    services.notifier.failNext(new DeliveryError('rate_limited', 'ratelimited', 30));
    await tick(services, '2026-11-20T08:31:00Z');
    const row = await db.selectFrom('outbound_messages').selectAll().where('member_id', '=', t.officer.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 0, last_error_code: 'ratelimited' });
    // 30 s plus up to a second of jitter (0.5 here).
    expect(new Date(row.next_attempt_at).getTime() - new Date('2026-11-20T08:31:00Z').getTime()).toBe(30_500);
    await tick(services, '2026-11-20T08:31:20Z');
    expect(services.notifier.deliveries).toHaveLength(0);
    await tick(services, '2026-11-20T08:31:31Z');
    await tick(services, '2026-11-20T08:33:00Z');
    expect(services.notifier.deliveries.filter((d) => d.to === t.officer.id)).toHaveLength(1);
  });

  it('backs off exponentially with jitter on transient failures', () => {
    expect(backoffSeconds(1, 30, () => 0)).toBe(15);
    expect(backoffSeconds(1, 30, () => 1)).toBe(30);
    expect(backoffSeconds(4, 30, () => 1)).toBe(240);
    expect(backoffSeconds(20, 30, () => 1)).toBe(3600);
  });

  it('on a permanent failure marks the member undeliverable, tells the admin and audits it', async () => {
    const db = database.db;
    const t = await seedReminderTeam(db);
    await addDeadline(db, t, await quietCase(db, t), 'visit', '2026-11-25');
    const services = reminderServices(db);
    services.notifier.failNext(new DeliveryError('permanent', 'channel_not_found'));
    await tick(services, '2026-11-20T08:31:00Z');
    const failed = await db.selectFrom('outbound_messages').selectAll().where('member_id', '=', t.officer.id).executeTakeFirstOrThrow();
    expect(failed).toMatchObject({ status: 'failed', last_error_code: 'channel_not_found' });
    const member = await db.selectFrom('members').selectAll().where('id', '=', t.officer.id).executeTakeFirstOrThrow();
    expect(member.undeliverable_reason).toBe('channel_not_found');
    await tick(services, '2026-11-20T08:32:00Z');
    const notice = services.notifier.deliveries.find((d) => d.view.kind === 'reminder-undeliverable');
    expect(notice?.to).toBe(t.admin.id);
    expect(notice?.view.notice?.text).toContain('Olivia Officer');
    const audit = await db.selectFrom('audit_log').selectAll().where('team_id', '=', t.team.id).where('action', '=', 'member.undeliverable').execute();
    expect(audit).toHaveLength(1);
    // No more attempts at an unreachable member the next day.
    await tick(services, '2026-11-23T08:31:00Z');
    expect(services.notifier.deliveries.filter((d) => d.to === t.officer.id)).toHaveLength(0);

    // She talks to the bot again: the mark is cleared (audited) and reminders resume.
    const identity = (await reposFor(db).members.identitiesOf(t.officer.id))[0]!;
    services.clock.set('2026-11-23T10:00:00Z');
    const reply = await createCasework(services, FEATURES).handleText({ user: { platform: identity.platform, workspaceId: identity.workspaceId, userId: identity.userId }, surface: { kind: 'direct' } }, 'due');
    expect(reply.type).toBe('message');
    const cleared = await db.selectFrom('members').selectAll().where('id', '=', t.officer.id).executeTakeFirstOrThrow();
    expect(cleared).toMatchObject({ undeliverable_at: null, undeliverable_reason: null });
    const back = await db.selectFrom('audit_log').selectAll().where('entity_id', '=', t.officer.id).where('action', '=', 'member.deliverable').execute();
    expect(back).toHaveLength(1);
    expect(back[0]!.before).toMatchObject({ undeliverableReason: 'channel_not_found' });
    // Due Wednesday 25: the due-day reminder reaches her.
    await tick(services, '2026-11-25T08:31:00Z');
    expect(services.notifier.deliveries.filter((d) => d.to === t.officer.id && d.op === 'sendToPerson')).toHaveLength(1);
  });

  it('acknowledges and snoozes from the digest, audited, with the digest updated in place', async () => {
    const db = database.db;
    const t = await seedReminderTeam(db, { platform: 'slack' });
    const c = await quietCase(db, t);
    const id = await addDeadline(db, t, c, 'visit', '2026-11-25');
    const services = reminderServices(db);
    const casework = createCasework(services, FEATURES);
    await tick(services, '2026-11-11T08:31:00Z');
    const digest = services.notifier.deliveries[0]!;
    const value = digest.view.sections![0]!.actions![1]!.value!;
    const identity = await db.selectFrom('platform_identities').select('user_id').where('member_id', '=', t.officer.id).executeTakeFirstOrThrow();
    const ctx = { user: { platform: 'slack' as const, workspaceId: SLACK_WORKSPACE, userId: identity.user_id }, surface: { kind: 'direct' as const } };

    // The digest is updated in place through its stored reference; nothing else is sent back.
    const acked = await casework.handleAction(ctx, 'reminder.ack', value);
    expect(acked.type).toBe('none');
    const ackUpdate = services.notifier.deliveries.filter((d) => d.op === 'update');
    expect(ackUpdate).toHaveLength(1);
    expect(ackUpdate[0]!.ref).toEqual(digest.ref);
    expect(ackUpdate[0]!.view.sections?.[0]?.text).toContain('Acknowledged');
    // Acknowledged: no "3 days before" reminder, but the due day still reminds.
    await tick(services, '2026-11-20T08:31:00Z');
    expect(services.notifier.deliveries.filter((d) => d.op === 'sendToPerson' && d.to === t.officer.id)).toHaveLength(1);

    const form = await casework.handleAction(ctx, 'reminder.snooze', value);
    expect(form.type).toBe('form');
    // Due Wed 25: a Saturday is refused, and so is a day after the due date.
    const weekend = await casework.submitForm(ctx, 'reminder.snooze', { until: '2026-11-21' }, { deadlineId: id, digestId: value.digestId! });
    expect(weekend.type === 'form-invalid' && weekend.form.errors.until).toContain('not a working day');
    const late = await casework.submitForm(ctx, 'reminder.snooze', { until: '2026-11-26' }, { deadlineId: id, digestId: value.digestId! });
    expect(late.type === 'form-invalid' && late.form.errors.until).toContain('cannot be snoozed past its due date');
    services.clock.set('2026-11-23T10:00:00Z');
    const ok = await casework.submitForm(ctx, 'reminder.snooze', { until: '2026-11-25' }, { deadlineId: id, digestId: value.digestId! });
    expect(ok.type).toBe('message');
    expect(services.notifier.deliveries.filter((d) => d.op === 'update')).toHaveLength(2);
    await tick(services, '2026-11-25T08:31:00Z');
    expect((await stagesOf(db, id)).map((s) => s.stage.split('@')[0])).toEqual(['before-10', 'snoozed-2026-11-25']);
    const actions = await db.selectFrom('audit_log').select('action').where('entity_id', '=', id).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['reminder.acknowledged', 'reminder.snoozed']);

    // Done on a visit hands over to the visit form when the visit feature is there.
    const done = await casework.handleAction(ctx, 'reminder.done', value);
    expect(['form', 'message']).toContain(done.type);
    // `due` lists the open deadline with its buttons.
    const due = await casework.handleText(ctx, 'due');
    expect(due.type === 'message' && due.view.sections?.[0]?.heading).toBe(`${c.key} · Home visit`);
    const card = await casework.handleText(ctx, 'deadlines');
    expect(card.type === 'message' && card.view.refresh?.id).toBe('reminder.deadlines');
  });
});
