/** Parsing what a user typed into a command word and its arguments. */
import { DomainError } from '../errors.ts';

/** The highest page any list offers: far beyond any caseload, well inside what SQL can offset. */
export const MAX_PAGE = 10_000;

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

/**
 * A page number typed or sent by a button: digits from 1 to MAX_PAGE. Absent means the first
 * page; anything else is refused with a message saying what is allowed, so a number too big for
 * the database never reaches it.
 */
export function pageNumber(text: string | undefined): number {
  if (text === undefined || text === '') return 1;
  const n = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
    throw new DomainError('invalid_input', `Page numbers go from 1 to ${MAX_PAGE.toLocaleString('en-GB')}.`);
  }
  return n;
}
