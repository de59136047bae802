/** Parsing what a user typed into a command word and its arguments. */

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
