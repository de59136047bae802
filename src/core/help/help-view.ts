/** The help message: what Casework is for and the commands it understands, for both platforms. */
import type { CommandSpec } from '../commands/registry.ts';
import type { MessageView } from '../views/message-view.ts';

/** How far to quote an unrecognised command back: enough to recognise, never a whole message. */
const MAX_ECHO = 40;

/** The help entry for help itself, which the router handles. */
export const HELP_COMMAND = { usage: 'help', summary: 'Show what Casework can do and the commands it understands.' };

/**
 * Builds the help message from the registered commands. With `notUnderstood`, it opens with a
 * note saying which command word was not recognised (only that word is quoted back).
 */
export function helpView(
  commands: readonly Pick<CommandSpec, 'usage' | 'summary'>[],
  options: { notUnderstood?: string; platformCommand?: string | undefined } = {},
): MessageView {
  const prefix = options.platformCommand ? `${options.platformCommand} ` : '';
  const view: MessageView = {
    kind: 'help',
    shared: true,
    title: 'Casework help',
    subtitle: 'Deadlines, home-visit updates and recorded case discussions for your team.',
    paragraphs: [
      'Casework reminds you before visit and review deadlines, takes a two-minute update after each home visit, and keeps case discussions and supervision decisions on record.',
      'Cases are referred to by their case key (for example CW-7K3P), never by name.',
    ],
    sections: [
      {
        heading: 'Commands',
        facts: [HELP_COMMAND, ...commands].map((c) => ({ label: `${prefix}${c.usage}`, value: c.summary })),
      },
    ],
  };
  if (options.notUnderstood !== undefined) {
    const word = options.notUnderstood.slice(0, MAX_ECHO);
    view.notice = { tone: 'warning', text: `Sorry, "${word}" is not a command Casework knows. Here is what it can do.` };
  }
  return view;
}
