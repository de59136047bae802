/**
 * Reminder messages described once, as data: the member's digest, the supervisor's team digest,
 * an urgent escalation, "my deadlines", and the notice that a member cannot be reached. Chat
 * carries the minimum: case key, kind of task, due date, status and buttons.
 */
import type { IsoDate, WorkingCalendar } from '../calendar/working-calendar.ts';
import type { DeadlineKind } from '../ports.ts';
import { dueStatus, formatDate } from '../views/format.ts';
import { ITEMS_PER_PAGE, pageLabel, pageOf, pagerActions } from '../views/list-page.ts';
import type { RiskLevel } from '../domain/vocabulary.ts';
import { weekEnd } from './reminder-schedule.ts';
import type { ActionView, MessageView, SectionView } from '../views/message-view.ts';
import type { DeadlineItem } from './reminder-ports.ts';
import { DISCUSSIONS_LIST_ACTION as DISCUSSION_LIST_ACTION, type WaitingDiscussion } from '../discussions/discussion-views.ts';

/** The most items a digest lists; the rest are counted, and `due` pages through them all. */
export const MAX_ITEMS_PER_MESSAGE = ITEMS_PER_PAGE;

/** What each kind of deadline is called in chat. */
export const deadlineKindLabels: Record<DeadlineKind, string> = {
  visit: 'Home visit',
  assessment_review: 'Assessment review',
  early_review: 'Early review',
  mappa_review: 'MAPPA review',
  officer_supervision: 'Officer supervision',
  supervision_action: 'Supervision action',
};

/** The interaction ids of a reminder's buttons, and of the deadline list's pages. */
export const REMINDER_ACTIONS = { done: 'reminder.done', ack: 'reminder.ack', snooze: 'reminder.snooze', refresh: 'reminder.deadlines', page: 'due.page' } as const;

/** Which deadlines a list shows: all open ones, the overdue, or those due by the end of this week. */
export type DeadlineFilter = 'all' | 'overdue' | 'week';

/** The filters as typed after `due`, and as the list's buttons name them. */
export const DEADLINE_FILTERS: Record<DeadlineFilter, string> = { all: 'All', overdue: 'Overdue only', week: 'Due this week' };

const RISK_RANK: Record<RiskLevel, number> = { very_high: 0, high: 1, medium: 2, low: 3 };

/**
 * Urgency first: overdue before the rest, then the riskiest cases, then the earliest due date
 * (and the deadline kind and case key, so the order is always the same).
 */
export function byUrgency(today: IsoDate): (a: DeadlineItem, b: DeadlineItem) => number {
  const rank = (i: DeadlineItem) => (i.riskLevel ? RISK_RANK[i.riskLevel] : 4);
  return (a, b) =>
    Number(b.dueOn < today) - Number(a.dueOn < today) ||
    rank(a) - rank(b) ||
    a.dueOn.localeCompare(b.dueOn) ||
    a.kind.localeCompare(b.kind) ||
    (a.caseKey ?? '').localeCompare(b.caseKey ?? '');
}

/** How many of the items are overdue, and how many are due from today to the end of this week. */
export function deadlineCounts(items: readonly DeadlineItem[], today: IsoDate): { open: number; overdue: number; thisWeek: number } {
  const end = weekEnd(today);
  const open = items.filter((i) => i.status === 'open');
  return { open: open.length, overdue: open.filter((i) => i.dueOn < today).length, thisWeek: open.filter((i) => i.dueOn >= today && i.dueOn <= end).length };
}

/** "84 open · 12 overdue · 6 this week". */
export function countsLine(counts: { open: number; overdue: number; thisWeek: number }): string {
  return `${counts.open} open · ${counts.overdue} overdue · ${counts.thisWeek} this week`;
}

/** Where a reminder button was pressed: which digest, if any, to update in place. */
export interface ItemContext {
  digestId?: string;
}

function itemActions(item: DeadlineItem, context: ItemContext): ActionView[] {
  const value: Record<string, string> = { deadlineId: item.deadlineId, kind: item.kind, ...(item.caseKey ? { caseKey: item.caseKey } : {}) };
  if (context.digestId) value.digestId = context.digestId;
  const actions: ActionView[] = [{ id: REMINDER_ACTIONS.done, label: 'Done', value, style: 'primary' }];
  if (!item.acknowledged) actions.push({ id: REMINDER_ACTIONS.ack, label: 'Acknowledge', value });
  actions.push({ id: REMINDER_ACTIONS.snooze, label: 'Snooze', value });
  return actions;
}

function itemHeading(item: DeadlineItem): string {
  const risk = item.riskLevel === 'very_high' ? ' · very high risk' : '';
  const about = item.kind === 'officer_supervision' && item.officerName ? `: ${item.officerName}` : '';
  const subject = item.caseKey ?? (item.kind === 'officer_supervision' ? null : 'Your task');
  return `${subject ? `${subject} · ` : ''}${deadlineKindLabels[item.kind]}${about}${item.urgent ? ' (urgent)' : ''}${risk}`;
}

