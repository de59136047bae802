/**
 * Chat effects described as data: everything a command causes on a chat platform besides its
 * direct answer (a discussion's root card in the team channel, a reply in its thread, a private
 * notice to a person, a home tab republished). A unit of work collects them and writes them to
 * the outbox in the same transaction as the change; they are delivered after commit, at once and
 * again by the outbox worker until they succeed or fail for good.
 */
import type { Platform, PlatformUser } from '../interaction.ts';
import type { MessageRef } from '../ports.ts';
import type { FormView } from '../views/form-view.ts';
import type { MessageView } from '../views/message-view.ts';

/** What can be sent privately to a person: a message, or (Teams) a form card in their chat. */
export type PrivateContent = { view: MessageView } | { form: FormView };

/**
 * A file offered rather than sent (Teams' file-consent card): the opaque id the person's answer
 * carries back, never the content, and when the offer lapses.
 */
export interface FileOffer {
  offerId: string;
  expiresAt: string;
}

/** One chat effect. */
export type Effect =
  /**
   * A private message (or form) to a member, on `platform` or the one they were last seen on.
   * `conversationRef` is where they just wrote from, for a platform that can open a private chat
   * from there when none is on record yet.
   */
  | { kind: 'person'; memberId: string; platform?: Platform; content: PrivateContent; conversationRef?: Record<string, unknown> }
  /** A private note to someone on no roster of this team (a refused reply's author). */
  | { kind: 'outsider'; user: PlatformUser; conversationRef: Record<string, unknown> | null; view: MessageView }
  /** A message for everyone in the team's channel (the welcome when a team is given its channel). */
  | { kind: 'team-channel'; teamId: string; view: MessageView }
  /** The discussion's root card, posted in the team's channel; its thread is recorded when delivered. */
  | { kind: 'discussion-root'; discussionId: string }
  /** A card in the discussion's thread (a signed note, the closing card), once the root is there. */
  | { kind: 'discussion-thread'; discussionId: string; view: MessageView }
  /** The root card redrawn with the discussion's current state. */
  | { kind: 'discussion-redraw'; discussionId: string }
  /** Tells a member, privately, that a discussion opened, with a link to its thread. */
  | { kind: 'discussion-notice'; discussionId: string; memberId: string }
  /** A message already sent, replaced in place (a digest after a reminder button). */
  | { kind: 'message-update'; ref: MessageRef; view: MessageView; memberId?: string }
  /** A member's home surface (Slack App Home) rebuilt from their deadlines. */
  | { kind: 'home'; memberId: string }
  /**
   * A file handed privately to a member (a record export) where the platform takes files from
   * Casework; elsewhere `fallback`, a message with the same content, goes to their private chat.
   */
  | { kind: 'file'; memberId: string; platform: Platform; file: { filename: string; title: string; contentBase64: string; comment: string; recordPdf?: { filename: string; title: string }; offer?: FileOffer }; fallback: MessageView };

/** The outbox kind an effect is stored under. */
export type EffectKind = `effect:${Effect['kind']}`;

/** The outbox kind for an effect. */
export function effectKind(effect: Effect): EffectKind {
  return `effect:${effect.kind}`;
}

/** True for outbox kinds that hold effects (the rest are reminder messages). */
export function isEffectKind(kind: string): kind is EffectKind {
  return kind.startsWith('effect:');
}

/** What became of an effect delivered straight after commit. */
export type EffectOutcome =
  | { status: 'sent'; ref: MessageRef | null }
  /** Not delivered yet: the outbox worker keeps trying. */
  | { status: 'queued' }
  /** Will never be delivered (nothing left to say, nowhere to send it). */
  | { status: 'dropped' | 'failed'; code: string };

/** A collected effect: its outbox id, and once delivery after commit has been tried, what became of it. */
export interface EffectHandle {
  readonly id: string;
  readonly effect: Effect;
  /** Waited for after commit (the person's answer needs it), up to the unit of work's budget. */
  readonly awaited: boolean;
  outcome?: EffectOutcome;
}

/** Collects a unit of work's effects. Nothing is sent until the transaction has committed. */
export interface Effects {
  /**
   * Adds an effect. `await: true` makes the unit of work wait (briefly) for its delivery after
   * commit, so the answer can use the outcome (the link to a new thread, say). `dedupeKey` makes a
   * second effect with the same key a no-op; `teamId` defaults to the actor's team.
   */
  add(effect: Effect, options?: { await?: boolean; dedupeKey?: string; teamId?: string }): EffectHandle;
}

/** An effect waiting to be written to the outbox. */
export interface PendingEffect {
  handle: EffectHandle;
  teamId: string;
  dedupeKey: string;
}
