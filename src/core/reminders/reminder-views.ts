/**
 * Reminder messages described once, as data: the member's digest, the supervisor's team digest,
 * an urgent escalation, "my deadlines", and the notice that a member cannot be reached. Chat
 * carries the minimum: case key, kind of task, due date, status and buttons.
 */
import type { IsoDate, WorkingCalendar } from '../calendar/working-calendar.ts';
import type { DeadlineKind } from '../ports.ts';
import { dueStatus, formatDate } from '../views/format.ts';
import type { ActionView, MessageView, SectionView } from '../views/message-view.ts';
import type { DeadlineItem } from './reminder-ports.ts';
import { DISCUSSIONS_LIST_ACTION as DISCUSSION_LIST_ACTION, type WaitingDiscussion } from '../discussions/discussion-views.ts';

/** The most items one message lists; the rest are counted and `due` shows them all. */
export const MAX_ITEMS_PER_MESSAGE = 12;

/** What each kind of deadline is called in chat. */
export const deadlineKindLabels: Record<DeadlineKind, string> = {
  visit: 'Home visit',
  assessment_review: 'Assessment review',
  early_review: 'Early review',
  mappa_review: 'MAPPA review',
  officer_supervision: 'Officer supervision',
  supervision_action: 'Supervision action',
};

/** The interaction ids of a reminder's buttons. */
export const REMINDER_ACTIONS = { done: 'reminder.done', ack: 'reminder.ack', snooze: 'reminder.snooze', refresh: 'reminder.deadlines' } as const;

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
  return `${item.caseKey ?? 'Your task'} · ${deadlineKindLabels[item.kind]}${item.urgent ? ' (urgent)' : ''}`;
}

/** One deadline as a section: where it stands and, while open, its buttons. */
export function itemSection(item: DeadlineItem, today: IsoDate, calendar: WorkingCalendar, context: ItemContext, options: { owner?: boolean; buttons?: boolean } = {}): SectionView {
  const facts = [{ label: 'Due', value: formatDate(item.dueOn) }];
  if (options.owner && item.ownerName) facts.push({ label: 'Officer', value: item.ownerName });
  if (item.status === 'met') return { heading: itemHeading(item), text: '✓ Done: recorded.', facts };
  if (item.status === 'cancelled') return { heading: itemHeading(item), text: 'No longer due.', facts };
  const status = dueStatus(item.dueOn, today, calendar);
  const notes = [`${status.overdue ? '⚠ ' : ''}${status.text.charAt(0).toUpperCase()}${status.text.slice(1)}.`];
  if (item.snoozedUntil && item.snoozedUntil > today) notes.push(`Snoozed until ${formatDate(item.snoozedUntil)}.`);
  if (item.acknowledged) notes.push('Acknowledged.');
  const section: SectionView = { heading: itemHeading(item), text: notes.join(' '), facts };
  if (options.buttons !== false) section.actions = itemActions(item, context);
  return section;
}

function clipped(items: readonly DeadlineItem[]): { shown: DeadlineItem[]; more: string[] } {
  const shown = items.slice(0, MAX_ITEMS_PER_MESSAGE);
  const rest = items.length - shown.length;
  return { shown, more: rest > 0 ? [`…and ${rest} more. Type due to see them all.`] : [] };
}

/** A member's daily digest: every item, overdue first, each with its buttons. */
export function digestView(items: readonly DeadlineItem[], today: IsoDate, calendar: WorkingCalendar, digestId: string): MessageView {
  const sorted = [...items].sort((a, b) => a.dueOn.localeCompare(b.dueOn));
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

/** "My deadlines": a member's open deadlines with their buttons (App Home, `due`, Teams `deadlines`). */
export function myDeadlinesView(items: readonly DeadlineItem[], today: IsoDate, calendar: WorkingCalendar, options: { refreshable?: boolean } = {}): MessageView {
  const { shown, more } = clipped(items);
  const view: MessageView = {
    kind: 'my-deadlines',
    title: 'My deadlines',
    subtitle: `As of ${formatDate(today)}`,
    paragraphs: items.length === 0 ? ['Nothing is due. Deadlines for your cases will appear here.'] : more,
    sections: shown.map((item) => itemSection(item, today, calendar, {})),
  };
  if (options.refreshable) view.refresh = { id: REMINDER_ACTIONS.refresh, label: 'Refresh' };
  return view;
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
