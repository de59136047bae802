// Private by default, and chat effects after commit, through the real Bolt receiver on PGlite and
// PostgreSQL: the team channel gets the discussion and nothing else (refusals and forms reach only
// the person who pressed), the case's supervisor is told privately with a link to the thread, a
// Slack failure while signing never unsigns the note and the thread post goes out once Slack is
// back, and a stalled Slack call never holds up another person's command.
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import { deliverOutbox } from '../../../src/core/reminders/deliver-outbox.ts';
import { seedCase, seedTeam, SLACK_WORKSPACE, type SeededTeam } from '../../support/factories.ts';
import { clickSlackButton, submitSlackModal, slackButtonIn } from '../../support/slack-interactions.ts';
import { postSlackForm, slashCommand } from '../../support/slack-signing.ts';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from '../../support/test-app.ts';
import { createTestDb, DATABASE_KINDS } from '../../support/test-db.ts';

const CHANNEL = 'C0PRIV';
const officer = { teamId: SLACK_WORKSPACE, userId: 'U0PVOFF' };
const other = { teamId: SLACK_WORKSPACE, userId: 'U0PVOTH' };
const supervisor = { teamId: SLACK_WORKSPACE, userId: 'U0PVSUP' };

describe.each(DATABASE_KINDS)('Slack: private by default, effects after commit, on %s', (kind) => {
  const clock = fixedClock('2026-11-24T10:00:00Z');
  let t: TestApp;
  let home: SeededTeam;

  beforeAll(async () => {
    t = await startTestApp({ database: await createTestDb(kind), overrides: { clock, scheduler: false } });
    home = await seedTeam(t.database.db, {
      people: [
        { name: 'Olivia Officer', roles: ['officer'], slackUserId: officer.userId },
        { name: 'Otto Other', roles: ['officer'], slackUserId: other.userId },
        { name: 'Sam Supervisor', roles: ['officer', 'supervisor'], slackUserId: supervisor.userId },
      ],
      channel: { platform: 'slack', workspaceId: SLACK_WORKSPACE, channelId: CHANNEL },
    });
  });
  afterAll(async () => {
    await t?.close();
    await t?.database.close();
  });
  beforeEach(() => {
    t.slackApi.reset();
    clock.set('2026-11-24T10:00:00Z');
  });

  async function command(user: { userId: string }, text: string, responseName = `r-${Math.random().toString(36).slice(2)}`) {
    const res = await postSlackForm(t.slackEventsUrl, TEST_SIGNING_SECRET, slashCommand(text, { user_id: user.userId, team_id: SLACK_WORKSPACE, channel_id: CHANNEL, response_url: t.slackApi.responseUrl(responseName) }));
    expect(res.status).toBe(200);
    return responseName;
  }

  async function newCase(lead = 'Olivia Officer') {
    return seedCase(t.database.db, home.team, { riskLevel: 'high', leadOfficerId: home.members[lead]!.id, supervisorId: home.members['Sam Supervisor']!.id, lastVisitOn: '2026-11-02' });
  }

  async function thread(caseId: string) {
    for (let i = 0; i < 500; i += 1) {
      const row = await t.database.db.selectFrom('discussions').selectAll().where('case_id', '=', caseId).executeTakeFirst();
      if (row?.thread_ref) return row;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the discussion thread was never recorded');
  }

  /** The outbox rows of an effect kind about a discussion, once nobody is sending them any more. */
  async function settledEffects(kind: string, discussionId: string) {
    for (let i = 0; i < 500; i += 1) {
      const rows = await t.database.db.selectFrom('outbound_messages').selectAll().where('kind', '=', kind).where(sql<boolean>`payload->>'discussionId' = ${discussionId}`).execute();
      if (rows.length > 0 && rows.every((r) => r.status !== 'sending')) return rows;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`${kind} never settled`);
  }

  /** Every post or edit Casework made in the team channel since the last reset. */
  const inChannel = () => t.slackApi.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update' || c.method === 'chat.postEphemeral') && c.args.channel === CHANNEL);

  it('tells the case supervisor privately, with a link to the thread, and the opener gets the link too', async () => {
    const c = await newCase();
    const answer = await command(officer, `discuss ${c.key} Should the next visit be unannounced?`);
    const root = await t.slackApi.waitFor('chat.postMessage', (args) => args.channel === CHANNEL);
    const notice = await t.slackApi.waitFor('chat.postMessage', (args) => args.channel === `D${supervisor.userId.slice(1)}`);
    const noticeText = JSON.stringify(notice.args.blocks);
    expect(noticeText).toContain(`Discussion opened: ${c.key}`);
    expect(noticeText).toContain('Should the next visit be unannounced?');
    const link = `https://casework-test.slack.com/archives/${CHANNEL}/p${String((root.response as { ts: string }).ts).replace('.', '')}`;
    expect(noticeText).toContain(link);
    const confirmation = await t.slackApi.waitFor('response_url', (args, call) => call.args.name === answer);
    expect(confirmation.args.response_type).toBe('ephemeral');
    expect(JSON.stringify(confirmation.args.blocks)).toContain(link);
    // The supervisor buttons are on the root card, which everyone sees; pressing them is refused privately.
    expect(JSON.stringify(root.args.blocks)).toContain('supervision.note');
    expect(t.slackApi.violations).toEqual([]);
  });

  it('an officer pressing every supervisor-only button posts nothing in the channel', async () => {
    const c = await newCase();
    await command(officer, `discuss ${c.key} Is a joint visit needed?`);
    const row = await thread(c.id);
    t.slackApi.reset();
    for (const action_id of ['supervision.note', 'discussion.close']) {
      const refusal = `refusal-${action_id}`;
      await clickSlackButton(t.slackEventsUrl, officer, { action_id, value: JSON.stringify({ discussionId: row.id }) }, { channelId: CHANNEL, responseUrl: t.slackApi.responseUrl(refusal) });
      // Each opens a modal at once (inside the trigger window), and the refusal is shown in it: only the presser sees it.
      const shown = await t.slackApi.waitFor('views.update', (args) => JSON.stringify(args.view).includes('Only supervisors'));
      expect(shown).toBeDefined();
    }
    expect(inChannel()).toEqual([]);
  });

  it('keeps a note signed when Slack fails to post it, and posts it once when Slack is back', async () => {
    const c = await newCase();
    await command(officer, `discuss ${c.key} Bring the review forward?`);
    const row = await thread(c.id);
    const rootTs = row.thread_ref!;
    t.slackApi.reset();
    await clickSlackButton(t.slackEventsUrl, supervisor, { action_id: 'supervision.note', value: JSON.stringify({ discussionId: row.id }) }, { channelId: CHANNEL });
    const modal = (await t.slackApi.waitFor('views.update', (args) => JSON.stringify(args.view).includes('casework.form'))).args.view;
    // Slack is down for thread posts and card updates.
    const down = [
      t.slackApi.respondWith('chat.postMessage', () => ({ status: 503, body: 'upstream unavailable' })),
      t.slackApi.respondWith('chat.update', () => ({ status: 503, body: 'upstream unavailable' })),
    ];
    const confirm: any = await (
      await submitSlackModal(t.slackEventsUrl, supervisor, modal, {
        riskView: 'High while the relationship is new.',
        decision: 'Bring the review forward.',
        rationale: 'A new relationship may bring access to a child.',
      })
    ).json();
    await clickSlackButton(t.slackEventsUrl, supervisor, slackButtonIn(confirm.view.blocks, 'supervision.note_sign'), { viewId: 'V0FORM' });
    await t.slackApi.waitFor('views.update', (args) => JSON.stringify(args.view).includes('Signed and locked'));
    const note = await t.database.db.selectFrom('supervision_notes').selectAll().where('discussion_id', '=', row.id).executeTakeFirstOrThrow();
    expect(note.status).toBe('signed');
    // Tried at once after commit, failed, and left in the outbox for later.
    await t.app.effects.drain();
    const waiting = await settledEffects('effect:discussion-thread', row.id);
    expect(waiting.map((m) => [m.status, m.last_error_code])).toEqual([['pending', 'http_503']]);

    for (const undo of down) undo();
    clock.advance(10 * 60 * 1000);
    const delivered = await deliverOutbox(t.app.delivery, clock.now(), { workerId: 'recovery' });
    expect(delivered.failures).toEqual([]);
    const postedInThread = () => t.slackApi.callsTo('chat.postMessage').filter((call) => call.args.thread_ts === rootTs && call.status === 200);
    const inThread = postedInThread();
    expect(inThread).toHaveLength(1);
    const posted = JSON.stringify(inThread[0]!.args.blocks);
    expect(posted).toContain('Bring the review forward.');
    // The content hash belongs to the exported record, never to the channel.
    expect(posted).not.toContain(note.content_sha256!);
    // Nothing more goes out on the next run: delivered once.
    await deliverOutbox(t.app.delivery, clock.now(), { workerId: 'recovery' });
    expect(postedInThread()).toHaveLength(1);
  });

  it("answers another person's command while a Slack call is stalled", async () => {
    const c = await newCase();
    const mine = await newCase('Otto Other');
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    const undo = t.slackApi.respondWith('chat.postMessage', async (_args, { defaultBody }) => {
      await stalled;
      return defaultBody();
    });
    try {
      const started = Date.now();
      await command(officer, `discuss ${c.key} Is a joint visit needed?`);
      await t.slackApi.waitFor('chat.postMessage', (args) => args.channel === CHANNEL, { timeoutMs: 5000 });
      // The root card's post is now hanging. Someone else's command is answered all the same.
      const theirs = await command(other, `case ${mine.key}`);
      const answered = await t.slackApi.waitFor('response_url', (_args, call) => call.args.name === theirs);
      expect(JSON.stringify(answered.args.blocks)).toContain(`Case ${mine.key}`);
      const stillStalled = t.slackApi.calls.filter((call) => call.method === 'chat.postMessage' && call.status === undefined);
      expect(stillStalled.length).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(60_000);
    } finally {
      release();
      undo();
    }
    // The discussion was stored before the post was tried: it is there, whatever Slack did.
    expect(await t.database.db.selectFrom('discussions').select('status').where('case_id', '=', c.id).executeTakeFirstOrThrow()).toEqual({ status: 'open' });
  });
});
