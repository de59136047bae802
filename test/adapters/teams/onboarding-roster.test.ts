// The Slack onboarding, roster and policy journeys (test/adapters/slack/onboarding-roster.test.ts)
// through Teams: the bot installed in a team, setup by @mention, and the roster and policy form cards.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Case } from '../../../src/core/domain/entities.ts';
import { adaptiveCardProblems, cardIds } from '../../support/adaptive-card-validation.ts';
import { seedCase, seedTeam, TEAMS_TENANT, type SeededTeam } from '../../support/factories.ts';
import { cardAction, channelMention, personalMessage, postActivity, type TeamsUser, filledIn, cardErrors, cardInput } from '../../support/teams-activities.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

let t: TestApp;
let home: SeededTeam;
let high: Case;
const admin: TeamsUser = { aadObjectId: 'aad-or-adm', name: 'Ada Admin' };
const officer: TeamsUser = { aadObjectId: 'aad-or-off', name: 'Olivia Officer' };
const BOT_ID = '28:casework-bot';

beforeAll(async () => {
  t = await startTestApp({ overrides: { clock: fixedClock('2026-11-27T10:00:00Z') } });
  home = await seedTeam(t.database.db, {
    channel: { platform: 'teams', workspaceId: TEAMS_TENANT, channelId: '19:or-home@thread.tacv2' },
    people: [
      { name: 'Ada Admin', roles: ['admin'], teamsUserId: admin.aadObjectId },
      { name: 'Olivia Officer', roles: ['officer'], teamsUserId: officer.aadObjectId },
    ],
  });
  high = await seedCase(t.database.db, home.team, { riskLevel: 'high', lastVisitOn: '2026-11-02', leadOfficerId: home.members['Olivia Officer']!.id });
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => t.connector.reset());

let installs = 0;
/** The conversationUpdate Teams sends when members join a team (shape from Microsoft's docs: `from` carries no name). */
function membersAdded(by: TeamsUser, team: { id: string; name: string }, added: { id: string; aadObjectId?: string }[]) {
  installs += 1;
  return postActivity(t.teamsMessagesUrl, {
    type: 'conversationUpdate',
    id: `f:install-${installs}`,
    channelId: 'msteams',
    serviceUrl: t.connector.serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: `29:${by.aadObjectId}`, aadObjectId: by.aadObjectId },
    recipient: { id: BOT_ID, name: 'Casework' },
    conversation: { id: team.id, conversationType: 'channel', isGroup: true, tenantId: TEAMS_TENANT },
    membersAdded: added,
    channelData: { team: { id: team.id, name: team.name, aadGroupId: `group-${installs}` }, eventType: 'teamMemberAdded', tenant: { id: TEAMS_TENANT } },
  });
}

// The people picker has no static choices (Teams fills it from the directory, as in Microsoft's own
// sample); the generic parser notes that, as test/core/teams/views-render.test.ts records.
const PICKER_NOTE = 'An Input.ChoiceSet must have at least one choice defined.';
function problems(card: unknown): string[] {
  return adaptiveCardProblems(card).filter((p) => p !== PICKER_NOTE);
}

function cardOf(sent: { activity: { attachments?: { content?: unknown }[] } }): any {
  return sent.activity.attachments?.[0]?.content;
}

async function say(user: TeamsUser, text: string): Promise<any> {
  expect((await postActivity(t.teamsMessagesUrl, personalMessage(user, t.connector.serviceUrl, text))).status).toBe(200);
  const [sent] = await t.connector.waitForSent((s) => s.conversationId === `a:personal-${user.aadObjectId}`);
  return cardOf(sent!);
}

async function submit(user: TeamsUser, card: any, answers: Record<string, unknown>): Promise<any> {
  const res = await postActivity(t.teamsMessagesUrl, cardAction(user, t.connector.serviceUrl, 'form.submit', filledIn(card, answers)));
  const body: any = await res.json();
  expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  expect(problems(body.value)).toEqual([]);
  return body.value;
}

function input(card: any, id: string): any {
  return cardInput(card, id);
}

