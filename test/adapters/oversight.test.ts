// `overview` through the real Bolt receiver and the real CloudAdapter, on the hand-worked
// oversight fixture: Slack's blocks and Teams' card show the same numbers, and those are the
// numbers of the report's CSV. Then the report itself: a CSV file upload on Slack, the headline
// figures as a message on Teams (which takes no files from Casework), and officers kept to their own line.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { adaptiveCardProblems } from '../support/adaptive-card-validation.ts';
import { SLACK_WORKSPACE } from '../support/factories.ts';
import { OVERSIGHT_EXPECTED_CSV, OVERSIGHT_NOW, seedOversightFixture, type OversightFixture } from '../support/oversight-fixture.ts';
import { postSlackForm, slashCommand } from '../support/slack-signing.ts';
import { personalMessage, postActivity, type TeamsUser } from '../support/teams-activities.ts';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let f: OversightFixture;
const samTeams: TeamsUser = { aadObjectId: 'aad-ov-sam', name: 'Sam Supervisor' };

/** What the overview shows for an officer, worked out from the fixture (and matching the CSV below). */
const EXPECTED: Record<string, Record<string, string>> = {
  'Olivia Officer': {
    'Open cases': '4: very high 1, high 1, medium 1, low 1 · weighted load 10',
    'Open deadlines': '7 · 2 due in the next 10 working days',
    Overdue: 'visits 1 · reviews 1 · MAPPA 1 · supervision actions 1',
    'Supervision actions': '2 open · 1 overdue',
    'One-to-one supervision': 'last Mon 2 Nov 2026 · next Mon 7 Dec 2026',
    'Supervision coverage': '50% of open cases (2 of 4) in 3 months',
    'Protective factors noted': '25% of visits (1 of 4) in 90 days',
  },
  'Owen Officer': {
    'Open cases': '3: very high 0, high 1, medium 0, low 2 · weighted load 5',
    'Open deadlines': '2 · 1 due in the next 10 working days',
    Overdue: 'None',
    'Supervision actions': '0 open · 0 overdue',
    'One-to-one supervision': 'last Sat 1 Aug 2026 · next Mon 23 Nov 2026 (⚠ overdue)',
    'Supervision coverage': '0% of open cases (0 of 3) in 3 months',
    'Protective factors noted': '50% of visits (1 of 2) in 90 days',
  },
  'Sam Supervisor': {
    'Open cases': '1: very high 0, high 0, medium 1, low 0 · weighted load 2',
    'Open deadlines': '3 · 1 due in the next 10 working days',
    Overdue: 'visits 1 · reviews 0 · MAPPA 0 · supervision actions 0',
    'Supervision actions': '0 open · 0 overdue',
    'One-to-one supervision': 'last none recorded · next not scheduled',
    'Supervision coverage': '100% of open cases (1 of 1) in 3 months',
    'Protective factors noted': '50% of visits (1 of 2) in 90 days',
  },
};

beforeAll(async () => {
  t = await startTestApp({ overrides: { clock: fixedClock(OVERSIGHT_NOW) } });
  f = await seedOversightFixture(t.database.db, {
    people: { sam: { slackUserId: 'U0OVSAM', teamsUserId: samTeams.aadObjectId }, olivia: { slackUserId: 'U0OVOLI' } },
  });
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => {
  t.slackApi.reset();
  t.connector.reset();
});

async function slack(userId: string, text: string): Promise<any[]> {
  const name = `ov-${Math.random().toString(36).slice(2)}`;
  const res = await postSlackForm(t.slackEventsUrl, TEST_SIGNING_SECRET, slashCommand(text, { user_id: userId, team_id: SLACK_WORKSPACE, response_url: t.slackApi.responseUrl(name) }));
  expect(res.status).toBe(200);
  return (await t.slackApi.waitFor('response_url', (a) => a.name === name)).args.blocks as any[];
}

async function teams(user: TeamsUser, text: string): Promise<any> {
  const res = await postActivity(t.teamsMessagesUrl, personalMessage(user, t.connector.serviceUrl, text));
  expect(res.status).toBe(200);
  const [sent] = await t.connector.waitForSent(() => true);
  return sent!.activity.attachments![0]!.content;
}

/** Per officer, the facts Slack shows: the section headed by their name, its `*label*\nvalue` fields. */
function slackOfficers(blocks: any[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const block of blocks) {
    const heading = /^(?::[a-z_]+: )?\*([^*]+)\*/.exec(block.text?.text ?? '')?.[1];
    if (!heading || !(heading in EXPECTED)) continue;
    out[heading] = Object.fromEntries((block.fields as { text: string }[]).map((field) => /^\*(.+?)\*\n([\s\S]*)$/.exec(field.text)!.slice(1, 3)));
  }
  return out;
}

/** Per officer, the facts Teams shows: the container headed by their name, its FactSet. */
function teamsOfficers(card: any): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const container of card.body.filter((el: any) => el.type === 'Container')) {
    // Overdue work is marked with a symbol before the name, as well as by colour.
    const heading = String(container.items?.[0]?.text ?? '').replace(/^⚠ /, '');
    if (!(heading in EXPECTED)) continue;
    const facts = container.items.find((el: any) => el.type === 'FactSet').facts as { title: string; value: string }[];
    out[heading] = Object.fromEntries(facts.map((x) => [x.title, x.value]));
  }
  return out;
}

