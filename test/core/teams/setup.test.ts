import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCasework, type Casework } from '../../../src/core/casework.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import { FEATURES } from '../../../src/core/features.ts';
import type { Reply } from '../../../src/core/interaction.ts';
import { defaultPolicy } from '../../../src/core/policy/policy.ts';
import type { PeopleDirectory } from '../../../src/core/ports.ts';
import type { MessageView } from '../../../src/core/views/message-view.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createKyselyStore } from '../../../src/db/kysely-store.ts';
import { slackDirect, slackInChannel, teamsInChannel } from '../../support/inbound-contexts.ts';
import { createTestDb } from '../../support/test-db.ts';

let db: DatabaseHandle;
let cw: Casework;
const directory: PeopleDirectory = {
  async displayName(platform, _workspace, userId) {
    return platform === 'slack' ? { U0FOUNDER: 'Fiona Founder', U0SECOND: 'Sid Second' }[userId] : undefined;
  },
};

function build(random?: () => number): Casework {
  return createCasework({ store: createKyselyStore(db.db), clock: fixedClock('2026-11-27T10:00:00Z'), directory, ...(random ? { random } : {}) }, FEATURES);
}

function message(reply: Reply): MessageView {
  if (reply.type !== 'message' && reply.type !== 'update') throw new Error(`expected a message, got ${reply.type}`);
  return reply.view;
}

async function teamOf(channelId: string) {
  return db.db.selectFrom('teams').selectAll().where('channel_id', '=', channelId).executeTakeFirst();
}

beforeAll(async () => {
  db = await createTestDb();
  cw = build();
});
afterAll(async () => {
  await db?.close();
});

