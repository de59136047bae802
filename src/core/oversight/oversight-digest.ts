/**
 * The supervisor's weekly digest: the overview's figures for their officers (or the whole team
 * when nobody is assigned to them), what changed since the same day last week, and the three
 * things most worth their attention. Planned by the reminder pipeline (one outbox row per
 * supervisor per ISO week, folded on their first working morning of the week) and drawn here
 * when it is sent, from the figures as they stand then.
 */
import { addCalendarDays, type IsoDate } from '../calendar/working-calendar.ts';
import type { Member, Team } from '../domain/entities.ts';
import type { Repositories } from '../ports.ts';
import { calendarFor } from '../services.ts';
import { formatDate } from '../views/format.ts';
import type { ActionView, Fact, MessageView, SectionView } from '../views/message-view.ts';
import { coveragePct, emptyOfficerCounts, figureBounds, protectivePct, teamFigures, DUE_SOON_WORKING_DAYS, PROTECTIVE_WINDOW_DAYS, type OfficerFigures } from './oversight-figures.ts';
import type { FigureCounts, ListCounts, OfficerCounts } from './oversight-ports.ts';
import { coverageText, needsAttention, officerFacts, OVERSIGHT_ACTIONS, overdueText, protectiveText, reportAction } from './oversight-views.ts';

/** The most officers one digest shows; the rest are counted, and `overview` has them all. */
export const DIGEST_OFFICERS = 10;
/** How many points the digest raises. */
export const ATTENTION_POINTS = 3;
/** Below this protective-factor share, with at least this many visits, strengths are raised. */
const LOW_STRENGTHS_PCT = 50;
const LOW_STRENGTHS_MIN_VISITS = 3;

/** Something worth a supervisor's attention, ranked by `priority` (lower first) then `weight`. */
export interface AttentionPoint {
  text: string;
  priority: number;
  weight: number;
  action?: ActionView;
}

