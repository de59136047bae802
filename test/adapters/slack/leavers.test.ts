// Leavers through the real Bolt receiver (signed requests, the loopback fake Slack API): an admin
// removes an officer who leads 90 cases; Casework asks where they go, privately; the case-by-case
// modal shows ten at a time inside Slack's limits; the rest go to one officer; the new officer is
// told in a direct message after commit; and only then is the leaver off the roster.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Member } from '../../../src/core/domain/entities.ts';
import { createScaleTeam } from '../../../src/local/scale-team.ts';
import { BLOCK_KIT_LIMITS } from '../../../src/renderers/block-kit/message-blocks.ts';
import { SLACK_WORKSPACE } from '../../support/factories.ts';
import { clickSlackButton, submitSlackModal } from '../../support/slack-interactions.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

let t: TestApp;
let leaver: Member;
let keeper: Member;
const admin = { teamId: SLACK_WORKSPACE, userId: 'U0LS03' };
const officer = { teamId: SLACK_WORKSPACE, userId: 'U0LS02' };

beforeAll(async () => {
  t = await startTestApp({ overrides: { clock: fixedClock('2026-11-27T10:00:00Z'), scheduler: false } });
  const scale = await createScaleTeam(t.database.db, { today: '2026-11-27', cases: 180, officers: 2, supervisors: 1, teamKey: 'SLLEAVE', longThreadReplies: 3, slack: { workspaceId: SLACK_WORKSPACE, userIdPrefix: 'U0LS' } });
  [leaver, keeper] = scale.officers as [Member, Member];
}, 120_000);
afterAll(async () => {
  await t?.close();
});
beforeEach(() => t.slackApi.reset());

async function press(user: typeof admin, actionId: string, value: Record<string, string>, name: string) {
  const res = await clickSlackButton(t.slackEventsUrl, user, { action_id: actionId, value: JSON.stringify(value) }, { responseUrl: t.slackApi.responseUrl(name) });
  expect(res.status).toBe(200);
}
async function openedModal(title: string) {
  const opened = await t.slackApi.waitFor('views.open');
  expect(opened.args.view.title.text).toBe(title);
  return (await t.slackApi.waitFor('views.update')).args.view;
}
async function ledBy(memberId: string): Promise<number> {
  const rows = await t.database.db.selectFrom('cases').select('id').where('status', '=', 'active').where('lead_officer_id', '=', memberId).execute();
  return rows.length;
}

describe('Slack: removing an officer who leads 90 cases', () => {
  it('refuses an officer privately', async () => {
    await press(officer, 'roster.remove', { memberId: leaver.id }, 'officer-remove');
    const answer = await t.slackApi.waitFor('response_url', (_a, call) => call.args.name === 'officer-remove');
    expect(answer.args.response_type).toBe('ephemeral');
    expect(JSON.stringify(answer.args.blocks)).toContain('Only team admins can change the roster.');
  });

  it('asks where the cases go, moves ten a page and then the rest, tells the new officer, and only then removes the leaver', { timeout: 60_000 }, async () => {
    await press(admin, 'roster.remove', { memberId: leaver.id }, 'remove');
    const question = await t.slackApi.waitFor('response_url', (_a, call) => call.args.name === 'remove');
    expect(question.args.response_type).toBe('ephemeral');
    const asked = JSON.stringify(question.args.blocks);
    expect(asked).toContain('They still lead 90 cases. Choose where the cases go first.');
    expect(asked).toContain('"action_id":"roster.move_all"');
    expect(asked).toContain('"action_id":"roster.move_each"');

    await press(admin, 'roster.move_each', { memberId: leaver.id }, 'each');
    const modal = await openedModal('Move case by case');
    const selects = modal.blocks.filter((b: any) => b.type === 'input');
    expect(selects).toHaveLength(10);
    expect(modal.blocks.length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.blocksPerHomeOrModal);
    expect(JSON.stringify(modal.blocks)).not.toContain('too long to show here');

    const answers = Object.fromEntries(selects.map((b: any, i: number) => [b.block_id, i < 4 ? keeper.id : 'later']));
    const next: any = await (await submitSlackModal(t.slackEventsUrl, admin, modal, answers)).json();
    expect(next.response_action).toBe('update');
    expect(JSON.stringify(next.view.blocks)).toContain('Moved 4 cases. 86 cases still to go.');
    expect(next.view.blocks.filter((b: any) => b.type === 'input')).toHaveLength(10);
    expect(await ledBy(leaver.id)).toBe(86);

    // The new officer hears privately, in their direct message with the app, never the channel.
    const dm = await t.slackApi.waitFor('chat.postMessage', (args) => String(args.channel).startsWith('D'));
    expect(dm.args.channel).toBe(`D${officer.userId.slice(1)}`);
    expect(JSON.stringify(dm.args.blocks)).toContain('4 cases moved to you');

    t.slackApi.reset();
    await press(admin, 'roster.move_all', { memberId: leaver.id }, 'all');
    const all = await openedModal('Move their cases');
    const field = all.blocks.find((b: any) => b.block_id === 'officer');
    expect(field.element.options.map((o: any) => o.value)).not.toContain(leaver.id);
    const done: any = await (await submitSlackModal(t.slackEventsUrl, admin, all, { officer: keeper.id })).json();
    expect(done.response_action).toBe('update');
    expect(done.view.title.text).toContain('removed');
    expect(JSON.stringify(done.view.blocks)).toContain(`86 cases now led by ${keeper.displayName}.`);

    expect(await ledBy(leaver.id)).toBe(0);
    expect(await ledBy(keeper.id)).toBe(180);
    const row = await t.database.db.selectFrom('members').select('active').where('id', '=', leaver.id).executeTakeFirstOrThrow();
    expect(row.active).toBe(false);
    const audit = await t.database.db.selectFrom('audit_log').select('id').where('action', '=', 'case.reassigned').execute();
    expect(audit).toHaveLength(90);
    await t.slackApi.waitFor('chat.postMessage', (args) => args.channel === `D${officer.userId.slice(1)}` && JSON.stringify(args.blocks).includes('86 cases moved to you'));
    expect(t.slackApi.violations).toEqual([]);
  });
});
