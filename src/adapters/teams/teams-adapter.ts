/**
 * Builds the Bot Framework CloudAdapter. With an app id, every inbound activity's JWT is checked;
 * without one (local mode only), authentication is off and the server listens on loopback.
 */
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import type { TeamsConfig } from '../../config/config.ts';
import { newErrorReference } from '../../core/errors.ts';
import { unexpectedErrorView } from '../../core/views/error-view.ts';
import type { Logger } from '../../logging/logger.ts';
import { renderMessageCard } from '../../renderers/adaptive-cards/message-card.ts';
import { CardFactory, MessageFactory } from 'botbuilder';

/** Creates the adapter and its turn-error handler. */
export function createTeamsAdapter(config: TeamsConfig, logger: Logger): CloudAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = config.appId
    ? {
        MicrosoftAppId: config.appId,
        MicrosoftAppPassword: config.appPassword ?? '',
        MicrosoftAppType: config.appType,
        MicrosoftAppTenantId: config.tenantId ?? '',
      }
    : {};
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options));
  const log = logger.child({ platform: 'teams' });
  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    const reference = newErrorReference();
    log.error({ reference, err: error, activityType: context.activity?.type }, 'unexpected error in turn');
    try {
      const card = renderMessageCard(unexpectedErrorView(reference));
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
    } catch (sendError) {
      log.error({ reference, err: sendError }, 'could not tell the user about an error');
    }
  };
  return adapter;
}
