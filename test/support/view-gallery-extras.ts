/**
 * Examples of the kinds of message the gallery's conversations do not reach (a refusal, notices
 * to admins and supervisors, Slack's own prompt), made by their own view functions. A kind is
 * only taken from here when the conversations found none, so the real ones win.
 */
import { openFormPrompt } from '../../src/adapters/slack/slack-app.ts';
import type { Case, Member, Team } from '../../src/core/domain/entities.ts';
import { closingCardView, outsiderNoticeView, personalDataNudgeView } from '../../src/core/discussions/discussion-views.ts';
import { DomainError } from '../../src/core/errors.ts';
import { defaultPolicy } from '../../src/core/policy/policy.ts';
import { undeliverableNoticeView } from '../../src/core/reminders/reminder-views.ts';
import { memberSavedView, removeConfirmView } from '../../src/core/teams/roster-views.ts';
import { welcomeView as teamWelcomeView } from '../../src/core/teams/setup-views.ts';
import { domainErrorView } from '../../src/core/views/error-view.ts';
import type { MessageView } from '../../src/core/views/message-view.ts';
import type { ViewKind } from '../../src/core/views/view-kinds.ts';
import { urgentChangeNotice } from '../../src/core/visits/visit-views.ts';
import { confirmSignView } from '../../src/core/supervision/note-commands.ts';
import { downloadLinkView } from '../../src/core/supervision/record-commands.ts';
import type { Discussion, SupervisionNote } from '../../src/core/discussions/discussion-ports.ts';
import { casesReceivedView } from '../../src/core/teams/case-moves.ts';
import { leaverDoneView, leaverQuestionView } from '../../src/core/teams/leaver-views.ts';

const team: Team = { id: 't', key: 'TEAM1', name: 'North MOSOVO', timeZone: 'Europe/London', policy: defaultPolicy(), closures: [], channel: null, isDemo: false };
const member = (id: string, name: string, roles: Member['roles']): Member => ({ id, teamId: 't', displayName: name, roles, supervisorMemberId: null, reminderTime: '08:30', timeZone: null, active: true, undeliverable: false });
const olivia = member('m1', 'Olivia Officer', ['officer']);
const sam = member('m2', 'Sam Supervisor', ['officer', 'supervisor']);
const aCase: Case = {
  id: 'c', teamId: 't', key: 'CW-7K3P', externalRef: null, riskLevel: 'high', managementMode: 'active', leadOfficerId: 'm1', supervisorId: 'm2', coworkerIds: [],
  mappaCategory: 1, mappaLevel: 2, lastAssessmentOn: '2026-10-01', lastVisitOn: '2026-11-02', lastMappaReviewOn: null, planVisitIntervalMonths: null, planReviewIntervalMonths: null,
  visitDueOn: '2027-02-02', assessmentReviewDueOn: '2027-04-01', earlyReviewDueOn: '2026-12-01', mappaReviewDueOn: '2027-02-19', status: 'active', isDemo: false, createdOn: '2026-01-05',
};

/** One example of each kind the conversations may miss. */
export function galleryExtras(): Partial<Record<ViewKind, MessageView>> {
  return {
    error: domainErrorView(new DomainError('not_authorised', 'Only team admins can change the roster.')),
    'open-form': openFormPrompt('visit CW-7K3P'),
    'team-welcome': teamWelcomeView(team, member('m3', 'Ada Admin', ['admin']), '/casework '),
    'roster-member-saved': memberSavedView(team, olivia, new Map([[sam.id, sam]]), 'added', '/casework '),
    'roster-remove-confirm': removeConfirmView(olivia, 3),
    'visit-urgent-change': urgentChangeNotice('CW-7K3P', '2026-11-27', 'Olivia Officer', '2026-12-01'),
    'discussion-outsider': outsiderNoticeView('CW-7K3P', 'North MOSOVO'),
    'discussion-personal-data': personalDataNudgeView('CW-7K3P', ['phone', 'date_of_birth']),
    'discussion-closed': closingCardView(aCase, 'Sam Supervisor', 'Joint visit agreed with probation.', new Date('2026-11-30T10:00:00Z'), 'Europe/London'),
    'discussion-closed-confirmation': {
      kind: 'discussion-closed-confirmation',
      title: 'Discussion on CW-7K3P closed',
      notice: { tone: 'info', text: 'The closing card goes into the thread, and the record keeps the whole discussion.' },
      facts: [
        { label: 'Outcome', value: 'Joint visit agreed with probation.' },
        { label: 'Asked by', value: 'Olivia Officer' },
      ],
    },
    'supervision-session': {
      kind: 'supervision-session',
      title: 'Supervision recorded: Olivia Officer',
      notice: { tone: 'info', text: 'Saved. Wellbeing notes are kept privately for the officer and their supervisors.' },
      facts: [
        { label: 'Date', value: 'Fri 27 Nov 2026' },
        { label: 'Cases reviewed', value: '3' },
        { label: 'Actions', value: '1' },
        { label: 'Next session', value: 'Mon 4 Jan 2027' },
      ],
    },
    'reminder-done': { kind: 'reminder-done', title: 'Record the session', paragraphs: ['Record the supervision session with: supervision (then choose the officer). The reminder closes once the session is recorded.'] },
    'reminder-snoozed': { kind: 'reminder-snoozed', title: 'Snoozed', paragraphs: ['You will be reminded again on Fri 4 Dec 2026.'] },
    'reminder-undeliverable': undeliverableNoticeView('Olivia Officer', 'account_inactive'),
    'supervision-sign-confirm': confirmSignView(
      { id: 'd1' } as Discussion,
      aCase,
      { id: 'n1', addendumToNoteId: null, decision: 'Joint visit with probation this week.', rationale: 'Probation hold the licence conditions.', nextReviewOn: '2027-01-15' } as SupervisionNote,
      [{ id: 'a1', noteId: 'n1', ownerMemberId: 'm1', dueOn: '2026-12-04', description: 'Arrange the joint visit', doneAt: null, doneBy: null } as never],
      (id) => (id === 'm1' ? 'Olivia Officer' : 'Unknown'),
    ),
    'case-record-link': downloadLinkView(aCase, { sha256: 'a'.repeat(64) } as never, 'http://127.0.0.1:3978/records/0123456789abcdef', new Date('2026-11-30T10:10:00Z'), 'Europe/London'),
    'roster-leaver': leaverQuestionView(olivia, { leads: 90, supervises: 0 }),
    'roster-leaver-done': leaverDoneView(olivia, ['Moved 90 cases to Oscar Officer.'], true),
    'cases-received': casesReceivedView(team, 'lead', olivia, { cases: Array.from({ length: 90 }, (_, i) => ({ id: `c${i}`, key: `CW-${String(1000 + i)}` })), deadlines: 180, reminders: 12 } as never),
  };
}
