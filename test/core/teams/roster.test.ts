import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCasework, type Casework } from '../../../src/core/casework.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import { FEATURES } from '../../../src/core/features.ts';
import type { InboundContext, Reply } from '../../../src/core/interaction.ts';
import type { PeopleDirectory } from '../../../src/core/ports.ts';
import type { FormView } from '../../../src/core/views/form-view.ts';
import type { MessageView } from '../../../src/core/views/message-view.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createKyselyStore } from '../../../src/db/kysely-store.ts';
import { seedCase, seedTeam, type SeededTeam } from '../../support/factories.ts';
import { slackDirect, slackInChannel, teamsDirect } from '../../support/inbound-contexts.ts';
import { createTestDb } from '../../support/test-db.ts';

let db: DatabaseHandle;
let cw: Casework;
let home: SeededTeam;
let other: SeededTeam;
const CHANNEL = 'C0ROSTER';
const directory: PeopleDirectory = {
  async displayName(platform, _workspace, userId) {
    if (platform !== 'slack') return undefined;
    if (userId === 'U0BROKEN') throw new Error('users.info failed');
    return { U0NEW: 'Nina Newcomer', U0SUPER2: 'Sue Second' }[userId];
  },
};

const admin = (): InboundContext => slackInChannel('U0ADMIN', CHANNEL);
const officer = (): InboundContext => slackInChannel('U0OFF', CHANNEL);

function message(reply: Reply): MessageView {
  if (reply.type !== 'message' && reply.type !== 'update') throw new Error(`expected a message, got ${reply.type}`);
  return reply.view;
}
function form(reply: Reply): FormView {
  if (reply.type !== 'form' && reply.type !== 'form-invalid') throw new Error(`expected a form, got ${reply.type}`);
  return reply.form;
}
async function memberRow(name: string) {
  return db.db.selectFrom('members').selectAll().where('team_id', '=', home.team.id).where('display_name', '=', name).executeTakeFirstOrThrow();
}
async function auditFor(entityId: string) {
  return db.db.selectFrom('audit_log').selectAll().where('entity_id', '=', entityId).orderBy('id').execute();
}

beforeAll(async () => {
  db = await createTestDb();
  cw = createCasework({ store: createKyselyStore(db.db), clock: fixedClock('2026-11-27T10:00:00Z'), directory }, FEATURES);
  home = await seedTeam(db.db, {
    channel: { platform: 'slack', workspaceId: 'T0TEAM', channelId: CHANNEL },
    people: [
      { name: 'Ada Admin', roles: ['admin'], slackUserId: 'U0ADMIN' },
      { name: 'Olivia Officer', roles: ['officer'], slackUserId: 'U0OFF' },
      { name: 'Sam Supervisor', roles: ['officer', 'supervisor'], slackUserId: 'U0SUP', teamsUserId: 'aad-sam' },
    ],
  });
  other = await seedTeam(db.db, { people: [{ name: 'Elsewhere', roles: ['admin'], slackUserId: 'U0ELSE' }] });
});
afterAll(async () => {
  await db?.close();
});

