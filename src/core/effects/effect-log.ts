/**
 * The collecting side of chat effects: a unit of work adds effects as it goes, and they are
 * written to the outbox in its transaction, each with the platform it will go out on. Nothing
 * here sends anything.
 */
import { randomUUID } from 'node:crypto';
import type { Platform } from '../interaction.ts';
import type { Repositories } from '../ports.ts';
import { effectKind, type Effect, type EffectHandle, type Effects, type PendingEffect } from './effect.ts';

/** A fresh collector for one unit of work; `teamId` is the team effects belong to by default. */
export function collectEffects(teamId: string): { effects: Effects; pending: PendingEffect[] } {
  const pending: PendingEffect[] = [];
  const effects: Effects = {
    add(effect, options = {}) {
      const handle: EffectHandle = { id: randomUUID(), effect, awaited: options.await === true };
      pending.push({ handle, teamId: options.teamId ?? teamId, dedupeKey: options.dedupeKey ?? `effect:${handle.id}` });
      return handle;
    },
  };
  return { effects, pending };
}

/** The platform a member is reached on: the one asked for, else a linked identity's, most recently seen first. */
async function memberPlatform(repos: Repositories, memberId: string, wanted?: Platform): Promise<Platform | undefined> {
  const identities = await repos.members.identitiesOf(memberId);
  if (wanted) return identities.some((i) => i.platform === wanted) ? wanted : undefined;
  return (identities.find((i) => i.linked) ?? identities[0])?.platform;
}

/** Where an effect will go out, or undefined when it has nowhere to go (then it is not stored). */
async function platformOf(repos: Repositories, effect: Effect, teamId: string): Promise<Platform | undefined> {
  switch (effect.kind) {
    case 'person':
      return memberPlatform(repos, effect.memberId, effect.platform);
    case 'discussion-notice':
      return memberPlatform(repos, effect.memberId);
    case 'file':
      return memberPlatform(repos, effect.memberId, effect.platform);
    case 'home': {
      // Only Slack has a home surface that can be pushed.
      return (await repos.members.identitiesOf(effect.memberId)).some((i) => i.platform === 'slack') ? 'slack' : undefined;
    }
    case 'outsider':
      return effect.user.platform;
    case 'message-update':
      return effect.ref.platform;
    case 'team-channel':
      return (await repos.teams.findById(effect.teamId))?.channel?.platform;
    case 'discussion-root':
    case 'discussion-thread':
    case 'discussion-redraw': {
      const discussion = await repos.discussions.findById(effect.discussionId);
      if (discussion?.platform) return discussion.platform;
      return (await repos.teams.findById(discussion?.teamId ?? teamId))?.channel?.platform;
    }
  }
}

/** The member an effect is about, for the outbox row (so a permanent failure can be reported). */
function memberOf(effect: Effect): string | null {
  return 'memberId' in effect && typeof effect.memberId === 'string' ? effect.memberId : null;
}

/**
 * Writes the collected effects to the outbox, in order, in the caller's transaction. An effect
 * with nowhere to go (a person with no chat identity, a team with no channel) is marked dropped
 * on its handle instead of being stored.
 */
export async function writeEffects(repos: Repositories, pending: readonly PendingEffect[], now: Date): Promise<void> {
  for (const { handle, teamId, dedupeKey } of pending) {
    const platform = await platformOf(repos, handle.effect, teamId);
    if (!platform) {
      handle.outcome = { status: 'dropped', code: 'no_destination' };
      continue;
    }
    // Stored in the order they were added: created_at ties are broken by this sequence.
    await repos.reminders.enqueue({
      id: handle.id,
      teamId,
      memberId: memberOf(handle.effect),
      kind: effectKind(handle.effect),
      forDate: null,
      dedupeKey,
      platform,
      sendAfter: now,
      sendBefore: null,
      payload: handle.effect as unknown as Record<string, unknown>,
    });
  }
}
