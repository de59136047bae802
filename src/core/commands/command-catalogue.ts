/**
 * The chat commands Casework understands, described once. Help is generated from this list, so
 * a command appears in help exactly when it is registered.
 */

/** One chat command as a user sees it in help. */
export interface CommandDescription {
  name: string;
  usage: string;
  summary: string;
}

/** Commands available in this build, in the order help lists them. */
export const COMMANDS: readonly CommandDescription[] = [
  { name: 'help', usage: 'help', summary: 'Show what Casework can do and the commands it understands.' },
];

/** A parsed command line: the lower-cased command word and the rest of the words. */
export interface ParsedCommand {
  name: string;
  args: string[];
  /** The text after the command word, as typed (for free-text arguments such as a question). */
  rest: string;
}

/** Splits what a user typed into a command word and arguments. Empty input means help. */
export function parseCommand(text: string): ParsedCommand {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  if (trimmed === '') return { name: 'help', args: [], rest: '' };
  const [first = '', ...args] = trimmed.split(' ');
  const rest = trimmed.slice(first.length).trim();
  return { name: first.toLowerCase(), args, rest };
}
