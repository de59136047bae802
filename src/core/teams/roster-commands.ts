/**
 * The roster feature in chat: `roster` (the team list, for admins), adding a person, changing a
 * member's name, roles and supervisor, removing a member (marked inactive, never deleted, so the
 * audit trail keeps pointing at them), and `me`. Every change is authorised and audited in the
 * same transaction; the team is never left without an admin.
 */
import { authorize, type Actor } from '../access/permissions.ts';
import type { ParsedCommand } from '../commands/parse-command.ts';
import type { Feature } from '../commands/registry.ts';
import type { Member } from '../domain/entities.ts';
import { DomainError } from '../errors.ts';
import { readForm, withErrors } from '../forms/form-runtime.ts';
import type { Platform, Reply } from '../interaction.ts';
import type { Repositories } from '../ports.ts';
import { asActor, audit, type CoreRequest, type Services } from '../services.ts';
import type { MessageView } from '../views/message-view.ts';
import { linkState } from '../people/people-import.ts';
import { declareRosterAddForm, declareRosterEditForm, ROSTER_ADD_FORM, ROSTER_EDIT_FORM, rosterAddForm, rosterEditForm } from './roster-form.ts';
import { leaverQuestionView } from './leaver-views.ts';
import { meView, memberSavedView, removeConfirmView, ROSTER_ACTIONS, ROSTER_PAGE_SIZE, rosterView } from './roster-views.ts';

const MEMBER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether the platform's directory can tell a person's name from their id. Slack can (users.info);
 * a Teams picker gives an AAD object id whose name needs Microsoft Graph, which the bot does not use.
 */
function directoryKnowsNames(services: Services, platform: Platform): boolean {
  return Boolean(services.directory) && platform === 'slack';
}

/** What an audit row keeps of a member. */
export function auditableMember(m: Member): Record<string, unknown> {
  return { displayName: m.displayName, roles: m.roles, supervisorMemberId: m.supervisorMemberId, active: m.active };
}

export async function loadMember(repos: Repositories, actor: Actor, memberId: string | undefined): Promise<Member> {
  const member = memberId && MEMBER_ID.test(memberId) ? await repos.members.findById(memberId) : undefined;
  if (!member || member.teamId !== actor.team.id || !member.active) {
    throw new DomainError('member_not_found', `That person is not on the ${actor.team.name} roster any more. Run roster to see who is.`, { memberId });
  }
  return member;
}

/** True when `member` is the team's only active admin. */
export async function isLastAdmin(repos: Repositories, member: Member): Promise<boolean> {
  if (!member.roles.includes('admin')) return false;
  const admins = (await repos.members.listByTeam(member.teamId)).filter((m) => m.roles.includes('admin'));
  return admins.every((a) => a.id === member.id);
}

export function lastAdminMessage(member: Member): string {
  return `${member.displayName} is the team's only admin. Make someone else an admin first, so the team is never left without one.`;
}

export async function rosterPage(repos: Repositories, actor: Actor, page: number, notice?: MessageView['notice']): Promise<MessageView> {
  const everyone = await repos.members.listByTeam(actor.team.id, { includeInactive: true });
  const active = everyone.filter((m) => m.active);
  const pages = Math.max(1, Math.ceil(active.length / ROSTER_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const shown = active.slice((current - 1) * ROSTER_PAGE_SIZE, current * ROSTER_PAGE_SIZE);
  // Every identity in one read: the page's, and who on the whole roster is not yet linked.
  const identities = await repos.members.identitiesOfTeam(actor.team.id);
  const entries = shown.map((member) => ({ member, identities: identities.filter((i) => i.memberId === member.id) }));
  const notLinked = active.filter((m) => linkState(m, identities) === 'not yet linked').length;
  const names = new Map(everyone.map((m) => [m.id, m]));
  return rosterView(actor.team, entries, names, { page: current, pages, total: active.length, notLinked }, notice);
}

function listRoster(req: CoreRequest, page: number, type: 'message' | 'update' = 'message'): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    authorize(actor, 'roster.manage');
    return { type, view: await rosterPage(repos, actor, page) };
  });
}

function openAdd(req: CoreRequest): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    authorize(actor, 'roster.manage');
    const members = await repos.members.listByTeam(actor.team.id);
    // The team's own Teams channel lists the people most likely to be added.
    const channel = actor.team.channel;
    const peopleFrom = channel?.platform === 'teams' && req.ctx.user.platform === 'teams' ? channel.channelId : undefined;
    return { type: 'form', form: rosterAddForm({ members, nameRequired: !directoryKnowsNames(req.services, req.ctx.user.platform), ...(peopleFrom ? { peopleFrom } : {}) }) };
  });
}

