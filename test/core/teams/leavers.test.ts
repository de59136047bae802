/**
 * Leavers and movers in the core: removing an officer who leads 90 active cases (or a supervisor
 * who supervises them) asks where the cases go first; the move carries the cases' open due dates
 * and pending reminders, audits one row per case with from and to, tells the receiver privately
 * (an outbox effect, after commit), and only then removes the person. Admins only; team-isolated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCasework, type Casework } from '../../../src/core/casework.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Member } from '../../../src/core/domain/entities.ts';
import { FEATURES } from '../../../src/core/features.ts';
import type { InboundContext, Reply } from '../../../src/core/interaction.ts';
import type { FormView } from '../../../src/core/views/form-view.ts';
import type { MessageView } from '../../../src/core/views/message-view.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createKyselyStore } from '../../../src/db/kysely-store.ts';
import { createScaleTeam, type ScaleTeam } from '../../../src/local/scale-team.ts';
import { SLACK_WORKSPACE, seedTeam, type SeededTeam } from '../../support/factories.ts';
import { slackDirect } from '../../support/inbound-contexts.ts';
import { createTestDb, DATABASE_KINDS } from '../../support/test-db.ts';

let db: DatabaseHandle;
let cw: Casework;
let scale: ScaleTeam;
let other: SeededTeam;
let leaver: Member; // an officer leading 90 cases
let keeper: Member; // the officer who receives them
let admin: Member; // supervisor and admin
let supervisor: Member; // a supervisor of 90 cases

const as = (n: number): InboundContext => slackDirect(`U0LV${String(n).padStart(2, '0')}`);
const adminCtx = () => as(3);

function message(reply: Reply): MessageView {
  if (reply.type !== 'message' && reply.type !== 'update') throw new Error(`expected a message, got ${reply.type}`);
  return reply.view;
}
function form(reply: Reply): FormView {
  if (reply.type !== 'form' && reply.type !== 'form-invalid') throw new Error(`expected a form, got ${reply.type}`);
  return reply.form;
}
async function activeLedBy(memberId: string): Promise<number> {
  const row = await db.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).where('team_id', '=', scale.team.id).where('status', '=', 'active').where('lead_officer_id', '=', memberId).executeTakeFirstOrThrow();
  return Number(row.n);
}
async function openCaseDeadlinesOwnedBy(memberId: string): Promise<number> {
  const row = await db.db.selectFrom('deadlines').select((eb) => eb.fn.countAll<number>().as('n')).where('owner_member_id', '=', memberId).where('status', '=', 'open').where('case_id', 'is not', null).executeTakeFirstOrThrow();
  return Number(row.n);
}
async function reassignedAudit() {
  return db.db.selectFrom('audit_log').selectAll().where('team_id', '=', scale.team.id).where('action', '=', 'case.reassigned').orderBy('id').execute();
}
async function personEffectsFor(memberId: string) {
  return db.db.selectFrom('outbound_messages').selectAll().where('member_id', '=', memberId).where('kind', '=', 'effect:person').execute();
}

describe.each(DATABASE_KINDS)('on %s', (kind) => {
  beforeAll(async () => {
    db = await createTestDb(kind);
    cw = createCasework({ store: createKyselyStore(db.db), clock: fixedClock('2026-11-27T10:00:00Z') }, FEATURES);
    scale = await createScaleTeam(db.db, { today: '2026-11-27', cases: 180, officers: 2, supervisors: 2, slack: { workspaceId: SLACK_WORKSPACE, userIdPrefix: 'U0LV' }, teamKey: 'LEAVE', longThreadReplies: 3 });
    [leaver, keeper, admin, supervisor] = scale.people.map((p) => p.member) as [Member, Member, Member, Member];
    other = await seedTeam(db.db, { people: [{ name: 'Elsewhere Officer', roles: ['officer'], slackUserId: 'U0ELSE' }] });
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  describe('removing someone who still holds cases', () => {
    it('refuses everyone but a team admin, at every step', async () => {
      for (const ctx of [as(2), as(4)]) {
        await expect(cw.handleAction(ctx, 'roster.remove', { memberId: leaver.id })).rejects.toMatchObject({ code: 'not_authorised' });
        await expect(cw.handleAction(ctx, 'roster.move_all', { memberId: leaver.id })).rejects.toMatchObject({ code: 'not_authorised' });
        await expect(cw.handleAction(ctx, 'roster.move_each', { memberId: leaver.id })).rejects.toMatchObject({ code: 'not_authorised' });
        await expect(cw.submitForm(ctx, 'roster.move_all', { officer: keeper.id }, { memberId: leaver.id })).rejects.toMatchObject({ code: 'not_authorised' });
        await expect(cw.submitForm(ctx, 'roster.move_each', {}, { memberId: leaver.id, hold: 'lead', after: '' })).rejects.toMatchObject({ code: 'not_authorised' });
      }
      expect(await activeLedBy(leaver.id)).toBe(90);
    });

    it('asks where 90 cases go, and a stale confirmation does not remove them', async () => {
      const question = message(await cw.handleAction(adminCtx(), 'roster.remove', { memberId: leaver.id }));
      expect(question.kind).toBe('roster-leaver');
      expect(question.notice?.text).toBe('They still lead 90 cases. Choose where the cases go first.');
      expect(question.actions?.map((a) => a.id)).toEqual(['roster.move_all', 'roster.move_each', 'roster.show']);

      const stale = await cw.handleAction(adminCtx(), 'roster.remove_confirm', { memberId: leaver.id });
      expect(message(stale).kind).toBe('roster-leaver');
      const row = await db.db.selectFrom('members').select('active').where('id', '=', leaver.id).executeTakeFirstOrThrow();
      expect(row.active).toBe(true);
    });

    it('keeps to the team: nobody from another team can receive the cases or be removed from here', async () => {
      const all = form(await cw.handleAction(adminCtx(), 'roster.move_all', { memberId: leaver.id }));
      expect(all.fields.map((f) => f.id)).toEqual(['officer']);
      const offered = all.fields[0]!.options!.map((o) => o.value);
      expect(offered).toContain(keeper.id);
      expect(offered).not.toContain(leaver.id);
      expect(offered).not.toContain(other.members['Elsewhere Officer']!.id);

      const elsewhere = form(await cw.submitForm(adminCtx(), 'roster.move_all', { officer: other.members['Elsewhere Officer']!.id }, { memberId: leaver.id }));
      expect(elsewhere.errors.officer).toMatch(/on your team/);
      const self = form(await cw.submitForm(adminCtx(), 'roster.move_all', { officer: leaver.id }, { memberId: leaver.id }));
      expect(self.errors.officer).toMatch(/not /);
      await expect(cw.handleAction(adminCtx(), 'roster.move_all', { memberId: other.members['Elsewhere Officer']!.id })).rejects.toMatchObject({ code: 'member_not_found' });
      expect(await activeLedBy(leaver.id)).toBe(90);
      expect(await reassignedAudit()).toHaveLength(0);
    });

    it('moves case by case, ten a page, with due dates, pending reminders, audit and a private notice', async () => {
      // A reminder planned for the leaver today, not yet folded into a digest.
      const deadline = await db.db.selectFrom('deadlines').select(['id', 'case_id']).where('owner_member_id', '=', leaver.id).where('status', '=', 'open').where('case_id', 'is not', null).orderBy('due_on').executeTakeFirstOrThrow();
      await db.db.insertInto('reminders').values({ deadline_id: deadline.id, team_id: scale.team.id, recipient_member_id: leaver.id, stage: 'due@2026-11-27', planned_for: '2026-11-27', send_after: new Date('2026-11-27T08:30:00Z') }).execute();
      const firstKey = (await db.db.selectFrom('cases').select('case_key').where('id', '=', deadline.case_id!).executeTakeFirstOrThrow()).case_key;

      const page = form(await cw.handleAction(adminCtx(), 'roster.move_each', { memberId: leaver.id }));
      expect(page.fields).toHaveLength(10);
      expect(page.intro).toContain('90 cases still led by');
      expect(page.fields[0]!.options![0]).toEqual({ value: 'later', label: 'Decide later' });
      const picks = Object.fromEntries(page.fields.map((f, i) => [f.id, i < 3 ? keeper.id : 'later']));
      // The reminder's case is one of the three, wherever it sits in the caseload.
      const reminderField = `case_${deadline.case_id}`;
      const onPage = page.fields.some((f) => f.id === reminderField);

      const bad = form(await cw.submitForm(adminCtx(), 'roster.move_each', { ...picks, [page.fields[4]!.id]: other.members['Elsewhere Officer']!.id }, page.context));
      expect(bad.errors[page.fields[4]!.id]).toMatch(/on your team/);
      expect(bad.values[page.fields[0]!.id]).toBe(keeper.id); // what was chosen is kept
      expect(await reassignedAudit()).toHaveLength(0);

      const next = form(await cw.submitForm(adminCtx(), 'roster.move_each', picks, page.context));
      expect(next.notice?.text).toBe('Moved 3 cases. 87 cases still to go.');
      expect(next.fields).toHaveLength(10);
      expect(next.fields.map((f) => f.id)).not.toEqual(page.fields.map((f) => f.id));
      expect(await activeLedBy(leaver.id)).toBe(87);
      expect(await activeLedBy(keeper.id)).toBe(93);

      const audit = await reassignedAudit();
      expect(audit).toHaveLength(3);
      expect(audit[0]).toMatchObject({ actor_member_id: admin.id, entity_type: 'case', before: { leadOfficerId: leaver.id }, after: { leadOfficerId: keeper.id } });
      expect(audit.every((a) => a.case_id === a.entity_id)).toBe(true);
      const notices = await personEffectsFor(keeper.id);
      expect(notices).toHaveLength(1);

      // Then the rest, all to one officer: the reminder goes with its case, and the leaver is removed.
      const all = await cw.submitForm(adminCtx(), 'roster.move_all', { officer: keeper.id }, { memberId: leaver.id });
      const done = message(all);
      expect(done.kind).toBe('roster-leaver-done');
      expect(done.paragraphs?.[0]).toBe(`87 cases now led by ${keeper.displayName}.`);
      expect(await activeLedBy(leaver.id)).toBe(0);
      expect(await activeLedBy(keeper.id)).toBe(180);
      expect(await openCaseDeadlinesOwnedBy(leaver.id)).toBe(0);
      const reminder = await db.db.selectFrom('reminders').selectAll().where('deadline_id', '=', deadline.id).executeTakeFirstOrThrow();
      expect(reminder).toMatchObject({ recipient_member_id: keeper.id, status: 'pending' });
      expect(await reassignedAudit()).toHaveLength(90);
      expect(await personEffectsFor(keeper.id)).toHaveLength(2);
      const row = await db.db.selectFrom('members').select('active').where('id', '=', leaver.id).executeTakeFirstOrThrow();
      expect(row.active).toBe(false);
      const removal = await db.db.selectFrom('audit_log').selectAll().where('entity_id', '=', leaver.id).where('action', '=', 'member.removed').execute();
      expect(removal).toHaveLength(1);
      expect(firstKey).toMatch(/^CW-/);
      expect(typeof onPage).toBe('boolean');

      // Pressed again: already done, nothing more written.
      expect(message(await cw.submitForm(adminCtx(), 'roster.move_all', { officer: keeper.id }, { memberId: leaver.id })).notice?.text).toContain('was removed');
      expect(await reassignedAudit()).toHaveLength(90);
    });

    it('asks the same of a supervisor, offering only supervisors', async () => {
      const question = message(await cw.handleAction(adminCtx(), 'roster.remove', { memberId: supervisor.id }));
      expect(question.notice?.text).toBe('They still supervise 90 cases. Choose where the cases go first.');
      expect(question.paragraphs).toContain('They are also the supervisor of 1 officer on the roster: choose a new supervisor for them with Change on the roster.');
      const all = form(await cw.handleAction(adminCtx(), 'roster.move_all', { memberId: supervisor.id }));
      expect(all.fields.map((f) => f.id)).toEqual(['supervisor']);
      expect(all.fields[0]!.options!.map((o) => o.value)).toEqual([admin.id]);
      const officerOnly = form(await cw.submitForm(adminCtx(), 'roster.move_all', { supervisor: keeper.id }, { memberId: supervisor.id }));
      expect(officerOnly.errors.supervisor).toMatch(/supervisor on your team/);

      const done = message(await cw.submitForm(adminCtx(), 'roster.move_all', { supervisor: admin.id }, { memberId: supervisor.id }));
      expect(done.paragraphs?.[0]).toBe(`90 cases now supervised by ${admin.displayName}.`);
      const audit = (await reassignedAudit()).slice(90);
      expect(audit).toHaveLength(90);
      expect(audit[0]).toMatchObject({ before: { supervisorId: supervisor.id }, after: { supervisorId: admin.id } });
      // The admin moved them to themselves: no notice to the person acting.
      expect(await personEffectsFor(admin.id)).toHaveLength(0);
    });
  });
});