describe('roster', () => {
  it('lists active members with roles, supervisor and linked platforms, with one Change each (removing is inside it)', async () => {
    const view = message(await cw.handleText(admin(), 'roster'));
    expect(view.kind).toBe('roster');
    expect(view.sections?.map((s) => s.heading)).toEqual(['Ada Admin', 'Olivia Officer', 'Sam Supervisor']);
    const sam = view.sections![2]!;
    expect(sam.facts).toContainEqual({ label: 'Roles', value: 'Officer, Supervisor' });
    expect(sam.facts).toContainEqual({ label: 'Linked on', value: 'Slack, Teams' });
    expect(sam.actions?.map((a) => a.id)).toEqual(['roster.edit']);
    const change = form(await cw.handleAction(admin(), 'roster.edit', { memberId: home.members['Sam Supervisor']!.id }));
    expect(change.secondaryActions).toEqual([{ id: 'roster.remove', label: 'Remove from roster', value: { memberId: home.members['Sam Supervisor']!.id }, style: 'danger' }]);
    expect(view.actions?.[0]?.id).toBe('roster.add');
  });

  it('refuses the roster to an officer', async () => {
    await expect(cw.handleText(officer(), 'roster')).rejects.toMatchObject({ code: 'not_authorised', message: 'Only team admins can change the roster.' });
    await expect(cw.handleAction(officer(), 'roster.add', {})).rejects.toMatchObject({ code: 'not_authorised' });
  });

  it('opens the add form with a people picker; the name is optional where the directory can tell it', async () => {
    expect(cw.formTitleFor({ text: 'roster add' })).toBe('Add a person');
    const slackForm = form(await cw.handleText(admin(), 'roster add'));
    expect(slackForm.id).toBe('roster.add');
    expect(slackForm.fields.map((f) => [f.id, f.kind, f.required])).toEqual([
      ['person', 'user', true],
      ['displayName', 'text', false],
      ['roles', 'checkboxes', true],
      ['supervisorId', 'select', false],
    ]);
    expect(slackForm.fields[3]!.options?.map((o) => o.label)).toEqual(['No supervisor', 'Sam Supervisor']);
  });

  it('asks a Teams admin for the name, since Teams cannot look it up', async () => {
    const teamsAdmin = await seedTeam(db.db, { people: [{ name: 'Tia Teams', roles: ['admin'], teamsUserId: 'aad-tia' }] });
    const f = form(await cw.handleText(teamsDirect('aad-tia'), 'roster add'));
    expect(f.fields.find((x) => x.id === 'displayName')?.required).toBe(true);
    const bad = form(await cw.submitForm(teamsDirect('aad-tia'), 'roster.add', { person: '6f1c2d3e-0000-4000-8000-00000000abcd', roles: 'officer' }, {}));
    expect(bad.errors.displayName).toMatch(/Enter their name/);
    const ok = message(await cw.submitForm(teamsDirect('aad-tia'), 'roster.add', { person: '6f1c2d3e-0000-4000-8000-00000000abcd', displayName: 'DC Jo Bloggs', roles: 'officer,supervisor' }, {}));
    expect(ok.title).toBe('DC Jo Bloggs added');
    const identity = await db.db.selectFrom('platform_identities').selectAll().where('user_id', '=', '6f1c2d3e-0000-4000-8000-00000000abcd').executeTakeFirstOrThrow();
    expect(identity).toMatchObject({ platform: 'teams', team_id: teamsAdmin.team.id, linked_at: null });
  });

  it('adds a person with the name from the directory and an unlinked identity; they link on first contact', async () => {
    const sam = home.members['Sam Supervisor']!;
    const reply = message(await cw.submitForm(admin(), 'roster.add', { person: 'U0NEW', displayName: '', roles: ['officer'], supervisorId: sam.id }, {}));
    expect(reply.kind).toBe('roster-member-saved');
    expect(reply.title).toBe('Nina Newcomer added');
    const row = await memberRow('Nina Newcomer');
    expect(row).toMatchObject({ roles: ['officer'], supervisor_member_id: sam.id, active: true });
    const identity = await db.db.selectFrom('platform_identities').selectAll().where('member_id', '=', row.id).executeTakeFirstOrThrow();
    expect(identity).toMatchObject({ platform: 'slack', workspace_id: 'T0TEAM', user_id: 'U0NEW', linked_at: null });
    const audit = await auditFor(row.id);
    expect(audit.map((a) => a.action)).toEqual(['member.added']);
    expect(audit[0]!.after).toMatchObject({ displayName: 'Nina Newcomer', roles: ['officer'], identity: { platform: 'slack', linked: false } });

    const me = message(await cw.handleText(slackDirect('U0NEW'), 'me'));
    expect(me.kind).toBe('me');
    expect(me.facts).toEqual(
      expect.arrayContaining([
        { label: 'Roles', value: 'Officer' },
        { label: 'Supervisor', value: 'Sam Supervisor' },
        { label: 'Reminders at', value: '08:30 (Europe/London), on working days' },
        { label: 'Linked on', value: 'Slack' },
      ]),
    );
    expect((await auditFor(row.id)).map((a) => a.action)).toEqual(['member.added', 'identity.linked']);
  });

  it('rejects someone already on the roster, and checks roles and supervisor', async () => {
    const again = form(await cw.submitForm(admin(), 'roster.add', { person: 'U0OFF', roles: ['officer'] }, {}));
    expect(again.errors.person).toBe('Olivia Officer is already on the roster. Use Change on the roster to alter their roles.');
    const bad = form(await cw.submitForm(admin(), 'roster.add', { person: 'U0OTHER', displayName: 'Pat', roles: [], supervisorId: home.members['Olivia Officer']!.id }, {}));
    expect(bad.errors.roles).toBe('Tick at least one role.');
    expect(bad.errors.supervisorId).toBe('Choose a supervisor from your team.');
    expect(bad.values.displayName).toBe('Pat');
  });

  it('asks for the name when the directory cannot give one', async () => {
    const f = form(await cw.submitForm(admin(), 'roster.add', { person: 'U0BROKEN', roles: ['officer'] }, {}));
    expect(f.errors.displayName).toMatch(/could not look up their name/);
  });

  it('changes a member, auditing before and after, and never leaves the team without an admin', async () => {
    const olivia = home.members['Olivia Officer']!;
    const edit = form(await cw.handleAction(admin(), 'roster.edit', { memberId: olivia.id }));
    expect(edit.values).toMatchObject({ displayName: 'Olivia Officer', roles: ['officer'], supervisorId: 'none' });
    expect(edit.context).toEqual({ memberId: olivia.id });
    const saved = message(await cw.submitForm(admin(), 'roster.edit', { displayName: 'Olivia  Officer-Smith', roles: ['officer', 'supervisor'], supervisorId: 'none' }, { memberId: olivia.id }));
    expect(saved.title).toBe('Olivia Officer-Smith updated');
    const audit = (await auditFor(olivia.id)).filter((a) => a.action === 'member.updated');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.before).toMatchObject({ displayName: 'Olivia Officer', roles: ['officer'] });
    expect(audit[0]!.after).toMatchObject({ displayName: 'Olivia Officer-Smith', roles: ['officer', 'supervisor'] });

    const ada = home.members['Ada Admin']!;
    const lastAdmin = form(await cw.submitForm(admin(), 'roster.edit', { displayName: 'Ada Admin', roles: ['officer'] }, { memberId: ada.id }));
    expect(lastAdmin.errors.roles).toMatch(/only admin/);
    const self = form(await cw.submitForm(admin(), 'roster.edit', { displayName: 'Sam Supervisor', roles: ['supervisor'], supervisorId: home.members['Sam Supervisor']!.id }, { memberId: home.members['Sam Supervisor']!.id }));
    expect(self.errors.supervisorId).toMatch(/not the person themselves/);
  });

  it('refuses to touch a member of another team, or a made-up id', async () => {
    await expect(cw.handleAction(admin(), 'roster.edit', { memberId: other.members['Elsewhere']!.id })).rejects.toMatchObject({ code: 'member_not_found' });
    await expect(cw.handleAction(admin(), 'roster.remove', { memberId: 'not-a-uuid' })).rejects.toMatchObject({ code: 'member_not_found' });
  });

  it('removes a member after confirmation: inactive, audited, no longer able to act; a second press changes nothing', async () => {
    const sam = home.members['Sam Supervisor']!;
    // Leading or supervising cases asks where they go first (test/core/teams/leavers.test.ts); co-working does not.
    await seedCase(db.db, home.team, { leadOfficerId: home.members['Olivia Officer']!.id, coworkerIds: [sam.id] });
    const confirm = message(await cw.handleAction(admin(), 'roster.remove', { memberId: sam.id }));
    expect(confirm.kind).toBe('roster-remove-confirm');
    expect(confirm.paragraphs?.join(' ')).toContain('They co-work 1 active case; the lead officer keeps it.');
    expect(confirm.actions?.map((a) => a.id)).toEqual(['roster.remove_confirm', 'roster.show']);

    const done = await cw.handleAction(admin(), 'roster.remove_confirm', { memberId: sam.id });
    expect(done.type).toBe('update');
    expect(message(done).notice?.text).toContain('Sam Supervisor was removed');
    expect(message(done).sections?.map((s) => s.heading)).not.toContain('Sam Supervisor');
    const row = await db.db.selectFrom('members').selectAll().where('id', '=', sam.id).executeTakeFirstOrThrow();
    expect(row.active).toBe(false);
    expect((await auditFor(sam.id)).map((a) => a.action)).toContain('member.removed');
    await expect(cw.handleText(slackDirect('U0SUP'), 'me')).rejects.toMatchObject({ code: 'not_a_member' });

    const again = message(await cw.handleAction(admin(), 'roster.remove_confirm', { memberId: sam.id }));
    expect(again.notice?.text).toBe('Sam Supervisor was already removed from the roster.');
    expect((await auditFor(sam.id)).filter((a) => a.action === 'member.removed')).toHaveLength(1);
  });

  it('brings a removed person back as the same member', async () => {
    const sam = home.members['Sam Supervisor']!;
    message(await cw.submitForm(admin(), 'roster.add', { person: 'U0SUP', displayName: 'Sam Supervisor', roles: ['supervisor'] }, {}));
    const row = await db.db.selectFrom('members').selectAll().where('id', '=', sam.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ active: true, roles: ['supervisor'] });
    const added = (await auditFor(sam.id)).filter((a) => a.action === 'member.added');
    expect(added.at(-1)).toMatchObject({ reason: 'Rejoined the team' });
  });

  it('refuses to remove the last admin', async () => {
    await expect(cw.handleAction(admin(), 'roster.remove', { memberId: home.members['Ada Admin']!.id })).rejects.toMatchObject({ code: 'conflict' });
    await expect(cw.handleAction(admin(), 'roster.remove_confirm', { memberId: home.members['Ada Admin']!.id })).rejects.toMatchObject({ code: 'conflict' });
  });
});
