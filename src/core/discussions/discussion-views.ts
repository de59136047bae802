/**
 * What a discussion looks like in chat: the root card in the team's channel (case key, risk level,
 * due dates, the question, who asked, status, buttons), the closing card in the thread, and the
 * private notes to people whose replies were refused or flagged. No personal data is added here.
 */
import type { IsoDate, WorkingCalendar } from '../calendar/working-calendar.ts';
import type { Case } from '../domain/entities.ts';
import { riskLevelLabels } from '../domain/vocabulary.ts';
import { formatDateTime, formatDue } from '../views/format.ts';
import type { ActionView, MessageView } from '../views/message-view.ts';
import { discussionStatusLabels, type Discussion } from './discussion-ports.ts';
import { describePersonalData, type PersonalDataKind } from './personal-data.ts';

/** Interaction ids of the root card's buttons. */
export const NOTE_ACTION = 'supervision.note';
export const CLOSE_ACTION = 'discussion.close';
/** The interaction id of the discussion list's page buttons (also how a digest opens the list). */
export const DISCUSSIONS_LIST_ACTION = 'discussions.page';

/** A discussion waiting for a supervisor's decision, as their digest lists it. */
export interface WaitingDiscussion {
  caseKey: string;
  openedOn: IsoDate;
  workingDaysWaited: number;
}

/** The root card's own refresh: a supervisor's copy of the card, with their buttons. */
export const ROOT_CARD_ACTION = 'discussion.card';

/** The supervisor-only buttons of an open discussion. */
export function supervisorActions(d: Discussion): ActionView[] {
  if (d.status === 'closed') return [];
  const value = { discussionId: d.id };
  return [
    { id: NOTE_ACTION, label: d.status === 'decided' ? 'Add an addendum' : 'Add supervision note', value, style: 'primary' },
    { id: CLOSE_ACTION, label: 'Close', value },
  ];
}

/** Who the root card is drawn for: everyone in the channel, or one supervisor (their buttons shown). */
export interface RootAudience {
  /** Draw the supervisor's copy: their buttons are ordinary buttons. */
  supervisor?: boolean;
  /** Chat ids of the team's supervisors, for platforms that draw a card per person. */
  supervisorChatIds?: string[];
}

/**
 * The root card of a discussion, kept current as its status changes. Everyone in the channel
 * sees the case, the question and where it stands; only supervisors get the buttons that record
 * a decision or close it.
 */
export function discussionRootView(d: Discussion, c: Case, askedBy: string, today: IsoDate, calendar: WorkingCalendar, zone: string, audience: RootAudience = {}): MessageView {
  const closed = d.status === 'closed';
  const buttons = supervisorActions(d);
  const refresh = { id: ROOT_CARD_ACTION, label: 'Update', value: { discussionId: d.id }, ...(audience.supervisorChatIds ? { chatUserIds: audience.supervisorChatIds.slice(0, 60) } : {}) };
  return {
    kind: 'discussion-root',
    title: `Case discussion: ${c.key}`,
    subtitle: `${riskLevelLabels[c.riskLevel]} risk · ${discussionStatusLabels[d.status]}`,
    paragraphs: [d.question],
    facts: [
      { label: 'Case', value: c.key },
      { label: 'Risk level', value: riskLevelLabels[c.riskLevel] },
      { label: 'Home visit due', value: formatDue(c.visitDueOn, today, calendar) },
      { label: 'Assessment review due', value: formatDue(c.assessmentReviewDueOn, today, calendar) },
      ...(c.earlyReviewDueOn ? [{ label: 'Early review due', value: formatDue(c.earlyReviewDueOn, today, calendar) }] : []),
      { label: 'Asked by', value: `${askedBy}, ${formatDateTime(d.openedAt, zone)}` },
      { label: 'Status', value: discussionStatusLabels[d.status] },
      ...(closed && d.closingSummary ? [{ label: 'Outcome', value: d.closingSummary }] : []),
    ],
    ...(audience.supervisor ? { actions: buttons } : buttons.length ? { restrictedActions: buttons } : {}),
    ...(closed ? {} : { refresh }),
    shared: true,
    footer: closed
      ? 'This discussion is closed. Its replies, notes and decision are kept in the case record.'
      : 'Reply in this thread: every reply is kept in the case record. No names, addresses, dates of birth or other personal details.',
  };
}

/** The card posted into the thread when a supervisor closes the discussion. */
export function closingCardView(c: Case, closedBy: string, summary: string, at: Date, zone: string): MessageView {
  return {
    kind: 'discussion-closed',
    title: `Discussion closed: ${c.key}`,
    paragraphs: [summary],
    facts: [
      { label: 'Closed by', value: closedBy },
      { label: 'Closed', value: formatDateTime(at, zone) },
    ],
    footer: 'Replies after closing are still kept in the record.',
  };
}

/** The private note to someone whose reply was not recorded because they are not on the team. */
export function outsiderNoticeView(caseKey: string, teamName: string): MessageView {
  return {
    kind: 'discussion-outsider',
    title: 'Your reply was not recorded',
    notice: { tone: 'warning', text: `Only members of ${teamName} can take part in case discussions, so your reply in the discussion on ${caseKey} is not part of the record.` },
    paragraphs: ['If you should be on the team, ask the team admin to add you to the roster. Please delete your reply if it holds anything about the case.'],
  };
}

/** The private nudge to a member whose reply looks like it holds personal data. */
export function personalDataNudgeView(caseKey: string, kinds: readonly PersonalDataKind[]): MessageView {
  return {
    kind: 'discussion-personal-data',
    title: 'Check your reply for personal data',
    notice: { tone: 'warning', text: `Your reply in the discussion on ${caseKey} looks like it holds ${describePersonalData(kinds)}.` },
    paragraphs: [
      'Chat should carry only the case key and the question. Please edit the reply to take the detail out: the record keeps both versions, and the reply is flagged for your supervisor.',
    ],
  };
}

/** The private notice to a supervisor that a discussion opened on a case in their scope. */
export function discussionOpenedNoticeView(d: Discussion, caseKey: string, askedBy: string): MessageView {
  const link = d.rootRef?.link;
  return {
    kind: 'discussion-opened-notice',
    title: `Discussion opened: ${caseKey}`,
    paragraphs: [
      `${askedBy} asked the team about ${caseKey}. You are its supervisor: record the decision in a supervision note when it is ready.`,
      ...(link ? [] : ["It is in your team's channel."]),
    ],
    facts: [{ label: 'Question', value: d.question }],
    actions: [...(link ? [threadLinkAction(link)] : []), ...supervisorActions(d)],
  };
}

/** The button that opens a discussion's thread. */
export function threadLinkAction(link: string): ActionView {
  return { id: 'discussion.thread', label: 'Open the thread', url: link };
}
