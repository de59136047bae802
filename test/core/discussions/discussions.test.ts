// Case discussions and supervision through the core with the real database and a recording
// notifier: opening, replies (once, with edits, deletions, retries and outsiders), the
// personal-data nudge, supervision notes (draft, sign, lock, addenda), closing, officer
// supervision and the record export.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCasework, type Casework } from '../../../src/core/casework.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Case } from '../../../src/core/domain/entities.ts';
import { FEATURES } from '../../../src/core/features.ts';
import type { InboundContext, Reply } from '../../../src/core/interaction.ts';
import type { FormView } from '../../../src/core/views/form-view.ts';
import type { MessageView } from '../../../src/core/views/message-view.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createKyselyStore } from '../../../src/db/kysely-store.ts';
import { createFakeNotifier, type FakeNotifier } from '../../support/fake-notifier.ts';
import { seedCase, seedTeam, SLACK_WORKSPACE, type SeededTeam } from '../../support/factories.ts';
import { createTestDb } from '../../support/test-db.ts';
import { coreServices } from '../../support/core-services.ts';

const clock = fixedClock('2026-11-24T10:00:00Z');
const CHANNEL = 'C0DISCUSS';
let database: DatabaseHandle;
let casework: Casework;
let notifier: FakeNotifier;
let home: SeededTeam;

const ids = { olivia: 'U0DOFF', oscar: 'U0DOSC', sam: 'U0DSUP', stranger: 'U0STRANGER' };
function as(userId: string): InboundContext {
  return { user: { platform: 'slack', workspaceId: SLACK_WORKSPACE, userId }, surface: { kind: 'channel', channelId: CHANNEL, conversationId: CHANNEL } };
}
const olivia = () => as(ids.olivia);
const sam = () => as(ids.sam);

function formOf(reply: Reply): FormView {
  if (reply.type !== 'form' && reply.type !== 'form-invalid') throw new Error(`expected a form, got ${reply.type}`);
  return reply.form;
}
function viewOf(reply: Reply): MessageView {
  if (reply.type !== 'message' && reply.type !== 'update') throw new Error(`expected a message, got ${reply.type}: ${JSON.stringify(reply)}`);
  return reply.view;
}

beforeAll(async () => {
  database = await createTestDb();
  notifier = createFakeNotifier();
  casework = createCasework(coreServices({ store: createKyselyStore(database.db), clock, notifier }).services, FEATURES);
  home = await seedTeam(database.db, {
    people: [
      { name: 'Olivia Officer', roles: ['officer'], slackUserId: ids.olivia },
      { name: 'Oscar Officer', roles: ['officer'], slackUserId: ids.oscar },
      { name: 'Sam Supervisor', roles: ['officer', 'supervisor'], slackUserId: ids.sam },
      { name: 'Ada Admin', roles: ['admin'], slackUserId: 'U0DADM' },
    ],
    channel: { platform: 'slack', workspaceId: SLACK_WORKSPACE, channelId: CHANNEL },
  });
});
afterAll(async () => {
  await database?.close();
});
beforeEach(() => {
  notifier.reset();
  clock.set('2026-11-24T10:00:00Z');
});

function newCase(overrides: Partial<Case> = {}): Promise<Case> {
  return seedCase(database.db, home.team, { riskLevel: 'high', leadOfficerId: home.members['Olivia Officer']!.id, lastVisitOn: '2026-11-02', lastAssessmentOn: '2026-10-01', ...overrides });
}

/** Opens a discussion and returns its row and root message id. */
async function open(c: Case, question = 'Should we bring the next visit forward?') {
  viewOf(await casework.handleText(olivia(), `discuss ${c.key} ${question}`));
  const root = notifier.deliveries.find((d) => d.op === 'postToChannel')!;
  const row = await database.db.selectFrom('discussions').selectAll().where('case_id', '=', c.id).orderBy('opened_at', 'desc').executeTakeFirstOrThrow();
  return { row, root };
}

const reply = (userId: string, threadRef: string, messageId: string, text: string, kind: 'new' | 'edited' | 'deleted' = 'new', eventKey?: string) =>
  casework.threadMessage(as(userId), { kind, channelId: CHANNEL, threadRef, messageId, text, at: clock.now(), ...(eventKey ? { eventKey } : {}) });

function noteValues(overrides: Record<string, unknown> = {}) {
  return {
    question: 'Should we bring the next visit forward?',
    riskView: 'Risk is stable but a new relationship needs checking.',
    optionsConsidered: 'Wait for the scheduled visit; visit this week.',
    decision: 'Visit this week, unannounced.',
    rationale: 'The new relationship may bring access to a child.',
    dissent: '',
    action1Owner: home.members['Olivia Officer']!.id,
    action1Due: '2026-11-27',
    action1Description: 'Unannounced home visit',
    nextReviewOn: '2026-12-15',
    ...overrides,
  };
}

