/**
 * Links a person imported from a people file (known by email, not yet by any chat account) to
 * their Slack or Teams account: the first time that account talks to Casework, or joins the
 * team's channel. The platform is asked for the account's email before any transaction opens;
 * the account is linked only to a member with that same email, never to one whose email differs
 * (a platform id given in the file is a claim the email must confirm). Every link and refusal is
 * audited, without the emails themselves.
 */
import type { InboundContext } from '../interaction.ts';
import type { PeopleDirectory, Store } from '../ports.ts';
import { emailKey } from './people-file.ts';
import { actorLabel } from './resolve-actor.ts';

/** What an attempt to link came to. */
export type LinkOutcome = 'linked' | 'refused' | 'none';

/** Options for {@link linkByEmail}. */
export interface LinkOptions {
  /** Only members of this team may be linked (someone joining a team's channel). */
  teamId?: string;
}

/**
 * Tries to link the account behind `ctx` to a roster member by email. Cheap when nobody is
 * waiting to be linked on the platform: one read, and no platform call.
 */
export async function linkByEmail(store: Store, directory: PeopleDirectory | undefined, ctx: InboundContext, options: LinkOptions = {}): Promise<LinkOutcome> {
  const lookUp = directory?.email?.bind(directory);
  if (!lookUp) return 'none';
  const { platform, workspaceId, userId } = ctx.user;
  const waiting = await store.read((repos) => repos.members.anyAwaitingLink(platform));
  if (!waiting) return 'none';
  // A network call: before the transaction, never inside it.
  const email = await lookUp({
    platform,
    workspaceId,
    userId,
    ...(ctx.user.chatUserId ? { chatUserId: ctx.user.chatUserId } : {}),
    ...(ctx.conversationRef ? { conversationRef: ctx.conversationRef } : {}),
  }).catch(() => undefined);
  const label = actorLabel(ctx);
  return store.transaction(async (repos) => {
    const candidates = (await repos.members.findLinkCandidates(platform, workspaceId, email, userId)).filter(
      (c) => !c.knownHere && (!options.teamId || c.member.teamId === options.teamId),
    );
    let outcome: LinkOutcome = 'none';
    for (const { member, linkedElsewhere } of candidates) {
      const who = { teamId: member.teamId, memberId: member.id, label };
      const sameEmail = Boolean(email && member.email && emailKey(email) === emailKey(member.email));
      if (!sameEmail || linkedElsewhere) {
        // The file named this account for the person, but the platform does not confirm it (or
        // the person is already linked to another account there): not linked.
        const reason = linkedElsewhere ? 'already linked to another account' : email ? 'the account has a different email' : 'the platform gave no email for the account';
        await repos.audit.record(who, { action: 'identity.link_refused', entityType: 'member', entityId: member.id, after: { platform, reason } });
        if (outcome === 'none') outcome = 'refused';
        continue;
      }
      // Teams starts the person's own chat from a channel's reference when it has no other.
      const conversationRef = ctx.conversationRef ?? null;
      await repos.members.upsertIdentity(member.id, member.teamId, { platform, workspaceId, userId, displayName: ctx.user.displayName ?? null, conversationRef }, true);
      await repos.audit.record(who, {
        action: 'identity.linked',
        entityType: 'member',
        entityId: member.id,
        after: { platform, via: 'email', on: ctx.surface.kind === 'channel' ? 'joined the channel' : 'first message' },
      });
      outcome = 'linked';
    }
    return outcome;
  });
}
