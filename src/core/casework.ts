/**
 * The core's front door. Adapters call these three functions with a platform-neutral context;
 * the core decides what happens and answers with a Reply to render. Nothing here knows which
 * platform is asking.
 */
import type { Clock } from './clock.ts';
import { parseCommand } from './commands/command-catalogue.ts';
import { helpView } from './help/help-view.ts';
import type { InboundContext, Reply } from './interaction.ts';

/** What the core needs from outside (ports). Grows as features land. */
export interface CaseworkDeps {
  clock: Clock;
}

/** The operations adapters may call. */
export interface Casework {
  /** A typed command: a Slack slash command or DM, a Teams personal message or @mention. */
  handleText(ctx: InboundContext, text: string): Promise<Reply>;
  /** A button press, identified by its interaction id `<domain>.<verb>`. */
  handleAction(ctx: InboundContext, actionId: string, value: Record<string, string>): Promise<Reply>;
  /** A submitted form, identified by its form id. */
  submitForm(ctx: InboundContext, formId: string, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply>;
}

/** Builds the core with its dependencies. */
export function createCasework(deps: CaseworkDeps): Casework {
  void deps;
  return {
    async handleText(ctx, text) {
      const command = parseCommand(text);
      const platformCommand = ctx.commandPrefix;
      switch (command.name) {
        case 'help':
        case '?':
          return { type: 'message', view: helpView({ platformCommand }) };
        default:
          return { type: 'message', view: helpView({ notUnderstood: command.name, platformCommand }) };
      }
    },
    async handleAction(_ctx, actionId) {
      return { type: 'message', view: helpView({ notUnderstood: actionId }) };
    },
    async submitForm(_ctx, formId) {
      return { type: 'message', view: helpView({ notUnderstood: formId }) };
    },
  };
}
