/**
 * Builds the Bot Framework CloudAdapter. With an app id, every inbound activity's JWT is checked;
 * without one (local mode only), authentication is off and the server listens on loopback.
 */
import type { ConnectorClientOptions } from 'botframework-connector';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type { TeamsConfig } from '../../config/config.ts';
import { isDomainError, newErrorReference } from '../../core/errors.ts';
import { domainErrorView, unexpectedErrorView } from '../../core/views/error-view.ts';
import type { Logger } from '../../logging/logger.ts';
import { renderMessageCard } from '../../renderers/adaptive-cards/message-card.ts';
import { CardFactory, MessageFactory } from 'botbuilder';

/**
 * The CloudAdapter with its activity processing reachable: `process()` reads the request and
 * writes the response itself (500 with error text for bad input, errors printed to the console),
 * so the endpoint (`teams-endpoint.ts`) validates first and calls this instead.
 */
export class CaseworkCloudAdapter extends CloudAdapter {
  /** Authenticates `authHeader` for `activity` (throws with statusCode 401 when it fails) and runs the turn. */
  handleActivity(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/** Creates the adapter and its turn-error handler. */
export function createTeamsAdapter(config: TeamsConfig, logger: Logger): CaseworkCloudAdapter {
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
  const adapter = new CaseworkCloudAdapter(new ConfigurationBotFrameworkAuthentication(options, undefined, undefined, undefined, connectorClientOptions));
  const log = logger.child({ platform: 'teams' });
  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    const reference = newErrorReference();
    // A refusal raised outside the core's own handling (an activity naming no user) is shown as one.
    if (isDomainError(error)) log.info({ code: error.code, activityType: context.activity?.type }, 'request refused');
    else log.error({ reference, err: error, activityType: context.activity?.type }, 'unexpected error in turn');
    // Private by default: an error is shown in the person's own chat, never in a channel or group.
    const type = context.activity?.conversation?.conversationType;
    if (type === 'channel' || type === 'groupChat') return;
    try {
      const card = renderMessageCard(isDomainError(error) ? domainErrorView(error) : unexpectedErrorView(reference));
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
    } catch (sendError) {
      log.error({ reference, err: sendError }, 'could not tell the user about an error');
    }
  };
  return adapter;
}