describe('setup', () => {
  it('registers the channel as a new team with the runner as its only admin, audited', async () => {
    const view = message(await cw.handleText(slackInChannel('U0FOUNDER', 'C0ONE', 'fiona'), 'setup Northshire MOSOVO'));
    expect(view.kind).toBe('team-welcome');
    expect(view.title).toBe('Casework is set up for Northshire MOSOVO');
    expect(view.actions?.map((a) => a.id)).toEqual(['roster.add', 'policy.open']);
    expect(JSON.stringify(view)).toContain('/casework roster add');

    const team = await teamOf('C0ONE');
    expect(team).toMatchObject({ name: 'Northshire MOSOVO', time_zone: 'Europe/London', channel_platform: 'slack', channel_workspace_id: 'T0TEAM', channel_ref: null });
    expect(team!.team_key).toMatch(/^T-[23456789ABCDEFGHJKMNPQRTWXY]{4}$/);
    expect(team!.policy).toEqual(defaultPolicy());

    const members = await db.db.selectFrom('members').selectAll().where('team_id', '=', team!.id).execute();
    expect(members).toHaveLength(1);
    expect(members[0]).toMatchObject({ display_name: 'Fiona Founder', roles: ['admin'], active: true });
    const identity = await db.db.selectFrom('platform_identities').selectAll().where('member_id', '=', members[0]!.id).executeTakeFirstOrThrow();
    expect(identity).toMatchObject({ platform: 'slack', workspace_id: 'T0TEAM', user_id: 'U0FOUNDER' });
    expect(identity.linked_at).not.toBeNull();

    const audit = await db.db.selectFrom('audit_log').selectAll().where('team_id', '=', team!.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['team.created', 'member.added']);
    expect(audit.every((a) => a.actor_member_id === members[0]!.id && a.actor_label === 'slack:T0TEAM/U0FOUNDER')).toBe(true);
  });

  it('answers setup in a channel that already has a team with the team and its admins, changing nothing', async () => {
    const asAdmin = message(await cw.handleText(slackInChannel('U0FOUNDER', 'C0ONE'), 'setup Another name'));
    expect(asAdmin.kind).toBe('team-already-registered');
    expect(asAdmin.title).toBe('This channel belongs to Northshire MOSOVO');
    expect(JSON.stringify(asAdmin.facts)).toContain('Fiona Founder');
    expect(asAdmin.paragraphs?.[0]).toContain('You are an admin');

    const asStranger = message(await cw.handleText(slackInChannel('U0STRANGER', 'C0ONE'), 'setup'));
    expect(asStranger.paragraphs?.[0]).toContain('ask its admin to add you with /casework roster add');
    const teams = await db.db.selectFrom('teams').selectAll().where('channel_id', '=', 'C0ONE').execute();
    expect(teams).toHaveLength(1);
    expect(teams[0]!.name).toBe('Northshire MOSOVO');
  });

  it('explains that setup belongs in the team channel when run in a direct chat', async () => {
    const view = message(await cw.handleText(slackDirect('U0FOUNDER'), 'setup'));
    expect(view.kind).toBe('setup-needs-channel');
    expect(view.paragraphs?.join(' ')).toContain('not in a direct chat');
  });

  it('names the team after the channel, or "MOSOVO team" when nothing is known', async () => {
    message(await cw.botAddedToChannel(slackInChannel('U0SECOND', 'C0TWO'), { channelName: 'mosovo-west' }));
    expect((await teamOf('C0TWO'))!.name).toBe('mosovo-west');
    message(await cw.handleText(slackInChannel('U0SECOND', 'C0THREE'), 'setup'));
    expect((await teamOf('C0THREE'))!.name).toBe('MOSOVO team');
  });

  it('registers a Teams team from the install event: team name, installer as admin, channel reference kept', async () => {
    const ctx = teamsInChannel('aad-installer', '19:general@thread.tacv2', 'Ines Installer');
    const view = message(await cw.botAddedToChannel(ctx, { teamName: 'East MOSOVO', channelName: 'General' }));
    expect(view.kind).toBe('team-welcome');
    expect(JSON.stringify(view)).toContain('roster add');
    const team = await teamOf('19:general@thread.tacv2');
    expect(team).toMatchObject({ name: 'East MOSOVO', channel_platform: 'teams' });
    expect(team!.channel_ref).toEqual(ctx.conversationRef);
    const member = await db.db.selectFrom('members').selectAll().where('team_id', '=', team!.id).executeTakeFirstOrThrow();
    // Teams has no directory here: the name comes from the activity.
    expect(member).toMatchObject({ display_name: 'Ines Installer', roles: ['admin'] });
  });

  it('creates one team when two registrations for the same channel race', async () => {
    const [a, b] = await Promise.all([
      cw.botAddedToChannel(slackInChannel('U0FOUNDER', 'C0RACE'), { channelName: 'race' }),
      cw.handleText(slackInChannel('U0SECOND', 'C0RACE'), 'setup'),
    ]);
    expect([message(a).kind, message(b).kind].sort()).toEqual(['team-already-registered', 'team-welcome']);
    expect(await db.db.selectFrom('teams').selectAll().where('channel_id', '=', 'C0RACE').execute()).toHaveLength(1);
  });

  it('gives every team a unique key, lengthening it when the short ones clash', async () => {
    const stuck = build(() => 0);
    message(await stuck.handleText(slackInChannel('U0FOUNDER', 'C0KEY1'), 'setup'));
    message(await stuck.handleText(slackInChannel('U0FOUNDER', 'C0KEY2'), 'setup'));
    expect((await teamOf('C0KEY1'))!.team_key).toBe('T-2222');
    expect((await teamOf('C0KEY2'))!.team_key).toBe('T-22222');
  });

  it('lets the new admin act straight away: roster shows them, linked on Slack', async () => {
    const view = message(await cw.handleText(slackInChannel('U0FOUNDER', 'C0ONE'), 'roster'));
    expect(view.kind).toBe('roster');
    expect(view.sections?.[0]?.heading).toBe('Fiona Founder');
    expect(JSON.stringify(view.sections?.[0]?.facts)).toContain('"Linked on","value":"Slack"');
  });
});
