import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Case } from '../../../src/core/domain/entities.ts';
import { seedCase, seedTeam, SLACK_WORKSPACE, type SeededTeam } from '../../support/factories.ts';
import { submitSlackModal, modalErrors } from '../../support/slack-interactions.ts';
import { postSlackForm, slashCommand } from '../../support/slack-signing.ts';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from '../../support/test-app.ts';

let t: TestApp;
let home: SeededTeam;
let other: SeededTeam;
let mine: Case;
let foreign: Case;


beforeAll(async () => {
  t = await startTestApp({ overrides: { clock: fixedClock('2026-11-27T10:00:00Z') } });
  home = await seedTeam(t.database.db, {
    people: [
      { name: 'Olivia Officer', roles: ['officer'], slackUserId: 'U0OFF' },
      { name: 'Sam Supervisor', roles: ['officer', 'supervisor'], slackUserId: 'U0SUP' },
      { name: 'Ada Admin', roles: ['admin'], slackUserId: 'U0ADM' },
    ],
  });
  other = await seedTeam(t.database.db, { people: [{ name: 'Elsewhere', roles: ['officer', 'supervisor', 'admin'], slackUserId: 'U0ELSE' }] });
  mine = await seedCase(t.database.db, home.team, { riskLevel: 'very_high', leadOfficerId: home.members['Olivia Officer']!.id, lastVisitOn: '2026-11-02', lastAssessmentOn: '2026-10-01' });
  foreign = await seedCase(t.database.db, other.team, { riskLevel: 'low' });
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => t.slackApi.reset());

async function command(userId: string, text: string) {
  const name = `r-${Math.random().toString(36).slice(2)}`;
  const res = await postSlackForm(t.slackEventsUrl, TEST_SIGNING_SECRET, slashCommand(text, { user_id: userId, team_id: SLACK_WORKSPACE, response_url: t.slackApi.responseUrl(name) }));
  expect(res.status).toBe(200);
  return name;
}

describe('Slack: cases', () => {
  it('shows the case card with due dates and records the view in the audit trail', async () => {
    const name = await command('U0OFF', `case ${mine.key.toLowerCase()}`);
    const call = await t.slackApi.waitFor('response_url', (a) => a.name === name);
    const flat = JSON.stringify(call.args.blocks);
    expect(flat).toContain(`Case ${mine.key}`);
    // Very high risk: visit monthly from 2 Nov 2026 → 2 Dec 2026 (a Wednesday); review 3 months from 1 Oct → 1 Jan 2027 is a bank holiday → Thu 31 Dec 2026.
    expect(flat).toContain('Wed 2 Dec 2026');
    expect(flat).toContain('Thu 31 Dec 2026');
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('case_id', '=', mine.id).where('action', '=', 'case.viewed').execute();
    expect(audit).toHaveLength(1);
    expect(t.slackApi.violations).toEqual([]);
  });

  it("answers a case key from another team as not found, revealing nothing", async () => {
    const name = await command('U0OFF', `case ${foreign.key}`);
    const call = await t.slackApi.waitFor('response_url', (a) => a.name === name);
    const flat = JSON.stringify(call.args.blocks);
    expect(flat).toContain(`There is no case ${foreign.key}`);
    expect(flat).not.toContain('Low');
  });

  it('tells someone who is on no roster how to get access', async () => {
    const name = await command('U0STRANGER', `case ${mine.key}`);
    const call = await t.slackApi.waitFor('response_url', (a) => a.name === name);
    expect(JSON.stringify(call.args.blocks)).toContain('not on a Casework team');
  });

  it('adds a case through a modal: opens at once, shows errors inline, keeps answers, then confirms', async () => {
    await command('U0ADM', 'case add');
    const opened = await t.slackApi.waitFor('views.open');
    expect(opened.args.view.title.text).toBe('Add a case');
    const update = await t.slackApi.waitFor('views.update');
    const modal = update.args.view;
    expect(modal.callback_id).toBe('casework.form');
    const answers = { riskLevel: 'high', managementMode: 'reactive', leadOfficerId: home.members['Olivia Officer']!.id, lastVisitOn: '2027-01-01' };
    const bad = await submitSlackModal(t.slackEventsUrl, { teamId: SLACK_WORKSPACE, userId: 'U0ADM' }, modal, answers);
    const badBody: any = await bad.json();
    expect(badBody.response_action).toBe('update');
    expect(modalErrors(badBody.view).lastVisitOn).toMatch(/future/);
    expect(modalErrors(badBody.view).managementMode).toMatch(/low-risk/);
    const good = await submitSlackModal(t.slackEventsUrl, { teamId: SLACK_WORKSPACE, userId: 'U0ADM' }, modal, { ...answers, managementMode: 'active', lastVisitOn: '2026-11-20' });
    const goodBody: any = await good.json();
    expect(goodBody.response_action).toBe('update');
    const shown = JSON.stringify(goodBody.view.blocks);
    const key = /Case (CW-[A-Z0-9]+) added/.exec(shown)?.[1];
    expect(key).toBeDefined();
    const row = await t.database.db.selectFrom('cases_with_due_dates').selectAll().where('case_key', '=', key!).executeTakeFirstOrThrow();
    expect(row.risk_level).toBe('high');
    expect(row.visit_due_on).toBe('2027-02-19'); // 3 months after 20 Nov 2026 (a Saturday in 2027? no: Sat 20 Feb → Fri 19 Feb)
    const created = await t.database.db.selectFrom('audit_log').selectAll().where('case_id', '=', row.id).where('action', '=', 'case.created').execute();
    expect(created).toHaveLength(1);
  });

  it('refuses case add to an officer', async () => {
    const name = await command('U0OFF', 'case add');
    // The modal opens at once (no database work first), then shows the refusal.
    await t.slackApi.waitFor('views.open');
    const update = await t.slackApi.waitFor('views.update');
    expect(JSON.stringify(update.args.view.blocks)).toContain('Only supervisors and team admins can add cases');
    void name;
  });
});
