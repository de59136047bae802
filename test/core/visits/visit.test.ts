import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCasework, type Casework } from '../../../src/core/casework.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Case } from '../../../src/core/domain/entities.ts';
import { FEATURES } from '../../../src/core/features.ts';
import type { InboundContext, Reply } from '../../../src/core/interaction.ts';
import { FORM_LIMITS, inputsInViewOnOpen, type FormView } from '../../../src/core/views/form-view.ts';
import type { MessageView } from '../../../src/core/views/message-view.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createKyselyStore } from '../../../src/db/kysely-store.ts';
import { seedCase, seedTeam, SLACK_WORKSPACE, type SeededTeam } from '../../support/factories.ts';
import { createFakeNotifier, DeliveryError } from '../../support/fake-notifier.ts';
import { coreServices } from '../../support/core-services.ts';
import { deliverOutbox } from '../../../src/core/reminders/deliver-outbox.ts';
import type { DeliveryServices } from '../../../src/core/services.ts';
import { createTestDb } from '../../support/test-db.ts';

// Thursday 24 Dec 2026, 10:00 in London; Fri 25, Mon 28 Dec and Fri 1 Jan are bank holidays.
const clock = fixedClock('2026-12-24T10:00:00Z');
const notifier = createFakeNotifier();
let database: DatabaseHandle;
let delivery: DeliveryServices;
let casework: Casework;
let home: SeededTeam;
let other: SeededTeam;

const as = (userId: string): InboundContext => ({ user: { platform: 'slack', workspaceId: SLACK_WORKSPACE, userId }, surface: { kind: 'direct' } });
const olivia = () => as('UVOFF');
const sam = () => as('UVSUP');

function formOf(reply: Reply): FormView {
  if (reply.type !== 'form' && reply.type !== 'form-invalid') throw new Error(`expected a form, got ${JSON.stringify(reply)}`);
  return reply.form;
}
function viewOf(reply: Reply): MessageView {
  if (reply.type !== 'message' && reply.type !== 'update') throw new Error(`expected a message, got ${JSON.stringify(reply)}`);
  return reply.view;
}
const text = (view: MessageView) => JSON.stringify(view);
const fact = (view: MessageView, label: string) => view.facts?.find((f) => f.label === label)?.value;

function newCase(t: SeededTeam = home, overrides: Partial<Case> = {}): Promise<Case> {
  return seedCase(database.db, t.team, {
    riskLevel: 'high',
    leadOfficerId: t.members['Olivia Officer']!.id,
    coworkerIds: [t.members['Oscar Officer']!.id],
    supervisorId: t.members['Sam Supervisor']!.id,
    lastVisitOn: '2026-11-02',
    lastAssessmentOn: '2026-10-01',
    ...overrides,
  });
}

function answers(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { visitedOn: '2026-12-24', visitedTime: '09:30', visitType: 'unannounced', officers: [home.members['Olivia Officer']!.id], outcome: 'seen_at_home', ...overrides };
}
const submit = (ctx: InboundContext, c: Case, values: Record<string, unknown>, context: Record<string, string> = {}) =>
  casework.submitForm(ctx, 'visit.record', values, { caseKey: c.key, ...context });

const caseRow = (c: Case) => database.db.selectFrom('cases_with_due_dates').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
const visitRows = (c: Case) => database.db.selectFrom('visits').selectAll().where('case_id', '=', c.id).orderBy('recorded_at').orderBy('version').execute();
const deadlines = (c: Case, kind: string) =>
  database.db.selectFrom('deadlines').select(['due_on', 'status', 'urgent']).where('case_id', '=', c.id).where('kind', '=', kind).orderBy('created_at').execute();
const auditActions = async (c: Case) => (await database.db.selectFrom('audit_log').select('action').where('case_id', '=', c.id).orderBy('id').execute()).map((r) => r.action);

beforeAll(async () => {
  database = await createTestDb();
  const wired = coreServices({ store: createKyselyStore(database.db), clock, notifier });
  delivery = wired.delivery;
  casework = createCasework(wired.services, FEATURES);
  const people = (p: string) => [
    { name: 'Olivia Officer', roles: ['officer' as const], slackUserId: `U${p}OFF` },
    { name: 'Oscar Officer', roles: ['officer' as const], slackUserId: `U${p}OSC` },
    { name: 'Sam Supervisor', roles: ['officer' as const, 'supervisor' as const], slackUserId: `U${p}SUP` },
  ];
  home = await seedTeam(database.db, { people: people('V') });
  other = await seedTeam(database.db, { people: people('X') });
});
afterAll(async () => {
  await database?.close();
});
beforeEach(() => {
  clock.set('2026-12-24T10:00:00Z');
  notifier.reset();
});

