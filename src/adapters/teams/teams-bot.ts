/**
 * The Teams adapter: an ActivityHandler that translates messages and card actions into core
 * calls and renders the core's replies as Adaptive Cards. Forms are cards in the conversation
 * submitted with Action.Execute: an invalid submission replaces the card with itself (errors
 * under the fields, answers kept), a valid one replaces it with the confirmation.
 */
import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type FileConsentCardResponse,
} from 'botbuilder';
import type { Casework } from '../../core/casework.ts';
import { unreadableFormView } from '../../core/views/error-view.ts';
import type { InboundContext, Reply } from '../../core/interaction.ts';
import type { Logger } from '../../logging/logger.ts';
import { FORM_SUBMIT_VERB, readFormSubmission, renderFormCard } from '../../renderers/adaptive-cards/form-card.ts';
import { renderMessageCard } from '../../renderers/adaptive-cards/message-card.ts';
import type { AdaptiveCard } from '../../renderers/adaptive-cards/card-text.ts';
import { safeReply } from '../shared/safe-reply.ts';
import { teamsContext } from './teams-context.ts';
import { mentionsBot, recordTeamsThreadMessage } from './teams-threads.ts';

const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Card data values are strings for buttons; anything else is dropped. */
function stringValues(data: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'verb'));
}

/** The card a reply is drawn as, or undefined when the reply shows nothing. */
function cardFor(reply: Reply): { card: AdaptiveCard; summary: string } | undefined {
  switch (reply.type) {
    case 'form':
    case 'form-invalid':
      return { card: renderFormCard(reply.form), summary: reply.form.title };
    case 'message':
    case 'update':
      return { card: renderMessageCard(reply.view), summary: reply.view.title };
    case 'none':
      return undefined;
  }
}

/**
 * Teams runs a card's `refresh` action by itself only for the users listed in `refresh.userIds`
 * (at most 60): a personal card (`deadlines`) lists the person it was made for, by their Teams id;
 * a card that names its own audience (a discussion's supervisors) keeps it.
 */
function refreshFor(card: AdaptiveCard, userId: string | undefined): AdaptiveCard {
  const refresh = (card as { refresh?: Record<string, unknown> }).refresh;
  if (!refresh || !userId || Array.isArray(refresh.userIds)) return card;
  return { ...card, refresh: { ...refresh, userIds: [userId] } } as AdaptiveCard;
}

/** True for a conversation others can see: a channel (or a thread in one) or a group chat. */
function isShared(activity: Activity): boolean {
  const type = activity.conversation?.conversationType;
  return type === 'channel' || type === 'groupChat';
}

/** What may be shown where everyone can see it: only messages the core marked as fit for that. */
function fitForEveryone(reply: Reply): boolean {
  return (reply.type === 'message' || reply.type === 'update') && reply.view.shared === true;
}

/** An invoke answer Teams shows to the person who pressed the button, and to nobody else. */
function privateInvokeMessage(text: string): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text as never };
}

/** The one-line version of a refusal, for the private invoke answer. */
function refusalText(reply: Reply): string | undefined {
  if (reply.type !== 'message' || reply.view.kind !== 'error') return undefined;
  return reply.view.notice?.text ?? reply.view.title;
}

/** The bot: messages and card actions in, Adaptive Cards out. */
export class CaseworkTeamsBot extends TeamsActivityHandler {
  private readonly logger: Logger;

  constructor(
    private readonly casework: Casework,
    logger: Logger,
    /** The bot's app id for starting conversations (any non-empty id when authentication is off). */
    private readonly botAppId: string,
    /** Answers to file-consent cards (records as files); without it such answers are refused politely. */
    private readonly fileConsent?: (context: TurnContext, value: FileConsentCardResponse | undefined) => Promise<void>,
  ) {
    super();
    this.logger = logger.child({ platform: 'teams' });
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    // MembersAdded rather than TeamsMembersAdded: the latter first fetches every added member
    // from the connector, which the bot joining a team does not need.
    this.onMembersAdded(async (context, next) => {
      await this.handleMembersAdded(context);
      await next();
    });
    // Edits and soft deletions of replies in discussion threads (resource-specific consent).
    this.onTeamsMessageEditEvent(async (context, next) => {
      await recordTeamsThreadMessage(this.casework, this.logger, context.activity, 'edited');
      await next();
    });
    this.onTeamsMessageSoftDeleteEvent(async (context, next) => {
      await recordTeamsThreadMessage(this.casework, this.logger, context.activity, 'deleted');
      await next();
    });
  }