describe('Teams: team onboarding', () => {
  it('registers the team when Casework is added to a team, with the installer as admin, and welcomes it in the General channel', async () => {
    const team = { id: '19:or-new@thread.tacv2', name: 'Westshire MOSOVO' };
    const res = await membersAdded({ aadObjectId: 'aad-or-founder' }, team, [{ id: BOT_ID }]);
    expect(res.status).toBe(200);
    const [sent] = await t.connector.waitForSent(() => true);
    expect(sent!.conversationId).toBe(team.id);
    const welcome = cardOf(sent!);
    expect(adaptiveCardProblems(welcome)).toEqual([]);
    expect(welcome.body[0].text).toBe('Casework is set up for Westshire MOSOVO');
    const flat = JSON.stringify(welcome);
    // Teams sends no name with the install and the bot has no directory: the founder is "Team admin" until renamed.
    expect(flat).toContain('Team admin set up the team and is its first admin.');
    expect(flat).toContain('1. roster add');
    expect(cardIds(welcome).verbs).toEqual(['roster.add', 'policy.open']);

    const row = await t.database.db.selectFrom('teams').selectAll().where('channel_id', '=', team.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'Westshire MOSOVO', channel_platform: 'teams', channel_workspace_id: TEAMS_TENANT, time_zone: 'Europe/London' });
    expect(row.channel_ref).toMatchObject({ conversation: { id: team.id }, serviceUrl: t.connector.serviceUrl });
    const members = await t.database.db.selectFrom('members').selectAll().where('team_id', '=', row.id).execute();
    expect(members).toEqual([expect.objectContaining({ display_name: 'Team admin', roles: ['admin'] })]);
    const identity = await t.database.db.selectFrom('platform_identities').selectAll().where('member_id', '=', members[0]!.id).executeTakeFirstOrThrow();
    expect(identity).toMatchObject({ platform: 'teams', user_id: 'aad-or-founder', workspace_id: TEAMS_TENANT });
    expect(identity.linked_at).not.toBeNull();
  });

  it('ignores other people joining a team', async () => {
    await membersAdded(admin, { id: '19:or-quiet@thread.tacv2', name: 'Quiet' }, [{ id: '29:aad-someone', aadObjectId: 'aad-someone' }]);
    // A later install shows the first event has been handled (each POST waits for its turn).
    await membersAdded(admin, { id: '19:or-later@thread.tacv2', name: 'Later' }, [{ id: BOT_ID }]);
    await t.connector.waitForSent((s) => s.conversationId === '19:or-later@thread.tacv2');
    expect(t.connector.sent().map((s) => s.conversationId)).toEqual(['19:or-later@thread.tacv2']);
    expect(await t.database.db.selectFrom('teams').selectAll().where('channel_id', '=', '19:or-quiet@thread.tacv2').execute()).toEqual([]);
  });

  it('registers a team with "@Casework setup" in a channel, and says which team has it when run again', async () => {
    const channel = { teamId: '19:or-setup-team@thread.tacv2', channelId: '19:or-setup@thread.tacv2' };
    await postActivity(t.teamsMessagesUrl, channelMention({ aadObjectId: 'aad-or-setter', name: 'Sally Setter' }, t.connector.serviceUrl, 'setup Northshire MOSOVO', channel));
    const [welcome] = await t.connector.waitForSent(() => true);
    expect(welcome!.conversationId).toBe(channel.channelId);
    expect(cardOf(welcome!).body[0].text).toBe('Casework is set up for Northshire MOSOVO');
    const team = await t.database.db.selectFrom('teams').selectAll().where('channel_id', '=', channel.channelId).executeTakeFirstOrThrow();
    expect(team.name).toBe('Northshire MOSOVO');

    t.connector.reset();
    await postActivity(t.teamsMessagesUrl, channelMention({ aadObjectId: 'aad-or-other', name: 'Otto Other' }, t.connector.serviceUrl, 'setup', channel));
    const [again] = await t.connector.waitForSent(() => true);
    const flat = JSON.stringify(cardOf(again!));
    expect(cardOf(again!).body[0].text).toBe('This channel belongs to Northshire MOSOVO');
    expect(flat).toContain('Sally Setter');
    expect(flat).toContain('roster add');
  });
});