describe('visit CW-…: the form', () => {
  it('opens from the command and the card button, prefilled with now, me and the usual co-worker, and a proposed next visit', async () => {
    const c = await newCase();
    expect(casework.formTitleFor({ text: `visit ${c.key}` })).toBe('Record visit');
    expect(casework.formTitleFor({ actionId: 'visit.open', value: { caseKey: c.key } })).toBe('Record visit');
    for (const reply of [await casework.handleText(olivia(), `visit ${c.key}`), await casework.handleAction(olivia(), 'visit.open', { caseKey: c.key })]) {
      const form = formOf(reply);
      expect(form.id).toBe('visit.record');
      expect(form.context).toEqual({ caseKey: c.key });
      // High risk: 3 months after today is Wed 24 Mar 2027.
      expect(form.values).toEqual({ visitedOn: '2026-12-24', visitedTime: '10:00', officers: [home.members['Olivia Officer']!.id, home.members['Oscar Officer']!.id], nextVisitOn: '2027-03-24' });
      expect(form.secondaryActions).toEqual([{ id: 'visit.save_draft', label: 'Save draft', value: { caseKey: c.key } }]);
      for (const f of form.fields) if (f.kind === 'text' || f.kind === 'textarea') expect(f.maxLength).toBeLessThanOrEqual(500);
    }
    const card = viewOf(await casework.handleText(olivia(), `case ${c.key}`));
    expect(card.actions?.[0]).toEqual({ id: 'visit.open', label: 'Record visit', value: { caseKey: c.key }, style: 'primary' });
  });

  it("refuses an unknown case and another team's case as not found", async () => {
    const theirs = await newCase(other, { leadOfficerId: other.members['Olivia Officer']!.id, coworkerIds: [], supervisorId: null });
    await expect(casework.handleText(olivia(), 'visit CW-T999')).rejects.toMatchObject({ code: 'case_not_found', message: expect.stringContaining('There is no case CW-T999') });
    await expect(casework.handleText(olivia(), `visit ${theirs.key}`)).rejects.toMatchObject({ code: 'case_not_found' });
    await expect(submit(olivia(), theirs, answers())).rejects.toMatchObject({ code: 'case_not_found' });
    expect(await visitRows(theirs)).toEqual([]);
  });

  it('shows each bad answer beside its field and keeps every answer', async () => {
    const c = await newCase();
    const bad = answers({ visitedOn: '2026-12-26', visitType: 'bogus', officers: [other.members['Olivia Officer']!.id], nextVisitOn: '2026-12-20', welfare: 'x'.repeat(501) });
    const form = formOf(await submit(olivia(), c, bad));
    expect(form.errors).toEqual({
      visitedOn: 'The visit date cannot be more than a day ahead of today (Thu 24 Dec 2026). Check the date.',
      visitType: 'Choose the visit type from the list.',
      officers: "Choose officers from your team's list.",
      welfare: 'Keep this note to 500 characters or fewer; the full record belongs in your force system.',
    });
    expect(form.values).toMatchObject({ visitedOn: '2026-12-26', visitType: 'bogus', nextVisitOn: '2026-12-20' });
    const before = formOf(await submit(olivia(), c, answers({ nextVisitOn: '2026-12-20' })));
    expect(before.errors).toEqual({ nextVisitOn: 'The next visit must be after this visit (Thu 24 Dec 2026).' });
    const tampered = formOf(await submit(olivia(), c, answers(), { amendsVisitId: 'not-a-visit' }));
    expect(tampered.notice?.text).toMatch(/could not be found/);
    expect(tampered.values.visitType).toBe('unannounced');
    expect(await visitRows(c)).toEqual([]);
  });
});

