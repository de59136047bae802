/**
 * The reminder pipeline's port: what planning, the outbox and acting on reminders need from
 * storage. Declared here beside the feature, re-exported by ports.ts, implemented in src/db.
 */
import type { IsoDate } from '../calendar/working-calendar.ts';
import type { PlatformIdentity, Role } from '../domain/entities.ts';
import type { Platform } from '../interaction.ts';
import type { DeadlineKind, MessageRef } from '../ports.ts';
import type { MessageView } from '../views/message-view.ts';
import type { EffectKind } from '../effects/effect.ts';
import type { RiskLevel } from '../domain/vocabulary.ts';

/** The kinds of reminder message the outbox sends. */
export type ReminderMessageKind = 'digest' | 'supervisor-digest' | 'escalation' | 'undeliverable-notice' | 'oversight-digest';

/** Everything the outbox holds: reminder messages and chat effects. */
export type OutboxKind = ReminderMessageKind | EffectKind;

/** A member as reminder planning and delivery see them. */
export interface ReminderRecipient {
  memberId: string;
  teamId: string;
  displayName: string;
  roles: Role[];
  reminderTime: string;
  /** The member's own zone, or null for the team's. */
  timeZone: string | null;
  workingHoursStart: string;
  workingHoursEnd: string;
  undeliverable: boolean;
  /** Platforms the member has an identity on, most recently seen first. */
  platforms: Platform[];
}

/** The stage a deadline due on `dueOn` is at on `today`: one row of the planning table. */
export interface StageRow {
  today: IsoDate;
  dueOn: IsoDate;
  stage: string;
  /** True when the supervisor is told as well. */
  escalate: boolean;
}

/** Who may receive reminders planned for `today`, and from when. */
export interface PlanRecipient {
  memberId: string;
  today: IsoDate;
  /** The member's reminder time today. */
  sendAfter: Date;
  /** The start of their working hours today: when urgent escalations go. */
  startAt: Date;
}

/** A member whose messages may be folded now (a working day, inside working hours). */
export interface FoldCandidate {
  memberId: string;
  today: IsoDate;
  platform: Platform;
  /** The end of their working hours today. */
  sendBefore: Date;
  /** True once today's reminder time has passed: their morning digests may be made. */
  morning: boolean;
  supervisor: boolean;
  /** The last day of this week, for the supervisor's "due this week". */
  weekEnd: IsoDate;
  /** Discussions opened on or before this day have waited 2 working days for a decision. */
  waitingSince: IsoDate;
  /** True on the first working day of the ISO week: the supervisor's weekly oversight digest is made then. */
  weekStart: boolean;
}

/** A message in the outbox. */
export interface OutboxMessage {
  id: string;
  teamId: string;
  memberId: string | null;
  kind: OutboxKind;
  forDate: IsoDate | null;
  platform: Platform;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';
  attempts: number;
  sendBefore: Date | null;
  payload: Record<string, unknown> | null;
  platformRef: MessageRef | null;
  /** The order messages were added in. */
  seq: number;
}

/** A new outbox message; a second one with the same dedupe key is a no-op. */
export interface NewOutboxMessage {
  /** Chosen by the caller when it needs to refer to the row before commit (effects). */
  id?: string;
  teamId: string;
  memberId: string | null;
  kind: OutboxKind;
  forDate: IsoDate | null;
  dedupeKey: string;
  platform: Platform;
  sendAfter: Date;
  sendBefore: Date | null;
  payload?: Record<string, unknown>;
}

/** A deadline as the reminder views show it, with the stage a reminder about it was at. */
export interface DeadlineItem {
  deadlineId: string;
  /** What the deadline is about, e.g. `case:<id>:visit` or `action:<id>`. */
  subjectKey: string;
  teamId: string;
  kind: DeadlineKind;
  caseKey: string | null;
  /** The case's risk level, for cases' deadlines (lists put the riskiest first). */
  riskLevel: RiskLevel | null;
  dueOn: IsoDate;
  urgent: boolean;
  status: 'open' | 'met' | 'cancelled';
  ownerMemberId: string | null;
  ownerName: string | null;
  snoozedUntil: IsoDate | null;
  acknowledged: boolean;
  /** The reminder stage, when the item comes from a reminder. */
  stage: string | null;
  /** A supervision action's text. */
  actionDescription?: string | null;
  /** Where a supervision action was set: a signed note (the day signed) or an officer supervision session. */
  actionFrom?: { kind: 'note'; on: IsoDate } | { kind: 'session'; on: IsoDate; officerName: string | null } | null;
  /** The officer an officer-supervision deadline is about. */
  officerName?: string | null;
}

