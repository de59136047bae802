/**
 * Recording replies in discussion threads, whatever the platform: each reply is stored once by
 * its platform message id, edits and deletions become revisions keyed by event, a reply from
 * someone not on the team is not recorded (and its author is told privately, once), and a reply
 * that looks like it holds personal data is flagged and earns its author a private note.
 * Private notes are chat effects, delivered after the transaction commits.
 */
import { createHash } from 'node:crypto';
import { can } from '../access/permissions.ts';
import { actorLabel } from '../people/resolve-actor.ts';
import type { Effects } from '../effects/effect.ts';
import type { InboundContext } from '../interaction.ts';
import type { Repositories } from '../ports.ts';
import { inTransaction, type Services } from '../services.ts';
import type { MessageView } from '../views/message-view.ts';
import type { Discussion } from './discussion-ports.ts';
import { outsiderNoticeView, personalDataNudgeView } from './discussion-views.ts';
import { findPersonalData } from './personal-data.ts';

/** A message in a channel thread, as an adapter saw it. The author is `ctx.user`. */
export interface ThreadMessageEvent {
  kind: 'new' | 'edited' | 'deleted';
  /** Slack channel id; Teams channel id (without `;messageid=`). */
  channelId: string;
  /** The thread's root: Slack `thread_ts`; Teams root message id. */
  threadRef: string;
  /** The reply itself: Slack `ts`; Teams activity id. */
  messageId: string;
  /** The text, for new and edited messages. */
  text?: string;
  /** When it was posted, edited or deleted. */
  at: Date;
  /** A key unique to this change (Slack `edited.ts`); derived from the text when absent. */
  eventKey?: string;
}

/** What became of a thread message: useful to adapters' logs and to tests. */
export type ThreadMessageOutcome = 'recorded' | 'revised' | 'duplicate' | 'refused' | 'ignored';

/** Records one thread message; returns what happened. Unrelated threads are ignored. */
export async function recordThreadMessage(services: Services, ctx: InboundContext, event: ThreadMessageEvent): Promise<ThreadMessageOutcome> {
  // Most channel messages are not in a discussion's thread: find that out without a transaction.
  const discussion = await services.store.read((repos) => repos.discussions.findByThread(ctx.user.platform, event.channelId, event.threadRef));
  if (!discussion) return 'ignored';
  // A private note to the author (refused, or personal data spotted) goes out after commit, so a
  // failed delivery never makes the platform retry the event, and a retried event never sends twice.
  return inTransaction(services, discussion.teamId, (repos, effects) =>
    event.kind === 'new' ? recordNew(repos, effects, ctx, discussion, event) : recordChange(repos, effects, ctx, discussion, event),
  );
}

async function caseKeyOf(repos: Repositories, discussion: Discussion): Promise<string> {
  return (await repos.cases.findById(discussion.caseId))?.key ?? 'a case';
}

/** The author's identity in the discussion's team, if they may take part in discussions. */
async function participant(repos: Repositories, ctx: InboundContext, discussion: Discussion): Promise<{ memberId: string } | undefined> {
  const identities = await repos.members.findIdentities(ctx.user.platform, ctx.user.workspaceId, ctx.user.userId);
  const identity = identities.find((i) => i.teamId === discussion.teamId);
  if (!identity) return undefined;
  const member = await repos.members.findById(identity.memberId);
  const team = await repos.teams.findById(discussion.teamId);
  if (!member || !team || !can({ member, team, label: actorLabel(ctx) }, 'discussion.reply')) return undefined;
  return { memberId: member.id };
}

