/**
 * The core's dependencies and the per-request helpers every feature uses: resolving who is
 * asking, running work in one transaction with its audit rows, and the team's calendar and today.
 */
import { createWorkingCalendar, todayIn, type IsoDate, type WorkingCalendar } from './calendar/working-calendar.ts';
import type { Clock } from './clock.ts';
import type { Team } from './domain/entities.ts';
import type { Actor } from './access/permissions.ts';
import { DomainError } from './errors.ts';
import type { InboundContext } from './interaction.ts';
import type { AuditEntry, Notifier, PeopleDirectory, Repositories, Store } from './ports.ts';
import type { FileDelivery } from './discussions/discussion-ports.ts';
import { resolveActor } from './people/resolve-actor.ts';
import type { HomePublisher } from './reminders/reminder-ports.ts';
import type { ActionSpec } from './commands/registry.ts';

/** What the core is built with. */
export interface Services {
  store: Store;
  clock: Clock;
  /** Random source for case keys and team keys; injectable for tests. */
  random?: () => number;
  directory?: PeopleDirectory;
  /** Proactive messages (reminders, notices, threads), one implementation per platform. */
  notifier?: Notifier;
  /** Private file delivery (record exports), where the platform has it. */
  files?: FileDelivery;
  /** Home surfaces ("my deadlines" on Slack's App Home), republished when deadlines change. */
  homes?: HomePublisher;
}

/** A request in flight: who is asking (unresolved) and the core's services. */
export interface CoreRequest {
  ctx: InboundContext;
  services: Services;
  /** Buttons only: another feature's action by id, so one button can hand over to another (reminder Done → visit form). */
  lookupAction?: (id: string) => ActionSpec | undefined;
}

/** The team's working calendar (bank holidays plus its closure days). */
export function calendarFor(team: Team): WorkingCalendar {
  return createWorkingCalendar({ closures: team.closures });
}

/** Today in the team's time zone. */
export function teamToday(services: Services, team: Team): IsoDate {
  return todayIn(team.timeZone, services.clock.now());
}

/**
 * Runs `work` in one transaction as the resolved actor. The actor's identity is linked on first
 * contact. Throws `not_a_member` when the person is on no roster.
 */
export async function asActor<T>(req: CoreRequest, work: (repos: Repositories, actor: Actor) => Promise<T>): Promise<T> {
  return req.services.store.transaction(async (repos) => {
    const actor = await resolveActor(repos, req.ctx);
    if (!actor) {
      throw new DomainError(
        'not_a_member',
        'You are not on a Casework team yet. Ask your team admin to add you to the roster (or, to start a new team, run setup in your team channel).',
      );
    }
    return work(repos, actor);
  });
}

/** Writes an audit row attributed to the actor, in the caller's transaction. */
export function audit(repos: Repositories, actor: Actor, entry: AuditEntry): Promise<void> {
  return repos.audit.record({ teamId: actor.team.id, memberId: actor.member.id, label: actor.label }, entry);
}
