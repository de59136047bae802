/**
 * Every Slack request is answered. Bolt leaves a request unacknowledged when no listener matches
 * it or a listener fails before calling `ack()`: Slack's connection is then held for 3 seconds
 * and answered 404, and a modal submission shows Slack's own error. `AlwaysAckedReceiver`
 * decorates Bolt's real receiver so that, once Bolt has finished with a request, one that is
 * still unanswered is acknowledged: a failed form submission with the "unexpected error" view and
 * its reference, anything else with an empty 200. A request Bolt cannot process at all (it threw
 * before any listener) is answered 400 by `answerUnprocessable`, never 500. Bodies are checked
 * against the payload shapes here too, for Socket Mode, where no HTTP guard stands in front: one
 * that fails is acknowledged and dropped.
 */
import type { App, Receiver, ReceiverEvent, ReceiverProcessEventErrorHandlerArgs } from '@slack/bolt';
import { isDomainError, newErrorReference } from '../../core/errors.ts';
import { domainErrorView, unexpectedErrorView } from '../../core/views/error-view.ts';
import type { Logger } from '../../logging/logger.ts';
import { renderMessageModal } from '../../renderers/block-kit/form-modal.ts';
import { containsNul, issuePaths, REFUSALS } from '../shared/http-refusal.ts';
import { checkSlackBody } from './slack-payload-schema.ts';

/** Listener failures, by the request body they happened on (Bolt passes the same object along). */
const failures = new WeakMap<object, { reference: string; error: unknown }>();

/**
 * Records a listener failure under a fresh reference (for the log line and the fallback answer).
 * Call from `app.error` with Bolt's extended error arguments.
 */
export function recordListenerFailure(body: unknown, error: unknown): string {
  const reference = newErrorReference();
  if (typeof body === 'object' && body !== null) failures.set(body, { reference, error });
  return reference;
}

/** The answer for a request no listener acknowledged: a failed form shows why, in the modal. */
function fallbackAnswer(body: Record<string, unknown>): unknown {
  const failure = failures.get(body);
  if (body.type !== 'view_submission' || !failure) return undefined;
  const view = isDomainError(failure.error) ? domainErrorView(failure.error) : unexpectedErrorView(failure.reference);
  return { response_action: 'update', view: renderMessageModal(view) };
}

/** Bolt's real receiver with the guarantee above. */
export class AlwaysAckedReceiver implements Receiver {
  constructor(
    private readonly inner: Receiver,
    private readonly logger: Logger,
  ) {}

  init(app: App): void {
    // The receiver only ever calls `processEvent` on the app it is given.
    this.inner.init({ processEvent: (event: ReceiverEvent) => this.process(app, event) } as unknown as App);
  }

  start(...args: unknown[]): Promise<unknown> {
    return this.inner.start(...args);
  }

  stop(...args: unknown[]): Promise<unknown> {
    return this.inner.stop(...args);
  }

  private async process(app: App, event: ReceiverEvent): Promise<void> {
    const checked = containsNul(event.body) ? { ok: false as const, reason: 'NUL character', issues: [] } : checkSlackBody(event.body);
    if (!checked.ok) {
      this.logger.info({ reason: checked.reason, fields: issuePaths(checked.issues) }, 'request refused');
      await event.ack();
      return;
    }
    let acked = false;
    const ack: ReceiverEvent['ack'] = async (response) => {
      acked = true;
      await event.ack(response);
    };
    await app.processEvent({ ...event, ack });
    if (acked) return;
    const body = event.body as Record<string, unknown>;
    const answer = fallbackAnswer(body);
    if (!failures.has(body)) this.logger.info({ type: typeof body.type === 'string' ? body.type : undefined }, 'no listener answered a request; acknowledged it');
    await event.ack(answer);
  }
}

/**
 * The receiver's `processEventErrorHandler`: Bolt threw before any listener ran, which only a
 * payload it cannot make sense of does. Answered 400 (unless already answered); the log names the
 * error's type only.
 */
export function answerUnprocessable(logger: Logger) {
  return async ({ error, response }: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> => {
    logger.info({ status: 400, reason: 'Bolt could not process the payload', err: error }, 'request refused');
    if (!response.headersSent) {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: REFUSALS[400] }));
    }
    return true;
  };
}
