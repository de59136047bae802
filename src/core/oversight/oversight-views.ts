/**
 * Oversight in chat, described once as data: the team overview (team totals, one section per
 * officer a page, the lists that need a decision or an owner), one officer's figures with their
 * overdue work, and the drill-down lists. Pages are cut here, so every page fits Slack's 50
 * blocks and a Teams card however large the team. Chat carries the minimum: case keys, kinds of
 * task, dates and counts.
 */
import { todayIn, type IsoDate, type WorkingCalendar } from '../calendar/working-calendar.ts';
import { threadLinkAction } from '../discussions/discussion-views.ts';
import type { Member } from '../domain/entities.ts';
import { riskLevelLabels } from '../domain/vocabulary.ts';
import { deadlineKindLabels } from '../reminders/reminder-views.ts';
import { dueStatus, formatDate, formatDateTime } from '../views/format.ts';
import { pageLabel, pagerActions, type ListPage } from '../views/list-page.ts';
import type { ActionView, Fact, MessageView, SectionView } from '../views/message-view.ts';
import { coveragePct, COVERAGE_MONTHS, DUE_SOON_WORKING_DAYS, protectivePct, PROTECTIVE_WINDOW_DAYS, weightedLoad, type OfficerFigures } from './oversight-figures.ts';
import type { CaseWithoutStrengths, FigureCounts, ListCounts, ListedCase, ListedDeadline, OfficerCounts, WaitingDiscussion } from './oversight-ports.ts';

/** The interaction ids of oversight's buttons. */
export const OVERSIGHT_ACTIONS = { page: 'oversight.page', officer: 'oversight.officer', list: 'oversight.list', report: 'oversight.report' } as const;

/** The drill-down lists, by the word that asks for them. */
export const OVERSIGHT_LISTS = {
  discussions: 'Discussions awaiting a decision',
  unsupervised: 'Cases without a supervisor',
  'no-deadline': 'Cases without any open deadline',
  mappa: `MAPPA reviews due in the next ${DUE_SOON_WORKING_DAYS} working days or overdue`,
} as const;
/** The short labels of the buttons into each list. */
const LIST_BUTTONS: Record<keyof typeof OVERSIGHT_LISTS, string> = { discussions: 'Awaiting decision', unsupervised: 'No supervisor', 'no-deadline': 'No deadline', mappa: 'MAPPA reviews' };
/** One of the drill-down lists. */
export type OversightList = keyof typeof OVERSIGHT_LISTS;

/** The most case keys one message names in a line of text. */
const KEYS_SHOWN = 20;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** '48: very high 2, high 10, medium 20, low 16 · weighted load 110'. */
export function caseloadText(c: FigureCounts): string {
  return `${c.openCases}: very high ${c.risk.very_high}, high ${c.risk.high}, medium ${c.risk.medium}, low ${c.risk.low} · weighted load ${weightedLoad(c.risk)}`;
}

/** 'visits 1 · reviews 0 · MAPPA 0 · supervision actions 1', or 'None'. */
export function overdueText(c: FigureCounts): string {
  if (c.overdueVisits + c.overdueReviews + c.overdueMappa + c.overdueActions === 0) return 'None';
  return `visits ${c.overdueVisits} · reviews ${c.overdueReviews} · MAPPA ${c.overdueMappa} · supervision actions ${c.overdueActions}`;
}

/** '50% of open cases (2 of 4) in 3 months'. */
export function coverageText(c: FigureCounts): string {
  const pct = coveragePct(c);
  return pct === null ? 'No open cases' : `${pct}% of open cases (${c.coveredCases} of ${c.openCases}) in ${COVERAGE_MONTHS} months`;
}

/** '25% of visits (1 of 4) in 90 days'. */
export function protectiveText(c: FigureCounts): string {
  const pct = protectivePct(c);
  return pct === null ? `No visits where the person was seen in ${PROTECTIVE_WINDOW_DAYS} days` : `${pct}% of visits (${c.strengthVisits} of ${c.seenVisits}) in ${PROTECTIVE_WINDOW_DAYS} days`;
}

/** 'last Mon 2 Nov 2026 · next Mon 7 Dec 2026', with a warning when the next one is overdue. */
export function supervisionText(c: OfficerCounts, today: IsoDate): string {
  const last = c.lastSupervisionOn ? formatDate(c.lastSupervisionOn) : 'none recorded';
  const next = c.nextSupervisionOn ? `${formatDate(c.nextSupervisionOn)}${c.nextSupervisionOn < today ? ' (⚠ overdue)' : ''}` : 'not scheduled';
  return `last ${last} · next ${next}`;
}

