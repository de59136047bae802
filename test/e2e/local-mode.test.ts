// Casework itself in the Agents Playground, as a new user would meet it after `npm start`: the real
// server in local mode (auth off, loopback), the real Playground, demo data bound to its General
// channel; then a team admin staffs the roster and loads 500 cases, and officers see them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApplication, type Application } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { systemClock } from '../../src/core/clock.ts';
import { applyCaseImport, planCaseImport } from '../../src/core/caseload/caseload-import.ts';
import { todayIn } from '../../src/core/calendar/working-calendar.ts';
import { createKyselyStore } from '../../src/db/kysely-store.ts';
import { ensureDemoData, DEMO_TEAM_NAME } from '../../src/local/demo-data.ts';
import { startPlayground, type RunningPlayground } from '../../src/local/playground.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { connectPlayground, type BotMessage, type PlaygroundDriver } from '../support/playground-driver.ts';
import { createTestDb } from '../support/test-db.ts';
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
  app = await startApplication(config, silentLogger(), { database: await createTestDb() });
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
    expect(cardText(reply)).toContain('9 active cases');
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
    const list = await driver.waitForBotMessage((m) => cardText(m).includes('active cases'), 20_000);
    expect(cardText(list)).toContain('509 active cases');
    expect(cardText(list)).toContain('Next page');
  });
});
