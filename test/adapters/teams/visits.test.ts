// The Slack visit journeys (test/adapters/slack/visits.test.ts) through Teams: the form card opens
// from a command, Action.Execute submits it (errors under fields, answers kept), and "Save draft"
// keeps the answers server-side. The outcomes match Slack's.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Case } from '../../../src/core/domain/entities.ts';
import { adaptiveCardProblems, cardIds } from '../../support/adaptive-card-validation.ts';
import { seedCase, seedTeam, type SeededTeam } from '../../support/factories.ts';
import { cardAction, personalMessage, postActivity, type TeamsUser, filledIn, cardInput } from '../../support/teams-activities.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

let t: TestApp;
let home: SeededTeam;
const officer: TeamsUser = { aadObjectId: 'aad-vs-off', name: 'Olivia Officer' };

beforeAll(async () => {
  t = await startTestApp({ overrides: { clock: fixedClock('2026-12-24T10:00:00Z') } });
  home = await seedTeam(t.database.db, {
    people: [
      { name: 'Olivia Officer', roles: ['officer'], teamsUserId: officer.aadObjectId },
      { name: 'Sam Supervisor', roles: ['officer', 'supervisor'], teamsUserId: 'aad-vs-sup' },
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

async function say(text: string): Promise<any> {
  expect((await postActivity(t.teamsMessagesUrl, personalMessage(officer, t.connector.serviceUrl, text))).status).toBe(200);
  const [sent] = await t.connector.waitForSent(() => true);
  return sent!.activity.attachments![0]!.content;
}

async function execute(card: any, verb: string, answers: Record<string, string>): Promise<any> {
  const res = await postActivity(t.teamsMessagesUrl, cardAction(officer, t.connector.serviceUrl, verb, filledIn(card, answers, verb)));
  expect(res.status).toBe(200);
  const body: any = await res.json();
  expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  expect(adaptiveCardProblems(body.value)).toEqual([]);
  return body.value;
}

const errors = (card: any) => Object.fromEntries(card.body.filter((el: any) => String(el.id).endsWith('__error')).map((el: any) => [el.id.replace(/__error$/, ''), el.text]));
const valueOf = (card: any, id: string) => cardInput(card, id)?.value;

describe('Teams: the visit form', () => {
  it('opens the form card, shows errors under the fields with answers kept, then records the visit', async () => {
    const c = await newCase();
    const form = await say(`visit ${c.key}`);
    expect(adaptiveCardProblems(form)).toEqual([]);
    expect(form.body[0].text).toBe('Record visit');
    expect(cardIds(form).verbs).toEqual(['form.submit', 'visit.save_draft']);
    expect(cardIds(form).inputs.slice(0, 5)).toEqual(['visitedOn', 'visitedTime', 'visitType', 'officers', 'outcome']);

    const bad = await execute(form, 'form.submit', { visitedOn: '2026-12-27', visitType: 'scheduled', outcome: 'seen_at_home', nextVisitOn: '2026-12-20' });
    expect(errors(bad)).toEqual({
      visitedOn: 'The visit date cannot be more than a day ahead of today (Thu 24 Dec 2026). Check the date.',
      nextVisitOn: 'The next visit must be after this visit (Sun 27 Dec 2026).',
    });
    expect(valueOf(bad, 'visitType')).toBe('scheduled');
    expect(valueOf(bad, 'visitedOn')).toBe('2026-12-27');

    const good = await execute(bad, 'form.submit', { visitedOn: '2026-12-24', visitType: 'scheduled', outcome: 'seen_at_home', changes: 'relationship', nextVisitOn: '2027-03-24' });
    const shown = JSON.stringify(good);
    expect(good.body[0].text).toBe(`Visit recorded: ${c.key}`);
    expect(shown).toContain('Now due: home visit Wed 24 Mar 2027 (was Tue 2 Feb 2027); early review Tue 5 Jan 2027.');
    expect(cardIds(good).verbs).toContain('visit.amend');
    expect(shown).not.toMatch(/relationship/i);
    const row = await t.database.db.selectFrom('cases_with_due_dates').select(['last_visit_on', 'visit_due_on', 'early_review_due_on']).where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ last_visit_on: '2026-12-24', visit_due_on: '2027-03-24', early_review_due_on: '2027-01-05' });
  });

  it('saves a draft, replaces the card with "Draft saved", and offers the answers again', async () => {
    const c = await newCase();
    const form = await say(`visit ${c.key}`);
    const saved = await execute(form, 'visit.save_draft', { visitType: 'joint_probation', outcome: 'no_reply', welfare: 'leaflet left' });
    expect(saved.body[0].text).toBe(`Draft saved: ${c.key}`);
    const [draft] = await t.database.db.selectFrom('visit_drafts').select('answers').where('case_id', '=', c.id).execute();
    expect(draft!.answers).toMatchObject({ visitType: 'joint_probation', outcome: 'no_reply', welfare: 'leaflet left' });

    t.connector.reset();
    const again = await say(`visit ${c.key}`);
    expect(valueOf(again, 'visitType')).toBe('joint_probation');
    expect(valueOf(again, 'welfare')).toBe('leaflet left');
    // The groups stay folded; the toggle of the one holding an answer says so.
    const groups = again.body.filter((el: any) => el.type === 'Container' && String(el.id).startsWith('group__'));
    expect(groups.map((g: any) => g.isVisible)).toEqual([false, false]);
    const toggles = again.body.filter((el: any) => el.type === 'ActionSet').map((el: any) => el.actions[0].title);
    expect(toggles).toEqual(['▸ Strengths seen (protective factors) (optional)', '▸ Risk, compliance and welfare (1 answered)']);
  });
});
