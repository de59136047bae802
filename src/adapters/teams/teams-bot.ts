/**
 * The Teams adapter: an ActivityHandler that translates messages and card actions into core
 * calls and renders the core's replies as Adaptive Cards. No business rule lives here.
 */
import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
} from 'botbuilder';
import type { Casework } from '../../core/casework.ts';
import type { Reply } from '../../core/interaction.ts';
import type { Logger } from '../../logging/logger.ts';
import { renderMessageCard } from '../../renderers/adaptive-cards/message-card.ts';
import { safeReply } from '../shared/safe-reply.ts';
import { teamsContext } from './teams-context.ts';

const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Pulls the interaction id and its string values out of card data. */
function actionFromData(data: unknown): { verb: string; values: Record<string, string> } | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (typeof value === 'string') values[key] = value;
  }
  const verb = values.verb;
  if (!verb) return undefined;
  delete values.verb;
  return { verb, values };
}

/** The bot: messages and card actions in, Adaptive Cards out. */
export class CaseworkTeamsBot extends TeamsActivityHandler {
  private readonly logger: Logger;

  constructor(
    private readonly casework: Casework,
    logger: Logger,
  ) {
    super();
    this.logger = logger.child({ platform: 'teams' });
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const ctx = teamsContext(activity);
    // Action.Submit (the fallback for clients without Action.Execute) arrives as a message with a value.
    const submitted = actionFromData(activity.value);
    if (submitted) {
      const reply = await safeReply(this.logger, { op: 'card-submit', action: submitted.verb }, () =>
        this.casework.handleAction(ctx, submitted.verb, submitted.values),
      );
      await this.send(context, reply);
      return;
    }
    const text = (TurnContext.removeRecipientMention(activity) ?? activity.text ?? '').trim();
    const reply = await safeReply(this.logger, { op: 'message' }, () => this.casework.handleText(ctx, text));
    await this.send(context, reply);
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const ctx = teamsContext(context.activity);
    const action = actionFromData({ ...(invokeValue.action?.data ?? {}), verb: invokeValue.action?.verb });
    if (!action) {
      return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'No action verb.' } as never };
    }
    const reply = await safeReply(this.logger, { op: 'card-action', action: action.verb }, () =>
      this.casework.handleAction(ctx, action.verb, action.values),
    );
    if (reply.type === 'update') {
      return { statusCode: 200, type: CARD_CONTENT_TYPE, value: renderMessageCard(reply.view) as never };
    }
    await this.send(context, reply);
    return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Done' as never };
  }

  private async send(context: TurnContext, reply: Reply): Promise<void> {
    if (reply.type === 'message' || reply.type === 'update') {
      const card = renderMessageCard(reply.view);
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card), undefined, reply.view.title));
    }
  }
}
