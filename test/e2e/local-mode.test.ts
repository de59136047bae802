// Casework itself in the Agents Playground, as a new user would meet it after `npm start`: the real
// server in local mode (auth off, loopback), the real Playground, demo data bound to its General
// channel; then a team admin staffs the roster and loads 500 cases, and officers see them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApplication, type Application } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { systemClock } from '../../src/core/clock.ts';
import { applyCaseImport, planCaseImport } from '../../src/core/caseload/caseload-import.ts';
import { addCalendarDays, createWorkingCalendar, todayIn } from '../../src/core/calendar/working-calendar.ts';
import { formatDate } from '../../src/core/views/format.ts';
import { createKyselyStore } from '../../src/db/kysely-store.ts';
import { ensureDemoData, DEMO_TEAM_NAME } from '../../src/local/demo-data.ts';
import { startPlayground, type RunningPlayground } from '../../src/local/playground.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { connectPlayground, type BotMessage, type PlaygroundDriver } from '../support/playground-driver.ts';
import { createTestDb } from '../support/test-db.ts';
import { actionData } from '../support/teams-activities.ts';
import { parseCaseloadCsv } from '../../src/cli/caseload-csv.ts';

let app: Application;
let playground: RunningPlayground;
let driver: PlaygroundDriver;
let demoTeamKey: string;

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function cardText(message: BotMessage): string {
  return JSON.stringify(message.card ?? {});
}

beforeAll(async () => {
  const config = loadConfig({ PORT: '0', PLAYGROUND: 'off' });
  expect(config.localMode).toBe(true);
  // The reminder jobs run on the real clock under node-cron; they are tested with a fixed clock elsewhere.
  app = await startApplication(config, silentLogger(), { database: await createTestDb(), scheduler: false });
  playground = await startPlayground({ botEndpoint: `${app.url}/api/messages`, port: 0, logger: quiet });
  demoTeamKey = (await ensureDemoData(createKyselyStore(app.database.db), await playground.config(), systemClock, `${playground.url}/_connector`)).teamKey;
  driver = await connectPlayground(playground.url);
}, 60_000);

afterAll(async () => {
  await driver?.close();
  await playground?.stop();
  await app?.stop();
  await app?.database.close();
});

