/**
 * What the discussion and supervision features share: finding a discussion for an actor (never
 * across teams), requiring the notifier, and redrawing the root card when the status moves.
 */
import type { Actor } from '../access/permissions.ts';
import type { Case } from '../domain/entities.ts';
import { DomainError } from '../errors.ts';
import type { Notifier, Repositories } from '../ports.ts';
import { calendarFor, teamToday, type Services } from '../services.ts';
import type { Discussion, DiscussionStatus } from './discussion-ports.ts';
import { discussionRootView } from './discussion-views.ts';

/** The notifier, or a clear refusal when this process has none (no platform turned on). */
export function requireNotifier(services: Services): Notifier {
  if (!services.notifier) {
    throw new DomainError('unsupported', 'Casework cannot post to the team channel from here. Ask your team admin to check the platform settings.');
  }
  return services.notifier;
}

/** The case a discussion or note belongs to (always in the same team: the row says so). */
export async function loadCaseById(repos: Repositories, caseId: string): Promise<Case> {
  const found = await repos.cases.findById(caseId);
  if (!found) throw new DomainError('case_not_found', 'The case of this discussion no longer exists.', { caseId });
  return found;
}

/** A discussion of the actor's team, with its case; anything else is reported as not found. */
export async function loadDiscussion(repos: Repositories, actor: Actor, id: string | undefined): Promise<{ discussion: Discussion; caseRecord: Case }> {
  const discussion = id && /^[0-9a-f-]{36}$/i.test(id) ? await repos.discussions.findById(id) : undefined;
  if (!discussion || discussion.teamId !== actor.team.id) {
    throw new DomainError('not_found', 'That discussion could not be found in your team. It may belong to another team.', { crossTeam: Boolean(discussion) });
  }
  return { discussion, caseRecord: await loadCaseById(repos, discussion.caseId) };
}

/** Refuses changes to a closed discussion. */
export function requireOpenDiscussion(d: Discussion): void {
  if (d.status === 'closed') throw new DomainError('conflict', 'This discussion is closed. Open a new discussion on the case to take it further.', { discussionId: d.id });
}

/** A member's display name, or a neutral label when they have left the roster. */
export async function memberName(repos: Repositories, memberId: string | null): Promise<string> {
  if (!memberId) return 'Unknown';
  return (await repos.members.findById(memberId))?.displayName ?? 'Former member';
}

/** Moves a discussion to `status` (when it changes) and redraws its root card in the channel. */
export async function moveDiscussion(
  repos: Repositories,
  services: Services,
  team: Actor['team'],
  discussion: Discussion,
  status: DiscussionStatus,
  closing?: { closedBy: string; closedAt: Date; summary: string },
): Promise<Discussion> {
  const moved = discussion.status === status && !closing ? discussion : await repos.discussions.setStatus(discussion.id, status, closing);
  if (moved !== discussion) await redrawRoot(repos, services, team, moved);
  return moved;
}

/** Replaces the root card with its current state (status, buttons). */
export async function redrawRoot(repos: Repositories, services: Services, team: Actor['team'], discussion: Discussion): Promise<void> {
  if (!discussion.rootRef || !services.notifier) return;
  const c = await loadCaseById(repos, discussion.caseId);
  const view = discussionRootView(discussion, c, await memberName(repos, discussion.openedBy), teamToday(services, team), calendarFor(team), team.timeZone);
  await services.notifier.update(discussion.rootRef, view);
}
