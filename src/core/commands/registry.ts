/**
 * How features plug into the core: each feature lists its chat commands, its button actions and
 * its forms. The core routes by command word, interaction id and form id; help is generated from
 * the commands registered, so it always tells the truth.
 */
import type { Role } from '../domain/entities.ts';
import type { Reply } from '../interaction.ts';
import type { CoreRequest } from '../services.ts';
import type { ParsedCommand } from './parse-command.ts';

/** A chat command such as `case CW-7K3P`. */
export interface CommandSpec {
  name: string;
  aliases?: string[];
  usage: string;
  summary: string;
  /**
   * Who help lists it for: people holding one of these roles. Absent, everyone on a team. The
   * command itself still checks permissions; this only keeps help to what a person can do.
   */
  audience?: readonly Role[];
  /**
   * When the command answers with a form, the form's title. Decided from the words alone (no
   * database), so Slack can open its modal inside the 3-second trigger window.
   */
  opensForm?: (cmd: ParsedCommand) => string | null;
  /**
   * Its place in the platforms' command menus (the Teams app manifest's command lists), lowest
   * first; absent, it is not in the menu (help still lists it). Menus are short (Teams shows at
   * most {@link MENU_MAX_COMMANDS}), so only the commands people type most carry a place.
   */
  menu?: number;
  run(req: CoreRequest, cmd: ParsedCommand): Promise<Reply>;
}

/** The most commands a command menu holds (Teams' bot command menu). */
export const MENU_MAX_COMMANDS = 10;

/** One entry of a command menu: the word a person types and what it does. */
export interface MenuCommand {
  title: string;
  description: string;
}

/**
 * The command menu, generated from the registered commands: those with a `menu` place, in that
 * order, with their help summary as the description. Throws if more than
 * {@link MENU_MAX_COMMANDS} ask for a place or two share one, so the menu never drops a command
 * silently.
 */
export function menuCommands(commands: readonly Pick<CommandSpec, 'name' | 'summary' | 'menu'>[]): MenuCommand[] {
  const listed = commands.filter((c) => c.menu !== undefined).sort((a, b) => a.menu! - b.menu!);
  if (listed.length > MENU_MAX_COMMANDS) {
    throw new Error(`${listed.length} commands ask for a place in the command menu (${listed.map((c) => c.name).join(', ')}); it holds ${MENU_MAX_COMMANDS}`);
  }
  for (let i = 1; i < listed.length; i += 1) {
    if (listed[i]!.menu === listed[i - 1]!.menu) throw new Error(`${listed[i - 1]!.name} and ${listed[i]!.name} share menu place ${listed[i]!.menu}`);
  }
  return listed.map((c) => ({ title: c.name, description: c.summary }));
}

/** A button, by its interaction id `<domain>.<verb>`. */
export interface ActionSpec {
  id: string;
  /** As for commands: the form title when pressing this button opens a form. */
  opensForm?: (value: Record<string, string>) => string | null;
  run(req: CoreRequest, value: Record<string, string>): Promise<Reply>;
}

/** A form's submission, by form id. `raw` is untrusted; `context` too. */
export interface FormSpec {
  id: string;
  submit(req: CoreRequest, raw: Record<string, unknown>, context: Record<string, string>): Promise<Reply>;
  /** Keeps an unfinished form (closed without submitting) as a draft. Untrusted as `submit`. */
  saveDraft?(req: CoreRequest, raw: Record<string, unknown>, context: Record<string, string>): Promise<Reply>;
}

/** One feature's contributions. */
export interface Feature {
  commands?: CommandSpec[];
  actions?: ActionSpec[];
  forms?: FormSpec[];
}
