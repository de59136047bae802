/** The help message: what Casework is for and the commands it understands, for both platforms. */
import { COMMANDS } from '../commands/command-catalogue.ts';
import type { MessageView } from '../views/message-view.ts';

/** How far to quote an unrecognised command back: enough to recognise, never a whole message. */
const MAX_ECHO = 40;

/**
 * Builds the help message. With `notUnderstood`, it opens with a note saying which command word
 * was not recognised (only the first word is quoted back, so nothing sensitive is repeated).
 */
export function helpView(options: { notUnderstood?: string; platformCommand?: string | undefined } = {}): MessageView {
  const prefix = options.platformCommand ? `${options.platformCommand} ` : '';
  const view: MessageView = {
    kind: 'help',
    title: 'Casework help',
    subtitle: 'Deadlines, home-visit updates and recorded case discussions for your team.',
    paragraphs: [
      'Casework reminds you before visit and review deadlines, takes a two-minute update after each home visit, and keeps case discussions and supervision decisions on record.',
      'Cases are referred to by their case key (for example CW-7K3P), never by name.',
    ],
    sections: [
      {
        heading: 'Commands',
        facts: COMMANDS.map((c) => ({ label: `${prefix}${c.usage}`, value: c.summary })),
      },
    ],
  };
  if (options.notUnderstood !== undefined) {
    const word = options.notUnderstood.slice(0, MAX_ECHO);
    view.notice = { tone: 'warning', text: `Sorry, "${word}" is not a command Casework knows. Here is what it can do.` };
  }
  return view;
}