/** Asks the platform for the person's name when the form left it blank (before any transaction). */
async function lookUpName(req: CoreRequest, raw: Record<string, unknown>): Promise<string | undefined> {
  const { directory } = req.services;
  const person = typeof raw.person === 'string' ? raw.person.trim() : '';
  const typed = typeof raw.displayName === 'string' ? raw.displayName.trim() : '';
  if (!directory || !person || typed) return undefined;
  const name = await directory.displayName(req.ctx.user.platform, req.ctx.user.workspaceId, person).catch(() => undefined);
  return name?.replace(/\s+/g, ' ').trim().slice(0, 80) || undefined;
}

async function submitAdd(req: CoreRequest, raw: Record<string, unknown>): Promise<Reply> {
  const lookedUp = await lookUpName(req, raw);
  return asActor(req, async (repos, actor) => {
    authorize(actor, 'roster.manage');
    const members = await repos.members.listByTeam(actor.team.id);
    const nameRequired = !directoryKnowsNames(req.services, req.ctx.user.platform);
    const form = rosterAddForm({ members, nameRequired });
    const parsed = readForm(form, raw, declareRosterAddForm({ members, nameRequired }));
    if (!parsed.ok) return parsed.reply;
    const { values } = parsed;
    const v = parsed.data;
    const { platform, workspaceId } = req.ctx.user;
    const person = v.person as string;
    const known = (await repos.members.findIdentities(platform, workspaceId, person)).find((i) => i.teamId === actor.team.id);
    const previous = known ? await repos.members.findById(known.memberId) : undefined;
    if (previous?.active) {
      return { type: 'form-invalid', form: withErrors(form, values, { person: `${previous.displayName} is already on the roster. Use Change on the roster to alter their roles.` }) };
    }
    const displayName = v.displayName ?? lookedUp;
    if (!displayName) {
      return { type: 'form-invalid', form: withErrors(form, values, { displayName: 'Casework could not look up their name: enter it as colleagues should see it.' }) };
    }
    const fields = { displayName, roles: v.roles, supervisorMemberId: v.supervisorId };
    // Someone removed earlier comes back as the same member, so their history stays in one place.
    const member = previous
      ? await repos.members.update(previous.id, { ...fields, active: true })
      : await repos.members.create({ teamId: actor.team.id, ...fields });
    await repos.members.upsertIdentity(member.id, actor.team.id, { platform, workspaceId, userId: person, displayName: lookedUp ?? null }, false);
    await audit(repos, actor, {
      action: 'member.added',
      entityType: 'member',
      entityId: member.id,
      ...(previous ? { before: auditableMember(previous) } : {}),
      after: { ...auditableMember(member), identity: { platform, linked: Boolean(known?.linked) } },
      ...(previous ? { reason: 'Rejoined the team' } : {}),
    });
    const names = new Map((await repos.members.listByTeam(actor.team.id, { includeInactive: true })).map((m) => [m.id, m]));
    return { type: 'message', view: memberSavedView(actor.team, member, names, 'added', req.ctx.commandPrefix) };
  });
}

function openEdit(req: CoreRequest, memberId: string | undefined): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    authorize(actor, 'roster.manage');
    const member = await loadMember(repos, actor, memberId);
    const members = await repos.members.listByTeam(actor.team.id);
    return { type: 'form', form: rosterEditForm(members, member) };
  });
}

function submitEdit(req: CoreRequest, raw: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    authorize(actor, 'roster.manage');
    const member = await loadMember(repos, actor, context.memberId);
    const members = await repos.members.listByTeam(actor.team.id);
    const form = rosterEditForm(members, member, {});
    const parsed = readForm(form, raw, declareRosterEditForm(members, member));
    if (!parsed.ok) return parsed.reply;
    const { values } = parsed;
    const v = parsed.data;
    if (!v.roles.includes('admin') && (await isLastAdmin(repos, member))) {
      return { type: 'form-invalid', form: withErrors(form, values, { roles: lastAdminMessage(member) }) };
    }
    const updated = await repos.members.update(member.id, { displayName: v.displayName ?? member.displayName, roles: v.roles, supervisorMemberId: v.supervisorId });
    await audit(repos, actor, { action: 'member.updated', entityType: 'member', entityId: member.id, before: auditableMember(member), after: auditableMember(updated) });
    const names = new Map((await repos.members.listByTeam(actor.team.id, { includeInactive: true })).map((m) => [m.id, m]));
    return { type: 'message', view: memberSavedView(actor.team, updated, names, 'updated', req.ctx.commandPrefix) };
  });
}

/** Marks a member inactive (never deleted: the audit trail keeps pointing at them), audited. */
export async function removeMember(repos: Repositories, actor: Actor, member: Member, reason?: string): Promise<Member> {
  const removed = await repos.members.update(member.id, { active: false });
  await audit(repos, actor, { action: 'member.removed', entityType: 'member', entityId: member.id, before: auditableMember(member), after: auditableMember(removed), ...(reason ? { reason } : {}) });
  return removed;
}

