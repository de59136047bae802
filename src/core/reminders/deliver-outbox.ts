/**
 * Delivery: claims due outbox messages (FOR UPDATE SKIP LOCKED, so replicas never share one),
 * renders each, sends it through the Notifier, and records where it went. Failures are retried
 * with exponential backoff and jitter, honouring Retry-After; a permanent failure marks the member
 * undeliverable, tells the team's admins and is audited, never dropped silently.
 */
import { todayIn } from '../calendar/working-calendar.ts';
import { isEffectKind } from '../effects/effect.ts';
import { identityFor, sendEffect, type EffectAttempt } from '../effects/deliver-effect.ts';
import type { Platform } from '../interaction.ts';
import { DeliveryError, type MessageRef, type Repositories } from '../ports.ts';
import { calendarFor, type DeliveryServices } from '../services.ts';
import type { MessageView } from '../views/message-view.ts';
import type { JobFailure } from './plan-reminders.ts';
import { publishHome } from './reminder-home.ts';
import { discussionsAwaitingDecision } from '../discussions/discussion-list.ts';
import type { OutboxMessage } from './reminder-ports.ts';
import { digestView, escalationView, supervisorDigestView, undeliverableNoticeView } from './reminder-views.ts';
import { oversightDigestFor } from '../oversight/oversight-digest.ts';

/** Spaces sends out to stay inside each platform's rate limits. */
export interface Pacer {
  /** Resolves when one more message may go to `conversationKey` on `platform`. */
  wait(platform: Platform, conversationKey: string): Promise<void>;
  /** The platform asked us to slow down: hold its sends for `seconds`. */
  backOff(platform: Platform, seconds: number): void;
}

/** A pacer that never waits: for tests and previews. */
export const noPacing: Pacer = { wait: async () => undefined, backOff: () => undefined };

/** How delivery behaves; every field has a default. */
export interface DeliveryOptions {
  /** Names this process in `claimed_by`. */
  workerId: string;
  batchSize?: number;
  /** Transient failures allowed before a message is given up as failed. */
  maxAttempts?: number;
  /** First retry delay in seconds; doubles each attempt, capped at an hour. */
  baseDelaySeconds?: number;
  /**
   * How long a claim lasts unless renewed. A running worker renews its claims while it sends;
   * a claim left by a process that died lapses and the message is claimed again.
   */
  leaseSeconds?: number;
  /** At most this many batches per run, so a run ends before the next tick. */
  maxBatches?: number;
  pacer?: Pacer;
  random?: () => number;
}

/** What a delivery run did. */
export interface DeliveryResult {
  sent: number;
  retried: number;
  failed: number;
  dropped: number;
  failures: JobFailure[];
}

const MAX_DELAY_SECONDS = 3600;

