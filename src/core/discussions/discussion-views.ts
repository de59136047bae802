/**
 * What a discussion looks like in chat: the root card in the team's channel (case key, risk level,
 * due dates, the question, who asked, status, buttons), the closing card in the thread, and the
 * private notes to people whose replies were refused or flagged. No personal data is added here.
 */
import type { IsoDate, WorkingCalendar } from '../calendar/working-calendar.ts';
import type { Case } from '../domain/entities.ts';
import { riskLevelLabels } from '../domain/vocabulary.ts';
import { formatDateTime, formatDue } from '../views/format.ts';
import type { MessageView } from '../views/message-view.ts';
import { discussionStatusLabels, type Discussion } from './discussion-ports.ts';
import { describePersonalData, type PersonalDataKind } from './personal-data.ts';

/** Interaction ids of the root card's buttons. */
export const NOTE_ACTION = 'supervision.note';
export const CLOSE_ACTION = 'discussion.close';

/** The root card of a discussion, kept current as its status changes. */
export function discussionRootView(d: Discussion, c: Case, askedBy: string, today: IsoDate, calendar: WorkingCalendar, zone: string): MessageView {
  const value = { discussionId: d.id };
  const closed = d.status === 'closed';
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
    actions: closed
      ? []
      : [
          { id: NOTE_ACTION, label: 'Add supervision note', value },
          { id: CLOSE_ACTION, label: 'Close', value, style: 'danger' },
        ],
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
