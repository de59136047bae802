// The visit quick-update form through signed Slack requests: open the modal, submit with errors,
// submit valid, and close with a draft. test/adapters/teams/visits.test.ts checks the same outcomes on Teams.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Case } from '../../../src/core/domain/entities.ts';
import { CASE_KEY_ALPHABET } from '../../../src/core/cases/case-key.ts';
import { seedCase, seedTeam, SLACK_WORKSPACE, type SeededTeam } from '../../support/factories.ts';
import { clickSlackButton, modalState, submitSlackModal, modalErrors } from '../../support/slack-interactions.ts';
import { postSlackForm, slashCommand } from '../../support/slack-signing.ts';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from '../../support/test-app.ts';

let t: TestApp;
let home: SeededTeam;
const officer = { teamId: SLACK_WORKSPACE, userId: 'U0VSOFF' };

beforeAll(async () => {
  // Thursday 24 Dec 2026, 10:00 in London.
  t = await startTestApp({ overrides: { clock: fixedClock('2026-12-24T10:00:00Z') } });
  home = await seedTeam(t.database.db, {
    people: [
      { name: 'Olivia Officer', roles: ['officer'], slackUserId: officer.userId },
      { name: 'Sam Supervisor', roles: ['officer', 'supervisor'], slackUserId: 'U0VSSUP' },
    ],
  });
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => t.slackApi.reset());

let keys = 0;

function newCase(): Promise<Case> {
  // Four characters after the prefix, like the keys Casework allocates (none are allocated here).
  keys += 1;
  const key = `CW-W${CASE_KEY_ALPHABET[keys % 27]}${CASE_KEY_ALPHABET[Math.floor(keys / 27) % 27]}2`;
  return seedCase(t.database.db, home.team, { key, riskLevel: 'high', leadOfficerId: home.members['Olivia Officer']!.id, lastVisitOn: '2026-11-02', lastAssessmentOn: '2026-10-01' });
}

async function openedForm(title: string) {
  const opened = await t.slackApi.waitFor('views.open');
  expect(opened.args.view.title.text).toBe(title);
  const update = await t.slackApi.waitFor('views.update');
  return update.args.view;
}

async function closeSlackModal(modal: any, answers: Record<string, string | string[]>) {
  const payload = {
    type: 'view_closed',
    team: { id: officer.teamId, domain: 'example' },
    user: { id: officer.userId, username: 'tester', name: 'tester', team_id: officer.teamId },
    api_app_id: 'A0CASEWORK',
    token: 'verification_token',
    view: { ...modal, id: 'V0FORM', team_id: officer.teamId, state: { values: modalState(modal, answers) }, hash: '1764000000.abc', app_id: 'A0CASEWORK', bot_id: 'B0BOT' },
    is_cleared: false,
  };
  return postSlackForm(t.slackEventsUrl, TEST_SIGNING_SECRET, { payload: JSON.stringify(payload) });
}

const inputIds = (modal: any) => modal.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.block_id);

describe('Slack: the visit form', () => {
  it('opens the modal, shows errors inline, then records the visit and shows the new due dates', async () => {
    const c = await newCase();
    const res = await postSlackForm(t.slackEventsUrl, TEST_SIGNING_SECRET, slashCommand(`visit ${c.key}`, { user_id: officer.userId, team_id: SLACK_WORKSPACE, response_url: t.slackApi.responseUrl('unused') }));
    expect(res.status).toBe(200);
    const modal = await openedForm('Record visit');
    expect(modal.notify_on_close).toBe(true);
    expect(JSON.parse(modal.private_metadata)).toEqual({ formId: 'visit.record', context: { caseKey: c.key } });
    expect(inputIds(modal).slice(0, 5)).toEqual(['visitedOn', 'visitedTime', 'visitType', 'officers', 'outcome']);
    expect(modal.blocks.find((b: any) => b.block_id === 'welfare').element.max_length).toBe(500);

    const bad = await submitSlackModal(t.slackEventsUrl, officer, modal, { visitedOn: '2026-12-27', visitType: 'scheduled', outcome: 'seen_at_home', nextVisitOn: '2026-12-20' });
    const badBody: any = await bad.json();
    // The same modal again: every answer kept, each error under its field, and the summary at the
    // top and again at the bottom, just above Slack's submit button.
    expect(badBody.response_action).toBe('update');
    const blocks = badBody.view.blocks as any[];
    expect(blocks[0].text.text).toMatch(/^:warning: \*Not saved yet\.\* 2 answers need attention: /);
    expect(blocks.at(-1).block_id).toBe('form__summary');
    expect(blocks.at(-1).text.text).toBe(blocks[0].text.text);
    expect(blocks.find((b) => b.block_id === 'outcome').element.initial_option.value).toBe('seen_at_home');
    expect(modalErrors(badBody.view)).toEqual({
      visitedOn: 'The visit date cannot be more than a day ahead of today (Thu 24 Dec 2026). Check the date.',
      nextVisitOn: 'The next visit must be after this visit (Sun 27 Dec 2026).',
    });

    const good = await submitSlackModal(t.slackEventsUrl, officer, modal, { visitType: 'scheduled', outcome: 'seen_at_home', changes: ['relationship'] });
    const goodBody: any = await good.json();
    expect(goodBody.response_action).toBe('update');
    expect(goodBody.view.title.text).toBe('Visit recorded: ' + c.key);
    const shown = JSON.stringify(goodBody.view.blocks);
    expect(shown).toContain('Now due: home visit Wed 24 Mar 2027 (was Tue 2 Feb 2027); early review Tue 5 Jan 2027.');
    expect(shown).toContain('visit.amend');
    expect(shown).not.toMatch(/relationship/i);
    const row = await t.database.db.selectFrom('cases_with_due_dates').select(['last_visit_on', 'visit_due_on', 'early_review_due_on']).where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ last_visit_on: '2026-12-24', visit_due_on: '2027-03-24', early_review_due_on: '2027-01-05' });
    expect(t.slackApi.violations).toEqual([]);
  });

  it('keeps the answers as a draft when the modal is closed, and offers them again from the card button', async () => {
    const c = await newCase();
    await clickSlackButton(t.slackEventsUrl, officer, { action_id: 'visit.open', value: JSON.stringify({ caseKey: c.key }) });
    const modal = await openedForm('Record visit');
    const closed = await closeSlackModal(modal, { visitType: 'joint_probation', outcome: 'no_reply', welfare: 'leaflet left' });
    expect(closed.status).toBe(200);
    await expect.poll(() => t.database.db.selectFrom('visit_drafts').select('answers').where('case_id', '=', c.id).execute()).toHaveLength(1);
    const [draft] = await t.database.db.selectFrom('visit_drafts').select('answers').where('case_id', '=', c.id).execute();
    expect(draft!.answers).toMatchObject({ visitType: 'joint_probation', outcome: 'no_reply', welfare: 'leaflet left' });

    t.slackApi.reset();
    await clickSlackButton(t.slackEventsUrl, officer, { action_id: 'visit.open', value: JSON.stringify({ caseKey: c.key }) });
    const again = await openedForm('Record visit');
    expect(again.blocks.find((b: any) => b.block_id === 'visitType').element.initial_option.value).toBe('joint_probation');
    expect(again.blocks.find((b: any) => b.block_id === 'welfare').element.initial_value).toBe('leaflet left');
    expect(t.slackApi.violations).toEqual([]);
  });
});