function askRemove(req: CoreRequest, memberId: string | undefined): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    authorize(actor, 'roster.manage');
    const member = await loadMember(repos, actor, memberId);
    if (await isLastAdmin(repos, member)) throw new DomainError('conflict', lastAdminMessage(member));
    // Someone who still leads or supervises active cases is asked about first: where do they go?
    const holds = await repos.reassignment.holds(actor.team.id, member.id);
    if (holds.leads + holds.supervises > 0) return { type: 'message', view: leaverQuestionView(member, holds, await lineManagedBy(repos, member)) };
    return removeConfirmReply(repos, actor, member);
  });
}

/** "Remove this person?" for someone who leads and supervises nothing, with the cases they co-work. */
export async function removeConfirmReply(repos: Repositories, actor: Actor, member: Member): Promise<Reply> {
  const cases = await repos.cases.list(actor.team.id, { memberId: member.id, status: 'active', offset: 0, limit: 1 });
  return { type: 'message', view: removeConfirmView(member, cases.total, await lineManagedBy(repos, member)) };
}

/** How many active members have `member` as their supervisor. */
export async function lineManagedBy(repos: Repositories, member: Member): Promise<number> {
  return (await repos.members.listByTeam(member.teamId)).filter((m) => m.supervisorMemberId === member.id).length;
}

function confirmRemove(req: CoreRequest, memberId: string | undefined): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    authorize(actor, 'roster.manage');
    const found = memberId && MEMBER_ID.test(memberId) ? await repos.members.findById(memberId) : undefined;
    if (found && found.teamId === actor.team.id && !found.active) {
      // A second press of the same button: already done, so just show where things stand.
      return { type: 'update', view: await rosterPage(repos, actor, 1, { tone: 'info', text: `${found.displayName} was already removed from the roster.` }) };
    }
    const member = await loadMember(repos, actor, memberId);
    if (await isLastAdmin(repos, member)) throw new DomainError('conflict', lastAdminMessage(member));
    // Never removed while cases are still with them (a confirmation from before they were given some).
    const holds = await repos.reassignment.holds(actor.team.id, member.id);
    if (holds.leads + holds.supervises > 0) return { type: 'update', view: leaverQuestionView(member, holds, await lineManagedBy(repos, member)) };
    await removeMember(repos, actor, member);
    return { type: 'update', view: await rosterPage(repos, actor, 1, { tone: 'info', text: `${member.displayName} was removed from the roster. Their past work stays in the record.` }) };
  });
}

function showMe(req: CoreRequest): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const identities = await repos.members.identitiesOf(actor.member.id);
    const supervisor = actor.member.supervisorMemberId ? await repos.members.findById(actor.member.supervisorMemberId) : undefined;
    return { type: 'message', view: meView(actor.team, actor.member, supervisor, identities) };
  });
}

function pageOf(value: string | undefined): number {
  const n = Number(value);
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
}

function rosterCommand(req: CoreRequest, cmd: ParsedCommand): Promise<Reply> {
  const sub = cmd.args[0]?.toLowerCase();
  if (sub === 'add') return openAdd(req);
  return listRoster(req, pageOf(cmd.args.find((a) => /^\d+$/.test(a))));
}

/** The roster feature. */
export const rosterFeature: Feature = {
  commands: [
    {
      name: 'roster',
      audience: ['admin'],
      usage: 'roster [page] | roster add',
      summary: "Admins: see the team's members and roles, add people, change or remove them.",
      opensForm: (cmd) => (cmd.args[0]?.toLowerCase() === 'add' ? 'Add a person' : null),
      run: rosterCommand,
    },
    { name: 'me', usage: 'me', summary: 'See your team, roles, supervisor, reminder time and linked chat accounts.', run: showMe },
  ],
  actions: [
    { id: ROSTER_ACTIONS.add, opensForm: () => 'Add a person', run: (req) => openAdd(req) },
    { id: ROSTER_ACTIONS.edit, opensForm: () => 'Change member', run: (req, value) => openEdit(req, value.memberId) },
    { id: ROSTER_ACTIONS.remove, run: (req, value) => askRemove(req, value.memberId) },
    { id: ROSTER_ACTIONS.removeConfirm, run: (req, value) => confirmRemove(req, value.memberId) },
    // "Keep them" on the removal question: the roster takes the question's place.
    { id: ROSTER_ACTIONS.show, run: (req) => listRoster(req, 1, 'update') },
    { id: ROSTER_ACTIONS.page, run: (req, value) => listRoster(req, pageOf(value.page)) },
  ],
  forms: [
    { id: ROSTER_ADD_FORM, submit: (req, raw) => submitAdd(req, raw) },
    { id: ROSTER_EDIT_FORM, submit: (req, raw, context) => submitEdit(req, raw, context) },
  ],
};
