/**
 * The roster's messages: the team list with its buttons, the confirmation after a change, the
 * "remove this person?" question, and `me` (a member's own view of their place in the team).
 */
import type { Member, PlatformIdentity, Role, Team } from '../domain/entities.ts';
import { roleLabels } from '../domain/entities.ts';
import type { Platform } from '../interaction.ts';
import type { ActionView, MessageView, SectionView } from '../views/message-view.ts';
import { ROSTER_ADD_ACTION } from './setup-views.ts';

/** Action ids of the roster's buttons. */
export const ROSTER_ACTIONS = {
  add: ROSTER_ADD_ACTION,
  edit: 'roster.edit',
  remove: 'roster.remove',
  removeConfirm: 'roster.remove_confirm',
  show: 'roster.show',
  page: 'roster.page',
} as const;

/** Members shown per roster page: four blocks each keeps a Slack message under its 50 blocks. */
export const ROSTER_PAGE_SIZE = 10;

const PLATFORM_LABELS: Record<Platform, string> = { slack: 'Slack', teams: 'Teams' };

/** 'Officer, Supervisor' for a list of roles. */
export function rolesText(roles: readonly Role[]): string {
  return roles.map((r) => roleLabels[r]).join(', ') || 'None';
}

/** 'Slack, Teams', or how linking happens when nothing is linked yet. */
export function linkedText(identities: readonly PlatformIdentity[], member?: Pick<Member, 'email'>): string {
  const linked = [...new Set(identities.filter((i) => i.linked).map((i) => PLATFORM_LABELS[i.platform]))];
  if (linked.length > 0) return linked.join(', ');
  if (identities.length === 0 && member?.email) {
    return 'Not yet linked: by their email when they first message Casework or join the team channel (reminders wait until then)';
  }
  return identities.length > 0 ? 'Not yet: linked when they first message Casework' : 'No chat account on file';
}

/** A roster member with what the list shows about them. */
export interface RosterEntry {
  member: Member;
  identities: PlatformIdentity[];
}

function supervisorName(names: ReadonlyMap<string, Member>, id: string | null): string {
  if (!id) return 'None';
  return names.get(id)?.displayName ?? 'Former member';
}

/** The roster, a page at a time: one Change per member (removing is inside it) and Add a person. */
export function rosterView(
  team: Team,
  entries: readonly RosterEntry[],
  names: ReadonlyMap<string, Member>,
  paging: { page: number; pages: number; total: number; notLinked?: number },
  notice?: MessageView['notice'],
): MessageView {
  const sections: SectionView[] = entries.map(({ member, identities }) => ({
    heading: member.displayName,
    facts: [
      { label: 'Roles', value: rolesText(member.roles) },
      { label: 'Supervisor', value: supervisorName(names, member.supervisorMemberId) },
      { label: 'Linked on', value: linkedText(identities, member) },
    ],
    actions: [{ id: ROSTER_ACTIONS.edit, label: 'Change', value: { memberId: member.id } }],
  }));
  const actions: ActionView[] = [{ id: ROSTER_ACTIONS.add, label: 'Add a person', style: 'primary' }];
  if (paging.page > 1) actions.push({ id: ROSTER_ACTIONS.page, label: 'Previous page', value: { page: String(paging.page - 1) } });
  if (paging.page < paging.pages) actions.push({ id: ROSTER_ACTIONS.page, label: 'Next page', value: { page: String(paging.page + 1) } });
  const view: MessageView = {
    kind: 'roster',
    title: `${team.name}: roster`,
    subtitle: `${paging.total} member${paging.total === 1 ? '' : 's'}${paging.notLinked ? ` · ${paging.notLinked} not yet linked` : ''} · page ${paging.page} of ${paging.pages}`,
    sections,
    actions,
    footer: 'To remove someone, open Change. Removed members stay in the audit trail; they lose access at once.',
  };
  if (notice) view.notice = notice;
  return view;
}

/** The confirmation after adding or changing a member. */
export function memberSavedView(team: Team, member: Member, names: ReadonlyMap<string, Member>, verb: 'added' | 'updated', prefix: string | undefined): MessageView {
  return {
    kind: 'roster-member-saved',
    title: verb === 'added' ? `${member.displayName} added` : `${member.displayName} updated`,
    notice: {
      tone: 'info',
      text: verb === 'added' ? `${member.displayName} is on the ${team.name} roster. They are linked the first time they message Casework.` : 'The change is recorded in the audit trail.',
    },
    facts: [
      { label: 'Roles', value: rolesText(member.roles) },
      { label: 'Supervisor', value: supervisorName(names, member.supervisorMemberId) },
    ],
    paragraphs: [`Run ${prefix ? `${prefix} ` : ''}roster to see the whole team.`],
  };
}

/** Said when the person is the supervisor of record of officers: that is changed on the roster, not moved with the cases. */
export function lineManagedText(officers: number): string {
  return `They are also the supervisor of ${officers} officer${officers === 1 ? '' : 's'} on the roster: choose a new supervisor for ${officers === 1 ? 'them' : 'each'} with Change on the roster.`;
}

/** The question before removing someone who leads and supervises nothing, with the cases they co-work. */
export function removeConfirmView(member: Member, activeCases: number, lineManaged = 0): MessageView {
  const paragraphs = ['They lose access to Casework at once. Their past work stays in the record under their name.'];
  if (lineManaged > 0) paragraphs.push(lineManagedText(lineManaged));
  if (activeCases > 0) {
    paragraphs.push(`They co-work ${activeCases} active case${activeCases === 1 ? '' : 's'}; the lead officer${activeCases === 1 ? ' keeps it' : 's keep them'}.`);
  }
  return {
    kind: 'roster-remove-confirm',
    title: `Remove ${member.displayName}?`,
    paragraphs,
    actions: [
      { id: ROSTER_ACTIONS.removeConfirm, label: 'Remove from roster', value: { memberId: member.id }, style: 'danger' },
      { id: ROSTER_ACTIONS.show, label: 'Keep them' },
    ],
  };
}

/** `me`: a member's team, roles, supervisor, reminder time and linked platforms. */
export function meView(team: Team, member: Member, supervisor: Member | undefined, identities: readonly PlatformIdentity[]): MessageView {
  const zone = member.timeZone ?? team.timeZone;
  return {
    kind: 'me',
    title: member.displayName,
    subtitle: `${team.name} (${team.key})`,
    facts: [
      { label: 'Team', value: `${team.name} (${team.key})` },
      { label: 'Roles', value: rolesText(member.roles) },
      { label: 'Supervisor', value: supervisor?.displayName ?? 'None' },
      { label: 'Reminders at', value: `${member.reminderTime} (${zone}), on working days` },
      { label: 'Linked on', value: linkedText(identities, member) },
    ],
    paragraphs: ['To change your name or roles, ask a team admin.'],
  };
}
