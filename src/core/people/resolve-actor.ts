/**
 * Turns a platform user into an actor: the member and team they act for. A person is linked to
 * their roster entry the first time they talk to the bot, and their conversation reference is
 * kept fresh for proactive messages (reminders).
 */
import type { Actor } from '../access/permissions.ts';
import type { InboundContext } from '../interaction.ts';
import type { PlatformIdentity, Team } from '../domain/entities.ts';
import type { Repositories } from '../ports.ts';

/** The audit label for a platform user: platform, workspace or tenant, user id. */
export function actorLabel(ctx: InboundContext): string {
  return `${ctx.user.platform}:${ctx.user.workspaceId}/${ctx.user.userId}`;
}

/** The team bound to the channel the request came from, if any. */
export async function channelTeam(repos: Repositories, ctx: InboundContext): Promise<Team | undefined> {
  if (ctx.surface.kind !== 'channel') return undefined;
  return repos.teams.findByChannel(ctx.user.platform, ctx.user.workspaceId, ctx.surface.channelId);
}

/**
 * Finds who is asking. In a team's channel, they act for that team; elsewhere for the one team
 * they belong to (or, if several, the one they used most recently). Undefined when on no roster.
 */
export async function resolveActor(repos: Repositories, ctx: InboundContext): Promise<Actor | undefined> {
  const identities = await repos.members.findIdentities(ctx.user.platform, ctx.user.workspaceId, ctx.user.userId);
  if (identities.length === 0) return undefined;
  const inChannel = await channelTeam(repos, ctx);
  let chosen: PlatformIdentity | undefined;
  if (inChannel) chosen = identities.find((i) => i.teamId === inChannel.id);
  // Outside a team channel: the first identity whose member is active (the repository orders by recency).
  const candidates = chosen ? [chosen] : identities;
  for (const identity of candidates) {
    const member = await repos.members.findById(identity.memberId);
    if (!member || !member.active) continue;
    const team = inChannel && inChannel.id === member.teamId ? inChannel : await repos.teams.findById(member.teamId);
    if (!team) continue;
    const label = actorLabel(ctx);
    const firstContact = !identity.linked;
    await repos.members.upsertIdentity(
      member.id,
      team.id,
      {
        platform: ctx.user.platform,
        workspaceId: ctx.user.workspaceId,
        userId: ctx.user.userId,
        ...(ctx.user.displayName ? { displayName: ctx.user.displayName } : {}),
        // Only a one-to-one conversation can carry reminders later; a channel reference cannot.
        ...(ctx.surface.kind === 'direct' && ctx.conversationRef ? { conversationRef: ctx.conversationRef } : {}),
      },
      true,
    );
    // Someone marked unreachable (blocked the bot, chat removed) who talks to the bot again can be
    // reached again: the mark goes, and reminders resume from the next planning run.
    let current = member;
    if (member.undeliverable) {
      const reason = await repos.members.clearUndeliverable(member.id);
      if (reason !== null) {
        current = { ...member, undeliverable: false };
        await repos.audit.record(
          { teamId: team.id, memberId: member.id, label },
          { action: 'member.deliverable', entityType: 'member', entityId: member.id, before: { undeliverableReason: reason }, after: { platform: ctx.user.platform } },
        );
      }
    }
    if (firstContact) {
      await repos.audit.record(
        { teamId: team.id, memberId: member.id, label },
        { action: 'identity.linked', entityType: 'member', entityId: member.id, after: { platform: ctx.user.platform } },
      );
    }
    return { member: current, team, label };
  }
  return undefined;
}
