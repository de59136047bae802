/**
 * The Notifier port over the Bot Framework: personal messages through the conversation reference
 * kept from the person's last message, new channel threads, replies in them, and in-place card
 * updates. Connector failures become DeliveryErrors: 429 → rate_limited (Retry-After), a blocked
 * bot or a vanished conversation → permanent, the rest transient.
 */
import { CardFactory, MessageFactory, TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { ChannelBinding, PlatformIdentity } from '../../core/domain/entities.ts';
import { DeliveryError, type MessageRef, type Notifier } from '../../core/ports.ts';
import type { MessageView } from '../../core/views/message-view.ts';
import { renderMessageCard } from '../../renderers/adaptive-cards/message-card.ts';
import { renderFormCard } from '../../renderers/adaptive-cards/form-card.ts';
import type { FormView } from '../../core/views/form-view.ts';

/** Maps a connector failure (an error with a statusCode, maybe a Retry-After) to a DeliveryError. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = error as { statusCode?: number; code?: string; response?: { headers?: { get?(name: string): string | undefined } }; details?: { error?: { code?: string } } };
  const status = e.statusCode;
  const code = e.details?.error?.code ?? (status ? `http_${status}` : (e.code ?? 'request_error'));
  if (status === 429) {
    const retryAfter = Number(e.response?.headers?.get?.('retry-after'));
    return new DeliveryError('rate_limited', code, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 1);
  }
  if (status === 401 || status === 403 || status === 404) return new DeliveryError('permanent', code);
  return new DeliveryError('transient', code);
}

function activityFor(view: MessageView) {
  return MessageFactory.attachment(CardFactory.adaptiveCard(renderMessageCard(view)), undefined, view.title);
}

function formActivity(form: FormView) {
  return MessageFactory.attachment(CardFactory.adaptiveCard(renderFormCard(form)), undefined, form.title);
}

/** A deep link that opens a channel message (the root of a thread) in Teams. */
export function teamsMessageLink(channel: ChannelBinding, messageId: string): string {
  const query = new URLSearchParams({ tenantId: channel.workspaceId, parentMessageId: messageId });
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(channel.channelId)}/${encodeURIComponent(messageId)}?${query.toString()}`;
}

/** The root message id of a channel thread conversation id `<channel>;messageid=<root>`. */
export function threadRootId(conversationId: string): string | undefined {
  return /;messageid=(.+)$/.exec(conversationId)?.[1];
}

/**
 * Creates a conversation (a new channel thread, or a one-to-one chat) with `params.activity` as
 * its first message; resolves with the new conversation's reference and that message's id.
 */
export async function openConversation(
  adapter: CloudAdapter,
  botAppId: string,
  serviceUrl: string,
  params: Record<string, unknown>,
): Promise<{ reference: Partial<ConversationReference>; activityId: string | undefined }> {
  let reference: Partial<ConversationReference> = {};
  let activityId: string | undefined;
  try {
    await adapter.createConversationAsync(botAppId, 'msteams', serviceUrl, null as never, params as never, async (context) => {
      reference = TurnContext.getConversationReference(context.activity);
      activityId = context.activity.id;
    });
  } catch (error) {
    throw toDeliveryError(error);
  }
  return { reference, activityId };
}

/** The Teams notifier, and any activity (a file-consent card) sent to a person's own chat. */
export interface TeamsNotifier extends Notifier {
  sendActivityToPerson(identity: Pick<PlatformIdentity, 'userId' | 'workspaceId' | 'conversationRef'>, activity: Partial<Activity>): Promise<MessageRef>;
}

/** Creates the Teams notifier; `botAppId` may be any non-empty string when authentication is off. */
export function createTeamsNotifier(adapter: CloudAdapter, botAppId: string): TeamsNotifier {
  async function within(reference: Partial<ConversationReference>, work: (context: TurnContext) => Promise<void>): Promise<void> {
    // A failure inside the callback would go to the adapter's turn-error handler, which logs it
    // and answers the conversation with an error card: caught here instead, so the outbox hears
    // of it and nothing is posted in the person's chat or the channel.
    let failure: unknown;
    try {
      await adapter.continueConversationAsync(botAppId, reference, async (context) => {
        try {
          await work(context);
        } catch (error) {
          failure = error;
        }
      });
    } catch (error) {
      throw toDeliveryError(error);
    }
    if (failure !== undefined) throw toDeliveryError(failure);
  }

  async function send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<MessageRef> {
    let id: string | undefined;
    await within(reference, async (context) => {
      id = (await context.sendActivity(activity))?.id;
    });
    const conversationId = reference.conversation?.id ?? '';
    return { platform: 'teams', conversationId, messageId: id ?? '', extra: { reference } };
  }

  /**
   * Opens a one-to-one chat with someone known only from a channel (their first private note,
   * such as why their reply was not recorded). Teams allows it when the app is installed in a
   * team they belong to.
   */
  async function startPersonalChat(ref: Partial<ConversationReference>, identity: Pick<PlatformIdentity, 'userId' | 'workspaceId'>, activity: Partial<Activity>): Promise<MessageRef> {
    const member = ref.user?.id ? ref.user : { id: identity.userId, aadObjectId: identity.userId };
    const tenant = identity.workspaceId;
    const { reference, activityId } = await openConversation(adapter, botAppId, ref.serviceUrl!, {
      isGroup: false,
      bot: ref.bot,
      members: [member],
      tenantId: tenant,
      channelData: { tenant: { id: tenant } },
      activity,
    });
    return { platform: 'teams', conversationId: reference.conversation?.id ?? '', messageId: activityId ?? '', extra: { reference } };
  }

  /** A private message in the person's own chat: the stored one-to-one conversation, or a new one. */
  function toPerson(identity: Pick<PlatformIdentity, 'userId' | 'workspaceId' | 'conversationRef'>, activity: Partial<Activity>): Promise<MessageRef> {
    const ref = identity.conversationRef as Partial<ConversationReference> | null;
    if (!ref?.serviceUrl) throw new DeliveryError('permanent', 'no_conversation_reference');
    const type = ref.conversation?.conversationType;
    if (ref.conversation && type !== 'channel' && type !== 'groupChat') return send(ref, activity);
    return startPersonalChat(ref, identity, activity);
  }

  return {
    sendActivityToPerson: toPerson,

    async sendToPerson(identity: PlatformIdentity, view) {
      return toPerson(identity, activityFor(view));
    },

    async sendFormToPerson(identity: PlatformIdentity, form) {
      return toPerson(identity, formActivity(form));
    },

    async postToChannel(channel: ChannelBinding, view) {
      const ref = (channel.ref ?? {}) as Partial<ConversationReference>;
      if (!ref.serviceUrl) throw new DeliveryError('permanent', 'no_channel_reference');
      const opened = await openConversation(adapter, botAppId, ref.serviceUrl, {
        isGroup: true,
        channelData: { channel: { id: channel.channelId }, tenant: { id: channel.workspaceId } },
        activity: activityFor(view),
        bot: ref.bot,
        tenantId: channel.workspaceId,
      });
      const reference = { ...ref, conversation: { ...opened.reference.conversation, tenantId: channel.workspaceId } } as Partial<ConversationReference>;
      const activityId = opened.activityId;
      const conversationId = reference?.conversation?.id ?? channel.channelId;
      const rootId = threadRootId(conversationId) ?? activityId ?? '';
      const threadId = threadRootId(conversationId) ? conversationId : `${channel.channelId};messageid=${rootId}`;
      const threadReference = { ...reference, conversation: { ...reference?.conversation, id: threadId } };
      return { platform: 'teams', conversationId: threadId, messageId: rootId, extra: { reference: threadReference }, link: teamsMessageLink(channel, rootId) };
    },

    async replyInThread(root, view) {
      const reference = root.extra?.reference as Partial<ConversationReference> | undefined;
      if (!reference) throw new DeliveryError('permanent', 'no_thread_reference');
      return send({ ...reference, conversation: { ...reference.conversation, id: root.conversationId } as ConversationReference['conversation'] }, activityFor(view));
    },

    async update(ref, view) {
      const reference = ref.extra?.reference as Partial<ConversationReference> | undefined;
      if (!reference) throw new DeliveryError('permanent', 'no_conversation_reference');
      await within(reference, async (context) => {
        await context.updateActivity({ ...activityFor(view), id: ref.messageId });
      });
    },
  };
}
