import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Case } from '../../../src/core/domain/entities.ts';
import { seedCase, seedTeam, SLACK_WORKSPACE, type SeededTeam } from '../../support/factories.ts';
import { clickSlackButton, submitSlackModal, modalErrors } from '../../support/slack-interactions.ts';
import { postSlackForm, slashCommand } from '../../support/slack-signing.ts';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from '../../support/test-app.ts';

let t: TestApp;
let home: SeededTeam;
const officer = { teamId: SLACK_WORKSPACE, userId: 'U0ACOFF' };

beforeAll(async () => {
  // Thursday 24 Dec 2026: the next working day is Tue 29 Dec (Christmas, weekend, Boxing Day substitute).
  t = await startTestApp({ overrides: { clock: fixedClock('2026-12-24T10:00:00Z') } });
  home = await seedTeam(t.database.db, {
    people: [
      { name: 'Olivia Officer', roles: ['officer'], slackUserId: officer.userId },
      { name: 'Sam Supervisor', roles: ['officer', 'supervisor'], slackUserId: 'U0ACSUP' },
    ],
  });
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => t.slackApi.reset());

function newCase(): Promise<Case> {
  return seedCase(t.database.db, home.team, { riskLevel: 'high', leadOfficerId: home.members['Olivia Officer']!.id, lastVisitOn: '2026-11-02', lastAssessmentOn: '2026-10-01' });
}

async function command(userId: string, text: string) {
  const res = await postSlackForm(t.slackEventsUrl, TEST_SIGNING_SECRET, slashCommand(text, { user_id: userId, team_id: SLACK_WORKSPACE, response_url: t.slackApi.responseUrl('unused') }));
  expect(res.status).toBe(200);
}

/** Waits for the loading modal and then the form that replaces it. */
async function openedForm(title: string) {
  const opened = await t.slackApi.waitFor('views.open');
  expect(opened.args.view.title.text).toBe(title);
  const update = await t.slackApi.waitFor('views.update');
  return update.args.view;
}

function inputIds(modal: any): string[] {
  return modal.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.block_id);
}

describe('Slack: significant changes', () => {
  it('opens the modal from /casework change, shows an error inline, then shows the card with the new early review', async () => {
    const c = await newCase();
    await command(officer.userId, `change ${c.key}`);
    const modal = await openedForm('Report a change');
    expect(modal.callback_id).toBe('casework.form');
    expect(inputIds(modal)).toEqual(['kind', 'noticedOn', 'urgency']);
    const kind = modal.blocks.find((b: any) => b.block_id === 'kind');
    expect(kind.element.options.map((o: any) => o.text.text)).toContain('Further offence, arrest or charge (urgent)');

    const bad = await submitSlackModal(t.slackEventsUrl, officer, modal, { kind: 'further_offence', urgency: 'standard' });
    const badBody: any = await bad.json();
    expect(badBody.response_action).toBe('update');
    expect(modalErrors(badBody.view)).toEqual({ urgency: 'A further offence, arrest or charge is always urgent.' });

    const good = await submitSlackModal(t.slackEventsUrl, officer, modal, { kind: 'further_offence', urgency: 'urgent' });
    const goodBody: any = await good.json();
    expect(goodBody.response_action).toBe('update');
    const shown = JSON.stringify(goodBody.view.blocks);
    expect(goodBody.view.title.text).toBe(`Case ${c.key}`);
    expect(shown).toContain('Early review now due Tue 29 Dec 2026');
    expect(shown).toContain('Tue 29 Dec 2026 (in 1 working day)');
    expect(shown).not.toMatch(/offence|arrest/i);
    const row = await t.database.db.selectFrom('cases_with_due_dates').select('early_review_due_on').where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row.early_review_due_on).toBe('2026-12-29');
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('case_id', '=', c.id).where('action', '=', 'change.recorded').execute();
    expect(audit).toHaveLength(1);
    expect(t.slackApi.violations).toEqual([]);
  });

  it("opens the same modal from the card's Report a change button", async () => {
    const c = await newCase();
    const res = await clickSlackButton(t.slackEventsUrl, officer, { action_id: 'change.open', value: JSON.stringify({ caseKey: c.key }) });
    expect(res.status).toBe(200);
    const modal = await openedForm('Report a change');
    expect(inputIds(modal)).toEqual(['kind', 'noticedOn', 'urgency']);
    expect(JSON.parse(modal.private_metadata)).toEqual({ formId: 'change.record', context: { caseKey: c.key } });
    expect(t.slackApi.violations).toEqual([]);
  });
});

