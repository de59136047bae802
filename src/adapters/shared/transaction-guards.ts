/**
 * Wraps the platform ports so that a call made while a database transaction is open fails at
 * once, in development and in tests alike, instead of holding a connection (PGlite's only one)
 * or row locks for a network round trip. Chat effects go through the outbox after commit.
 */
import { assertNotInTransaction } from '../../core/effects/transaction-scope.ts';
import type { Notifier, PeopleDirectory } from '../../core/ports.ts';

/** A notifier that refuses to be called inside a transaction. */
export function guardNotifier(notifier: Notifier): Notifier {
  const guarded: Notifier = {
    sendToPerson(identity, view) {
      assertNotInTransaction('Notifier.sendToPerson');
      return notifier.sendToPerson(identity, view);
    },
    postToChannel(channel, view) {
      assertNotInTransaction('Notifier.postToChannel');
      return notifier.postToChannel(channel, view);
    },
    replyInThread(root, view) {
      assertNotInTransaction('Notifier.replyInThread');
      return notifier.replyInThread(root, view);
    },
    update(ref, view) {
      assertNotInTransaction('Notifier.update');
      return notifier.update(ref, view);
    },
  };
  const sendForm = notifier.sendFormToPerson?.bind(notifier);
  if (sendForm) {
    guarded.sendFormToPerson = (identity, form) => {
      assertNotInTransaction('Notifier.sendFormToPerson');
      return sendForm(identity, form);
    };
  }
  return guarded;
}

/** A people directory that refuses to be called inside a transaction. */
export function guardDirectory(directory: PeopleDirectory): PeopleDirectory {
  const guarded: PeopleDirectory = {
    displayName(platform, workspaceId, userId) {
      assertNotInTransaction('PeopleDirectory.displayName');
      return directory.displayName(platform, workspaceId, userId);
    },
  };
  const email = directory.email?.bind(directory);
  if (email) {
    guarded.email = (account) => {
      assertNotInTransaction('PeopleDirectory.email');
      return email(account);
    };
  }
  return guarded;
}