describe('visit CW-…: two minutes, honestly', () => {
  it('opens with the essentials of a routine visit in view and the rest in two groups one tap away', async () => {
    const c = await newCase();
    const form = formOf(await casework.handleText(olivia(), `visit ${c.key}`));
    expect(inputsInViewOnOpen(form)).toBeLessThanOrEqual(FORM_LIMITS.inputsInView);
    expect(form.fields.filter((f) => !f.group).map((f) => f.id)).toEqual(['visitedOn', 'visitedTime', 'visitType', 'officers', 'outcome', 'present', 'changes', 'nextVisitOn', 'discussion']);
    expect([...new Set(form.fields.map((f) => f.group).filter(Boolean))]).toEqual(['Strengths seen (protective factors)', 'Risk, compliance and welfare']);
    // A routine visit: the prefilled form plus type and outcome, submitted.
    const done = await submit(olivia(), c, { ...form.values, visitType: 'scheduled', outcome: 'seen_at_home' });
    expect(done.type).toBe('message');
  });

  it('refuses anything seen inside when nobody answered or access was refused, and opens the group holding the error', async () => {
    const c = await newCase();
    for (const outcome of ['no_reply', 'access_refused']) {
      const form = formOf(await submit(olivia(), c, answers({ outcome, present: ['child_present'], riskConcerns: ['sexual_preoccupation'], devices: 'seen_checked' })));
      expect(Object.keys(form.errors).sort()).toEqual(['devices', 'present', 'riskConcerns']);
      expect(form.errors.present).toMatch(/^Nothing inside can be seen with the outcome "(No reply|Access refused)"/);
      expect(form.notice?.text).toMatch(/^3 answers need attention: /);
      expect(inputsInViewOnOpen(form)).toBeGreaterThan(FORM_LIMITS.inputsInView);
    }
    // "Nobody else present" and a welfare note (a leaflet left) fit a failed entry.
    const ok = await submit(olivia(), c, answers({ outcome: 'no_reply', present: ['none'], riskConcerns: [], devices: '', welfare: 'Card left through the door.' }));
    expect(ok.type).toBe('message');
  });
});

