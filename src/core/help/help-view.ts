/**
 * Help that fits the person: what Casework is for and the commands they can use in their roles,
 * with examples that work (one of their own case keys where they have one); a one-line answer to
 * a greeting; and, for a word Casework does not know, the nearest command it does.
 */
import type { CommandSpec } from '../commands/registry.ts';
import type { Role } from '../domain/entities.ts';
import type { MessageView } from '../views/message-view.ts';

/** How far to quote an unrecognised command back: enough to recognise, never a whole message. */
const MAX_ECHO = 40;

/** The placeholder case key the commands' usage lines are written with. */
export const EXAMPLE_KEY = 'CW-7K3P';

/** The help entry for help itself, which the router handles. */
export const HELP_COMMAND = { name: 'help', usage: 'help', summary: 'Show what Casework can do and the commands you can use.', menu: 1 };

/** Who help is written for: their roles (none when they are on no team) and a case key of theirs. */
export interface HelpAudience {
  roles: readonly Role[] | null;
  exampleKey?: string;
}

/** The commands a person with `roles` can use (help lists these); on no team, only setup and help. */
export function commandsFor<T extends Pick<CommandSpec, 'name' | 'audience'>>(commands: readonly T[], roles: readonly Role[] | null): T[] {
  if (roles === null) return commands.filter((c) => c.name === 'setup');
  return commands.filter((c) => !c.audience || c.audience.some((r) => roles.includes(r)));
}

/**
 * Builds the help message from the registered commands a person can use. With `notUnderstood`, it
 * opens with a note saying which word was not recognised (only that word is quoted back) and, when
 * one is close, which command was probably meant.
 */
export function helpView(
  commands: readonly Pick<CommandSpec, 'name' | 'usage' | 'summary' | 'audience'>[],
  options: { notUnderstood?: string; suggestion?: string; platformCommand?: string | undefined; audience?: HelpAudience } = {},
): MessageView {
  const prefix = options.platformCommand ? `${options.platformCommand} ` : '';
  const roles = options.audience?.roles ?? [];
  const shown = options.audience ? commandsFor(commands, options.audience.roles) : commands;
  const example = options.audience?.exampleKey;
  const usage = (text: string) => (example ? text.split(EXAMPLE_KEY).join(example) : text);
  const view: MessageView = {
    kind: 'help',
    shared: true,
    title: 'Casework help',
    subtitle: 'Deadlines, home-visit updates and recorded case discussions for your team.',
    paragraphs: [
      'Casework reminds you before visit and review deadlines, takes a two-minute update after each home visit, and keeps case discussions and supervision decisions on record.',
      `Cases are referred to by their case key (for example ${example ?? EXAMPLE_KEY}), never by name.`,
    ],
    sections: [
      {
        heading: options.audience?.roles === null ? 'Commands you can use now' : roles.length ? `Commands for you (${roles.join(', ')})` : 'Commands',
        facts: [HELP_COMMAND, ...shown].map((c) => ({ label: `${prefix}${usage(c.usage)}`, value: c.summary })),
      },
    ],
  };
  if (options.audience?.roles === null) {
    view.paragraphs!.push('You are not on a Casework team yet. Ask your team admin to add you, or run setup in your team channel to start a team.');
  }
  if (options.notUnderstood !== undefined) {
    const word = options.notUnderstood.slice(0, MAX_ECHO);
    view.notice = {
      tone: 'warning',
      text: options.suggestion
        ? `Sorry, "${word}" is not a command Casework knows. Did you mean ${prefix}${options.suggestion}?`
        : `Sorry, "${word}" is not a command Casework knows. Here is what it can do.`,
    };
  }
  return view;
}

/** Words people greet a bot with. */
const GREETINGS = new Set(['hello', 'hi', 'hey', 'hiya', 'morning', 'afternoon', 'evening', 'thanks', 'thank', 'cheers', 'ta']);

/** True for a message that is only a greeting or thanks ("hello", "good morning", "thanks!"). */
export function isGreeting(text: string): boolean {
  const words = text.toLowerCase().replace(/[^a-z\s]/g, ' ').split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 3) return false;
  return words.every((w) => GREETINGS.has(w) || w === 'good' || w === 'you' || w === 'casework' || w === 'there');
}

/** The one-line answer to a greeting. */
export function greetingView(platformCommand: string | undefined, thanks: boolean): MessageView {
  const prefix = platformCommand ? `${platformCommand} ` : '';
  return {
    kind: 'greeting',
    shared: true,
    title: thanks ? 'You are welcome' : 'Hello',
    paragraphs: [`Type ${prefix}due for your deadlines, or ${prefix}help for everything Casework can do.`],
  };
}

/** The edit distance between two short words (insertions, deletions, substitutions, swaps). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j += 1) d[0]![j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The command word nearest to `word` (at most two edits away, and unambiguous), if any. */
export function nearestCommand(word: string, names: readonly string[]): string | undefined {
  if (word.length < 2 || word.length > 20) return undefined;
  const scored = names.map((name) => ({ name, d: distance(word, name) })).filter((s) => s.d <= Math.min(2, Math.floor(s.name.length / 2)));
  scored.sort((a, b) => a.d - b.d);
  if (scored.length === 0) return undefined;
  if (scored.length > 1 && scored[1]!.d === scored[0]!.d) return undefined;
  return scored[0]!.name;
}

/** What the welcome says about the person: who they are on which team, or nothing when on none. */
export interface WelcomeFor {
  name: string;
  teamName: string;
  roles: readonly Role[];
}

/** The welcome in a personal chat: a line on what Casework does, and what to try first. */
export function welcomeView(person: WelcomeFor | undefined, exampleKey: string | undefined, platformCommand: string | undefined): MessageView {
  const prefix = platformCommand ? `${platformCommand} ` : '';
  if (!person) {
    return {
      kind: 'welcome',
      title: 'Welcome to Casework',
      paragraphs: [
        'Casework reminds offender-management teams of visit and review deadlines, records home visits in two minutes, and keeps case discussions and supervision decisions on record.',
        `You are not on a Casework team yet: ask your team admin to add you. Type ${prefix}help to see more.`,
      ],
    };
  }
  const first = person.name.split(' ')[0] ?? person.name;
  const tries = [`${prefix}due for your deadlines`];
  if (person.roles.includes('officer') || person.roles.includes('supervisor')) tries.push(`${prefix}case ${exampleKey ?? EXAMPLE_KEY} for a case card`);
  if (person.roles.includes('supervisor')) tries.push(`${prefix}overview for your team`);
  if (person.roles.includes('admin')) tries.push(`${prefix}roster for the team's people`);
  return {
    kind: 'welcome',
    title: `Welcome to Casework, ${first}`,
    paragraphs: [
      `You are ${person.roles.map((r) => (r === 'admin' ? 'team admin' : r)).join(', ')} on ${person.teamName}. Your reminders arrive here, one digest a working day.`,
      `Try ${tries.join('; ')}. Type ${prefix}help for everything you can do.`,
    ],
  };
}
