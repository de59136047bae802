/**
 * Turns a platform user into an actor: the member and team they act for, found in one read,
 * outside any transaction. What talking to Casework changes about a person (linked on first
 * contact, a fresh conversation reference for reminders, reachable again after being marked
 * undeliverable, "last seen") is written apart from the request's own work, and only when it
 * changed: "last seen" at most once every few minutes, so commands never queue on one row.
 */
import type { Actor } from '../access/permissions.ts';
import type { InboundContext } from '../interaction.ts';
import type { Team } from '../domain/entities.ts';
import type { ActorCandidate, IdentityTouch, PeopleDirectory, Repositories, Store } from '../ports.ts';
import { actorLookupKey, type ActorLookupCache } from './actor-cache.ts';
import { linkByEmail } from './link-by-email.ts';

/** "Last seen" is written at most this often per identity. */
export const LAST_SEEN_EVERY_MS = 5 * 60 * 1000;

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
 * Picks the identity a request acts through. In a team's channel, the person acts for that team;
 * elsewhere for the team they used most recently. Inactive members and their teams are skipped.
 */
export function chooseCandidate(candidates: readonly ActorCandidate[], channelTeamId: string | null): ActorCandidate | undefined {
  const usable = candidates.filter((c) => c.member.active);
  if (channelTeamId) {
    const inChannel = usable.find((c) => c.team.id === channelTeamId);
    if (inChannel) return inChannel;
  }
  return usable[0];
}

/** JSON with object keys in order: the database hands stored JSON back with its keys sorted. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The same conversation, whatever the message it was last seen in (Teams references carry the activity id). */
export function sameConversation(a: Record<string, unknown> | null, b: Record<string, unknown>): boolean {
  if (!a) return false;
  return canonical({ ...a, activityId: undefined }) === canonical({ ...b, activityId: undefined });
}

/** What to write about the identity now that its person has been seen, or undefined for nothing. */
export function identityChanges(chosen: ActorCandidate, ctx: InboundContext, now: Date): IdentityTouch | undefined {
  const touch: IdentityTouch = {};
  if (!chosen.identity.linked) touch.link = true;
  if (ctx.user.displayName && ctx.user.displayName !== chosen.identity.displayName) touch.displayName = ctx.user.displayName;
  if (ctx.user.chatUserId && ctx.user.chatUserId !== chosen.identity.chatUserId) touch.chatUserId = ctx.user.chatUserId;
  // Only a one-to-one conversation can carry reminders later; a channel reference cannot.
  if (ctx.surface.kind === 'direct' && ctx.conversationRef && !sameConversation(chosen.identity.conversationRef, ctx.conversationRef)) {
    touch.conversationRef = ctx.conversationRef;
  }
  const stale = !chosen.lastSeenAt || now.getTime() - chosen.lastSeenAt.getTime() >= LAST_SEEN_EVERY_MS;
  if (stale || Object.keys(touch).length > 0) touch.seenAt = now;
  return Object.keys(touch).length > 0 ? touch : undefined;
}

/**
 * Finds who is asking, in one read (none when `actors` remembers them). Writes only when something
 * about them changed, in its own short transaction (with its audit rows), never inside the
 * request's. An account on no roster is linked by email when `directory` is given and someone
 * imported with that email awaits it (link-by-email.ts). Undefined when the person is on no roster.
 */
export async function resolveActor(store: Store, ctx: InboundContext, now: Date, directory?: PeopleDirectory, actors?: ActorLookupCache): Promise<Actor | undefined> {
  const channelId = ctx.surface.kind === 'channel' ? ctx.surface.channelId : undefined;
  const key = actorLookupKey(ctx.user.platform, ctx.user.workspaceId, ctx.user.userId, channelId);
  const remembered = actors?.get(key, now.getTime());
  const token = actors?.begin() ?? 0;
  const find = () => store.read((repos) => repos.members.findActorCandidates(ctx.user.platform, ctx.user.workspaceId, ctx.user.userId, channelId));
  let lookup = remembered ?? (await find());
  let chosen = chooseCandidate(lookup.candidates, lookup.channelTeamId);
  if (!chosen && directory && (await linkByEmail(store, directory, ctx)) === 'linked') {
    lookup = await find();
    chosen = chooseCandidate(lookup.candidates, lookup.channelTeamId);
  }
  if (!chosen) return undefined;
  const label = actorLabel(ctx);
  const touch = identityChanges(chosen, ctx, now);
  // Kept only as read, with nothing about the person to write: a write changes what was read.
  if (!touch && !chosen.member.undeliverable && !remembered) actors?.set(key, lookup, now.getTime(), token);
  let member = chosen.member;
  if (touch || member.undeliverable) {
    member = await store.transaction(async (repos) => {
      const who = { teamId: chosen.team.id, memberId: chosen.member.id, label };
      if (touch) await repos.members.touchIdentity(chosen.identity.id, touch);
      if (touch?.link) {
        await repos.audit.record(who, { action: 'identity.linked', entityType: 'member', entityId: chosen.member.id, after: { platform: ctx.user.platform } });
      }
      // Someone marked unreachable (blocked the bot, chat removed) who talks to the bot again can
      // be reached again: the mark goes, and reminders resume from the next planning run.
      if (!chosen.member.undeliverable) return chosen.member;
      const reason = await repos.members.clearUndeliverable(chosen.member.id);
      if (reason === null) return chosen.member;
      await repos.audit.record(who, {
        action: 'member.deliverable',
        entityType: 'member',
        entityId: chosen.member.id,
        before: { undeliverableReason: reason },
        after: { platform: ctx.user.platform },
      });
      return { ...chosen.member, undeliverable: false };
    });
  }
  return { member, team: chosen.team, label };
}
