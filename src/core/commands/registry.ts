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
  run(req: CoreRequest, cmd: ParsedCommand): Promise<Reply>;
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