describe('visit effects', () => {
  it('records a visit with an urgent change: last visit, next visit, early review in 1 working day, supervisor told, discussion offered', async () => {
    const c = await newCase();
    const view = viewOf(await submit(olivia(), c, answers({ changes: ['missing'], riskNote: 'private note' })));
    const [visit] = await visitRows(c);
    expect(visit).toMatchObject({ version: 1, visited_on: '2026-12-24', outcome: 'seen_at_home', original_visit_id: null, last_visit_on_before: '2026-11-02', next_visit_on: null });
    expect(visit!.answers).toMatchObject({ changes: ['missing'], riskNote: 'private note' });
    const row = await caseRow(c);
    // Seen: the visit counts; high risk → 3 months on (Wed 24 Mar 2027). Urgent → Tue 29 Dec.
    expect(row).toMatchObject({ last_visit_on: '2026-12-24', visit_due_on: '2027-03-24', early_review_due_on: '2026-12-29' });
    expect(await deadlines(c, 'visit')).toEqual([
      { due_on: '2027-02-02', status: 'met', urgent: false },
      { due_on: '2027-03-24', status: 'open', urgent: false },
    ]);
    expect(await deadlines(c, 'early_review')).toEqual([{ due_on: '2026-12-29', status: 'open', urgent: true }]);
    const events = await database.db.selectFrom('change_events').selectAll().where('case_id', '=', c.id).execute();
    expect(events).toMatchObject([{ kind: 'missing', urgency: 'urgent', source: 'visit', visit_id: visit!.id, reported_on: '2026-12-24' }]);
    expect(notifier.deliveries).toHaveLength(1);
    expect(notifier.deliveries[0]).toMatchObject({ op: 'sendToPerson', to: home.members['Sam Supervisor']!.id });
    expect(text(notifier.deliveries[0]!.view)).not.toMatch(/missing/i);
    expect(await auditActions(c)).toEqual(['change.recorded', 'visit.recorded', 'visit.supervisor_notice_queued']);

    expect(view.kind).toBe('visit-confirmation');
    expect(fact(view, 'Home visit due')).toBe('Wed 24 Mar 2027');
    expect(fact(view, 'Early review due')).toBe('Tue 29 Dec 2026');
    expect(text(view)).toContain('Now due: home visit Wed 24 Mar 2027 (was Tue 2 Feb 2027); early review Tue 29 Dec 2026.');
    expect(text(view)).toContain('Your supervisor has been told');
    expect(text(view)).not.toMatch(/private note|missing/i);
    const ids = view.actions!.map((a) => a.id);
    expect(ids).toEqual(['visit.amend', 'discussion.open', 'case.open']);
    expect(view.actions![1]!.value).toEqual({ caseKey: c.key, question: 'Home visit on Thu 24 Dec 2026: an urgent significant change was recorded. What should we do next?' });
  });

  it('a standard change brings the review to 5 working days; a discussion is offered only when asked for', async () => {
    const c = await newCase();
    const plain = viewOf(await submit(olivia(), c, answers({ changes: ['relationship'] })));
    // Tue 29, Wed 30, Thu 31 Dec, Mon 4 and Tue 5 Jan (Fri 1 Jan is a bank holiday).
    expect((await caseRow(c)).early_review_due_on).toBe('2027-01-05');
    expect(notifier.deliveries).toEqual([]);
    expect(plain.actions!.map((a) => a.id)).toEqual(['visit.amend', 'case.open']);
    const c2 = await newCase();
    const asked = viewOf(await submit(olivia(), c2, answers({ discussion: ['wanted'] })));
    expect(asked.actions!.map((a) => a.id)).toContain('discussion.open');
  });

  it("takes the officer's next visit date when earlier than the policy, never when later", async () => {
    const early = await newCase();
    viewOf(await submit(olivia(), early, answers({ nextVisitOn: '2027-01-17' })));
    // Sun 17 Jan moves back to Fri 15 Jan.
    expect((await caseRow(early)).visit_due_on).toBe('2027-01-15');
    const late = await newCase();
    viewOf(await submit(olivia(), late, answers({ nextVisitOn: '2027-06-01' })));
    expect((await caseRow(late)).visit_due_on).toBe('2027-03-24');
  });

  it('a failed entry does not count as a visit; the second in a row points to the s.96B warrant', async () => {
    const c = await newCase();
    const first = viewOf(await submit(olivia(), c, answers({ outcome: 'no_reply', visitedOn: '2026-12-22' })));
    expect(text(first)).not.toContain('s.96B');
    expect(text(first)).toContain('does not count as the home visit');
    expect(await caseRow(c)).toMatchObject({ last_visit_on: '2026-11-02', visit_due_on: '2027-02-02' });
    expect(await deadlines(c, 'visit')).toEqual([{ due_on: '2027-02-02', status: 'open', urgent: false }]);
    const second = viewOf(await submit(olivia(), c, answers({ outcome: 'access_refused' })));
    expect(text(second)).toContain('Sexual Offences Act 2003 s.96B');
    expect(second.notice?.tone).toBe('warning');
  });

  it('keeps the visit when the supervisor cannot be reached, and says so', async () => {
    const c = await newCase();
    notifier.failNext(new DeliveryError('permanent', 'channel_not_found'));
    const view = viewOf(await submit(olivia(), c, answers({ changes: ['breach'] })));
    expect(text(view)).toContain('could not message your supervisor');
    expect(await visitRows(c)).toHaveLength(1);
    const sam = home.members['Sam Supervisor']!.id;
    const rows = await database.db.selectFrom('audit_log').select(['action', 'after']).where('case_id', '=', c.id).where('action', 'like', 'visit.supervisor%').execute();
    expect(rows).toEqual([{ action: 'visit.supervisor_notice_queued', after: { supervisorMemberId: sam, outboxId: expect.any(String) } }]);
    // The outbox records the failure for good, and the admins hear that the supervisor cannot be reached.
    const outbox = await database.db.selectFrom('outbound_messages').select(['status', 'last_error_code']).where('id', '=', (rows[0]!.after as { outboxId: string }).outboxId).executeTakeFirstOrThrow();
    expect(outbox).toEqual({ status: 'failed', last_error_code: 'channel_not_found' });
    expect(await database.db.selectFrom('audit_log').select('action').where('action', '=', 'member.undeliverable').where('entity_id', '=', sam).execute()).toHaveLength(1);
    await database.db.updateTable('members').set({ undeliverable_at: null, undeliverable_reason: null }).where('id', '=', sam).execute();
  });

  it('keeps the visit when the platform is down for a while, and the notice goes out when it is back', async () => {
    const c = await newCase();
    notifier.failNext(new DeliveryError('transient', 'http_503'));
    const view = viewOf(await submit(olivia(), c, answers({ changes: ['breach'] })));
    expect(text(view)).toContain('keeps trying');
    expect(notifier.deliveries).toEqual([]);
    clock.advance(10 * 60 * 1000);
    const sent = await deliverOutbox(delivery, clock.now(), { workerId: 'later' });
    expect(sent.sent).toBe(1);
    expect(notifier.deliveries[0]).toMatchObject({ op: 'sendToPerson', to: home.members['Sam Supervisor']!.id });
  });
});