describe('Slack: assessments', () => {
  it('records an assessment through the modal and shows the moved due dates', async () => {
    const c = await newCase();
    await command(officer.userId, `assessment ${c.key}`);
    const modal = await openedForm('Record assessment');
    expect(inputIds(modal)).toEqual(['assessedOn', 'riskLevel', 'managementMode']);

    const bad = await submitSlackModal(t.slackEventsUrl, officer, modal, { assessedOn: '2026-12-31', riskLevel: 'medium' });
    const badBody: any = await bad.json();
    expect(badBody.response_action).toBe('update');
    expect(modalErrors(badBody.view).assessedOn).toMatch(/cannot be in the future/);

    const good = await submitSlackModal(t.slackEventsUrl, officer, modal, { riskLevel: 'medium' });
    const goodBody: any = await good.json();
    expect(goodBody.response_action).toBe('update');
    const shown = JSON.stringify(goodBody.view.blocks);
    // Medium: visit 6 months after 2 Nov 2026 (Sun 2 May 2027 → Fri 30 Apr); review 12 months after 24 Dec 2026 (Fri 24 Dec 2027).
    expect(shown).toContain('Risk level now medium (was high).');
    expect(shown).toContain('Now due: home visit Fri 30 Apr 2027; assessment review Fri 24 Dec 2027.');
    expect(t.slackApi.violations).toEqual([]);
  });

  it("opens the assessment modal from the card's button", async () => {
    const c = await newCase();
    await clickSlackButton(t.slackEventsUrl, officer, { action_id: 'assessment.open', value: JSON.stringify({ caseKey: c.key }) });
    const modal = await openedForm('Record assessment');
    expect(JSON.parse(modal.private_metadata)).toEqual({ formId: 'assessment.record', context: { caseKey: c.key } });
  });
});

describe('Slack: MAPPA reviews', () => {
  it('records a MAPPA review through the modal; the MAPPA review deadline closes and the next is due on a working day', async () => {
    const c = await seedCase(t.database.db, home.team, { riskLevel: 'high', leadOfficerId: home.members['Olivia Officer']!.id, mappaCategory: 1, mappaLevel: 2, lastMappaReviewOn: '2026-09-01' });
    await command(officer.userId, `mappa ${c.key}`);
    const modal = await openedForm('Record MAPPA review');
    expect(inputIds(modal)).toEqual(['reviewedOn', 'level', 'outcome', 'nextReviewOn']);
    const good = await submitSlackModal(t.slackEventsUrl, officer, modal, { reviewedOn: '2026-12-22', level: '2', outcome: 'Stays at level 2.', nextReviewOn: '' });
    const body: any = await good.json();
    expect(body.response_action).toBe('update');
    // Level 2: 16 weeks after Tue 22 Dec 2026 is Tue 13 Apr 2027.
    expect(JSON.stringify(body.view.blocks)).toContain('MAPPA review of Tue 22 Dec 2026 recorded. Next MAPPA review due Tue 13 Apr 2027.');
    const rows = await t.database.db.selectFrom('deadlines').select(['status', 'due_on']).where('case_id', '=', c.id).where('kind', '=', 'mappa_review').execute();
    expect(rows.map((r) => r.status).sort()).toEqual(['met', 'open']);
    expect(t.slackApi.violations).toEqual([]);
  });
});
