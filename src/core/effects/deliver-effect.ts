/**
 * The delivering side of chat effects: what one outbox row holding an effect becomes on its
 * platform. Reads happen in short transactions or none, the platform call happens outside any
 * transaction, and what the call returns (a new thread's reference) is stored afterwards.
 * Failures surface as DeliveryErrors for the outbox to retry or report.
 */
import type { PlatformIdentity } from '../domain/entities.ts';
import type { Platform } from '../interaction.ts';
import { DeliveryError, type MessageRef, type Repositories } from '../ports.ts';
import { myDeadlinesFor } from '../reminders/reminder-home.ts';
import type { OutboxMessage } from '../reminders/reminder-ports.ts';
import type { DeliveryServices } from '../services.ts';
import { discussionNoticeView, rootViewFor } from '../discussions/discussion-service.ts';
import type { Effect } from './effect.ts';
import type { Pacer } from '../reminders/deliver-outbox.ts';

/** What trying to send one effect came to, short of a DeliveryError. */
export type EffectAttempt =
  | { kind: 'sent'; ref: MessageRef | null }
  /** Nothing to send any more (already done, or nowhere to send it): the row is dropped. */
  | { kind: 'drop'; reason: string }
  /** Not yet possible (the thread's root is still on its way): try again after `seconds`. */
  | { kind: 'wait'; seconds: number };

/** Seconds to wait for a discussion's root card before posting into its thread. */
const ROOT_WAIT_SECONDS = 5;

/** The identity to reach a member through on `platform`: a linked one first. */
export async function identityFor(repos: Repositories, memberId: string, platform: Platform): Promise<PlatformIdentity | undefined> {
  const identities = (await repos.members.identitiesOf(memberId)).filter((i) => i.platform === platform);
  return identities.find((i) => i.linked) ?? identities[0];
}

function requireNotifier(services: DeliveryServices) {
  if (!services.notifier) throw new DeliveryError('transient', 'no_notifier');
  return services.notifier;
}

/** True while the discussion's root card is still waiting in the outbox. */
async function rootPending(repos: Repositories, discussionId: string): Promise<boolean> {
  const root = await repos.reminders.findByDedupeKey(rootDedupeKey(discussionId));
  return root !== undefined && (root.status === 'pending' || root.status === 'sending');
}

/** The dedupe key of a discussion's root card: one root per discussion, ever. */
export function rootDedupeKey(discussionId: string): string {
  return `discussion-root:${discussionId}`;
}

