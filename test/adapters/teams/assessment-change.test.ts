// The Slack assessment and significant-change journeys (test/adapters/slack/assessment-change.test.ts)
// through Teams: typed commands and the case card's buttons open form cards; Action.Execute submits them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Case } from '../../../src/core/domain/entities.ts';
import { adaptiveCardProblems, cardIds } from '../../support/adaptive-card-validation.ts';
import { seedCase, seedTeam, type SeededTeam } from '../../support/factories.ts';
import { cardAction, personalMessage, postActivity, type TeamsUser, filledIn, cardErrors } from '../../support/teams-activities.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

let t: TestApp;
let home: SeededTeam;
const officer: TeamsUser = { aadObjectId: 'aad-ac-off', name: 'Olivia Officer' };

beforeAll(async () => {
  // Thursday 24 Dec 2026: the next working day is Tue 29 Dec (Christmas, weekend, Boxing Day substitute).
  t = await startTestApp({ overrides: { clock: fixedClock('2026-12-24T10:00:00Z') } });
  home = await seedTeam(t.database.db, {
    people: [
      { name: 'Olivia Officer', roles: ['officer'], teamsUserId: officer.aadObjectId },
      { name: 'Sam Supervisor', roles: ['officer', 'supervisor'], teamsUserId: 'aad-ac-sup' },
    ],
  });
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => t.connector.reset());

function newCase(): Promise<Case> {
  return seedCase(t.database.db, home.team, { riskLevel: 'high', leadOfficerId: home.members['Olivia Officer']!.id, lastVisitOn: '2026-11-02', lastAssessmentOn: '2026-10-01' });
}

/** The card Casework sent to the conversation (the one sent since the last reset). */
async function sentCard(): Promise<any> {
  const [sent] = await t.connector.waitForSent(() => true);
  expect(sent!.conversationId).toBe(`a:personal-${officer.aadObjectId}`);
  return sent!.activity.attachments![0]!.content;
}

async function say(text: string): Promise<any> {
  expect((await postActivity(t.teamsMessagesUrl, personalMessage(officer, t.connector.serviceUrl, text))).status).toBe(200);
  return sentCard();
}

/** Presses a button on a card: a new card arrives in the conversation, and the invoke answers "Done". */
async function press(verb: string, data: Record<string, string>): Promise<any> {
  const res = await postActivity(t.teamsMessagesUrl, cardAction(officer, t.connector.serviceUrl, verb, { ...data, verb }));
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
  return sentCard();
}

async function submit(card: any, answers: Record<string, string>): Promise<any> {
  const res = await postActivity(t.teamsMessagesUrl, cardAction(officer, t.connector.serviceUrl, 'form.submit', filledIn(card, answers)));
  expect(res.status).toBe(200);
  const body: any = await res.json();
  expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  expect(adaptiveCardProblems(body.value)).toEqual([]);
  return body.value;
}

function valueOf(card: any, id: string): unknown {
  return card.body.find((el: any) => el.id === id)?.value;
}

describe('Teams: significant changes', () => {
  it('opens the form card from "change", shows an error under the field, then the card with the new early review', async () => {
    const c = await newCase();
    const form = await say(`change ${c.key}`);
    expect(adaptiveCardProblems(form)).toEqual([]);
    expect(form.body[0].text).toBe('Report a change');
    expect(cardIds(form)).toEqual({ inputs: ['kind', 'noticedOn', 'urgency'], verbs: ['form.submit'] });
    const kind = form.body.find((el: any) => el.id === 'kind');
    expect(kind.choices.map((o: any) => o.title)).toContain('Further offence, arrest or charge (urgent)');

    const bad = await submit(form, { kind: 'further_offence', urgency: 'standard' });
    expect(cardErrors(bad)).toEqual({ urgency: 'A further offence, arrest or charge is always urgent.' });
    expect(valueOf(bad, 'kind')).toBe('further_offence');
    expect(valueOf(bad, 'urgency')).toBe('standard');
    // The summary is at the top and again as the last thing above the buttons.
    const summary = 'Not saved yet. 1 answer needs attention: Urgency. Your answers are kept.';
    expect(bad.body[1].items[0].text).toBe(summary);
    expect(bad.body.at(-1)).toMatchObject({ id: 'form__summary', text: summary });
    expect(valueOf(bad, 'noticedOn')).toBe('2026-12-24');
    // The error sits under its field: after the urgency input (and its hint), then the summary above the actions.
    const at = bad.body.findIndex((el: any) => el.id === 'urgency');
    expect(bad.body.slice(at + 1).map((el: any) => el.id ?? el.type)).toEqual(['TextBlock', 'urgency__error', 'form__summary']);

    const good = await submit(bad, { urgency: 'urgent' });
    const shown = JSON.stringify(good);
    expect(good.body[0].text).toBe(`Case ${c.key}`);
    expect(shown).toContain('Early review now due Tue 29 Dec 2026');
    expect(shown).toContain('Tue 29 Dec 2026 (in 1 working day)');
    expect(shown).not.toMatch(/offence|arrest/i);
    const row = await t.database.db.selectFrom('cases_with_due_dates').select('early_review_due_on').where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row.early_review_due_on).toBe('2026-12-29');
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('case_id', '=', c.id).where('action', '=', 'change.recorded').execute();
    expect(audit).toHaveLength(1);
  });

  it("opens the same form card from the case card's Report a change button", async () => {
    const c = await newCase();
    const caseCard = await say(`case ${c.key}`);
    const button = caseCard.actions.find((a: any) => a.verb === 'change.open');
    expect(button.data).toEqual({ caseKey: c.key, verb: 'change.open' });
    t.connector.reset();
    const form = await press('change.open', button.data);
    expect(cardIds(form).inputs).toEqual(['kind', 'noticedOn', 'urgency']);
    expect(form.actions[0].data).toEqual({ formId: 'change.record', ctx_caseKey: c.key });
  });
});