  /**
   * Installed in a team: the installer registers the team, and the welcome goes to its General
   * channel. Opened in a personal chat: a short welcome there.
   */
  private async handleMembersAdded(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const botJoined = (activity.membersAdded ?? []).some((m) => m.id === activity.recipient?.id);
    const team = (activity.channelData as { team?: { id?: string; name?: string } } | undefined)?.team;
    if (botJoined && activity.conversation?.conversationType === 'personal') {
      const welcome = await safeReply(this.logger, { op: 'welcome' }, () => this.casework.welcome(teamsContext(activity)));
      await this.send(context, welcome);
      return;
    }
    // Colleagues added to a team with Casework: anyone imported by email is linked now.
    if (!botJoined && team?.id) {
      await this.linkJoinedMembers(activity, team.id);
      return;
    }
    // Group-chat installs have no team to register.
    if (!botJoined || !team?.id) return;
    const base = teamsContext(activity);
    // Install events name no channel: the General channel's id is the team's id.
    const ctx: InboundContext = { ...base, surface: { kind: 'channel', channelId: team.id, conversationId: activity.conversation?.id ?? team.id, teamId: team.id } };
    const reply = await safeReply(this.logger, { op: 'bot-added' }, () => this.casework.botAddedToChannel(ctx, team.name ? { teamName: team.name } : {}));
    await this.send(context, reply);
  }

  /** Each member added to the team (not the bot) as the one who joined its General channel. */
  private async linkJoinedMembers(activity: Activity, teamId: string): Promise<void> {
    const base = teamsContext(activity);
    const reference = base.conversationRef ?? {};
    for (const member of activity.membersAdded ?? []) {
      const userId = member.aadObjectId?.trim() || member.id?.trim();
      if (!userId || member.id === activity.recipient?.id) continue;
      const ctx: InboundContext = {
        user: { platform: 'teams', workspaceId: base.user.workspaceId, userId, ...(member.id && member.id !== userId ? { chatUserId: member.id } : {}) },
        surface: { kind: 'channel', channelId: teamId, conversationId: activity.conversation?.id ?? teamId, teamId },
        // The reference is the team's, with the person who joined in it (not who added them), so
        // their own chat can be started from it later.
        conversationRef: { ...reference, user: { id: member.id, ...(member.aadObjectId ? { aadObjectId: member.aadObjectId } : {}) } },
      };
      await this.casework.personJoinedChannel(ctx).catch((error: unknown) => this.logger.error({ err: error, op: 'person-joined' }, 'could not link a person who joined'));
    }
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const ctx = teamsContext(activity);
    // Action.Submit (the fallback for clients without Action.Execute) arrives as a message with a value.
    if (activity.value && typeof activity.value === 'object') {
      const reply = await this.dispatchCardAction(ctx, activity.value as Record<string, unknown>);
      await this.send(context, reply);
      return;
    }
    if (activity.conversation?.conversationType === 'channel') {
      // With resource-specific consent every channel message arrives: a reply in a discussion
      // thread is recorded, and only a message that @mentions the bot is read as a command.
      const outcome = await recordTeamsThreadMessage(this.casework, this.logger, activity, 'new');
      if ((outcome && outcome !== 'ignored') || !mentionsBot(activity)) return;
    }
    const text = (TurnContext.removeRecipientMention(activity) ?? activity.text ?? '').trim();
    const reply = await safeReply(this.logger, { op: 'message' }, () => this.casework.handleText(ctx, text));
    await this.send(context, reply);
  }

  /** Routes card data to a form submission or a button action. */
  private dispatchCardAction(ctx: InboundContext, data: Record<string, unknown>, verbFromInvoke?: string): Promise<Reply> {
    const verb = verbFromInvoke ?? (typeof data.verb === 'string' ? data.verb : '');
    if (verb === FORM_SUBMIT_VERB) {
      const submission = readFormSubmission(data);
      return safeReply(this.logger, { op: 'form-submit', form: submission?.formId }, async () => {
        if (!submission) return { type: 'message', view: unreadableFormView() };
        return this.casework.submitForm(ctx, submission.formId, submission.values, submission.context);
      });
    }
    return safeReply(this.logger, { op: 'card-action', action: verb }, () => this.casework.handleAction(ctx, verb, stringValues(data)));
  }

