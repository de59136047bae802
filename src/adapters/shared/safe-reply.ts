/**
 * The one place where adapters turn failures into replies: a DomainError is shown as it is, any
 * other error is logged under a fresh reference and the user sees only that reference.
 */
import { isDomainError, newErrorReference } from '../../core/errors.ts';
import type { Reply } from '../../core/interaction.ts';
import { domainErrorView, unexpectedErrorView } from '../../core/views/error-view.ts';
import type { Logger } from '../../logging/logger.ts';

/** Runs a core call; never throws. `what` names the operation in the log (never its content). */
export async function safeReply(logger: Logger, what: Record<string, unknown>, call: () => Promise<Reply>): Promise<Reply> {
  try {
    return await call();
  } catch (error) {
    return failureReply(logger, what, error);
  }
}

/** The reply for an error already caught, logged as described above. */
export function failureReply(logger: Logger, what: Record<string, unknown>, error: unknown): Reply {
  if (isDomainError(error)) {
    logger.info({ ...what, code: error.code }, 'request refused');
    return { type: 'message', view: domainErrorView(error) };
  }
  const reference = newErrorReference();
  logger.error({ ...what, reference, err: error }, 'unexpected error');
  return { type: 'message', view: unexpectedErrorView(reference) };
}