describe('overview through both adapters', () => {
  it("shows every officer's figures, the same on Slack and Teams, and the same as the report's CSV", async () => {
    const blocks = await slack('U0OVSAM', 'overview');
    const card = await teams(samTeams, 'overview');
    expect(adaptiveCardProblems(card)).toEqual([]);
    const onSlack = slackOfficers(blocks);
    const onTeams = teamsOfficers(card);
    expect(onSlack).toEqual(EXPECTED);
    expect(onTeams).toEqual(EXPECTED);

    // The numbers in the chat lines are the CSV's, column by column.
    const [header, ...rows] = OVERSIGHT_EXPECTED_CSV.map((line) => line.split(','));
    for (const row of rows) {
      const csv = Object.fromEntries(header!.map((h, i) => [h, row[i]!]));
      const shown = onSlack[csv.officer!]!;
      expect(shown['Open cases']).toMatch(new RegExp(`^${csv.open_cases}: .* weighted load ${csv.weighted_load}$`));
      expect(shown['Open deadlines']).toMatch(new RegExp(`^${csv.open_deadlines} · `));
      const overdue = [csv.overdue_visits, csv.overdue_reviews, csv.overdue_mappa, csv.overdue_actions];
      expect(shown.Overdue).toBe(overdue.every((n) => n === '0') ? 'None' : `visits ${overdue[0]} · reviews ${overdue[1]} · MAPPA ${overdue[2]} · supervision actions ${overdue[3]}`);
      expect(shown['Supervision coverage']).toMatch(new RegExp(`^${csv.supervision_coverage_pct}% of open cases \\(${csv.supervised_cases} of ${csv.open_cases}\\)`));
      expect(shown['Protective factors noted']).toMatch(new RegExp(`^${csv.protective_factor_share_pct}% of visits \\(${csv.visits_with_strengths_90d} of ${csv.visits_seen_90d}\\)`));
    }

    // Team totals and the lists that need someone, on both.
    const slackText = JSON.stringify(blocks);
    const cardText = JSON.stringify(card);
    for (const text of ['9: very high 1, high 3, medium 2, low 3 · weighted load 20', 'visits 3 · reviews 1 · MAPPA 1 · supervision actions 1', '33% of open cases (3 of 9) in 3 months', '43% of visits (3 of 7) in 90 days']) {
      expect(slackText).toContain(text);
      expect(cardText).toContain(text);
    }
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'after']).where('team_id', '=', f.team.id).where('action', '=', 'oversight.viewed').execute();
    expect(audit).toHaveLength(2);
  });

  it('keeps officers to their own line, and drills into an officer and a list', async () => {
    expect(JSON.stringify(await slack('U0OVOLI', 'overview'))).toContain("Only supervisors and team admins can see the team's overview");
    const own = JSON.stringify(await slack('U0OVOLI', 'overview me'));
    expect(own).toContain('Oversight: Olivia Officer');
    expect(own).toContain(`No strengths noted in the last two visits: ${f.cases.A3!.key}`);
    expect(JSON.stringify(await slack('U0OVOLI', 'overview owen'))).toContain('Only supervisors and team admins');
    const owen = await teams(samTeams, 'overview Owen Officer');
    expect(JSON.stringify(owen)).toContain('Oversight: Owen Officer');
    const unsupervised = JSON.stringify(await slack('U0OVSAM', 'overview unsupervised'));
    expect(unsupervised).toContain(f.cases.C1!.key);
    expect(unsupervised).toContain(f.cases.D1!.key);
  });

  it('hands the report over: a CSV file on Slack, the headline figures as a message on Teams', async () => {
    const reply = JSON.stringify(await slack('U0OVSAM', 'overview report 2026-09-01 2026-11-30 csv'));
    expect(reply).toContain('The CSV file is in your direct messages with Casework');
    const upload = await t.slackApi.waitFor('file_upload');
    expect(upload.args).toMatchObject({ filename: `oversight-${f.team.key}-2026-09-01-to-2026-11-30.csv` });
    expect(String(upload.args.content).trimEnd().split(/\r?\n/)).toEqual(OVERSIGHT_EXPECTED_CSV);

    const res = await postActivity(t.teamsMessagesUrl, personalMessage(samTeams, t.connector.serviceUrl, 'overview report 2026-09-01 2026-11-30'));
    expect(res.status).toBe(200);
    // Two messages in Sam's chat: the figures (the file effect's message, as Teams takes no files) and the answer.
    const sent = (await t.connector.waitForSent(() => true, { count: 2 })).map((s) => JSON.stringify(s.activity));
    expect(sent.find((s) => s.includes('The report'))).toContain("The report's figures are in your private chat with Casework");
    const figures = sent.find((s) => s.includes('Oversight report: Oversight team'))!;
    expect(figures).toContain('44% (4 of 9)');
    expect(figures).toContain('Olivia Officer: visits on time 40%, reviews on time 33%, coverage 50%, strengths 25%');
    const audit = await t.database.db.selectFrom('audit_log').select('after').where('team_id', '=', f.team.id).where('action', '=', 'oversight.reported').execute();
    expect(audit.map((a) => (a.after as { format: string }).format).sort()).toEqual(['csv', 'pdf']);
  });
});