  /**
   * `fileConsent/invoke`: the person accepted or declined a file Casework offered. Handled here as
   * a whole (botbuilder would throw on an unexpected action or a missing value) and answered 200
   * once the turn ends; what happened is told in their chat.
   */
  protected override async handleTeamsFileConsent(context: TurnContext, value: FileConsentCardResponse): Promise<void> {
    if (this.fileConsent) {
      await this.fileConsent(context, (value ?? undefined) as FileConsentCardResponse | undefined);
      return;
    }
    await context.sendActivity('Casework does not offer files here, so nothing was sent.');
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const ctx = teamsContext(context.activity);
    const verb = invokeValue.action?.verb ?? '';
    const data = (invokeValue.action?.data ?? {}) as Record<string, unknown>;
    const reply = await this.dispatchCardAction(ctx, data, verb);
    // Teams marks a refresh it ran by itself (`trigger: automatic`) on the invoke value.
    const automatic = (invokeValue as { trigger?: string }).trigger === 'automatic';
    if (isShared(context.activity)) {
      // A card in a channel: its refresh is drawn for the person it runs for (a supervisor's own
      // copy of a discussion's root); anything else is answered privately, never in the channel.
      if (reply.type === 'update' && (automatic || reply.view.shared)) {
        const drawn = cardFor(reply);
        if (drawn) return { statusCode: 200, type: CARD_CONTENT_TYPE, value: drawn.card as never };
      }
      const refusal = refusalText(reply);
      if (refusal) return privateInvokeMessage(refusal);
      const status = await this.casework.sendPrivately(ctx, await this.withPeopleChoices(context, reply));
      return privateInvokeMessage(status === 'failed' ? 'Casework could not open a private chat with you. Open Casework in a personal chat, then try again.' : 'Casework has answered you in your private chat.');
    }
    // A form's own outcome replaces the form card; other answers arrive as new messages so the
    // card the button was on (a list, a case card) stays where it was.
    if (verb === FORM_SUBMIT_VERB || reply.type === 'update' || reply.type === 'form-invalid') {
      const drawn = cardFor(await this.withPeopleChoices(context, reply));
      if (drawn) return { statusCode: 200, type: CARD_CONTENT_TYPE, value: refreshFor(drawn.card, context.activity.from?.id) as never };
    }
    await this.send(context, reply);
    return privateInvokeMessage('Done');
  }

  /**
   * Teams' people picker searches the whole organisation, but some clients (the Agents
   * Playground, older mobile builds) show only the static choices: fill those from the team's
   * members so there is always a plain list to pick from.
   */
  private async withPeopleChoices(context: TurnContext, reply: Reply): Promise<Reply> {
    if (reply.type !== 'form' && reply.type !== 'form-invalid') return reply;
    const needing = reply.form.fields.filter((f) => (f.kind === 'user' || f.kind === 'users') && !f.options?.length);
    if (needing.length === 0) return reply;
    const fields = await Promise.all(
      reply.form.fields.map(async (field) => {
        if (!needing.includes(field)) return field;
        const options = await this.peopleChoices(context, field.peopleFrom);
        return options.length ? { ...field, options } : field;
      }),
    );
    return { ...reply, form: { ...reply.form, fields } };
  }

  private async peopleChoices(context: TurnContext, teamOrChannelId: string | undefined): Promise<{ value: string; label: string }[]> {
    try {
      const page = teamOrChannelId ? await TeamsInfo.getPagedTeamMembers(context, teamOrChannelId, 100) : await TeamsInfo.getPagedMembers(context, 100);
      return page.members
        .filter((m) => m.aadObjectId && m.id !== context.activity.recipient?.id)
        .map((m) => ({ value: m.aadObjectId!, label: (m.name ?? m.aadObjectId!).slice(0, 75) }));
    } catch (error) {
      this.logger.warn({ err: error }, 'could not list team members for the people picker');
      return [];
    }
  }

  /**
   * Shows a reply where the person asked, unless others would see it there: in a channel or a
   * group chat, only what the core marked fit for everyone is posted; everything else (an answer,
   * a form, a refusal) goes to the person's private chat, and the channel hears nothing unless
   * that chat cannot be reached.
   */
  private async send(context: TurnContext, reply: Reply): Promise<void> {
    if (reply.type === 'none') return;
    if (isShared(context.activity) && !fitForEveryone(reply)) {
      const status = await this.casework.sendPrivately(teamsContext(context.activity), await this.withPeopleChoices(context, reply));
      if (status === 'failed') {
        await context.sendActivity('Casework could not open a private chat with you. Open Casework in a personal chat and send the command there.');
      }
      return;
    }
    const drawn = cardFor(await this.withPeopleChoices(context, reply));
    if (!drawn) return;
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(refreshFor(drawn.card, context.activity.from?.id)), undefined, drawn.summary));
  }

}
