/**
 * Owns registering a team for a channel: the `setup` command and the platform events for the
 * bot joining a channel both end here. A new team gets a generated key, the default policy and
 * the channel binding; the person who set it up becomes its first admin, with their identity
 * linked, and both facts are audited in the same transaction.
 */
import type { Actor } from '../access/permissions.ts';
import type { ChannelBinding, Member, Team } from '../domain/entities.ts';
import type { InboundContext, Reply } from '../interaction.ts';
import { linkByEmail } from '../people/link-by-email.ts';
import { actorLabel, channelTeam } from '../people/resolve-actor.ts';
import { defaultPolicy } from '../policy/policy.ts';
import type { Repositories } from '../ports.ts';
import { audit, type CoreRequest } from '../services.ts';
import { DomainError } from '../errors.ts';
import { inTransaction } from '../unit-of-work.ts';
import { bindChannel, channellessAdminTeams, chooseTeamToBind, whichTeamMessage } from './channel-binding.ts';
import { alreadyRegisteredView, boundConfirmationText, boundWelcomeView, setupNeedsChannelView, welcomeView } from './setup-views.ts';
import { allocateTeamKey } from './team-key.ts';

/** The time zone every new team starts in (docs/domain.md); an admin can change it in the policy. */
export const DEFAULT_TEAM_TIME_ZONE = 'Europe/London';

/** The name a team gets when nothing better is known. */
export const DEFAULT_TEAM_NAME = 'MOSOVO team';

/** The longest team name kept; longer names are cut (Slack headers allow 150 characters). */
export const MAX_TEAM_NAME_LENGTH = 80;

/** What is known about the channel when registering: names offered by the platform or typed. */
export interface ChannelNames {
  /** A name typed after `setup`. */
  requestedName?: string;
  /** The Teams team's name, when the bot was added to a team. */
  teamName?: string;
  /** The channel's name (Slack), used when nothing better is given. */
  channelName?: string;
  /**
   * How setup was asked for: `command` (someone typed setup) or `invite` (Casework was added to
   * the channel, the default). An invite's answer is posted in the channel by the adapter; a
   * command's welcome goes to the channel as an effect and its answer to the person.
   */
  via?: 'command' | 'invite';
}

/** The team name to use: typed, else the platform team's name, else the channel's, else a default. */
export function chooseTeamName(names: ChannelNames): string {
  for (const candidate of [names.requestedName, names.teamName, names.channelName]) {
    const cleaned = candidate?.replace(/\s+/g, ' ').trim();
    if (cleaned) return cleaned.slice(0, MAX_TEAM_NAME_LENGTH);
  }
  return DEFAULT_TEAM_NAME;
}

/** The name the first admin appears under: from the platform's directory, else what the request said. */
async function founderName(req: CoreRequest): Promise<string> {
  const { user } = req.ctx;
  const fromDirectory = await req.services.directory?.displayName(user.platform, user.workspaceId, user.userId).catch(() => undefined);
  return (fromDirectory ?? user.displayName ?? '').trim().slice(0, 80) || 'Team admin';
}

async function activeAdmins(repos: Repositories, teamId: string): Promise<Member[]> {
  return (await repos.members.listByTeam(teamId)).filter((m) => m.roles.includes('admin'));
}

async function describeExisting(repos: Repositories, ctx: InboundContext, team: Team): Promise<Reply> {
  const admins = await activeAdmins(repos, team.id);
  const identities = await repos.members.findIdentities(ctx.user.platform, ctx.user.workspaceId, ctx.user.userId);
  const mine = identities.find((i) => i.teamId === team.id);
  const askerIsAdmin = Boolean(mine && admins.some((a) => a.id === mine.memberId));
  return { type: 'message', view: alreadyRegisteredView(team, admins, askerIsAdmin, ctx.commandPrefix) };
}

async function createTeam(repos: Repositories, req: CoreRequest, channel: ChannelBinding, name: string, adminName: string): Promise<Reply> {
  const { ctx } = req;
  const key = await allocateTeamKey(async (k) => (await repos.teams.findByKey(k)) !== undefined, req.services.random);
  const team = await repos.teams.create({ key, name, timeZone: DEFAULT_TEAM_TIME_ZONE, policy: defaultPolicy(), channel });
  const member = await repos.members.create({ teamId: team.id, displayName: adminName, roles: ['admin'] });
  await repos.members.upsertIdentity(
    member.id,
    team.id,
    { platform: ctx.user.platform, workspaceId: ctx.user.workspaceId, userId: ctx.user.userId, displayName: ctx.user.displayName ?? adminName },
    true,
  );
  const actor: Actor = { member, team, label: actorLabel(ctx) };
  await audit(repos, actor, {
    action: 'team.created',
    entityType: 'team',
    entityId: team.id,
    after: { key: team.key, name: team.name, timeZone: team.timeZone, channel: { platform: channel.platform, workspaceId: channel.workspaceId, channelId: channel.channelId } },
  });
  await audit(repos, actor, {
    action: 'member.added',
    entityType: 'member',
    entityId: member.id,
    after: { displayName: member.displayName, roles: member.roles, supervisorMemberId: null, identity: { platform: ctx.user.platform, linked: true } },
    reason: 'Set up the team',
  });
  return { type: 'message', view: welcomeView(team, member, ctx.commandPrefix) };
}