/** What a supervision action is: its text, and the note or session that set it. */
function actionLines(item: DeadlineItem): string[] {
  if (item.kind !== 'supervision_action') return [];
  const from = item.actionFrom;
  const source = !from
    ? ''
    : from.kind === 'note'
      ? ` From the supervision note of ${formatDate(from.on)}${item.caseKey ? ` on ${item.caseKey}` : ''}.`
      : ` From officer supervision${from.officerName ? ` with ${from.officerName}` : ''} on ${formatDate(from.on)}.`;
  return item.actionDescription ? [`“${item.actionDescription}”.${source}`] : source ? [source.trim()] : [];
}

/** One deadline as a section: where it stands and, while open, its buttons. */
export function itemSection(item: DeadlineItem, today: IsoDate, calendar: WorkingCalendar, context: ItemContext, options: { owner?: boolean; buttons?: boolean } = {}): SectionView {
  const facts = [{ label: 'Due', value: formatDate(item.dueOn) }];
  if (options.owner && item.ownerName) facts.push({ label: 'Officer', value: item.ownerName });
  const what = actionLines(item);
  if (item.status === 'met') return { heading: itemHeading(item), text: ['✓ Done: recorded.', ...what].join(' '), facts };
  if (item.status === 'cancelled') return { heading: itemHeading(item), text: ['No longer due.', ...what].join(' '), facts };
  const status = dueStatus(item.dueOn, today, calendar);
  const notes = [...what, `${status.overdue ? '⚠ ' : ''}${status.text.charAt(0).toUpperCase()}${status.text.slice(1)}.`];
  if (item.snoozedUntil && item.snoozedUntil > today) notes.push(`Snoozed until ${formatDate(item.snoozedUntil)}.`);
  if (item.acknowledged) notes.push('Acknowledged.');
  const section: SectionView = { heading: itemHeading(item), text: notes.join(' '), facts };
  // Overdue, or a very high risk case: marked, and the words say why (never colour alone).
  if (status.overdue) section.emphasis = 'attention';
  else if (item.riskLevel === 'very_high' || item.urgent) section.emphasis = 'warning';
  if (options.buttons !== false) section.actions = itemActions(item, context);
  return section;
}

function clipped(items: readonly DeadlineItem[]): { shown: DeadlineItem[]; more: string[] } {
  const shown = items.slice(0, MAX_ITEMS_PER_MESSAGE);
  const rest = items.length - shown.length;
  return { shown, more: rest > 0 ? [`…and ${rest} more. Type due to see them all.`] : [] };
}

/** A member's daily digest: the most urgent items first, each with its buttons. */
export function digestView(items: readonly DeadlineItem[], today: IsoDate, calendar: WorkingCalendar, digestId: string): MessageView {
  const sorted = [...items].sort(byUrgency(today));
  const { shown, more } = clipped(sorted);
  const overdue = sorted.filter((i) => i.status === 'open' && i.dueOn < today).length;
  const open = sorted.filter((i) => i.status === 'open').length;
  return {
    kind: 'reminder-digest',
    title: 'Your deadlines today',
    subtitle: formatDate(today),
    paragraphs: [open === 0 ? 'Everything here is done. Thank you.' : `${open} to act on${overdue ? `, ${overdue} overdue` : ''}.`, ...more],
    sections: shown.map((item) => itemSection(item, today, calendar, { digestId })),
  };
}

/** An urgent escalation for a supervisor, sent at once. */
export function escalationView(items: readonly DeadlineItem[], today: IsoDate, calendar: WorkingCalendar): MessageView {
  return {
    kind: 'reminder-escalation',
    title: 'Urgent deadline overdue',
    paragraphs: ['An urgent review after a reported change is overdue. The officer has been reminded.'],
    sections: items.map((item) => itemSection(item, today, calendar, {}, { owner: true, buttons: false })),
  };
}