describe('Casework in the Agents Playground (local mode)', () => {
  it('listens on loopback only with Teams authentication off', () => {
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers "help" with the help card', async () => {
    await driver.sendMessage('help');
    const reply = await driver.waitForBotMessage((m) => m.card !== undefined, 20_000);
    expect(reply.card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(cardText(reply)).toContain('Casework help');
  });

  it('knows the current user as a member of the demo team, and shows the demo cases', async () => {
    await driver.sendMessage('cases');
    const reply = await driver.waitForBotMessage((m) => m.card !== undefined, 20_000);
    expect(cardText(reply)).toContain(DEMO_TEAM_NAME);
    expect(cardText(reply)).toMatch(/9 active · \d+ overdue · \d+ due this week/);
  });

  it('opens a case card, then an edit form that shows an error under the field and keeps the answers', async () => {
    const key = /CW-[2-9A-Z]{4}/.exec(cardText(driver.botMessages().at(-1)!))![0];
    await driver.sendMessage(`case ${key}`);
    const card = await driver.waitForBotMessage((m) => cardText(m).includes(`Case ${key}`), 20_000);
    expect(cardText(card)).toContain('Due dates');

    await driver.sendMessage(`case edit ${key}`);
    const form = await driver.waitForBotMessage((m) => cardText(m).includes('Save changes'), 20_000);
    const result = await driver.executeAction(form, { verb: 'form.submit', data: { formId: 'case.edit', ctx_caseKey: key, riskLevel: 'high', managementMode: 'reactive', leadOfficerId: 'not-a-member', lastVisitOn: '2099-01-01' } });
    expect(result.type).toBe('application/vnd.microsoft.card.adaptive');
    const again = JSON.stringify(result.value);
    expect(again).toContain('cannot be in the future');
    expect(again).toContain('Choose an officer from your team');
    expect(again).toContain('2099-01-01');
  });

  it('lets the admin add a colleague to the roster, picking them from the team', async () => {
    const { users } = await driver.config();
    await driver.sendMessage('roster add');
    const form = await driver.waitForBotMessage((m) => cardText(m).includes('Add to roster'), 20_000);
    // The static choices are the plain fallback to Teams' people search.
    expect(cardText(form)).toContain(users[0]!.name);
    const result = await driver.executeAction(form, { verb: 'form.submit', data: { formId: 'roster.add', person: 'aad-new-colleague', displayName: 'DC Jo Bloggs', roles: 'officer', supervisorId: 'none' } });
    expect(JSON.stringify(result.value)).toContain('DC Jo Bloggs');
  });

  it('records a home visit through the visit form card, and the case card shows the new due date', async () => {
    const team = (await createKyselyStore(app.database.db).transaction((repos) => repos.teams.findByKey(demoTeamKey)))!;
    const cases = await createKyselyStore(app.database.db).transaction((repos) => repos.cases.listAll(team.id));
    const key = cases.find((c) => c.riskLevel === 'very_high' && c.mappaLevel === 2)!.key;
    await driver.sendMessage(`visit ${key}`);
    const form = await driver.waitForBotMessage((m) => cardText(m).includes('Record visit') && cardText(m).includes(key), 20_000);
    const inputs = Object.fromEntries(((form.card!.body as Record<string, unknown>[]) ?? []).filter((el) => el.value !== undefined).map((el) => [el.id as string, String(el.value)]));
    const today = todayIn('Europe/London', new Date());
    // Two weeks on is earlier than the monthly visit a very high case needs, so it becomes the due date.
    const chosen = addCalendarDays(today, 14);
    const result = await driver.executeAction(form, {
      verb: 'form.submit',
      data: { ...inputs, formId: 'visit.record', ctx_caseKey: key, visitedTime: '09:00', visitType: 'scheduled', outcome: 'seen_at_home', nextVisitOn: chosen },
    });
    expect(result.type).toBe('application/vnd.microsoft.card.adaptive');
    const due = formatDate(createWorkingCalendar().onOrBeforeWorkingDay(chosen));
    expect(JSON.stringify(result.value)).toContain(`Visit recorded: ${key}`);
    expect(JSON.stringify(result.value)).toContain(due);

    await driver.sendMessage(`case ${key}`);
    const card = await driver.waitForBotMessage((m) => cardText(m).includes(`Case ${key}`) && cardText(m).includes('Home visits recorded'), 20_000);
    expect(cardText(card)).toContain(due);
    expect(cardText(card)).toContain('Version 1');
  });

  it('opens a case discussion in the team channel, records an @mention reply in its thread, signs a note and closes it', async () => {
    const db = app.database.db;
    const { case_key: key } = await db.selectFrom('cases').select('case_key').where('is_demo', '=', true).where('risk_level', '=', 'very_high').orderBy('case_key').executeTakeFirstOrThrow();
    await driver.sendMessage(`discuss ${key} Is a joint visit with probation needed?`);
    const root = await driver.waitForBotMessage((m) => cardText(m).includes(`Case discussion: ${key}`), 20_000);
    expect(root.conversationId).toMatch(/;messageid=/);
    const discussion = await db.selectFrom('discussions').selectAll().where('status', '=', 'open').orderBy('opened_at', 'desc').executeTakeFirstOrThrow();

    // The Playground delivers channel messages only when they @mention the bot; real Teams sends every reply (RSC).
    await driver.sendMessage('Agreed: joint visit this week.', { conversationId: root.conversationId });
    let replies: { body: string }[] = [];
    for (let i = 0; i < 200 && replies.length === 0; i += 1) {
      replies = await db.selectFrom('discussion_messages').select('body').where('discussion_id', '=', discussion.id).execute();
      if (replies.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(replies).toEqual([{ body: 'Agreed: joint visit this week.' }]);

    const submitData = (form: BotMessage) => (form.card!.actions as { verb?: string; data?: Record<string, unknown> }[]).find((a) => a.verb === 'form.submit')!.data!;
    await driver.executeAction(root, { verb: 'supervision.note', data: { discussionId: discussion.id } });
    const noteForm = await driver.waitForBotMessage((m) => cardText(m).includes('Current view of risk'), 20_000);
    const confirm = await driver.executeAction(noteForm, {
      verb: 'form.submit',
      data: { ...submitData(noteForm), question: 'Is a joint visit with probation needed?', riskView: 'Very high while the licence is new.', decision: 'Joint visit with probation.', rationale: 'Probation hold the licence conditions.' },
    });
    expect(JSON.stringify(confirm.value)).toContain('Sign and lock this note?');
    const signed = await driver.executeAction(noteForm, { verb: 'supervision.note_sign', data: actionData(confirm.value, 'supervision.note_sign') });
    expect(JSON.stringify(signed.value)).toContain('Signed and locked');
    await driver.waitForBotMessage((m) => cardText(m).includes(`Supervision note: ${key}`), 20_000, { since: 0 });

    await driver.executeAction(root, { verb: 'discussion.close', data: { discussionId: discussion.id } });
    const closeForm = await driver.waitForBotMessage((m) => cardText(m).includes('Outcome in one line'), 20_000);
    await driver.executeAction(closeForm, { verb: 'form.submit', data: { ...submitData(closeForm), summary: 'Joint visit agreed.' } });
    await driver.waitForBotMessage((m) => cardText(m).includes(`Discussion closed: ${key}`), 20_000, { since: 0 });
    const closed = await db.selectFrom('discussions').select(['status', 'closing_summary']).where('id', '=', discussion.id).executeTakeFirstOrThrow();
    expect(closed).toEqual({ status: 'closed', closing_summary: 'Joint visit agreed.' });
  });

  it('shows a 500-case caseload loaded from a spreadsheet, paged', async () => {
    const store = createKyselyStore(app.database.db);
    await store.transaction(async (repos) => {
      const team = (await repos.teams.findByKey(demoTeamKey))!;
      const members = await repos.members.listByTeam(team.id);
      const lines = ['external_ref,risk_level,lead_officer,last_visit_on'];
      const officers = members.filter((m) => m.roles.includes('officer'));
      for (let i = 1; i <= 500; i += 1) lines.push(`PLAY-${String(i).padStart(4, '0')},${['low', 'medium', 'high', 'very high'][i % 4]},${officers[i % officers.length]!.displayName},2026-0${1 + (i % 9)}-15`);
      const table = parseCaseloadCsv(Buffer.from(lines.join('\n')));
      const today = todayIn('Europe/London', new Date());
      const plan = planCaseImport(table, team, members, await repos.cases.listAll(team.id), today);
      const counts = await applyCaseImport(repos, { teamId: team.id, memberId: null, label: 'test:import' }, plan, { skipInvalid: false, fileName: 'caseload.csv', today });
      expect(counts.created).toBe(500);
    });
    await driver.sendMessage('cases');
    const list = await driver.waitForBotMessage((m) => cardText(m).includes('509 active'), 20_000);
    expect(cardText(list)).toMatch(/509 active · \d+ overdue · \d+ due this week · page 1 of 51/);
    expect(cardText(list)).toContain('Next ▶');
  }, 120_000);

  it('is called Casework in the Playground, and welcomes the person when their chat is first opened', async () => {
    expect((await playground.config()).bot.name).toBe('Casework');
    await driver.install();
    const welcome = await driver.waitForBotMessage((m) => cardText(m).includes('Welcome to Casework, Alex'), 20_000);
    expect(cardText(welcome)).toContain('officer, supervisor, team admin');
  });

  it('lets the person act as an officer and as a supervisor of the demo team, buttons included', async () => {
    await driver.sendMessage('as Megan due');
    const megans = await driver.waitForBotMessage((m) => cardText(m).includes('Acting as Megan Bowen'), 20_000);
    expect(cardText(megans)).toContain('My deadlines');
    // Megan is an officer: the team's roster is not hers to change.
    await driver.sendMessage('as Megan roster');
    const refused = await driver.waitForBotMessage((m) => cardText(m).includes('Only team admins can change the roster'), 20_000);
    expect(refused).toBeDefined();
    await driver.sendMessage('as Isaiah cases');
    const isaiahs = await driver.waitForBotMessage((m) => cardText(m).includes('Acting as Isaiah Langer'), 20_000);
    // Isaiah supervises: he sees the team's cases, not only his own.
    expect(cardText(isaiahs)).toContain(': cases');
    const open = JSON.stringify(isaiahs.card).match(/"verb":"case\.open"[^}]*"caseKey":"(CW-[0-9A-Z]+)"/) ?? JSON.stringify(isaiahs.card).match(/"caseKey":"(CW-[0-9A-Z]+)"[^}]*"verb":"case\.open"/);
    expect(open).not.toBeNull();
    const data = JSON.stringify(isaiahs.card).match(/\{[^{}]*"verb":"case\.open"[^{}]*\}/)![0];
    const pressed = await driver.executeAction(isaiahs, { verb: 'case.open', data: JSON.parse(data) as Record<string, unknown> });
    expect(JSON.stringify(pressed)).not.toContain('That could not be done');
    const card = await driver.waitForBotMessage((m) => cardText(m).includes(`Case ${open![1]}`) && cardText(m).includes('Acting as Isaiah Langer'), 20_000);
    expect(card).toBeDefined();
  });
});