/**
 * Gives an existing team (made on the command line) the channel the request came from. Invited:
 * the welcome is the answer, which the adapter posts in the channel. By command: the welcome goes
 * to the channel after commit, and the admin is told privately.
 */
async function bindHere(req: CoreRequest, teamId: string, admin: Member, channel: ChannelBinding, via: 'command' | 'invite'): Promise<Reply> {
  const { ctx, services } = req;
  const who = { teamId, memberId: admin.id, label: actorLabel(ctx) };
  const reason = via === 'command' ? 'setup in the channel' : 'invited Casework to the channel';
  try {
    return await inTransaction(services, teamId, async (repos, effects): Promise<Reply> => {
      const team = await bindChannel(repos, who, teamId, channel, reason);
      const welcome = boundWelcomeView(team, admin, ctx.commandPrefix);
      if (via === 'invite') return { type: 'message', view: welcome };
      effects.add({ kind: 'team-channel', teamId, view: welcome });
      return { type: 'message', view: { ...welcome, shared: false, notice: { tone: 'info', text: boundConfirmationText(team) } } };
    });
  } catch (error) {
    // Two binds or registrations for one channel at once: the unique channel binding lets one
    // win, and the other is told which team has the channel now.
    if (error instanceof DomainError) throw error;
    const winner = await services.store.read((repos) => channelTeam(repos, ctx));
    if (winner && winner.id !== teamId) throw new DomainError('conflict', `This channel was given to ${winner.name} (${winner.key}) a moment ago, so it was not bound to your team.`);
    throw error;
  }
}

/**
 * Registers the team for the channel the request came from, or says which team already has it.
 * From a direct chat it explains that setup belongs in the team channel.
 */
export async function registerTeamForChannel(req: CoreRequest, names: ChannelNames): Promise<Reply> {
  const { ctx, services } = req;
  if (ctx.surface.kind !== 'channel') return { type: 'message', view: setupNeedsChannelView(ctx.commandPrefix) };
  const channel: ChannelBinding = {
    platform: ctx.user.platform,
    workspaceId: ctx.user.workspaceId,
    channelId: ctx.surface.channelId,
    ref: ctx.conversationRef ?? null,
  };
  // The directory may call the platform: ask before the transaction, so no connection waits on it.
  // Someone imported by email who sets up a channel is talking to Casework: link them first, or
  // the identity the new team gives them would keep them from ever being linked by email (and an
  // admin of a team made on the command line could not give it this channel).
  await linkByEmail(services.store, services.directory, ctx);
  const existingFirst = await services.store.read((repos) => channelTeam(repos, ctx));
  if (existingFirst) {
    // An admin of a team still waiting for its channel, here to bind it: refuse plainly, privately.
    const waiting = await services.store.read((repos) => channellessAdminTeams(repos, ctx));
    if (waiting.length > 0) {
      const names = waiting.map((t) => `${t.name} (${t.key})`).join(', ');
      throw new DomainError(
        'conflict',
        `This channel already belongs to ${existingFirst.name} (${existingFirst.key}), so it was not given to ${names}. Invite Casework to a channel of the team's own, or run setup there.`,
      );
    }
    return services.store.read((repos) => describeExisting(repos, ctx, existingFirst));
  }
  const choice = await services.store.read((repos) => chooseTeamToBind(repos, ctx, names.requestedName, ctx.commandPrefix));
  if (choice.kind === 'ask') throw new DomainError('invalid_input', whichTeamMessage(choice.teams, ctx.commandPrefix));
  if (choice.kind === 'bind') return bindHere(req, choice.team.id, choice.member, channel, names.via ?? 'invite');
  const adminName = await founderName(req);
  try {
    return await services.store.transaction(async (repos) => {
      const existing = await channelTeam(repos, ctx);
      if (existing) return describeExisting(repos, ctx, existing);
      return createTeam(repos, req, channel, chooseTeamName(names), adminName);
    });
  } catch (error) {
    // Two registrations for one channel at once (a retried event, two people): the database's
    // unique channel binding lets one win; the other reports the winner instead of failing.
    const winner = await services.store.transaction((repos) => channelTeam(repos, ctx));
    if (winner) return services.store.transaction((repos) => describeExisting(repos, ctx, winner));
    throw error;
  }
}