/** An officer this week and the same day a week before. */
export interface OfficerWeek {
  officer: Member;
  now: OfficerCounts;
  before: OfficerCounts;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** 'up 2 since last week', 'down 1 since last week', 'same as last week'. */
export function change(now: number, before: number, unit = ''): string {
  if (now === before) return 'same as last week';
  return `${now > before ? 'up' : 'down'} ${Math.abs(now - before)}${unit} since last week`;
}

function pctChange(now: number | null, before: number | null): string {
  return now === null || before === null ? 'no comparison' : change(now, before, ' points');
}

const officerAction = (o: Member): ActionView => ({ id: OVERSIGHT_ACTIONS.officer, label: o.displayName.slice(0, 40), value: { officerId: o.id } });
const listAction = (list: string, label: string): ActionView => ({ id: OVERSIGHT_ACTIONS.list, label, value: { list } });

/**
 * The points worth raising, most important first: urgent reviews overdue, MAPPA reviews
 * overdue, one-to-one supervision overdue, an officer's overdue work (more if it grew), decisions
 * waiting, strengths rarely noted, cases with no supervisor or no deadline.
 */
export function attentionPoints(input: { team: FigureCounts; lists: ListCounts; officers: readonly OfficerWeek[]; today: IsoDate; supervisionWeeks: number }): AttentionPoint[] {
  const { team, lists, today } = input;
  const points: AttentionPoint[] = [];
  if (team.overdueUrgent > 0) points.push({ priority: 1, weight: team.overdueUrgent, text: `${plural(team.overdueUrgent, 'urgent early review is', 'urgent early reviews are')} overdue after a reported change.` });
  if (team.overdueMappa > 0) points.push({ priority: 2, weight: team.overdueMappa, text: `${plural(team.overdueMappa, 'MAPPA review is', 'MAPPA reviews are')} overdue.`, action: listAction('mappa', 'MAPPA reviews') });
  for (const { officer, now } of input.officers) {
    const dueBy = now.nextSupervisionOn ?? (now.lastSupervisionOn ? addCalendarDays(now.lastSupervisionOn, 7 * input.supervisionWeeks) : null);
    if (dueBy !== null && dueBy >= today) continue;
    const last = now.lastSupervisionOn ? `the last was ${formatDate(now.lastSupervisionOn)}` : 'none is on record';
    const text = dueBy ? `${officer.displayName}'s one-to-one supervision was due on ${formatDate(dueBy)}; ${last}.` : `${officer.displayName} has no one-to-one supervision on record.`;
    points.push({ priority: 3, weight: dueBy ? calendarDays(dueBy, today) : 1000, text, action: officerAction(officer) });
  }
  for (const { officer, now, before } of input.officers) {
    if (now.overdueAll === 0) continue;
    const grew = now.overdueAll - before.overdueAll;
    points.push({
      priority: 4,
      weight: now.overdueAll + Math.max(0, grew),
      text: `${officer.displayName} has ${plural(now.overdueAll, 'overdue deadline', 'overdue deadlines')}${grew > 0 ? `, ${grew} more than a week ago` : ''}.`,
      action: officerAction(officer),
    });
  }
  if (lists.awaitingDecision > 0) points.push({ priority: 5, weight: lists.awaitingDecision, text: `${plural(lists.awaitingDecision, 'discussion awaits', 'discussions await')} a decision.`, action: listAction('discussions', 'Discussions') });
  for (const { officer, now } of input.officers) {
    const pct = protectivePct(now);
    if (pct === null || pct >= LOW_STRENGTHS_PCT || now.seenVisits < LOW_STRENGTHS_MIN_VISITS) continue;
    points.push({ priority: 6, weight: 100 - pct, text: `Strengths were noted in ${pct}% of ${officer.displayName}'s visits in the last ${PROTECTIVE_WINDOW_DAYS} days.`, action: officerAction(officer) });
  }
  if (lists.withoutSupervisor > 0) points.push({ priority: 7, weight: lists.withoutSupervisor, text: `${plural(lists.withoutSupervisor, 'case has', 'cases have')} no supervisor.`, action: listAction('unsupervised', 'No supervisor') });
  if (lists.withoutDeadline > 0) points.push({ priority: 8, weight: lists.withoutDeadline, text: `${plural(lists.withoutDeadline, 'active case has', 'active cases have')} no open deadline.`, action: listAction('no-deadline', 'No deadline') });
  return points.sort((a, b) => a.priority - b.priority || b.weight - a.weight || a.text.localeCompare(b.text)).slice(0, ATTENTION_POINTS);
}

function calendarDays(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/** The officers a supervisor's digest is about: those they supervise, or everyone when none are theirs. */
export function digestScope(officers: readonly OfficerFigures[], supervisorId: string): { officers: OfficerFigures[]; wholeTeam: boolean } {
  const mine = officers.filter((o) => o.officer.supervisorMemberId === supervisorId);
  return mine.length > 0 ? { officers: mine, wholeTeam: false } : { officers: [...officers], wholeTeam: true };
}

/** The digest's view. */
export function oversightDigestView(input: { team: Team; today: IsoDate; now: FigureCounts; before: FigureCounts; lists: ListCounts; officers: readonly OfficerWeek[]; wholeTeam: boolean; points: readonly AttentionPoint[] }): MessageView {
  const { now, before, today } = input;
  const facts: Fact[] = [
    { label: 'Overdue deadlines', value: `${now.overdueAll} (${change(now.overdueAll, before.overdueAll)})` },
    { label: 'Overdue by kind', value: overdueText(now) },
    { label: `Due in the next ${DUE_SOON_WORKING_DAYS} working days`, value: `${now.dueSoon} (${change(now.dueSoon, before.dueSoon)})` },
    { label: 'Open cases', value: `${now.openCases} (${change(now.openCases, before.openCases)})` },
    { label: 'Supervision coverage', value: `${coverageText(now)} (${pctChange(coveragePct(now), coveragePct(before))})` },
    { label: 'Protective factors noted', value: `${protectiveText(now)} (${pctChange(protectivePct(now), protectivePct(before))})` },
    { label: 'Discussions awaiting a decision', value: String(input.lists.awaitingDecision) },
  ];
  const attention: SectionView = input.points.length
    ? {
        heading: 'Worth your attention this week',
        text: input.points.map((p, i) => `${i + 1}. ${p.text}`).join('\n'),
        emphasis: 'attention',
        actions: input.points.flatMap((p) => (p.action ? [p.action] : [])),
      }
    : { heading: 'Worth your attention this week', text: 'Nothing stands out: no overdue work, supervision is up to date and no decisions are waiting.' };
  const ordered = [...input.officers].sort((a, b) => b.now.overdueAll - a.now.overdueAll || a.officer.displayName.localeCompare(b.officer.displayName, 'en-GB'));
  const shown = ordered.slice(0, DIGEST_OFFICERS);
  const sections: SectionView[] = [attention];
  for (const o of shown) {
    const section: SectionView = {
      heading: o.officer.displayName,
      text: `Overdue: ${o.now.overdueAll} (${change(o.now.overdueAll, o.before.overdueAll)}).`,
      facts: officerFacts(o.now, today),
    };
    if (needsAttention(o.now, today)) section.emphasis = 'attention';
    sections.push(section);
  }
  const paragraphs = [`The whole team's figures, then each of ${input.wholeTeam ? 'its' : 'your'} ${plural(input.officers.length, 'officer', 'officers')}.`];
  if (ordered.length > shown.length) paragraphs.push(`…and ${ordered.length - shown.length} more officers: type overview to see them all.`);
  return {
    kind: 'oversight-digest',
    title: 'Your team this week',
    subtitle: `${input.team.name} · ${formatDate(today)}`,
    paragraphs,
    facts,
    sections,
    actions: [{ id: OVERSIGHT_ACTIONS.page, label: 'Open the overview', value: {} }, reportAction()],
  };
}

/**
 * The weekly digest for `supervisorId` as of `today`, or null when there is nothing to report
 * on (no officers in the team) or the supervisor is no longer one.
 */
export async function oversightDigestFor(repos: Repositories, team: Team, supervisorId: string, today: IsoDate): Promise<MessageView | null> {
  const supervisor = await repos.members.findById(supervisorId);
  if (!supervisor || !supervisor.active || !supervisor.roles.includes('supervisor')) return null;
  const figures = await teamFigures(repos, team, today);
  const scope = digestScope(figures.officers, supervisorId);
  if (scope.officers.length === 0) return null;
  const lastWeek = await repos.oversight.counts(team.id, figureBounds(team, addCalendarDays(today, -7)));
  const lists = await repos.oversight.listCounts(team.id, calendarFor(team).addWorkingDays(today, DUE_SOON_WORKING_DAYS));
  const officers: OfficerWeek[] = scope.officers.map((o) => ({ officer: o.officer, now: o.counts, before: lastWeek.byMember.get(o.officer.id) ?? emptyOfficerCounts(o.officer.id) }));
  const points = attentionPoints({ team: figures.team, lists, officers, today, supervisionWeeks: team.policy.officerSupervisionWeeks });
  return oversightDigestView({ team, today, now: figures.team, before: lastWeek.team, lists, officers, wholeTeam: scope.wholeTeam, points });
}
