/**
 * The core's dependencies and the per-request helpers every feature uses: resolving who is
 * asking, running a command as one unit of work (reads, then one short transaction with its audit
 * rows and its chat effects), and the team's calendar and today.
 */
import { createWorkingCalendar, todayIn, type IsoDate, type WorkingCalendar } from './calendar/working-calendar.ts';
import type { Clock } from './clock.ts';
import type { Team } from './domain/entities.ts';
import type { Actor } from './access/permissions.ts';
import type { AuditEntry, Notifier, PeopleDirectory, Repositories, Store } from './ports.ts';
import type { FileDelivery } from './discussions/discussion-ports.ts';
import type { HomePublisher } from './reminders/reminder-ports.ts';
import type { ActionSpec } from './commands/registry.ts';
import type { InboundContext } from './interaction.ts';
import type { EffectHandle } from './effects/effect.ts';
import type { ReportWriter } from './oversight/oversight-report.ts';
import type { ActorLookupCache } from './people/actor-cache.ts';
import type { AuditGroupWriter } from './audit-group-commit.ts';

/**
 * Delivers a unit of work's effects once its transaction has committed: waits up to `waitMs`
 * for those marked awaited (recording each outcome on its handle) and lets the rest go on in the
 * background. Whatever is not delivered stays in the outbox for the worker.
 */
export interface EffectDelivery {
  afterCommit(handles: readonly EffectHandle[], waitMs: number): Promise<void>;
}

/**
 * What the core's features are built with. There is deliberately no notifier here: a feature
 * causes chat effects only through its unit of work (`asActor`), which delivers them after commit.
 */
export interface Services {
  store: Store;
  clock: Clock;
  /** Random source for case keys and team keys; injectable for tests. */
  random?: () => number;
  directory?: PeopleDirectory;
  /** Writes views' audit rows, several views' in one statement when they come together; absent, each view writes its own. */
  viewAudit?: AuditGroupWriter;
  /** Who chat accounts act as, remembered between commands (people/actor-cache.ts); absent, every command looks them up. */
  actors?: ActorLookupCache;
  /** Delivers effects after commit; absent where no platform is on (effects then wait in the outbox). */
  effects?: EffectDelivery;
  /** Background jobs a command can ask to run now, after its commit (they also run on every tick). */
  jobs?: BackgroundJobs;
  /**
   * Let a person act as another member of their team (`as Megan due`), to try every role on one
   * machine. Only ever set in local mode: no authentication, loopback only.
   */
  actingAs?: boolean;
  /** Writes the oversight report as PDF and CSV; without it, chat offers the Markdown report only. */
  reports?: ReportWriter;
  /**
   * Where one-time record download links point (Casework's own HTTP server), for Teams clients
   * that cannot take a file in chat. Set in local mode only; undefined until the server listens.
   */
  downloadBaseUrl?: () => string | undefined;
}

/** Runs named background jobs on request, outside any request and transaction. */
export interface BackgroundJobs {
  /** Starts the job soon (at once, or straight after a run already under way); never waits for it. */
  kick(name: string): void;
}

/** What delivery (the outbox worker, effects after commit) is built with: the core's services and the platforms. */
export interface DeliveryServices extends Services {
  /** Proactive messages (reminders, notices, threads), one implementation per platform. */
  notifier?: Notifier;
  /** Private file delivery (record exports), where the platform has it. */
  files?: FileDelivery;
  /** Home surfaces ("my deadlines" on Slack's App Home). */
  homes?: HomePublisher;
}

/** A request in flight: who is asking (unresolved) and the core's services. */
export interface CoreRequest {
  ctx: InboundContext;
  services: Services;
  /** Buttons only: another feature's action by id, so one button can hand over to another (reminder Done → visit form). */
  lookupAction?: (id: string) => ActionSpec | undefined;
}

const calendars = new Map<string, WorkingCalendar>();

/** The team's working calendar (bank holidays plus its closure days). */
export function calendarFor(team: Team): WorkingCalendar {
  // One calendar per set of closure days, kept: it remembers the days it has worked out, and
  // every command of a team asks about the same ones.
  const key = team.closures.join(',');
  let calendar = calendars.get(key);
  if (!calendar) {
    if (calendars.size >= 200) calendars.clear();
    calendar = createWorkingCalendar({ closures: team.closures });
    calendars.set(key, calendar);
  }
  return calendar;
}

/** Today in the team's time zone. */
export function teamToday(services: Pick<Services, 'clock'>, team: Team): IsoDate {
  return todayIn(team.timeZone, services.clock.now());
}

/** Writes an audit row attributed to the actor, in the caller's transaction. */
export function audit(repos: Repositories, actor: Actor, entry: AuditEntry): Promise<void> {
  return repos.audit.record({ teamId: actor.team.id, memberId: actor.member.id, label: actor.label }, entry);
}

export { asActor, viewAsActor, inTransaction, AWAIT_EFFECTS_MS } from './unit-of-work.ts';