/** The delay before retry number `attempt` (1-based): full jitter over an exponential ceiling. */
export function backoffSeconds(attempt: number, baseSeconds: number, random: () => number): number {
  const ceiling = Math.min(MAX_DELAY_SECONDS, baseSeconds * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}

/** The view to send for a message, or null when nothing is left to say. */
export async function renderOutboxMessage(repos: Repositories, message: OutboxMessage, now: Date, forUpdate = false): Promise<MessageView | null> {
  const team = await repos.teams.findById(message.teamId);
  if (!team) return null;
  const calendar = calendarFor(team);
  const today = message.forDate ?? todayIn(team.timeZone, now);
  const all = await repos.reminders.itemsOf(message.id);
  // A first send leaves out what closed meanwhile; an update shows it as done.
  const items = forUpdate ? all : all.filter((i) => i.status === 'open');
  switch (message.kind) {
    case 'digest':
      return items.length ? digestView(items, today, calendar, message.id) : null;
    case 'escalation':
      return items.length ? escalationView(items, today, calendar) : null;
    case 'supervisor-digest': {
      const weekEnd = typeof message.payload?.weekEnd === 'string' ? message.payload.weekEnd : today;
      const scope = message.memberId ? await repos.reminders.supervisorScope(message.teamId, message.memberId, weekEnd) : [];
      const since = typeof message.payload?.waitingSince === 'string' ? message.payload.waitingSince : null;
      const waiting = message.memberId && since ? await discussionsAwaitingDecision(repos, message.teamId, message.memberId, since, today, calendar) : [];
      return items.length || scope.length || waiting.length ? supervisorDigestView(items, scope, today, calendar, waiting) : null;
    }
    case 'oversight-digest':
      // The supervisor's weekly digest: drawn from the oversight figures as they stand when sent.
      return message.memberId ? oversightDigestFor(repos, team, message.memberId, today) : null;
    case 'undeliverable-notice': {
      const p = message.payload ?? {};
      return undeliverableNoticeView(String(p.memberName ?? 'a team member'), String(p.code ?? 'unknown'));
    }
    default:
      // Effects are drawn by deliver-effect.ts, not here.
      return null;
  }
}

/** Marks a member unreachable, tells every admin of the team (through the outbox) and audits it. */
async function reportUndeliverable(repos: Repositories, message: OutboxMessage, code: string, now: Date): Promise<void> {
  if (!message.memberId || message.kind === 'undeliverable-notice') return;
  const fresh = await repos.reminders.markUndeliverable(message.memberId, code, now);
  if (!fresh) return;
  const member = await repos.members.findById(message.memberId);
  await repos.audit.record(
    { teamId: message.teamId, memberId: null, label: 'system' },
    { action: 'member.undeliverable', entityType: 'member', entityId: message.memberId, after: { platform: message.platform, code, outboxId: message.id } },
  );
  const admins = (await repos.members.listByTeam(message.teamId)).filter((m) => m.roles.includes('admin') && m.id !== message.memberId && !m.undeliverable);
  for (const admin of admins) {
    const platform = (await repos.members.identitiesOf(admin.id))[0]?.platform;
    if (!platform) continue;
    await repos.reminders.enqueue({
      teamId: message.teamId,
      memberId: admin.id,
      kind: 'undeliverable-notice',
      forDate: null,
      dedupeKey: `undeliverable:${message.memberId}:${admin.id}:${now.toISOString().slice(0, 10)}`,
      platform,
      sendAfter: now,
      sendBefore: null,
      payload: { memberId: message.memberId, memberName: member?.displayName ?? 'a team member', code },
    });
  }
}

type Outcome = 'sent' | 'retried' | 'failed' | 'dropped';

/** What delivering one outbox message came to; `ref` is where a sent message went. */
export interface DeliveredOne {
  outcome: Outcome;
  ref?: MessageRef | null;
  /** The platform's code when the message was retried, failed or dropped. */
  code?: string;
}

type Settings = Required<Omit<DeliveryOptions, 'workerId'>>;

/** Sends a reminder message (digest, escalation, notice) rendered from its deadlines as they stand now. */
async function sendReminderMessage(services: DeliveryServices, message: OutboxMessage, now: Date, pacer: Pacer): Promise<EffectAttempt> {
  const prepared = await services.store.read(async (repos) => {
    const view = await renderOutboxMessage(repos, message, now);
    const identity = message.memberId ? await identityFor(repos, message.memberId, message.platform) : undefined;
    return { view, identity };
  });
  if (!prepared.view) return { kind: 'drop', reason: 'nothing_to_say' };
  if (!services.notifier) throw new DeliveryError('transient', 'no_notifier');
  if (!prepared.identity) throw new DeliveryError('permanent', 'no_identity');
  await pacer.wait(message.platform, prepared.identity.userId);
  const ref = await services.notifier.sendToPerson(prepared.identity, prepared.view);
  if (message.memberId && message.kind === 'digest') await publishHome(services, message.memberId, now);
  return { kind: 'sent', ref };
}

/** Effects whose permanent failure means the person cannot be reached (so the admins are told). */
const PERSONAL_EFFECTS = new Set(['effect:person', 'effect:discussion-notice', 'effect:file']);

/** Delivers one claimed outbox message (a reminder message or an effect) and records the outcome. */
export async function deliverOne(services: DeliveryServices, message: OutboxMessage, now: Date, options: Settings): Promise<DeliveredOne> {
  const { store } = services;
  if (message.sendBefore && now >= message.sendBefore) {
    await store.transaction((repos) => repos.reminders.drop(message.id, 'expired'));
    return { outcome: 'dropped', code: 'expired' };
  }
  try {
    const attempt = isEffectKind(message.kind) ? await sendEffect(services, message, now, options.pacer) : await sendReminderMessage(services, message, now, options.pacer);
    if (attempt.kind === 'drop') {
      await store.transaction((repos) => repos.reminders.drop(message.id, attempt.reason));
      return { outcome: 'dropped', code: attempt.reason };
    }
    if (attempt.kind === 'wait') {
      const at = new Date(now.getTime() + attempt.seconds * 1000);
      await store.transaction((repos) => repos.reminders.retryLater(message.id, at, 'waiting', false));
      return { outcome: 'retried', code: 'waiting' };
    }
    await store.transaction((repos) => repos.reminders.markSent(message.id, attempt.ref, now));
    return { outcome: 'sent', ref: attempt.ref };
  } catch (error) {
    const failure = error instanceof DeliveryError ? error : new DeliveryError('transient', 'unexpected_error');
    if (failure.kind === 'rate_limited') {
      const wait = failure.retryAfterSeconds ?? 1;
      options.pacer.backOff(message.platform, wait);
      const at = new Date(now.getTime() + wait * 1000 + Math.round(options.random() * 1000));
      await store.transaction((repos) => repos.reminders.retryLater(message.id, at, failure.code, false));
      return { outcome: 'retried', code: failure.code };
    }
    if (failure.kind === 'transient' && message.attempts < options.maxAttempts) {
      const at = new Date(now.getTime() + backoffSeconds(message.attempts, options.baseDelaySeconds, options.random) * 1000);
      await store.transaction((repos) => repos.reminders.retryLater(message.id, at, failure.code, true));
      return { outcome: 'retried', code: failure.code };
    }
    await store.transaction(async (repos) => {
      await repos.reminders.markFailed(message.id, failure.code);
      if (!isEffectKind(message.kind) || PERSONAL_EFFECTS.has(message.kind)) {
        await reportUndeliverable(repos, message, failure.code, now);
      } else {
        await repos.audit.record(
          { teamId: message.teamId, memberId: null, label: 'system' },
          { action: 'effect.failed', entityType: 'outbound_message', entityId: message.id, after: { kind: message.kind, platform: message.platform, code: failure.code } },
        );
      }
    });
    return { outcome: 'failed', code: failure.code };
  }
}

/** Delivery settings with every default filled in. */
export function deliverySettings(options: Omit<DeliveryOptions, 'workerId'>): Settings {
  return {
    batchSize: options.batchSize ?? 50,
    maxAttempts: options.maxAttempts ?? 6,
    baseDelaySeconds: options.baseDelaySeconds ?? 30,
    leaseSeconds: options.leaseSeconds ?? 60,
    maxBatches: options.maxBatches ?? 20,
    pacer: options.pacer ?? noPacing,
    random: options.random ?? Math.random,
  };
}

/**
 * Delivers what is due at `now`, batch by batch, until nothing is left or `maxBatches` is reached.
 * One failing message never stops the rest.
 */
export async function deliverOutbox(services: DeliveryServices, now: Date, options: DeliveryOptions): Promise<DeliveryResult> {
  const settings = deliverySettings(options);
  const result: DeliveryResult = { sent: 0, retried: 0, failed: 0, dropped: 0, failures: [] };
  for (let batch = 0; batch < settings.maxBatches; batch += 1) {
    // A claim is a lease: a send claimed by a process that died is taken over once it lapses.
    const staleBefore = new Date(now.getTime() - settings.leaseSeconds * 1000);
    const claimed = await services.store.transaction((repos) => repos.reminders.claim(options.workerId, now, settings.batchSize, staleBefore));
    if (claimed.length === 0) break;
    await withLeaseRenewal(services, options.workerId, settings.leaseSeconds, async () => {
      for (const message of claimed) {
        try {
          result[(await deliverOne(services, message, now, settings)).outcome] += 1;
        } catch (error) {
          result.failures.push({ scope: `deliver:${message.id}`, error });
        }
      }
    });
  }
  return result;
}

/**
 * Keeps this worker's claims alive while `work` runs: the lease is renewed every third of its
 * length, so a slow platform never lets another worker take over a send still in progress,
 * while a killed process's claims lapse within one lease.
 */
export async function withLeaseRenewal<T>(services: Pick<DeliveryServices, 'store' | 'clock'>, workerId: string, leaseSeconds: number, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => {
    services.store.transaction((repos) => repos.reminders.renewClaims(workerId, services.clock.now())).catch(() => undefined);
  }, (leaseSeconds * 1000) / 3);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
