/**
 * What the discussion and supervision features share: finding a discussion for an actor (never
 * across teams), moving its status (the root card is redrawn after commit), and the views drawn
 * at delivery time from the discussion as it stands then.
 */
import type { Actor } from '../access/permissions.ts';
import { todayIn } from '../calendar/working-calendar.ts';
import type { Case, Team } from '../domain/entities.ts';
import type { Effects } from '../effects/effect.ts';
import { DomainError } from '../errors.ts';
import type { Repositories } from '../ports.ts';
import { calendarFor } from '../services.ts';
import type { MessageView } from '../views/message-view.ts';
import type { Discussion, DiscussionStatus } from './discussion-ports.ts';
import { discussionOpenedNoticeView, discussionRootView } from './discussion-views.ts';

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

/** Moves a discussion to `status` (when it changes); its root card is redrawn after commit. */
export async function moveDiscussion(
  repos: Repositories,
  effects: Effects,
  discussion: Discussion,
  status: DiscussionStatus,
  closing?: { closedBy: string; closedAt: Date; summary: string },
): Promise<Discussion> {
  if (discussion.status === status && !closing) return discussion;
  const moved = await repos.discussions.setStatus(discussion.id, status, closing);
  effects.add({ kind: 'discussion-redraw', discussionId: discussion.id });
  return moved;
}

/**
 * The root card as it should look now: for everyone in the channel (the supervisor buttons
 * restricted to the team's supervisors), or a supervisor's own copy with their buttons.
 */
export async function rootViewFor(repos: Repositories, team: Team, discussion: Discussion, now: Date, audience: { supervisor?: boolean } = {}): Promise<MessageView> {
  const c = await loadCaseById(repos, discussion.caseId);
  const chatIds = audience.supervisor ? undefined : await supervisorChatIds(repos, team.id);
  return discussionRootView(discussion, c, await memberName(repos, discussion.openedBy), todayIn(team.timeZone, now), calendarFor(team), team.timeZone, {
    ...(audience.supervisor ? { supervisor: true } : {}),
    ...(chatIds ? { supervisorChatIds: chatIds } : {}),
  });
}

/** The chat ids of the team's supervisors, where their platform uses one for cards (Teams). */
async function supervisorChatIds(repos: Repositories, teamId: string): Promise<string[]> {
  const supervisors = (await repos.members.listByTeam(teamId)).filter((m) => m.roles.includes('supervisor'));
  const ids: string[] = [];
  for (const s of supervisors) {
    for (const identity of await repos.members.identitiesOf(s.id)) if (identity.chatUserId) ids.push(identity.chatUserId);
  }
  return ids;
}

/** The private notice that a discussion opened on a case, with a link to its thread when known. */
export async function discussionNoticeView(repos: Repositories, discussion: Discussion): Promise<MessageView> {
  const c = await loadCaseById(repos, discussion.caseId);
  return discussionOpenedNoticeView(discussion, c.key, await memberName(repos, discussion.openedBy));
}
