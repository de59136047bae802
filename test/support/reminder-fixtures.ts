/**
 * Reminder pipeline fixtures: a team with an officer (supervised by Sam), a supervisor and an
 * admin, cases whose own due dates are silenced, deadlines at chosen dates, and a runner that
 * does what one scheduler tick does (plan, deliver, refresh) at a fixed instant.
 */
import { sql, type Kysely } from 'kysely';
import { fixedClock } from '../../src/core/clock.ts';
import type { Case, Member } from '../../src/core/domain/entities.ts';
import type { DeadlineKind } from '../../src/core/ports.ts';
import { deliverOutbox } from '../../src/core/reminders/deliver-outbox.ts';
import { planReminders } from '../../src/core/reminders/plan-reminders.ts';
import { refreshSent } from '../../src/core/reminders/refresh-sent.ts';
import type { DeliveryServices } from '../../src/core/services.ts';
import { createEffectRunner } from '../../src/core/effects/effect-delivery.ts';
import { createKyselyStore, reposFor } from '../../src/db/kysely-store.ts';
import type { Database } from '../../src/db/schema.ts';
import { createFakeNotifier, type FakeNotifier } from './fake-notifier.ts';
import { seedCase, seedTeam, type PersonSpec, type SeededTeam } from './factories.ts';

/** A seeded reminder team and its people. */
export interface ReminderTeam extends SeededTeam {
  officer: Member;
  supervisor: Member;
  admin: Member;
}

let n = 0;

/** Seeds Olivia (officer), Sam (supervisor, Olivia's line manager) and Ada (admin). */
export async function seedReminderTeam(db: Kysely<Database>, options: { platform?: 'slack' | 'teams' | 'both'; prefix?: string } = {}): Promise<ReminderTeam> {
  n += 1;
  const p = options.prefix ?? `R${n}`;
  const platform = options.platform ?? 'both';
  const spec = (name: string, roles: PersonSpec['roles'], id: string): PersonSpec => ({
    name,
    roles,
    ...(platform !== 'teams' ? { slackUserId: `U${p}${id}` } : {}),
    ...(platform !== 'slack' ? { teamsUserId: `aad-${p}-${id}` } : {}),
  });
  const seeded = await seedTeam(db, { people: [spec('Olivia Officer', ['officer'], 'OFF'), spec('Sam Supervisor', ['officer', 'supervisor'], 'SUP'), spec('Ada Admin', ['admin'], 'ADM')] });
  const repos = reposFor(db);
  const supervisor = seeded.members['Sam Supervisor']!;
  const officer = await repos.members.update(seeded.members['Olivia Officer']!.id, { supervisorMemberId: supervisor.id });
  return { ...seeded, officer, supervisor, admin: seeded.members['Ada Admin']! };
}

/** A case led by the officer whose own computed deadlines are cancelled, so tests add exactly the ones they want. */
export async function quietCase(db: Kysely<Database>, t: ReminderTeam, overrides: { leadOfficerId?: string | null; supervisorId?: string | null } = {}): Promise<Case> {
  const c = await seedCase(db, t.team, { leadOfficerId: t.officer.id, ...overrides });
  await sql`update deadlines set status = 'cancelled' where case_id = ${c.id}`.execute(db);
  return c;
}

/** Adds an open deadline for a case; returns its id. */
export async function addDeadline(db: Kysely<Database>, t: ReminderTeam, c: Case, kind: DeadlineKind, dueOn: string, options: { urgent?: boolean; owner?: string | null } = {}): Promise<string> {
  const subjectKey = `test:${c.id}:${kind}`;
  await reposFor(db).deadlines.syncOpen({ teamId: t.team.id, kind, subjectKey, caseId: c.id, ownerMemberId: options.owner === undefined ? t.officer.id : options.owner, dueOn, urgent: options.urgent ?? false });
  const row = await db.selectFrom('deadlines').select('id').where('subject_key', '=', subjectKey).where('status', '=', 'open').executeTakeFirstOrThrow();
  return row.id;
}

/** Core services over a database with a fixed clock and a recording notifier. */
export function reminderServices(db: Kysely<Database>, at = '2026-11-02T09:00:00Z'): DeliveryServices & { clock: ReturnType<typeof fixedClock>; notifier: FakeNotifier } {
  const services: DeliveryServices & { clock: ReturnType<typeof fixedClock>; notifier: FakeNotifier } = { store: createKyselyStore(db), clock: fixedClock(at), notifier: createFakeNotifier() };
  // One object serves as the core's services and delivery's, as in a test nothing needs keeping apart.
  services.effects = createEffectRunner(services, { workerId: 'test-effects', waitForAll: true, random: () => 0.5 });
  return services;
}

/** Does what one scheduler tick does, at instant `at`. */
export async function tick(services: DeliveryServices & { clock: ReturnType<typeof fixedClock> }, at: string, workerId = 'test-worker'): Promise<void> {
  services.clock.set(at);
  const now = services.clock.now();
  const planned = await planReminders(services, now);
  if (planned.failures.length) throw planned.failures[0]!.error;
  const delivered = await deliverOutbox(services, now, { workerId, random: () => 0.5 });
  if (delivered.failures.length) throw delivered.failures[0]!.error;
  const refreshed = await refreshSent(services, now);
  if (refreshed.failures.length) throw refreshed.failures[0]!.error;
}

/** The stages of a deadline's reminders, in the order planned. */
export async function stagesOf(db: Kysely<Database>, deadlineId: string): Promise<{ stage: string; recipient: string; status: string }[]> {
  const rows = await db.selectFrom('reminders').select(['stage', 'recipient_member_id', 'status', 'planned_for']).where('deadline_id', '=', deadlineId).orderBy('planned_for').orderBy('stage').execute();
  return rows.map((r) => ({ stage: r.stage, recipient: r.recipient_member_id, status: r.status }));
}