/** The supervisor's morning digest: escalated, overdue and due this week in their scope. */
export function supervisorDigestView(
  escalated: readonly DeadlineItem[],
  scope: readonly DeadlineItem[],
  today: IsoDate,
  calendar: WorkingCalendar,
  waiting: readonly WaitingDiscussion[] = [],
): MessageView {
  const escalatedIds = new Set(escalated.map((i) => i.deadlineId));
  const overdue = scope.filter((i) => i.dueOn < today && !escalatedIds.has(i.deadlineId));
  const thisWeek = scope.filter((i) => i.dueOn >= today);
  const sections: SectionView[] = [];
  const group = (heading: string, list: readonly DeadlineItem[]) => {
    if (list.length === 0) return;
    const lines = list.slice(0, MAX_ITEMS_PER_MESSAGE).map((i) => {
      const status = i.status === 'open' ? dueStatus(i.dueOn, today, calendar).text : i.status === 'met' ? 'done' : 'no longer due';
      return `${itemHeading(i)} · ${i.ownerName ?? 'no officer'} · ${formatDate(i.dueOn)} (${status})`;
    });
    if (list.length > MAX_ITEMS_PER_MESSAGE) lines.push(`…and ${list.length - MAX_ITEMS_PER_MESSAGE} more.`);
    sections.push({ heading: `${heading} (${list.length})`, text: lines.join('\n') });
  };
  if (waiting.length) {
    const lines = waiting.slice(0, MAX_ITEMS_PER_MESSAGE).map((w) => `${w.caseKey} · opened ${formatDate(w.openedOn)} · waiting ${w.workingDaysWaited} working day${w.workingDaysWaited === 1 ? '' : 's'}`);
    if (waiting.length > MAX_ITEMS_PER_MESSAGE) lines.push(`…and ${waiting.length - MAX_ITEMS_PER_MESSAGE} more.`);
    sections.push({
      heading: `Discussions waiting for your decision (${waiting.length})`,
      text: lines.join('\n'),
      emphasis: 'warning',
      actions: [{ id: DISCUSSION_LIST_ACTION, label: 'See the discussions', value: { page: '1' } }],
    });
  }
  group('Escalated', escalated);
  group('Overdue', overdue);
  group('Due this week', thisWeek);
  return { kind: 'reminder-supervisor-digest', title: 'Team deadlines', subtitle: formatDate(today), sections };
}

/** How a deadline list is shown: which page, which filter, and where (a refreshing card, a home tab). */
export interface DeadlineListOptions {
  page?: number;
  filter?: DeadlineFilter;
  /** Teams' `deadlines` card: it refreshes itself whenever opened. */
  refreshable?: boolean;
}

/**
 * "My deadlines" (`due`, Teams' `deadlines`, Slack's App Home): a member's open deadlines, most
 * urgent first, a page at a time, with the counts in the header, filters, and each item's buttons.
 */
export function myDeadlinesView(items: readonly DeadlineItem[], today: IsoDate, calendar: WorkingCalendar, options: DeadlineListOptions = {}): MessageView {
  const filter = options.filter ?? 'all';
  const end = weekEnd(today);
  const chosen = items
    .filter((i) => i.status === 'open')
    .filter((i) => (filter === 'overdue' ? i.dueOn < today : filter === 'week' ? i.dueOn >= today && i.dueOn <= end : true))
    .sort(byUrgency(today));
  const page = pageOf(chosen, options.page ?? 1);
  const counts = deadlineCounts(items, today);
  const label = pageLabel(page);
  const view: MessageView = {
    kind: 'my-deadlines',
    title: filter === 'all' ? 'My deadlines' : `My deadlines: ${DEADLINE_FILTERS[filter].toLowerCase()}`,
    subtitle: [countsLine(counts), ...(label ? [label] : []), `as of ${formatDate(today)}`].join(' · '),
    sections: page.items.map((item) => itemSection(item, today, calendar, {})),
  };
  if (chosen.length === 0) {
    view.paragraphs = [
      items.length === 0 ? 'Nothing is due. Deadlines for your cases will appear here.' : filter === 'overdue' ? 'Nothing is overdue.' : 'Nothing is due by the end of this week.',
    ];
  }
  const value: Record<string, string> = { ...(filter === 'all' ? {} : { filter }), ...(options.refreshable ? { refreshable: 'yes' } : {}) };
  const actions = pagerActions(REMINDER_ACTIONS.page, page, value);
  // Filters are offered once the list is longer than a page, or when one is in force.
  if (items.length > ITEMS_PER_PAGE || filter !== 'all') {
    for (const f of Object.keys(DEADLINE_FILTERS) as DeadlineFilter[]) {
      if (f !== filter) actions.push({ id: REMINDER_ACTIONS.page, label: DEADLINE_FILTERS[f], value: { ...(options.refreshable ? { refreshable: 'yes' } : {}), page: '1', ...(f === 'all' ? {} : { filter: f }) } });
    }
  }
  if (actions.length) view.actions = actions;
  if (options.refreshable) view.refresh = { id: REMINDER_ACTIONS.refresh, label: 'Refresh', ...(filter === 'all' && page.page === 1 ? {} : { value: { ...value, page: String(page.page) } }) };
  return view;
}

/** A filter as typed (`due overdue`, `due week`) or carried on a button; `all` for anything else. */
export function deadlineFilter(raw: string | undefined): DeadlineFilter {
  const word = (raw ?? '').toLowerCase();
  if (word === 'overdue' || word === 'late') return 'overdue';
  if (word === 'week' || word === 'soon' || word === 'this-week') return 'week';
  return 'all';
}

/** Tells a team admin that a member cannot be reached, so their reminders are not getting through. */
export function undeliverableNoticeView(memberName: string, code: string): MessageView {
  return {
    kind: 'reminder-undeliverable',
    title: 'Reminders cannot reach a team member',
    notice: { tone: 'warning', text: `Casework could not deliver reminders to ${memberName} (${code}).` },
    paragraphs: [
      'They may have blocked or removed the app, or their account may be closed. Ask them to open Casework and say hello; reminders resume once they do.',
    ],
  };
}