/** "Sign and lock" on the form, then the same on the confirmation of what will be locked. */
async function signNote(actor: InboundContext, values: Record<string, unknown>, context: Record<string, string>) {
  const confirm = viewOf(await casework.submitForm(actor, 'supervision.note', values, context));
  expect(confirm.kind).toBe('supervision-sign-confirm');
  const sign = confirm.actions!.find((a) => a.id === 'supervision.note_sign')!;
  expect(sign.label).toBe('Sign and lock');
  return casework.handleAction(actor, sign.id, sign.value!);
}

describe('opening a discussion', () => {
  it('posts the root card in the team channel with the case, due dates, question, asker and buttons, and stores the thread', async () => {
    const c = await newCase();
    const { row, root } = await open(c);
    expect(root.to).toBe(CHANNEL);
    expect(root.view.title).toBe(`Case discussion: ${c.key}`);
    const facts = Object.fromEntries(root.view.facts!.map((f) => [f.label, f.value]));
    expect(facts).toMatchObject({ Case: c.key, 'Risk level': 'High', Status: 'Open' });
    expect(facts['Home visit due']).toContain('2027');
    expect(facts['Asked by']).toContain('Olivia Officer');
    expect(root.view.paragraphs).toEqual(['Should we bring the next visit forward?']);
    // The supervisor buttons are restricted: drawn only for supervisors where the platform can.
    expect(root.view.actions ?? []).toEqual([]);
    expect(root.view.restrictedActions!.map((a) => a.id)).toEqual(['supervision.note', 'discussion.close']);
    expect(root.view.shared).toBe(true);
    expect(row).toMatchObject({ platform: 'slack', channel_id: CHANNEL, thread_ref: root.ref.messageId, status: 'open' });
  });

  it('refuses a question holding personal data, and stores nothing', async () => {
    const c = await newCase();
    await expect(casework.handleText(olivia(), `discuss ${c.key} He moved to SW1A 1AA, visit?`)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('a postcode') });
    const invalid = formOf(await casework.submitForm(olivia(), 'discussion.open', { question: 'Call him on 07700 900123?' }, { caseKey: c.key }));
    expect(invalid.errors.question).toContain('a phone number');
    expect(notifier.deliveries).toEqual([]);
    expect(await database.db.selectFrom('discussions').select('id').where('case_id', '=', c.id).execute()).toEqual([]);
  });

  it('opens a small form from the discussion.open button without a question, and posts at once with one', async () => {
    const c = await newCase();
    expect(casework.formTitleFor({ actionId: 'discussion.open', value: { caseKey: c.key } })).toBe('Open a discussion');
    expect(casework.formTitleFor({ actionId: 'discussion.open', value: { caseKey: c.key, question: 'Q?' } })).toBeNull();
    const form = formOf(await casework.handleAction(olivia(), 'discussion.open', { caseKey: c.key }));
    expect(form.fields.map((f) => f.id)).toEqual(['question']);
    viewOf(await casework.submitForm(olivia(), 'discussion.open', { question: 'Is a joint visit with probation needed?' }, form.context));
    viewOf(await casework.handleAction(olivia(), 'discussion.open', { caseKey: c.key, question: 'Second question from a visit' }));
    expect(notifier.deliveries.filter((d) => d.op === 'postToChannel')).toHaveLength(2);
  });
});