/** Sends one effect. Throws DeliveryError when the platform refuses or fails. */
export async function sendEffect(services: DeliveryServices, message: OutboxMessage, now: Date, pacer: Pacer): Promise<EffectAttempt> {
  const effect = message.payload as unknown as Effect;
  const { store } = services;
  switch (effect.kind) {
    case 'person': {
      const found = await store.read((repos) => identityFor(repos, effect.memberId, message.platform));
      if (!found) throw new DeliveryError('permanent', 'no_identity');
      const identity = found.conversationRef || !effect.conversationRef ? found : { ...found, conversationRef: effect.conversationRef };
      const notifier = requireNotifier(services);
      await pacer.wait(message.platform, identity.userId);
      if ('form' in effect.content) {
        if (!notifier.sendFormToPerson) return { kind: 'drop', reason: 'forms_not_supported' };
        try {
          return { kind: 'sent', ref: await notifier.sendFormToPerson(identity, effect.content.form) };
        } catch (error) {
          // A platform whose forms are dialogs only: nothing to retry, and nobody to report.
          if (error instanceof DeliveryError && error.code === 'forms_not_supported') return { kind: 'drop', reason: error.code };
          throw error;
        }
      }
      return { kind: 'sent', ref: await notifier.sendToPerson(identity, effect.content.view) };
    }
    case 'outsider': {
      const identity: PlatformIdentity = {
        id: '',
        memberId: '',
        teamId: message.teamId,
        platform: effect.user.platform,
        workspaceId: effect.user.workspaceId,
        userId: effect.user.userId,
        displayName: effect.user.displayName ?? null,
        linked: false,
        // Where they wrote from: enough for the platform to open a private chat with them.
        conversationRef: effect.conversationRef,
      };
      await pacer.wait(message.platform, identity.userId);
      return { kind: 'sent', ref: await requireNotifier(services).sendToPerson(identity, effect.view) };
    }
    case 'team-channel': {
      const channel = (await store.read((repos) => repos.teams.findById(effect.teamId)))?.channel;
      if (!channel) throw new DeliveryError('permanent', 'no_team_channel');
      await pacer.wait(channel.platform, channel.channelId);
      return { kind: 'sent', ref: await requireNotifier(services).postToChannel(channel, effect.view) };
    }
    case 'discussion-root': {
      const prepared = await store.read(async (repos) => {
        const discussion = await repos.discussions.findById(effect.discussionId);
        const team = discussion ? await repos.teams.findById(discussion.teamId) : undefined;
        if (!discussion || !team || discussion.rootRef) return undefined;
        return { discussion, team, view: await rootViewFor(repos, team, discussion, now) };
      });
      if (!prepared) return { kind: 'drop', reason: 'already_posted' };
      const channel = prepared.team.channel;
      if (!channel) throw new DeliveryError('permanent', 'no_team_channel');
      await pacer.wait(channel.platform, channel.channelId);
      const ref = await requireNotifier(services).postToChannel(channel, prepared.view);
      // Teams names a thread `<channel>;messageid=<root>`; replies arrive on the channel id plus that root.
      const channelId = ref.conversationId.split(';messageid=')[0] ?? ref.conversationId;
      await store.transaction(async (repos) => {
        await repos.discussions.setThread(prepared.discussion.id, { platform: ref.platform, channelId, threadRef: ref.messageId, rootRef: ref });
        await repos.audit.record(
          { teamId: prepared.team.id, memberId: null, label: 'system' },
          { action: 'discussion.posted', entityType: 'discussion', entityId: prepared.discussion.id, caseId: prepared.discussion.caseId, after: { platform: ref.platform } },
        );
      });
      return { kind: 'sent', ref };
    }
    case 'discussion-thread': {
      const state = await store.read(async (repos) => {
        const discussion = await repos.discussions.findById(effect.discussionId);
        return { root: discussion?.rootRef ?? null, waiting: !discussion?.rootRef && (await rootPending(repos, effect.discussionId)) };
      });
      if (!state.root) return state.waiting ? { kind: 'wait', seconds: ROOT_WAIT_SECONDS } : { kind: 'drop', reason: 'no_thread' };
      await pacer.wait(state.root.platform, state.root.conversationId);
      return { kind: 'sent', ref: await requireNotifier(services).replyInThread(state.root, effect.view) };
    }
    case 'discussion-redraw': {
      const prepared = await store.read(async (repos) => {
        const discussion = await repos.discussions.findById(effect.discussionId);
        const team = discussion ? await repos.teams.findById(discussion.teamId) : undefined;
        if (!discussion?.rootRef || !team) return undefined;
        return { root: discussion.rootRef, view: await rootViewFor(repos, team, discussion, now) };
      });
      // Not posted yet: the root, when it goes, is drawn from the current state anyway.
      if (!prepared) return { kind: 'drop', reason: 'no_root' };
      await pacer.wait(prepared.root.platform, prepared.root.conversationId);
      await requireNotifier(services).update(prepared.root, prepared.view);
      return { kind: 'sent', ref: prepared.root };
    }
    case 'discussion-notice': {
      const prepared = await store.read(async (repos) => {
        const discussion = await repos.discussions.findById(effect.discussionId);
        if (!discussion) return undefined;
        if (!discussion.rootRef && (await rootPending(repos, discussion.id))) return 'wait' as const;
        const identity = await identityFor(repos, effect.memberId, message.platform);
        return { identity, view: await discussionNoticeView(repos, discussion) };
      });
      if (prepared === undefined) return { kind: 'drop', reason: 'no_discussion' };
      if (prepared === 'wait') return { kind: 'wait', seconds: ROOT_WAIT_SECONDS };
      if (!prepared.identity) throw new DeliveryError('permanent', 'no_identity');
      await pacer.wait(message.platform, prepared.identity.userId);
      return { kind: 'sent', ref: await requireNotifier(services).sendToPerson(prepared.identity, prepared.view) };
    }
    case 'message-update': {
      await pacer.wait(effect.ref.platform, effect.ref.conversationId);
      await requireNotifier(services).update(effect.ref, effect.view);
      return { kind: 'sent', ref: effect.ref };
    }
    case 'home': {
      if (!services.homes) return { kind: 'drop', reason: 'no_home_surface' };
      const prepared = await store.read(async (repos) => ({
        view: await myDeadlinesFor(repos, effect.memberId, now),
        identities: (await repos.members.identitiesOf(effect.memberId)).filter((i) => i.platform === 'slack'),
      }));
      if (!prepared.view || prepared.identities.length === 0) return { kind: 'drop', reason: 'no_home_surface' };
      for (const identity of prepared.identities) await services.homes.publish(identity, prepared.view);
      return { kind: 'sent', ref: null };
    }
    case 'file': {
      const identity = await store.read((repos) => identityFor(repos, effect.memberId, effect.platform));
      if (!identity) throw new DeliveryError('permanent', 'no_identity');
      await pacer.wait(effect.platform, identity.userId);
      // An offer the person can no longer accept is not made.
      if (effect.file.offer && new Date(effect.file.offer.expiresAt) <= now) return { kind: 'drop', reason: 'offer_expired' };
      if (!services.files?.supports(effect.platform, effect.file)) {
        return { kind: 'sent', ref: await requireNotifier(services).sendToPerson(identity, effect.fallback) };
      }
      const { contentBase64, ...rest } = effect.file;
      await services.files.sendToUser(
        { platform: identity.platform, workspaceId: identity.workspaceId, userId: identity.userId, conversationRef: identity.conversationRef },
        { ...rest, content: Buffer.from(contentBase64, 'base64') },
      );
      return { kind: 'sent', ref: null };
    }
  }
}
