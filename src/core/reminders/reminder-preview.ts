/**
 * The policy preview: what the reminder pipeline would send, day by day, to whom, if nothing were
 * done meanwhile. A simulation over the same rules (reminderStageFor, one reminder per deadline,
 * stage and recipient, working days and reminder times); nothing is stored or sent.
 */
import { addCalendarDays, type IsoDate } from '../calendar/working-calendar.ts';
import { reminderStageFor } from '../deadlines/reminder-stages.ts';
import type { Member, Team } from '../domain/entities.ts';
import { calendarFor } from '../services.ts';
import type { DeadlineItem } from './reminder-ports.ts';
import { effectiveReminderTime, isWeekStart, weekEnd } from './reminder-schedule.ts';

/** One message the pipeline would send. */
export interface PreviewMessage {
  date: IsoDate;
  time: string;
  member: string;
  kind: 'digest' | 'supervisor-digest' | 'escalation' | 'oversight-digest';
  items: { caseKey: string | null; deadline: string; dueOn: IsoDate; stage: string }[];
}

/** A deadline for the preview, with the supervisor of its case if there is one. */
export type PreviewDeadline = DeadlineItem & { caseSupervisorId: string | null };

const WORKING_HOURS_START = '07:00';
const WORKING_HOURS_END = '19:00';

/** Simulates `days` days from `from` for a team's roster and open deadlines. */
export function previewReminders(team: Team, members: readonly Member[], deadlines: readonly PreviewDeadline[], from: IsoDate, days: number): PreviewMessage[] {
  const calendar = calendarFor(team);
  const byId = new Map(members.filter((m) => m.active).map((m) => [m.id, m]));
  const seen = new Set<string>();
  const out: PreviewMessage[] = [];
  const timeOf = (m: Member) => effectiveReminderTime({ reminderTime: m.reminderTime, workingHoursStart: WORKING_HOURS_START, workingHoursEnd: WORKING_HOURS_END });
  const supervisorOf = (d: PreviewDeadline) => d.caseSupervisorId ?? (d.ownerMemberId ? byId.get(d.ownerMemberId)?.supervisorMemberId ?? null : null);
  for (let i = 0; i < days; i += 1) {
    const date = addCalendarDays(from, i);
    if (!calendar.isWorkingDay(date)) continue;
    const digests = new Map<string, PreviewMessage['items']>();
    const escalated = new Map<string, PreviewMessage['items']>();
    // Many deadlines share a due date: work each date's stage out once a day.
    const stages = new Map<IsoDate, ReturnType<typeof reminderStageFor>>();
    for (const d of deadlines) {
      if (!stages.has(d.dueOn)) stages.set(d.dueOn, reminderStageFor(d.dueOn, date, team.policy, calendar));
      const stage = stages.get(d.dueOn);
      if (!stage) continue;
      const item = { caseKey: d.caseKey, deadline: d.kind, dueOn: d.dueOn, stage: stage.key };
      const owner = d.ownerMemberId && byId.has(d.ownerMemberId) ? d.ownerMemberId : null;
      if (owner && !seen.has(`${d.deadlineId}:${stage.key}:${owner}`)) {
        seen.add(`${d.deadlineId}:${stage.key}:${owner}`);
        digests.set(owner, [...(digests.get(owner) ?? []), item]);
      }
      const supervisor = supervisorOf(d);
      if (stage.escalate && supervisor && supervisor !== owner && byId.has(supervisor) && !seen.has(`${d.deadlineId}:escalated:${supervisor}`)) {
        seen.add(`${d.deadlineId}:escalated:${supervisor}`);
        const escalation = { ...item, stage: 'escalated' };
        if (d.urgent) out.push({ date, time: WORKING_HOURS_START, member: byId.get(supervisor)!.displayName, kind: 'escalation', items: [escalation] });
        else escalated.set(supervisor, [...(escalated.get(supervisor) ?? []), escalation]);
      }
    }
    for (const [memberId, items] of digests) out.push({ date, time: timeOf(byId.get(memberId)!), member: byId.get(memberId)!.displayName, kind: 'digest', items: items.sort((a, b) => a.dueOn.localeCompare(b.dueOn)) });
    const end = weekEnd(date);
    for (const supervisor of byId.values()) {
      if (!supervisor.roles.includes('supervisor')) continue;
      const inScope = deadlines
        .filter((d) => d.dueOn <= end && (supervisorOf(d) ?? supervisor.id) === supervisor.id)
        .map((d) => ({ caseKey: d.caseKey, deadline: d.kind, dueOn: d.dueOn, stage: d.dueOn < date ? 'overdue' : 'due-this-week' }));
      const items = [...(escalated.get(supervisor.id) ?? []), ...inScope];
      if (items.length) out.push({ date, time: timeOf(supervisor), member: supervisor.displayName, kind: 'supervisor-digest', items });
      // The weekly oversight digest is about the team's figures, not deadlines: it lists no items.
      if (isWeekStart(date, calendar)) out.push({ date, time: timeOf(supervisor), member: supervisor.displayName, kind: 'oversight-digest', items: [] });
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.time.localeCompare(b.time) || a.member.localeCompare(b.member) || a.kind.localeCompare(b.kind));
}
