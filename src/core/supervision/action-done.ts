/**
 * Completing a supervision action: its owner (or a supervisor) marks it done from the reminder's
 * Done button. The action is closed, its deadline met, and the change audited, so its reminders
 * stop and the case record shows it done.
 */
import { DomainError } from '../errors.ts';
import type { Reply } from '../interaction.ts';
import { asActor, audit, type CoreRequest } from '../services.ts';

/** The subject key prefix of supervision action deadlines. */
export const ACTION_SUBJECT_PREFIX = 'action:';

/** Marks the action behind a deadline done. The caller has checked the actor may act on the deadline. */
export async function completeSupervisionAction(req: CoreRequest, deadline: { deadlineId: string; subjectKey: string; teamId: string }): Promise<Reply> {
  if (!deadline.subjectKey.startsWith(ACTION_SUBJECT_PREFIX)) {
    throw new DomainError('not_found', 'That is not a supervision action. Type due to see your deadlines.');
  }
  const actionId = deadline.subjectKey.slice(ACTION_SUBJECT_PREFIX.length);
  return asActor(req, async (repos, actor) => {
    if (deadline.teamId !== actor.team.id) throw new DomainError('not_found', 'That deadline no longer exists. Type due to see your deadlines.');
    const now = req.services.clock.now();
    const action = await repos.supervision.completeAction(actionId, actor.member.id, now);
    if (!action) return { type: 'message', view: { kind: 'reminder-done', title: 'Already done', paragraphs: ['This supervision action is already closed.'] } };
    await repos.deadlines.markMet(deadline.subjectKey, now);
    await audit(repos, actor, { action: 'supervision_action.completed', entityType: 'supervision_action', entityId: action.id, before: { status: 'open' }, after: { status: 'done' } });
    return {
      type: 'message',
      view: { kind: 'reminder-done', title: 'Action done', paragraphs: [`Marked done. Its reminders stop, and the case record shows it completed by ${actor.member.displayName}.`] },
    };
  });
}
