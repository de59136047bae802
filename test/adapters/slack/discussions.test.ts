// Case discussions through the real Bolt receiver: `/casework discuss` posts the root card in the
// team channel; signed message events in its thread are recorded exactly once (retries, edits,
// deletions, outsiders, the bot itself); a supervisor signs a note and closes from the modals; the
// record export is uploaded into the person's direct messages.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import { verifyRecord } from '../../../src/core/supervision/case-record.ts';
import { seedCase, seedTeam, SLACK_WORKSPACE, type SeededTeam } from '../../support/factories.ts';
import { clickSlackButton, submitSlackModal, slackButtonIn } from '../../support/slack-interactions.ts';
import { postSlackEvent, postSlackForm, slashCommand } from '../../support/slack-signing.ts';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from '../../support/test-app.ts';

const CHANNEL = 'C0SDISC';
let t: TestApp;
let home: SeededTeam;
const officer = { teamId: SLACK_WORKSPACE, userId: 'U0SDOFF' };
const colleague = { teamId: SLACK_WORKSPACE, userId: 'U0SDCOL' };
const supervisor = { teamId: SLACK_WORKSPACE, userId: 'U0SDSUP' };
let eventCounter = 0;

beforeAll(async () => {
  t = await startTestApp({ overrides: { clock: fixedClock('2026-11-24T10:00:00Z'), scheduler: false } });
  home = await seedTeam(t.database.db, {
    people: [
      { name: 'Olivia Officer', roles: ['officer'], slackUserId: officer.userId },
      { name: 'Colin Colleague', roles: ['officer'], slackUserId: colleague.userId },
      { name: 'Sam Supervisor', roles: ['officer', 'supervisor'], slackUserId: supervisor.userId },
    ],
    channel: { platform: 'slack', workspaceId: SLACK_WORKSPACE, channelId: CHANNEL },
  });
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => t.slackApi.reset());

/** An Events API envelope for a message event (shape of message-thread-reply-event.json). */
function envelope(event: Record<string, unknown>, eventId = `Ev${++eventCounter}`) {
  return {
    token: 'verification_token',
    team_id: SLACK_WORKSPACE,
    api_app_id: 'A0CASEWORK',
    event: { type: 'message', channel: CHANNEL, channel_type: 'channel', event_ts: event.ts, ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: 1764000000,
    authorizations: [{ team_id: SLACK_WORKSPACE, user_id: 'U0BOT00001', is_bot: true, is_enterprise_install: false }],
  };
}

async function sendEvent(payload: unknown, headers: Record<string, string> = {}) {
  const res = await postSlackEvent(t.slackEventsUrl, TEST_SIGNING_SECRET, payload, headers);
  expect(res.status).toBe(200);
}

/** Waits until the adapter has handled `count` thread messages with this ts; returns their outcomes. */
async function outcomes(ts: string, count = 1): Promise<unknown[]> {
  for (let i = 0; i < 500; i += 1) {
    const lines = t.log.lines.filter((l) => l.op === 'thread-message' && l.ts === ts && l.outcome);
    if (lines.length >= count) return lines.map((l) => l.outcome);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`thread message ${ts} was not handled`);
}

async function command(userId: string, text: string) {
  const res = await postSlackForm(t.slackEventsUrl, TEST_SIGNING_SECRET, slashCommand(text, { user_id: userId, team_id: SLACK_WORKSPACE, channel_id: CHANNEL, response_url: t.slackApi.responseUrl('unused') }));
  expect(res.status).toBe(200);
}

async function openDiscussion() {
  const c = await seedCase(t.database.db, home.team, { riskLevel: 'very_high', leadOfficerId: home.members['Olivia Officer']!.id, lastVisitOn: '2026-11-02' });
  await command(officer.userId, `discuss ${c.key} Should the next visit be joint with probation?`);
  const root = await t.slackApi.waitFor('chat.postMessage', (args) => args.channel === CHANNEL && !args.thread_ts);
  // The thread is recorded once the post has come back, just after the call the fake saw.
  const row = await waitForThread(c.id);
  return { c, root, row, rootTs: row.thread_ref! };
}

async function waitForThread(caseId: string) {
  for (let i = 0; i < 500; i += 1) {
    const row = await t.database.db.selectFrom('discussions').selectAll().where('case_id', '=', caseId).executeTakeFirst();
    if (row?.thread_ref) return row;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the discussion thread was never recorded');
}

async function messages(discussionId: string) {
  return t.database.db.selectFrom('discussion_messages').selectAll().where('discussion_id', '=', discussionId).orderBy('platform_message_id').execute();
}

describe('Slack: case discussions', () => {
  it('posts the root card in the team channel and records replies exactly once, with edits, deletions and retries', async () => {
    const { c, root, row, rootTs } = await openDiscussion();
    const blocks = JSON.stringify(root.args.blocks);
    expect(blocks).toContain(`Case discussion: ${c.key}`);
    expect(blocks).toContain('Should the next visit be joint with probation?');
    expect(blocks).toContain('supervision.note');
    expect(blocks).toContain('discussion.close');
    expect(row).toMatchObject({ platform: 'slack', channel_id: CHANNEL, status: 'open' });

    const reply = envelope({ user: colleague.userId, text: 'Yes, joint makes sense.', ts: '1764000100.000100', thread_ts: rootTs, parent_user_id: 'U0BOT00001' }, 'EvReply1');
    await sendEvent(reply);
    await sendEvent(reply, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(await outcomes('1764000100.000100', 2)).toEqual(['recorded', 'duplicate']);

    await sendEvent(envelope({ subtype: 'file_share', user: officer.userId, text: 'Plan attached', ts: '1764000110.000100', thread_ts: rootTs }));
    await sendEvent(envelope({ subtype: 'thread_broadcast', user: officer.userId, text: 'Also to channel', ts: '1764000120.000100', thread_ts: rootTs }));
    // The bot's own message, a top-level message and a reply in another thread are not part of it.
    await sendEvent(envelope({ bot_id: 'B0BOT', text: 'bot says', ts: '1764000130.000100', thread_ts: rootTs }));
    await sendEvent(envelope({ user: colleague.userId, text: 'unrelated', ts: '1764000140.000100' }));
    await sendEvent(envelope({ user: colleague.userId, text: 'other thread', ts: '1764000150.000100', thread_ts: '1764000000.999999' }));
    expect(await outcomes('1764000150.000100')).toEqual(['ignored']);

    const edit = envelope({
      subtype: 'message_changed',
      hidden: true,
      ts: '1764000200.000001',
      message: { type: 'message', user: colleague.userId, text: 'Yes, joint with probation.', ts: '1764000100.000100', thread_ts: rootTs, edited: { user: colleague.userId, ts: '1764000200.000000' } },
      previous_message: { type: 'message', user: colleague.userId, text: 'Yes, joint makes sense.', ts: '1764000100.000100', thread_ts: rootTs },
    });
    await sendEvent(edit);
    await sendEvent(edit, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(await outcomes('1764000100.000100', 4)).toEqual(['recorded', 'duplicate', 'revised', 'duplicate']);

    const deletion = envelope({ subtype: 'message_deleted', hidden: true, ts: '1764000300.000001', deleted_ts: '1764000120.000100', previous_message: { type: 'message', user: officer.userId, text: 'Also to channel', ts: '1764000120.000100', thread_ts: rootTs } });
    await sendEvent(deletion);
    await sendEvent(deletion);
    expect(await outcomes('1764000120.000100', 3)).toEqual(['recorded', 'revised', 'duplicate']);

    const stored = await messages(row.id);
    expect(stored.map((m) => [m.platform_message_id, m.body, Boolean(m.edited_at), Boolean(m.deleted_at)])).toEqual([
      ['1764000100.000100', 'Yes, joint with probation.', true, false],
      ['1764000110.000100', 'Plan attached', false, false],
      ['1764000120.000100', 'Also to channel', false, true],
    ]);
    const revisions = await t.database.db.selectFrom('discussion_message_revisions').select(['change', 'previous_body']).where('message_id', 'in', stored.map((m) => m.id)).execute();
    expect(revisions).toHaveLength(2);
    // Logs carry ids and outcomes, never what people wrote.
    expect(t.log.raw()).not.toContain('joint with probation.');
  });

  it('does not record a reply from someone off the roster, and tells them privately', async () => {
    const { row, rootTs } = await openDiscussion();
    t.slackApi.reset();
    await sendEvent(envelope({ user: 'U0OUTSIDER', text: 'Can I help?', ts: '1764000400.000100', thread_ts: rootTs }));
    expect(await outcomes('1764000400.000100')).toEqual(['refused']);
    const opened = await t.slackApi.waitFor('conversations.open', (args) => args.users === 'U0OUTSIDER');
    expect(opened).toBeDefined();
    const dm = await t.slackApi.waitFor('chat.postMessage', (args) => JSON.stringify(args.blocks ?? '').includes('Your reply was not recorded'));
    expect(dm.args.channel).not.toBe(CHANNEL);
    expect(await messages(row.id)).toEqual([]);
  });

  it('nudges the author of a reply that looks like personal data, and flags it', async () => {
    const { row, rootTs } = await openDiscussion();
    t.slackApi.reset();
    await sendEvent(envelope({ user: colleague.userId, text: 'He is now at SW1A 1AA', ts: '1764000500.000100', thread_ts: rootTs }));
    expect(await outcomes('1764000500.000100')).toEqual(['recorded']);
    await t.slackApi.waitFor('chat.postMessage', (args) => JSON.stringify(args.blocks ?? '').includes('a postcode'));
    expect((await messages(row.id))[0]!.personal_data_flags).toEqual(['postcode']);
  });

  it('lets only a supervisor sign a note (posted into the thread, actions as deadlines) and close; a signed note cannot be changed', async () => {
    const { c, row, rootTs } = await openDiscussion();
    const value = JSON.stringify({ discussionId: row.id });

    t.slackApi.reset();
    await clickSlackButton(t.slackEventsUrl, officer, { action_id: 'supervision.note', value });
    const refused = await t.slackApi.waitFor('views.update');
    expect(JSON.stringify(refused.args.view)).toContain('Only supervisors can write supervision notes.');

    t.slackApi.reset();
    await clickSlackButton(t.slackEventsUrl, supervisor, { action_id: 'supervision.note', value });
    const modal = (await t.slackApi.waitFor('views.update')).args.view;
    expect(modal.title.text).toBe('Supervision note');
    const answers = {
      riskView: 'Very high while the licence is new.',
      optionsConsidered: 'Police-only visit; joint visit.',
      decision: 'Joint visit with probation.',
      rationale: 'Probation hold the licence conditions.',
      action1Owner: home.members['Olivia Officer']!.id,
      action1Due: '2026-11-30',
      action1Description: 'Arrange the joint visit',
    };
    // "Sign and lock" is the modal's submit button; "Save draft" a button of its own.
    expect(modal.submit.text).toBe('Sign and lock');
    expect(JSON.stringify(modal.blocks)).toContain('Save draft');
    const confirm: any = await (await submitSlackModal(t.slackEventsUrl, supervisor, modal, answers)).json();
    expect(confirm.response_action).toBe('update');
    expect(JSON.stringify(confirm.view)).toContain('Sign and lock this note?');
    t.slackApi.reset();
    await clickSlackButton(t.slackEventsUrl, supervisor, slackButtonIn(confirm.view.blocks, 'supervision.note_sign'), { viewId: 'V0FORM' });
    const signed = await t.slackApi.waitFor('views.update', (args) => JSON.stringify(args.view).includes('Signed and locked'));
    expect(signed.args.view.type).toBe('modal');
    const inThread = await t.slackApi.waitFor('chat.postMessage', (args) => args.thread_ts === rootTs);
    expect(JSON.stringify(inThread.args.blocks)).toContain('Joint visit with probation.');
    await t.slackApi.waitFor('chat.update', (args) => args.ts === rootTs);
    const note = await t.database.db.selectFrom('supervision_notes').selectAll().where('discussion_id', '=', row.id).executeTakeFirstOrThrow();
    expect(note.status).toBe('signed');
    const deadline = await t.database.db.selectFrom('deadlines').selectAll().where('case_id', '=', c.id).where('kind', '=', 'supervision_action').executeTakeFirstOrThrow();
    expect(deadline).toMatchObject({ owner_member_id: home.members['Olivia Officer']!.id, due_on: '2026-11-30', status: 'open' });

    // Resubmitting the signed note's modal is refused: it is locked.
    const again: any = await (await submitSlackModal(t.slackEventsUrl, supervisor, { ...modal, private_metadata: JSON.stringify({ formId: 'supervision.note', context: { discussionId: row.id, noteId: note.id } }) }, { ...answers, decision: 'Changed' })).json();
    expect(JSON.stringify(again.view)).toContain('signed and locked');

    t.slackApi.reset();
    await clickSlackButton(t.slackEventsUrl, officer, { action_id: 'discussion.close', value });
    expect(JSON.stringify((await t.slackApi.waitFor('views.update')).args.view)).toContain('Only supervisors can close discussions.');
    t.slackApi.reset();
    await clickSlackButton(t.slackEventsUrl, supervisor, { action_id: 'discussion.close', value });
    const closeModal = (await t.slackApi.waitFor('views.update')).args.view;
    await submitSlackModal(t.slackEventsUrl, supervisor, closeModal, { summary: 'Joint visit agreed.' });
    const closing = await t.slackApi.waitFor('chat.postMessage', (args) => args.thread_ts === rootTs && JSON.stringify(args.blocks).includes('Discussion closed'));
    expect(JSON.stringify(closing.args.blocks)).toContain('Joint visit agreed.');
    expect((await t.database.db.selectFrom('discussions').select('status').where('id', '=', row.id).executeTakeFirstOrThrow()).status).toBe('closed');
  });

  it('uploads the record export into the requester’s direct messages, with a hash that verifies', async () => {
    const { c } = await openDiscussion();
    t.slackApi.reset();
    await command(officer.userId, `record ${c.key}`);
    await t.slackApi.waitFor('views.open');
    const modal = (await t.slackApi.waitFor('views.update')).args.view;
    const done: any = await (await submitSlackModal(t.slackEventsUrl, officer, modal, { reason: 'Court disclosure request' })).json();
    expect(JSON.stringify(done.view)).toContain('The PDF and Markdown files are in your direct messages');
    const complete = await t.slackApi.waitFor('files.completeUploadExternal');
    expect(complete.args.channel_id).toMatch(/^D/);
    // Both files, shared in one message in the person's DM: the PDF and the Markdown it is drawn from.
    const uploads = t.slackApi.callsTo('file_upload');
    expect(uploads.map((u) => u.args.filename).sort()).toEqual([`${c.key}-record.md`, `${c.key}-record.pdf`]);
    expect((typeof complete.args.files === 'string' ? JSON.parse(complete.args.files) : complete.args.files)).toHaveLength(2);
    const md = uploads.find((u) => u.args.filename.endsWith('.md'))!;
    const pdf = uploads.find((u) => u.args.filename.endsWith('.pdf'))!;
    const check = verifyRecord(md.args.content);
    expect(check.valid).toBe(true);
    expect((pdf.args.data as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    expect((pdf.args.data as Buffer).toString('latin1')).toContain(`SHA-256 ${check.stated}`);
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('case_id', '=', c.id).where('action', '=', 'record.exported').executeTakeFirstOrThrow();
    expect(audit.reason).toBe('Court disclosure request');
    expect(t.slackApi.violations).toEqual([]);
  });
});