describe('Teams: assessments', () => {
  it('records an assessment through the form card and shows the moved due dates', async () => {
    const c = await newCase();
    const form = await say(`assessment ${c.key}`);
    expect(adaptiveCardProblems(form)).toEqual([]);
    expect(form.body[0].text).toBe('Record assessment');
    expect(cardIds(form).inputs).toEqual(['assessedOn', 'riskLevel', 'managementMode']);

    const bad = await submit(form, { assessedOn: '2026-12-31', riskLevel: 'medium' });
    expect(Object.keys(cardErrors(bad))).toEqual(['assessedOn']);
    expect(cardErrors(bad).assessedOn).toMatch(/cannot be in the future/);
    expect(valueOf(bad, 'assessedOn')).toBe('2026-12-31');
    expect(valueOf(bad, 'riskLevel')).toBe('medium');

    const good = await submit(form, { riskLevel: 'medium' });
    const shown = JSON.stringify(good);
    // Medium: visit 6 months after 2 Nov 2026 (Sun 2 May 2027 → Fri 30 Apr); review 12 months after 24 Dec 2026 (Fri 24 Dec 2027).
    expect(shown).toContain('Risk level now medium (was high).');
    expect(shown).toContain('Now due: home visit Fri 30 Apr 2027; assessment review Fri 24 Dec 2027.');
    const row = await t.database.db.selectFrom('cases_with_due_dates').select(['risk_level', 'last_assessment_on']).where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ risk_level: 'medium', last_assessment_on: '2026-12-24' });
    const recorded = await t.database.db.selectFrom('assessments').select('assessed_on').where('case_id', '=', c.id).execute();
    expect(recorded).toEqual([{ assessed_on: '2026-12-24' }]);
  });

  it("opens the assessment form card from the case card's button", async () => {
    const c = await newCase();
    const form = await press('assessment.open', { caseKey: c.key });
    expect(form.body[0].text).toBe('Record assessment');
    expect(form.actions[0].data).toEqual({ formId: 'assessment.record', ctx_caseKey: c.key });
  });
});

describe('Teams: MAPPA reviews', () => {
  it('records a MAPPA review through the form card; the MAPPA review deadline closes', async () => {
    const c = await seedCase(t.database.db, home.team, { riskLevel: 'high', leadOfficerId: home.members['Olivia Officer']!.id, mappaCategory: 1, mappaLevel: 2, lastMappaReviewOn: '2026-09-01' });
    const form = await say(`mappa ${c.key}`);
    expect(adaptiveCardProblems(form)).toEqual([]);
    expect(cardIds(form)).toEqual({ inputs: ['reviewedOn', 'level', 'outcome', 'nextReviewOn'], verbs: ['form.submit'] });
    const good = await submit(form, { reviewedOn: '2026-12-22', level: '2', outcome: 'Stays at level 2.', nextReviewOn: '' });
    expect(JSON.stringify(good)).toContain('MAPPA review of Tue 22 Dec 2026 recorded. Next MAPPA review due Tue 13 Apr 2027.');
    const rows = await t.database.db.selectFrom('deadlines').select(['status']).where('case_id', '=', c.id).where('kind', '=', 'mappa_review').execute();
    expect(rows.map((r) => r.status).sort()).toEqual(['met', 'open']);
  });
});