describe('drafts and amendments', () => {
  it('keeps a closed form as a draft, offers it again (also after a restart), and drops it on submit', async () => {
    const c = await newCase();
    expect(await casework.formClosed(olivia(), 'visit.record', { visitedOn: '2026-12-24' }, { caseKey: c.key })).toMatchObject({ type: 'update', view: { title: `Nothing to save: ${c.key}` } });
    const saved = viewOf(await casework.formClosed(olivia(), 'visit.record', answers({ outcome: 'seen_elsewhere', welfare: 'referral made' }), { caseKey: c.key }));
    expect(saved.title).toBe(`Draft saved: ${c.key}`);
    const drafts = await database.db.selectFrom('visit_drafts').selectAll().where('case_id', '=', c.id).execute();
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.answers).toMatchObject({ outcome: 'seen_elsewhere', welfare: 'referral made' });

    // A fresh core over the same database, as after a restart.
    const restarted = createCasework(coreServices({ store: createKyselyStore(database.db), clock, notifier }).services, FEATURES);
    const form = formOf(await restarted.handleText(olivia(), `visit ${c.key}`));
    expect(form.values).toMatchObject({ outcome: 'seen_elsewhere', welfare: 'referral made', visitedTime: '09:30' });
    expect(form.notice?.text).toMatch(/Your draft saved .* is filled in/);
    // Another officer's form is not theirs.
    expect(formOf(await restarted.handleText(as('UVOSC'), `visit ${c.key}`)).values.outcome).toBeUndefined();

    viewOf(await restarted.submitForm(olivia(), 'visit.record', form.values, form.context));
    expect(await database.db.selectFrom('visit_drafts').selectAll().where('case_id', '=', c.id).execute()).toEqual([]);
  });

  it('an amendment is a new version linked to the original, which stays as it was; the card shows the history', async () => {
    const c = await newCase();
    const first = viewOf(await submit(olivia(), c, answers()));
    const visitId = first.actions!.find((a) => a.id === 'visit.amend')!.value!.visitId!;
    expect(casework.formTitleFor({ actionId: 'visit.amend', value: { visitId } })).toBe('Amend visit');
    const form = formOf(await casework.handleAction(sam(), 'visit.amend', { visitId }));
    expect(form.context).toEqual({ caseKey: c.key, amendsVisitId: visitId });
    expect(form.values).toMatchObject({ visitedOn: '2026-12-24', visitType: 'unannounced', outcome: 'seen_at_home' });

    const amended = viewOf(await casework.submitForm(sam(), 'visit.record', { ...form.values, visitedOn: '2026-12-23' }, form.context));
    expect(amended.title).toBe(`Visit amended: ${c.key}`);
    const rows = await visitRows(c);
    expect(rows.map((r) => [r.version, r.visited_on, r.original_visit_id, r.amends_visit_id])).toEqual([
      [1, '2026-12-24', null, null],
      [2, '2026-12-23', visitId, visitId],
    ]);
    // The last visit date follows the correction: Wed 23 Mar 2027 is 3 months on.
    expect(await caseRow(c)).toMatchObject({ last_visit_on: '2026-12-23', visit_due_on: '2027-03-23' });
    await expect(database.db.updateTable('visits').set({ outcome: 'no_reply' }).where('id', '=', visitId).execute()).rejects.toThrow(/never updated/);
    expect(await auditActions(c)).toEqual(['visit.recorded', 'visit.amended']);

    const card = viewOf(await casework.handleText(olivia(), `case ${c.key}`));
    const history = card.sections!.find((s) => s.heading === 'Home visits recorded')!;
    expect(history.facts).toEqual([{ label: 'Wed 23 Dec 2026 09:30', value: 'Version 2 (amended)' }]);

    // A stale form (amending version 1 again) is refused with the answers kept.
    const stale = formOf(await casework.submitForm(sam(), 'visit.record', form.values, form.context));
    expect(stale.notice?.text).toMatch(/amended again/);
    // After the policy's 7 days, no more amendments.
    clock.set('2027-01-04T10:00:00Z');
    await expect(casework.handleAction(sam(), 'visit.amend', { visitId })).rejects.toThrow(/can no longer be amended/);
  });
});