describe('Teams: roster', () => {
  it('adds a person through the form card with a people picker and a name', async () => {
    const form = await say(admin, 'roster add');
    expect(adaptiveCardProblems(form)).toEqual([PICKER_NOTE]);
    expect(form.body[0].text).toBe('Add a person');
    expect(input(form, 'person')).toMatchObject({ type: 'Input.ChoiceSet', isMultiSelect: false, 'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' } });
    // Unlike Slack (users.info), the bot cannot look a Teams user's name up: the name is required.
    expect(input(form, 'displayName').isRequired).toBe(true);

    const nameless = await submit(admin, form, { person: 'aad-or-newbie', roles: 'officer' });
    expect(cardErrors(nameless)).toEqual({ displayName: 'Enter their name as colleagues should see it.' });
    expect(input(nameless, 'person').value).toBe('aad-or-newbie');
    expect(input(nameless, 'roles').value).toBe('officer');

    const added = await submit(admin, nameless, { displayName: 'Nina Newbie' });
    expect(JSON.stringify(added)).toContain('Nina Newbie is on the');
    const member = await t.database.db.selectFrom('members').selectAll().where('team_id', '=', home.team.id).where('display_name', '=', 'Nina Newbie').executeTakeFirstOrThrow();
    expect(member).toMatchObject({ roles: ['officer'], active: true });
    const identity = await t.database.db.selectFrom('platform_identities').selectAll().where('member_id', '=', member.id).executeTakeFirstOrThrow();
    expect(identity).toMatchObject({ platform: 'teams', workspace_id: TEAMS_TENANT, user_id: 'aad-or-newbie', linked_at: null });
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', member.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['member.added']);

    const dup = await submit(admin, form, { person: officer.aadObjectId, displayName: 'Olivia Again', roles: 'officer' });
    expect(cardErrors(dup)).toEqual({ person: 'Olivia Officer is already on the roster. Use Change on the roster to alter their roles.' });
  });

  it('takes several roles from the tick-boxes as Teams sends them: comma-separated', async () => {
    const form = await say(admin, 'roster add');
    await submit(admin, form, { person: 'aad-or-sup', displayName: 'Sue Supervisor', roles: 'supervisor,officer' });
    const member = await t.database.db.selectFrom('members').selectAll().where('team_id', '=', home.team.id).where('display_name', '=', 'Sue Supervisor').executeTakeFirstOrThrow();
    expect(member.roles).toEqual(['officer', 'supervisor']);
  });

  it('lists the roster for an admin and refuses it to an officer', async () => {
    const list = await say(admin, 'roster');
    expect(adaptiveCardProblems(list)).toEqual([]);
    expect(JSON.stringify(list)).toContain('Olivia Officer');
    expect(cardIds(list).verbs).not.toContain('roster.remove');

    const refused = await say(officer, 'roster');
    expect(JSON.stringify(refused)).toContain('Only team admins can change the roster.');
  });
});

describe('Teams: policy', () => {
  it('shows a bad pattern under its field, then saves a valid change and recalculates the case due date', async () => {
    expect((await t.database.db.selectFrom('cases_with_due_dates').select('visit_due_on').where('id', '=', high.id).executeTakeFirstOrThrow()).visit_due_on).toBe('2027-02-02');
    // `policy` shows the policy in words; an admin's "Edit policy" opens the form.
    const summary = await say(admin, 'policy');
    expect(summary.body[0].text).toBe('Test team 1: policy');
    expect(JSON.stringify(summary)).toContain('Edit policy');
    t.connector.reset();
    expect((await postActivity(t.teamsMessagesUrl, cardAction(admin, t.connector.serviceUrl, 'policy.open', { verb: 'policy.open' }))).status).toBe(200);
    const [sent] = await t.connector.waitForSent((s) => s.conversationId === `a:personal-${admin.aadObjectId}` && JSON.stringify(s.activity).includes('policy.set'));
    const form = cardOf(sent!);
    expect(adaptiveCardProblems(form)).toEqual([]);
    expect(form.body[0].text).toBe('Team policy');
    // Each part of the policy one tap away, its toggle saying what it holds; a part with settings
    // that must be given is never called optional.
    const toggles = form.body.filter((el: any) => el.type === 'ActionSet').map((el: any) => el.actions[0].title);
    expect(toggles).toEqual(['▸ Visit and review intervals (13 answered)', '▸ Reminders, escalation and amendments (3 answered)', '▸ Records and references (1 answered)', '▸ Closure days (optional)']);
    expect(input(form, 'visitHigh')).toMatchObject({ type: 'Input.Number', value: 3 });

    const bad = await submit(admin, form, { externalRefPattern: '(unclosed' });
    expect(Object.keys(cardErrors(bad))).toEqual(['externalRefPattern']);
    expect(cardErrors(bad).externalRefPattern).toMatch(/^That is not a valid regular expression/);
    expect(input(bad, 'externalRefPattern').value).toBe('(unclosed');

    // Some Teams clients send an Input.Number's value as a JSON number rather than text.
    const good = await submit(admin, bad, { visitHigh: 2, externalRefPattern: 'VP\\d{6}' });
    expect(JSON.stringify(good)).toContain('Policy saved. Recalculating the due dates of 1 active case now');
    // The recalculation runs straight after the answer, off the request path.
    await t.app.jobs.drain();
    const row = await t.database.db.selectFrom('cases_with_due_dates').select('visit_due_on').where('id', '=', high.id).executeTakeFirstOrThrow();
    expect(row.visit_due_on).toBe('2026-12-31');
    const team = await t.database.db.selectFrom('teams').select('policy').where('id', '=', home.team.id).executeTakeFirstOrThrow();
    expect(team.policy).toMatchObject({ externalRefPattern: 'VP\\d{6}', intervals: { high: { visitMonths: 2 } } });
  });
});
