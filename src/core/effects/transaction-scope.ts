/**
 * Knows whether the code running now is inside a database transaction, so that a network call
 * made there can be refused. Chat calls belong after commit: inside a transaction they hold
 * PGlite's one connection (everyone waits) or PostgreSQL's row locks for a network round trip,
 * and a platform error would roll the user's work back.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<true>();

/** Runs `work` marked as inside a transaction; the store calls this around every transaction. */
export function runInTransactionScope<T>(work: () => Promise<T>): Promise<T> {
  return scope.run(true, work);
}

/** True while a transaction is open in the current asynchronous context. */
export function inTransaction(): boolean {
  return scope.getStore() === true;
}

/** Thrown when a chat or network call is attempted inside a transaction. */
export class NetworkCallInTransactionError extends Error {
  override readonly name = 'NetworkCallInTransactionError';
  constructor(what: string) {
    super(`${what} was called inside a database transaction; chat effects go through the outbox and are delivered after commit`);
  }
}

/** Refuses to go on inside a transaction. `what` names the call for the error. */
export function assertNotInTransaction(what: string): void {
  if (inTransaction()) throw new NetworkCallInTransactionError(what);
}
