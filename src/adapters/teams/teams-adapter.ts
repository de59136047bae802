/**
 * Builds the Bot Framework CloudAdapter. With an app id, every inbound activity's JWT is checked;
 * without one (local mode only), authentication is off and the server listens on loopback.
 */
import type { ConnectorClientOptions } from 'botframework-connector';
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
  // The outbox owns retries (with backoff, Retry-After and a report when they run out): the
  // connector client's own retries of 5xx answers would hold one send for tens of seconds.
  const connectorClientOptions = { retryOptions: { maxRetries: 0 } } as ConnectorClientOptions;
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options, undefined, undefined, undefined, connectorClientOptions));
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
