/**
 * Planning: for every team, today's stage of every open deadline for every recipient (the owner;
 * the supervisor once it escalates), inserted once per (deadline, stage, recipient); then the due
 * reminders folded into the outbox as digests. Idempotent: running it twice, on two replicas or
 * after a restart creates nothing new, and after downtime only the latest stage is created.
 */
import type { Team } from '../domain/entities.ts';
import type { Services } from '../services.ts';
import type { ReminderRecipient, StageRow } from './reminder-ports.ts';
import { foldCandidates, planRecipients, stageTable } from './reminder-schedule.ts';

/** One team or step that failed; the others carried on. */
export interface JobFailure {
  scope: string;
  error: unknown;
}

/** What a planning run did. */
export interface PlanResult {
  planned: number;
  tidied: number;
  messages: number;
  failures: JobFailure[];
}

function byTeam(recipients: readonly ReminderRecipient[]): Map<string, ReminderRecipient[]> {
  const map = new Map<string, ReminderRecipient[]>();
  for (const r of recipients) map.set(r.teamId, [...(map.get(r.teamId) ?? []), r]);
  return map;
}

/** Plans one team's reminders at `now`; returns how many were new. */
async function planTeam(services: Services, team: Team, members: readonly ReminderRecipient[], now: Date): Promise<number> {
  const recipients = planRecipients(team, members, now);
  if (recipients.length === 0) return 0;
  return services.store.transaction(async (repos) => {
    const earliest = await repos.reminders.earliestOpenDue(team.id);
    if (earliest === null) return 0;
    const stages: StageRow[] = [];
    for (const today of new Set(recipients.map((r) => r.today))) stages.push(...stageTable(team, today, earliest));
    return repos.reminders.plan(team.id, stages, recipients);
  });
}

/**
 * Plans every team's reminders at `now`, then folds what is due into the outbox. One failing team
 * never stops the others; failures come back for the caller to log.
 */
export async function planReminders(services: Services, now: Date): Promise<PlanResult> {
  const result: PlanResult = { planned: 0, tidied: 0, messages: 0, failures: [] };
  const { teams, recipients } = await services.store.transaction(async (repos) => ({
    teams: await repos.teams.list(),
    recipients: await repos.reminders.recipients(),
  }));
  const members = byTeam(recipients);
  for (const team of teams) {
    try {
      result.planned += await planTeam(services, team, members.get(team.id) ?? [], now);
    } catch (error) {
      result.failures.push({ scope: `plan:${team.id}`, error });
    }
  }
  try {
    result.tidied = await services.store.transaction((repos) => repos.reminders.tidyPending());
  } catch (error) {
    result.failures.push({ scope: 'tidy', error });
  }
  for (const team of teams) {
    try {
      const candidates = foldCandidates(team, members.get(team.id) ?? [], now);
      if (candidates.length === 0) continue;
      result.messages += await services.store.transaction((repos) => repos.reminders.fold(now, candidates));
    } catch (error) {
      result.failures.push({ scope: `fold:${team.id}`, error });
    }
  }
  return result;
}