/** The facts both the team and an officer show. */
function commonFacts(c: FigureCounts): Fact[] {
  return [
    { label: 'Open cases', value: caseloadText(c) },
    { label: 'Open deadlines', value: `${c.openDeadlines} · ${c.dueSoon} due in the next ${DUE_SOON_WORKING_DAYS} working days` },
    { label: 'Overdue', value: overdueText(c) },
    { label: 'Supervision actions', value: `${c.actionsOpen} open · ${c.overdueActions} overdue` },
    { label: 'Supervision coverage', value: coverageText(c) },
    { label: 'Protective factors noted', value: protectiveText(c) },
  ];
}

/** An officer's line: every figure of the overview for them. */
export function officerFacts(c: OfficerCounts, today: IsoDate): Fact[] {
  const facts = commonFacts(c);
  facts.splice(4, 0, { label: 'One-to-one supervision', value: supervisionText(c, today) });
  return facts;
}

/** True when an officer has something overdue (their own work, or their supervision). */
export function needsAttention(c: OfficerCounts, today: IsoDate): boolean {
  return c.overdueAll > 0 || (c.nextSupervisionOn !== null && c.nextSupervisionOn < today);
}

function officerSection(o: OfficerFigures, today: IsoDate, withButton: boolean): SectionView {
  const section: SectionView = { heading: o.officer.displayName, facts: officerFacts(o.counts, today) };
  if (needsAttention(o.counts, today)) {
    section.emphasis = 'attention';
    section.text = `⚠ ${plural(o.counts.overdueAll, 'deadline')} overdue${o.counts.nextSupervisionOn !== null && o.counts.nextSupervisionOn < today ? '; one-to-one supervision overdue' : ''}.`;
  }
  if (withButton) section.actions = [{ id: OVERSIGHT_ACTIONS.officer, label: 'Details', value: { officerId: o.officer.id } }];
  return section;
}

/** The "needs a decision or an owner" section, with a button into each list that has anything in it. */
function listsSection(counts: ListCounts): SectionView {
  const sizes: Record<OversightList, number> = { discussions: counts.awaitingDecision, unsupervised: counts.withoutSupervisor, 'no-deadline': counts.withoutDeadline, mappa: counts.mappaDue };
  const lists = Object.keys(OVERSIGHT_LISTS) as OversightList[];
  const section: SectionView = {
    heading: 'Needs a decision or an owner',
    facts: lists.map((l) => ({ label: OVERSIGHT_LISTS[l], value: String(sizes[l]) })),
    actions: lists.filter((l) => sizes[l] > 0).map((l) => ({ id: OVERSIGHT_ACTIONS.list, label: `${LIST_BUTTONS[l]} (${sizes[l]})`, value: { list: l } })),
  };
  if (lists.some((l) => sizes[l] > 0)) section.emphasis = 'warning';
  return section;
}

/** The report button: the last three months as a file. */
export function reportAction(): ActionView {
  return { id: OVERSIGHT_ACTIONS.report, label: 'Oversight report (last 3 months)', value: {} };
}

/** The team overview: totals, a page of officers, and the lists that need someone. */
export function overviewView(input: { teamName: string; today: IsoDate; team: FigureCounts; officers: ListPage<OfficerFigures>; lists: ListCounts }): MessageView {
  const { officers } = input;
  const label = pageLabel(officers);
  const sections = officers.items.map((o) => officerSection(o, input.today, true));
  sections.push(listsSection(input.lists));
  return {
    kind: 'oversight-overview',
    title: `${input.teamName}: overview`,
    subtitle: [`As of ${formatDate(input.today)}`, plural(officers.total, 'officer'), ...(label ? [label] : [])].join(' · '),
    facts: commonFacts(input.team),
    sections,
    actions: [...pagerActions(OVERSIGHT_ACTIONS.page, officers), reportAction()],
    footer: 'Team totals count every case and deadline once, including those with no lead officer. docs/oversight.md defines each figure.',
  };
}

function deadlineSection(d: ListedDeadline, today: IsoDate, calendar: WorkingCalendar, withOfficer = true): SectionView {
  const status = dueStatus(d.dueOn, today, calendar);
  const facts: Fact[] = [{ label: 'Due', value: formatDate(d.dueOn) }];
  if (withOfficer && d.ownerName) facts.push({ label: 'Officer', value: d.ownerName });
  if (d.kind === 'mappa_review' && d.mappaLevel) facts.push({ label: 'MAPPA level', value: String(d.mappaLevel) });
  return {
    heading: `${d.caseKey ?? 'Task'} · ${deadlineKindLabels[d.kind]}${d.urgent ? ' (urgent)' : ''}`,
    text: `${status.overdue ? '⚠ ' : ''}${status.text.charAt(0).toUpperCase()}${status.text.slice(1)}.`,
    facts,
    ...(status.overdue ? { emphasis: 'attention' as const } : {}),
  };
}

