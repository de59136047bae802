/**
 * Gives a team made on the command line (it has people and cases, but no channel) the channel
 * its case discussions go to. In chat, an admin of that team invites Casework to the channel or
 * runs `setup [TEAMKEY]` there; from the command line, `casework team channel`. Both end in
 * {@link bindChannel}: the channel is written and the bind audited (who, which team, which
 * channel) in one transaction; a channel that already has a team, or a team that already has a
 * channel, is refused.
 */
import type { ChannelBinding, Member, Team } from '../domain/entities.ts';
import { DomainError } from '../errors.ts';
import type { InboundContext } from '../interaction.ts';
import type { AuditActor, Repositories } from '../ports.ts';

/** A team key as typed after `setup` (T-7K3P): the team to bind, not a name for a new team. */
const TEAM_KEY = /^T-[0-9A-Z]{4,8}$/i;

/** The team key in what was typed after `setup`, if that is all it was. */
export function typedTeamKey(text: string | undefined): string | undefined {
  const trimmed = text?.trim() ?? '';
  return TEAM_KEY.test(trimmed) ? trimmed.toUpperCase() : undefined;
}

/** One of the asker's memberships in a team that has no channel yet. */
export interface WaitingTeam {
  team: Team;
  member: Member;
  admin: boolean;
}

/** What setup in a channel should do for the asker, as far as channel-less teams go. */
export type BindChoice =
  | { kind: 'bind'; team: Team; member: Member }
  /** They admin several channel-less teams and named none: ask which, privately. */
  | { kind: 'ask'; teams: Team[] }
  /** No channel-less team of theirs is involved: setup registers a new team as before. */
  | { kind: 'none' };

/** The asker's active memberships, with their teams, across every team they are on. */
async function membershipsOf(repos: Repositories, ctx: InboundContext): Promise<WaitingTeam[]> {
  const identities = await repos.members.findIdentities(ctx.user.platform, ctx.user.workspaceId, ctx.user.userId);
  const found: WaitingTeam[] = [];
  for (const identity of identities) {
    const [member, team] = await Promise.all([repos.members.findById(identity.memberId), repos.teams.findById(identity.teamId)]);
    if (!member?.active || !team) continue;
    found.push({ team, member, admin: member.roles.includes('admin') });
  }
  return found;
}

/** The teams the asker admins that have no channel yet (they might mean to bind one). */
export async function channellessAdminTeams(repos: Repositories, ctx: InboundContext): Promise<Team[]> {
  return (await membershipsOf(repos, ctx)).filter((m) => m.admin && !m.team.channel).map((m) => m.team);
}

function adminNames(members: readonly Member[]): string {
  const admins = members.filter((m) => m.active && m.roles.includes('admin')).map((m) => m.displayName);
  return admins.length > 0 ? admins.join(', ') : 'its admin';
}

/**
 * Decides, for setup in a channel that has no team, whether the asker is binding one of their
 * channel-less teams to it. Refusals are DomainErrors, answered privately: a key naming no team,
 * a team they are not an admin of, a team that already has its channel, or a channel-less team
 * they belong to without being its admin.
 */
export async function chooseTeamToBind(repos: Repositories, ctx: InboundContext, typed: string | undefined, prefix: string | undefined): Promise<BindChoice> {
  const mine = await membershipsOf(repos, ctx);
  const key = typedTeamKey(typed);
  if (key) {
    const team = await repos.teams.findByKey(key);
    if (!team) throw new DomainError('team_not_found', `No team has the key ${key}. Check the key (npx casework teams lists them) and run setup again.`);
    const membership = mine.find((m) => m.team.id === team.id);
    if (!membership?.admin) {
      const admins = adminNames(await repos.members.listByTeam(team.id));
      throw new DomainError('not_authorised', `Only an admin of ${team.name} (${team.key}) can give it a channel. Ask ${admins}.`);
    }
    if (team.channel) throw new DomainError('conflict', `${team.name} (${team.key}) already has its team channel, so this channel was not bound to it.`);
    return { kind: 'bind', team, member: membership.member };
  }
  const waiting = mine.filter((m) => !m.team.channel);
  const admined = waiting.filter((m) => m.admin);
  if (admined.length === 1) return { kind: 'bind', team: admined[0]!.team, member: admined[0]!.member };
  if (admined.length > 1) return { kind: 'ask', teams: admined.map((m) => m.team) };
  const first = waiting[0];
  if (first) {
    const admins = adminNames(await repos.members.listByTeam(first.team.id));
    const how = prefix ? `${prefix} setup` : 'setup';
    throw new DomainError(
      'not_authorised',
      `You are on ${first.team.name} (${first.team.key}), which has no team channel yet, but only its admins can give it one: ask ${admins} to invite Casework to the channel or run ${how} there. Nothing was changed.`,
    );
  }
  return { kind: 'none' };
}

/** The question when the asker admins several channel-less teams and named none. */
export function whichTeamMessage(teams: readonly Team[], prefix: string | undefined): string {
  const how = prefix ? `${prefix} setup` : 'setup';
  const list = teams.map((t) => `${t.key} (${t.name})`).join(', ');
  return `You are an admin of several teams without a channel: ${list}. Run ${how} TEAMKEY in this channel to choose which one it belongs to, for example ${how} ${teams[0]?.key ?? 'T-7K3P'}. Nothing was changed.`;
}

/** Where a channel is, for the audit trail and messages. */
export function channelFacts(channel: ChannelBinding): { platform: string; workspaceId: string; channelId: string } {
  return { platform: channel.platform, workspaceId: channel.workspaceId, channelId: channel.channelId };
}

/**
 * Binds `team` to `channel` inside the caller's transaction, re-checking both sides, and audits
 * it. Throws a DomainError when the team already has a channel or the channel already has a team.
 */
export async function bindChannel(repos: Repositories, who: AuditActor, teamId: string, channel: ChannelBinding, reason: string): Promise<Team> {
  const team = await repos.teams.findById(teamId);
  if (!team) throw new DomainError('team_not_found', 'That team no longer exists.');
  if (team.channel) throw new DomainError('conflict', `${team.name} (${team.key}) already has its team channel, so this channel was not bound to it.`);
  const owner = await repos.teams.findByChannel(channel.platform, channel.workspaceId, channel.channelId);
  if (owner) throw new DomainError('conflict', `That channel already belongs to ${owner.name} (${owner.key}), so it was not bound to ${team.name}. Give ${team.name} a channel of its own.`);
  const bound = await repos.teams.update(team.id, { channel });
  await repos.audit.record(who, { action: 'team.channel_bound', entityType: 'team', entityId: team.id, after: { key: team.key, name: team.name, channel: channelFacts(channel) }, reason });
  return bound;
}