describe('replies in the thread', () => {
  it('records each reply once, keeps edits and deletions as history, and ignores retries and unrelated threads', async () => {
    const c = await newCase();
    const { row, root } = await open(c);
    const thread = root.ref.messageId;
    expect(await reply(ids.oscar, thread, '100.1', 'I would visit this week.')).toBe('recorded');
    expect(await reply(ids.oscar, thread, '100.1', 'I would visit this week.')).toBe('duplicate');
    expect(await reply(ids.oscar, thread, '100.1', 'I would visit this week, jointly.', 'edited', '101.0')).toBe('revised');
    expect(await reply(ids.oscar, thread, '100.1', 'I would visit this week, jointly.', 'edited', '101.0')).toBe('duplicate');
    expect(await reply(ids.sam, thread, '100.2', 'Agreed.')).toBe('recorded');
    expect(await reply(ids.sam, thread, '100.2', undefined as never, 'deleted')).toBe('revised');
    expect(await reply(ids.sam, thread, '100.2', undefined as never, 'deleted')).toBe('duplicate');
    expect(await reply(ids.oscar, 'unrelated-thread', '100.3', 'Lunch?')).toBe('ignored');

    const messages = await database.db.selectFrom('discussion_messages').selectAll().where('discussion_id', '=', row.id).orderBy('posted_at').orderBy('platform_message_id').execute();
    expect(messages.map((m) => [m.platform_message_id, m.body, Boolean(m.edited_at), Boolean(m.deleted_at)])).toEqual([
      ['100.1', 'I would visit this week, jointly.', true, false],
      ['100.2', 'Agreed.', false, true],
    ]);
    const revisions = await database.db.selectFrom('discussion_message_revisions').select(['change', 'previous_body']).where('message_id', 'in', messages.map((m) => m.id)).orderBy('changed_at').execute();
    expect(revisions).toEqual(expect.arrayContaining([{ change: 'edit', previous_body: 'I would visit this week.' }, { change: 'delete', previous_body: 'Agreed.' }]));
    expect(revisions).toHaveLength(2);
  });

  it('does not record a reply from someone off the roster (or an admin), and tells them privately once', async () => {
    const c = await newCase();
    const { row, root } = await open(c);
    notifier.reset();
    expect(await reply(ids.stranger, root.ref.messageId, '200.1', 'Hello')).toBe('refused');
    expect(await reply(ids.stranger, root.ref.messageId, '200.1', 'Hello')).toBe('duplicate');
    expect(await reply('U0DADM', root.ref.messageId, '200.2', 'Admin here')).toBe('refused');
    expect(await database.db.selectFrom('discussion_messages').select('id').where('discussion_id', '=', row.id).execute()).toEqual([]);
    const sent = notifier.deliveries.filter((d) => d.op === 'sendToPerson');
    expect(sent).toHaveLength(2);
    expect(sent[0]!.ref.conversationId).toBe(`dm:${ids.stranger}`);
    expect(sent[0]!.view.title).toBe('Your reply was not recorded');
  });

  it('flags a reply that looks like personal data and nudges its author privately', async () => {
    const c = await newCase();
    const { row, root } = await open(c);
    notifier.reset();
    await reply(ids.oscar, root.ref.messageId, '300.1', 'His new number is 07700 900123');
    await reply(ids.oscar, root.ref.messageId, '300.2', `Case ${c.key} looks fine to me`);
    const flagged = await database.db.selectFrom('discussion_messages').select(['platform_message_id', 'personal_data_flags']).where('discussion_id', '=', row.id).orderBy('platform_message_id').execute();
    expect(flagged).toEqual([
      { platform_message_id: '300.1', personal_data_flags: ['phone'] },
      { platform_message_id: '300.2', personal_data_flags: [] },
    ]);
    const nudges = notifier.deliveries.filter((d) => d.op === 'sendToPerson');
    expect(nudges).toHaveLength(1);
    expect(nudges[0]!.to).toBe(home.members['Oscar Officer']!.id);
    expect(nudges[0]!.view.notice!.text).toContain('a phone number');
  });
});