/** Case keys in a line, the first few and how many more. */
export function keysLine(keys: readonly string[]): string {
  const shown = keys.slice(0, KEYS_SHOWN);
  return `${shown.join(', ')}${keys.length > shown.length ? ` and ${keys.length - shown.length} more` : ''}`;
}

/** One officer's figures, a page of their overdue work, and the cases with no strengths noted lately. */
export function officerView(input: {
  officer: Member;
  counts: OfficerCounts;
  today: IsoDate;
  calendar: WorkingCalendar;
  overdue: ListPage<ListedDeadline>;
  withoutStrengths: readonly CaseWithoutStrengths[];
  teamView: boolean;
}): MessageView {
  const { overdue, counts } = input;
  const label = pageLabel(overdue);
  const paragraphs: string[] = [];
  if (overdue.total === 0) paragraphs.push('Nothing is overdue.');
  paragraphs.push(
    input.withoutStrengths.length === 0
      ? 'Every case with two visits where the person was seen has a strength noted in one of its last two.'
      : `No strengths noted in the last two visits: ${keysLine(input.withoutStrengths.map((c) => c.caseKey))}.`,
  );
  const actions: ActionView[] = pagerActions(OVERSIGHT_ACTIONS.officer, overdue, { officerId: input.officer.id });
  if (input.teamView) actions.push({ id: OVERSIGHT_ACTIONS.page, label: 'Team overview', value: {} });
  return {
    kind: 'oversight-officer',
    title: `Oversight: ${input.officer.displayName}`,
    subtitle: [`As of ${formatDate(input.today)}`, `${overdue.total} overdue`, ...(label ? [label] : [])].join(' · '),
    facts: officerFacts(counts, input.today),
    paragraphs,
    sections: overdue.items.map((d) => deadlineSection(d, input.today, input.calendar, false)),
    actions,
  };
}

function caseSection(c: ListedCase): SectionView {
  const facts: Fact[] = [
    { label: 'Risk level', value: riskLevelLabels[c.riskLevel] },
    { label: 'Lead officer', value: c.leadOfficerName ?? 'None' },
  ];
  if (c.managementMode === 'reactive') facts.push({ label: 'Management', value: 'Reactive (no routine visits)' });
  return { heading: c.caseKey, facts, actions: [{ id: 'case.open', label: `Open ${c.caseKey}`, value: { caseKey: c.caseKey } }] };
}

function discussionSection(d: WaitingDiscussion, today: IsoDate, calendar: WorkingCalendar, timeZone: string): SectionView {
  const opened = formatDateTime(d.openedAt, timeZone);
  const waited = Math.max(0, calendar.workingDaysBetween(todayIn(timeZone, d.openedAt), today));
  return {
    heading: `${d.caseKey} · ${d.status === 'open' ? 'Open' : 'Awaiting decision'}`,
    facts: [
      { label: 'Opened', value: opened },
      { label: 'Waiting', value: waited === 0 ? 'Opened today' : plural(waited, 'working day') },
      { label: 'Lead officer', value: d.leadOfficerName ?? 'None' },
    ],
    ...(waited >= 2 ? { emphasis: 'warning' as const } : {}),
    ...(d.link ? { actions: [threadLinkAction(d.link)] } : {}),
  };
}

/** One page of a drill-down list. */
export function listView(input: {
  list: OversightList;
  teamName: string;
  today: IsoDate;
  calendar: WorkingCalendar;
  timeZone: string;
  page: ListPage<ListedCase | ListedDeadline | WaitingDiscussion>;
}): MessageView {
  const { list, page } = input;
  const label = pageLabel(page);
  const sections = page.items.map((item): SectionView => {
    if (list === 'discussions') return discussionSection(item as WaitingDiscussion, input.today, input.calendar, input.timeZone);
    if (list === 'mappa') return deadlineSection(item as ListedDeadline, input.today, input.calendar);
    return caseSection(item as ListedCase);
  });
  return {
    kind: 'oversight-list',
    title: `${input.teamName}: ${OVERSIGHT_LISTS[list].charAt(0).toLowerCase()}${OVERSIGHT_LISTS[list].slice(1)}`,
    subtitle: [`As of ${formatDate(input.today)}`, `${page.total} in all`, ...(label ? [label] : [])].join(' · '),
    ...(page.total === 0 ? { paragraphs: ['None at the moment.'] } : {}),
    sections,
    actions: [...pagerActions(OVERSIGHT_ACTIONS.list, page, { list }), { id: OVERSIGHT_ACTIONS.page, label: 'Team overview', value: {} }],
  };
}
