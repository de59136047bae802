/** Messages for things that went wrong: an expected refusal, or an unexpected fault with its reference. */
import type { DomainError } from '../errors.ts';
import type { MessageView } from './message-view.ts';

/** A refusal the user can act on: the DomainError's message is written to be shown as it is. */
export function domainErrorView(error: DomainError): MessageView {
  return { kind: 'error', title: 'That could not be done', notice: { tone: 'error', text: error.message } };
}

/** An unexpected fault: nothing the user did, and a reference that support can find in the log. */
export function unexpectedErrorView(reference: string): MessageView {
  return {
    kind: 'error',
    title: 'Something went wrong',
    notice: {
      tone: 'error',
      text: `Casework hit an unexpected problem and nothing was changed. If it happens again, tell your team admin and quote reference ${reference}.`,
    },
  };
}

/** A form submission the platform delivered but Casework cannot read (foreign or tampered metadata). */
export function unreadableFormView(): MessageView {
  return {
    kind: 'error',
    title: 'Form not recognised',
    notice: { tone: 'error', text: 'Casework could not read this form, so nothing was saved. Please open it again from the command.' },
  };
}