describe('supervision notes and closing', () => {
  it('lets only supervisors write notes; a draft awaits decision; signing locks, hashes, posts and sets deadlines', async () => {
    const c = await newCase();
    const { row, root } = await open(c);
    await expect(casework.handleAction(olivia(), 'supervision.note', { discussionId: row.id })).rejects.toMatchObject({ code: 'not_authorised' });
    await expect(casework.submitForm(olivia(), 'supervision.note', noteValues(), { discussionId: row.id })).rejects.toMatchObject({ code: 'not_authorised' });

    const form = formOf(await casework.handleAction(sam(), 'supervision.note', { discussionId: row.id }));
    expect(form.values.question).toBe('Should we bring the next visit forward?');
    notifier.reset();
    // The form's two buttons: "Sign and lock" submits it, "Save draft" carries its answers.
    expect(form.submitLabel).toBe('Sign and lock');
    expect(form.secondaryActions!.map((a) => a.label)).toEqual(['Save draft']);
    expect(form.fields.find((f) => f.id === 'decision')).toMatchObject({ label: 'Decision', mark: 'needed to sign' });
    expect(form.fields.map((f) => f.id)).not.toContain('intent');
    viewOf(await casework.handleAction(sam(), 'supervision.note_save_draft', { ...noteValues({ decision: '' }), ...form.context }));
    expect((await database.db.selectFrom('discussions').select('status').where('id', '=', row.id).executeTakeFirstOrThrow()).status).toBe('awaiting_decision');
    expect(notifier.deliveries.map((d) => d.op)).toEqual(['update']);

    const again = formOf(await casework.handleAction(sam(), 'supervision.note', { discussionId: row.id }));
    expect(again.context.noteId).toBeDefined();
    const missing = formOf(await casework.submitForm(sam(), 'supervision.note', noteValues({ decision: '' }), again.context));
    expect(missing.errors.decision).toBe('Enter the decision before signing.');
    notifier.reset();
    // Confirming is a second step: until then the answers are a draft and nothing is posted.
    const confirm = viewOf(await casework.submitForm(sam(), 'supervision.note', noteValues(), again.context));
    expect(confirm.kind).toBe('supervision-sign-confirm');
    expect(confirm.facts!.find((f) => f.label === 'Decision')!.value).toBe('Visit this week, unannounced.');
    expect(notifier.deliveries).toEqual([]);
    expect((await database.db.selectFrom('supervision_notes').select('status').where('id', '=', again.context.noteId!).executeTakeFirstOrThrow()).status).toBe('draft');
    const sign = confirm.actions!.find((a) => a.id === 'supervision.note_sign')!;
    const signed = viewOf(await casework.handleAction(sam(), sign.id, sign.value!));
    expect(signed.kind).toBe('supervision-note');
    expect(notifier.deliveries.map((d) => d.op).sort()).toEqual(['replyInThread', 'update']);
    expect(notifier.deliveries.find((d) => d.op === 'replyInThread')!.to).toBe(root.ref.messageId);

    const note = await database.db.selectFrom('supervision_notes').selectAll().where('id', '=', again.context.noteId!).executeTakeFirstOrThrow();
    expect(note).toMatchObject({ status: 'signed', decision: 'Visit this week, unannounced.' });
    expect(note.content_sha256).toMatch(/^[0-9a-f]{64}$/);
    const action = await database.db.selectFrom('supervision_actions').selectAll().where('note_id', '=', note.id).executeTakeFirstOrThrow();
    const deadline = await database.db.selectFrom('deadlines').selectAll().where('subject_key', '=', `action:${action.id}`).executeTakeFirstOrThrow();
    expect(deadline).toMatchObject({ kind: 'supervision_action', owner_member_id: home.members['Olivia Officer']!.id, due_on: '2026-11-27', status: 'open', case_id: c.id });
    expect((await database.db.selectFrom('discussions').select('status').where('id', '=', row.id).executeTakeFirstOrThrow()).status).toBe('decided');

    // Locked: the form refuses, and so does the database.
    await expect(casework.submitForm(sam(), 'supervision.note', noteValues({ decision: 'Changed' }), again.context)).rejects.toMatchObject({ code: 'locked' });
    await expect(database.db.updateTable('supervision_notes').set({ decision: 'Changed' }).where('id', '=', note.id).execute()).rejects.toThrow(/signed and locked/);

    // Later changes are addenda linked to the signed note.
    const addendum = formOf(await casework.handleAction(sam(), 'supervision.note', { discussionId: row.id }));
    expect(addendum.title).toBe('Addendum');
    expect(addendum.context).toEqual({ discussionId: row.id, addendumTo: note.id });
    viewOf(await signNote(sam(), noteValues({ decision: 'Also refer to MAPPA.', action1Owner: '', action1Due: '', action1Description: '' }), addendum.context));
    // A confirmation pressed twice signs once: the second finds the note locked.
    await expect(casework.handleAction(sam(), 'supervision.note_sign', { discussionId: row.id, noteId: note.id })).rejects.toMatchObject({ code: 'locked' });
    const notes = await database.db.selectFrom('supervision_notes').select(['addendum_to_note_id', 'status', 'decision']).where('discussion_id', '=', row.id).orderBy('created_at').execute();
    expect(notes).toEqual([
      { addendum_to_note_id: null, status: 'signed', decision: 'Visit this week, unannounced.' },
      { addendum_to_note_id: note.id, status: 'signed', decision: 'Also refer to MAPPA.' },
    ]);
  });

  it('lets only supervisors close, with a one-line summary; the thread gets a closing card and the root card loses its buttons', async () => {
    const c = await newCase();
    const { row, root } = await open(c);
    await expect(casework.handleAction(olivia(), 'discussion.close', { discussionId: row.id })).rejects.toMatchObject({ code: 'not_authorised' });
    await expect(casework.submitForm(olivia(), 'discussion.close', { summary: 'Done' }, { discussionId: row.id })).rejects.toMatchObject({ code: 'not_authorised' });
    const form = formOf(await casework.handleAction(sam(), 'discussion.close', { discussionId: row.id }));
    notifier.reset();
    viewOf(await casework.submitForm(sam(), 'discussion.close', { summary: 'Visit brought forward; no further action.' }, form.context));
    const closing = notifier.deliveries.find((d) => d.op === 'replyInThread')!;
    expect(closing.to).toBe(root.ref.messageId);
    expect(closing.view.paragraphs).toEqual(['Visit brought forward; no further action.']);
    const update = notifier.deliveries.find((d) => d.op === 'update')!;
    expect(update.view.actions ?? []).toEqual([]);
    expect(update.view.restrictedActions ?? []).toEqual([]);
    expect((await database.db.selectFrom('discussions').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow())).toMatchObject({ status: 'closed', closing_summary: 'Visit brought forward; no further action.' });
    await expect(casework.handleAction(sam(), 'discussion.close', { discussionId: row.id })).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('officer supervision', () => {
  it("lists the officer's very high and high cases, records the session, and keeps the supervisor's next-session deadline", async () => {
    const veryHigh = await newCase({ riskLevel: 'very_high' });
    const low = await newCase({ riskLevel: 'low' });
    const form = formOf(await casework.handleText(sam(), 'supervision'));
    const options = form.fields.find((f) => f.id === 'casesReviewed')!.options!.map((o) => o.value);
    expect(options).toContain(veryHigh.id);
    expect(options).not.toContain(low.id);
    await expect(casework.handleText(olivia(), 'supervision')).rejects.toMatchObject({ code: 'not_authorised' });

    const view = viewOf(
      await casework.submitForm(sam(), 'supervision.session', {
        officerId: home.members['Olivia Officer']!.id,
        heldOn: '2026-11-24',
        casesReviewed: [veryHigh.id],
        workload: 'Heavy',
        wellbeing: 'Private: finding nights hard',
        development: 'ARMS refresher',
        action1Owner: home.members['Olivia Officer']!.id,
        action1Due: '2026-12-04',
        action1Description: 'Book ARMS refresher',
      }, {}),
    );
    expect(JSON.stringify(view)).not.toContain('nights');
    expect(view.facts).toContainEqual({ label: 'Next session', value: 'Tue 22 Dec 2026' });
    const deadline = await database.db.selectFrom('deadlines').selectAll().where('subject_key', '=', `supervision:${home.members['Olivia Officer']!.id}`).where('status', '=', 'open').executeTakeFirstOrThrow();
    expect(deadline).toMatchObject({ kind: 'officer_supervision', owner_member_id: home.members['Sam Supervisor']!.id, due_on: '2026-12-22' });
    const session = await database.db.selectFrom('supervision_sessions').selectAll().where('officer_id', '=', home.members['Olivia Officer']!.id).executeTakeFirstOrThrow();
    expect(session).toMatchObject({ wellbeing: 'Private: finding nights hard', cases_reviewed: [veryHigh.id] });
    expect(notifier.deliveries).toEqual([]);
  });
});

describe('record export in chat', () => {
  it('asks for a reason, sends the record privately, and audits the export with its reason and hash', async () => {
    const c = await newCase();
    const { root } = await open(c);
    await reply(ids.oscar, root.ref.messageId, '400.1', 'Visit soon');
    expect(formOf(await casework.handleText(olivia(), `record ${c.key}`)).fields.map((f) => f.id)).toEqual(['reason']);
    notifier.reset();
    const done = viewOf(await casework.submitForm(olivia(), 'record.export', { reason: 'Disclosure request for court' }, { caseKey: c.key }));
    const sent = notifier.deliveries.find((d) => d.op === 'sendToPerson')!;
    expect(sent.ref.conversationId).toBe(`dm:${ids.olivia}`);
    const text = [...(sent.view.paragraphs ?? []), ...(sent.view.sections ?? []).flatMap((s) => [s.heading ?? '', s.text ?? ''])].join('\n');
    expect(text).toContain('Visit soon');
    // Shown for reading (sections, not Markdown); the footer names the hash of the full record.
    expect(text).not.toMatch(/^#/m);
    const audit = await database.db.selectFrom('audit_log').selectAll().where('case_id', '=', c.id).where('action', '=', 'record.exported').executeTakeFirstOrThrow();
    expect(sent.view.footer).toContain((audit.after as { sha256: string }).sha256);
    expect(audit.reason).toBe('Disclosure request for court');
    // The hash is in the record itself, not in the chat confirmation.
    expect(JSON.stringify(done)).not.toContain((audit.after as { sha256: string }).sha256);
  });
});