/** The reminder pipeline's storage: planning, the outbox, and the deadlines it acts on. */
export interface ReminderRepository {
  /** Every active member of every team, with what planning and delivery need. */
  recipients(): Promise<ReminderRecipient[]>;
  /** The earliest due date among a team's open deadlines, or null when it has none. */
  earliestOpenDue(teamId: string): Promise<IsoDate | null>;
  /** Inserts one reminder per (deadline, stage, recipient) for a team, set-based and idempotent; returns how many were new. */
  plan(teamId: string, stages: readonly StageRow[], recipients: readonly PlanRecipient[]): Promise<number>;
  /** Cancels pending reminders no longer wanted (deadline closed, snoozed, acknowledged) and supersedes older stages. */
  tidyPending(): Promise<number>;
  /** Folds due reminders into digests, supervisor digests and urgent escalations; returns messages created. */
  fold(now: Date, candidates: readonly FoldCandidate[]): Promise<number>;
  /** Adds a message to the outbox unless its dedupe key exists; true when added. */
  enqueue(message: NewOutboxMessage): Promise<boolean>;
  /** Claims up to `limit` due messages for `workerId` (FOR UPDATE SKIP LOCKED); sends whose lease lapsed before `staleBefore` are reclaimed. */
  claim(workerId: string, now: Date, limit: number, staleBefore: Date): Promise<OutboxMessage[]>;
  /** Claims these pending messages for `workerId` (those nobody else holds), whatever their send time. */
  claimIds(workerId: string, ids: readonly string[], now: Date): Promise<OutboxMessage[]>;
  /** Renews the lease on every message `workerId` is sending. */
  renewClaims(workerId: string, now: Date): Promise<void>;
  findByDedupeKey(dedupeKey: string): Promise<OutboxMessage | undefined>;
  /** The deadlines a message is about, overdue first. */
  itemsOf(outboxId: string): Promise<DeadlineItem[]>;
  /** Open deadlines in a supervisor's scope (their cases and officers, and any with no supervisor) due on or before `until`. */
  supervisorScope(teamId: string, supervisorId: string, until: IsoDate): Promise<DeadlineItem[]>;
  /** Every open deadline of a member, earliest first (lists sort and page them). */
  openFor(memberId: string): Promise<DeadlineItem[]>;
  /** Every open deadline of a team, earliest first (previews). */
  openForTeam(teamId: string): Promise<(DeadlineItem & { caseSupervisorId: string | null })[]>;
  /** Records a message as sent, with where it went (when it made a message), and its reminders with it. */
  markSent(id: string, ref: MessageRef | null, at: Date): Promise<void>;
  /** Puts a claimed message back, to be tried again at `at`; a rate limit does not count as an attempt. */
  retryLater(id: string, at: Date, code: string, countsAsAttempt: boolean): Promise<void>;
  /** Records that a message can never be sent, and its reminders with it. */
  markFailed(id: string, code: string): Promise<void>;
  /** Drops a message that will not be sent (too late, nothing left to say); its pending reminders may be planned again. */
  drop(id: string, reason: string): Promise<void>;
  /** Marks the member unreachable; true if they were not already. */
  markUndeliverable(memberId: string, reason: string, at: Date): Promise<boolean>;
  /** Sent messages holding a deadline that has closed since and that have not been updated yet. */
  staleSent(limit: number): Promise<OutboxMessage[]>;
  /** Records that a sent message now shows its closed deadlines. */
  markRefreshed(outboxId: string, at: Date): Promise<void>;
  findMessage(id: string): Promise<OutboxMessage | undefined>;
  findDeadline(id: string): Promise<DeadlineItem | undefined>;
  /** Records that the owner has seen the deadline: no more early reminders for it. */
  acknowledge(deadlineId: string, at: Date): Promise<void>;
  /** Holds the owner's reminders until `until`. */
  snooze(deadlineId: string, until: IsoDate): Promise<void>;
}

/** Publishes a person's home surface (Slack App Home); platforms without one have no publisher. */
export interface HomePublisher {
  publish(identity: PlatformIdentity, view: MessageView): Promise<void>;
}
