/**
 * What an adapter hands the core (who is asking, from where) and what the core hands back
 * (a reply to render). Platform-neutral by design: adapters translate to and from these.
 */
import type { FormView } from './views/form-view.ts';
import type { MessageView } from './views/message-view.ts';

/** The chat platforms Casework serves. */
export type Platform = 'slack' | 'teams';

/** A person as a platform knows them: Slack workspace + user id, or Teams tenant + AAD object id. */
export interface PlatformUser {
  platform: Platform;
  workspaceId: string;
  userId: string;
  displayName?: string;
  /**
   * The id the platform uses for this person inside conversations and cards, where it differs
   * from `userId` (Teams: the `29:…` id, used to show a card to chosen people).
   */
  chatUserId?: string;
}

/** Where a request came from: a one-to-one chat with the bot, or a channel. */
export type Surface =
  | { kind: 'direct'; conversationId?: string }
  | { kind: 'channel'; channelId: string; conversationId?: string; teamId?: string };

/** Everything the core needs to know about an inbound request apart from its content. */
export interface InboundContext {
  user: PlatformUser;
  surface: Surface;
  /** Opaque platform data needed later to message this person proactively (Teams conversation reference). */
  conversationRef?: Record<string, unknown>;
  /** How the user invoked commands here, e.g. '/casework' for a Slack slash command; shown in help. */
  commandPrefix?: string;
}

/** What the core answers: a message, a form to open, a form to show again with errors, or nothing. */
export type Reply =
  | { type: 'message'; view: MessageView }
  | { type: 'form'; form: FormView }
  | { type: 'form-invalid'; form: FormView }
  | { type: 'update'; view: MessageView }
  | { type: 'none' };