async function recordNew(repos: Repositories, effects: Effects, ctx: InboundContext, discussion: Discussion, event: ThreadMessageEvent): Promise<ThreadMessageOutcome> {
  if (await repos.discussions.findMessage(discussion.id, event.messageId)) return 'duplicate';
  const author = await participant(repos, ctx, discussion);
  const label = actorLabel(ctx);
  if (!author) {
    const first = await repos.discussions.noteRefusedReply(discussion.id, event.messageId, ctx.user.userId, event.at);
    if (!first) return 'duplicate';
    await repos.audit.record(
      { teamId: discussion.teamId, memberId: null, label },
      { action: 'discussion.reply_refused', entityType: 'discussion', entityId: discussion.id, caseId: discussion.caseId, after: { platformMessageId: event.messageId } },
    );
    const team = await repos.teams.findById(discussion.teamId);
    effects.add({
      kind: 'outsider',
      user: ctx.user,
      // Where they wrote from: enough for the platform to open a private chat with them.
      conversationRef: ctx.conversationRef ?? null,
      view: outsiderNoticeView(await caseKeyOf(repos, discussion), team?.name ?? 'the team'),
    });
    return 'refused';
  }
  const text = event.text ?? '';
  const flags = findPersonalData(text);
  const stored = await repos.discussions.addMessage({
    discussionId: discussion.id,
    platformMessageId: event.messageId,
    authorMemberId: author.memberId,
    authorPlatformUserId: ctx.user.userId,
    body: text,
    postedAt: event.at,
    personalDataFlags: flags,
  });
  if (!stored) return 'duplicate';
  // The audit row says a reply was collected, and whether it was flagged; never what it says.
  await repos.audit.record(
    { teamId: discussion.teamId, memberId: author.memberId, label },
    { action: 'discussion.reply_recorded', entityType: 'discussion_message', entityId: stored.id, caseId: discussion.caseId, after: { discussionId: discussion.id, personalDataFlags: flags } },
  );
  if (flags.length > 0) nudge(effects, author.memberId, ctx, personalDataNudgeView(await caseKeyOf(repos, discussion), flags));
  return 'recorded';
}

/** A private note to the author, on the platform they wrote from. */
function nudge(effects: Effects, memberId: string, ctx: InboundContext, view: MessageView): void {
  effects.add({ kind: 'person', memberId, platform: ctx.user.platform, content: { view } });
}

async function recordChange(repos: Repositories, effects: Effects, ctx: InboundContext, discussion: Discussion, event: ThreadMessageEvent): Promise<ThreadMessageOutcome> {
  const message = await repos.discussions.findMessage(discussion.id, event.messageId);
  // Only recorded replies have a history to keep; an outsider's edit stays unrecorded.
  if (!message) return 'ignored';
  if (message.deletedAt) return 'duplicate';
  const label = actorLabel(ctx);
  if (event.kind === 'deleted') {
    const eventKey = `${ctx.user.platform}:delete:${discussion.id}:${event.messageId}`;
    const applied = await repos.discussions.reviseMessage(message.id, { body: null, at: event.at, eventKey, personalDataFlags: message.personalDataFlags });
    if (!applied) return 'duplicate';
    await repos.audit.record(
      { teamId: discussion.teamId, memberId: message.authorMemberId, label },
      { action: 'discussion.reply_deleted', entityType: 'discussion_message', entityId: message.id, caseId: discussion.caseId },
    );
    return 'revised';
  }
  const text = event.text ?? '';
  if (text === message.body) return 'duplicate';
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const eventKey = `${ctx.user.platform}:edit:${discussion.id}:${event.messageId}:${event.eventKey ?? digest}`;
  const flags = findPersonalData(text);
  const applied = await repos.discussions.reviseMessage(message.id, { body: text, at: event.at, eventKey, personalDataFlags: flags });
  if (!applied) return 'duplicate';
  await repos.audit.record(
    { teamId: discussion.teamId, memberId: message.authorMemberId, label },
    { action: 'discussion.reply_edited', entityType: 'discussion_message', entityId: message.id, caseId: discussion.caseId, after: { personalDataFlags: flags } },
  );
  const added = flags.filter((f) => !message.personalDataFlags.includes(f));
  if (added.length === 0) return 'revised';
  const author = await participant(repos, ctx, discussion);
  if (author) nudge(effects, author.memberId, ctx, personalDataNudgeView(await caseKeyOf(repos, discussion), added));
  return 'revised';
}
