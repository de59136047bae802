/**
 * The case card: what chat may show about a case — its key, risk level, people, and due dates —
 * and never a name, an external reference, or any ARMS rating.
 */
import type { IsoDate, WorkingCalendar } from '../calendar/working-calendar.ts';
import type { Case, Member } from '../domain/entities.ts';
import { managementModeLabels, riskLevelLabels } from '../domain/vocabulary.ts';
import { formatDate, formatDue } from '../views/format.ts';
import type { ActionView, MessageView } from '../views/message-view.ts';

/** Names of the people on a case, looked up by the caller. */
export type MemberNames = ReadonlyMap<string, Pick<Member, 'displayName'>>;

/** Buttons the card offers, chosen by the caller from what the viewer may do. */
export interface CaseCardOptions {
  actions: ActionView[];
  notice?: MessageView['notice'];
}

function name(members: MemberNames, id: string | null): string {
  if (!id) return 'Not assigned';
  return members.get(id)?.displayName ?? 'Former member';
}

/** Describes MAPPA management in a few words. */
export function mappaText(c: Pick<Case, 'mappaCategory' | 'mappaLevel'>): string {
  if (!c.mappaCategory && !c.mappaLevel) return 'Not recorded';
  const parts = [];
  if (c.mappaCategory) parts.push(`category ${c.mappaCategory}`);
  if (c.mappaLevel) parts.push(`level ${c.mappaLevel}`);
  const text = parts.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Builds the case card for a viewer. */
export function caseCardView(c: Case, members: MemberNames, today: IsoDate, calendar: WorkingCalendar, options: CaseCardOptions): MessageView {
  const reactive = c.managementMode === 'reactive';
  const view: MessageView = {
    kind: 'case-card',
    title: `Case ${c.key}`,
    subtitle: `${riskLevelLabels[c.riskLevel]} risk · ${managementModeLabels[c.managementMode]}${c.status === 'closed' ? ' · closed' : ''}${c.isDemo ? ' · DEMO DATA' : ''}`,
    facts: [
      { label: 'Risk level', value: riskLevelLabels[c.riskLevel] },
      { label: 'Lead officer', value: name(members, c.leadOfficerId) },
      { label: 'Co-workers', value: c.coworkerIds.length ? c.coworkerIds.map((id) => name(members, id)).join(', ') : 'None' },
      { label: 'Supervisor', value: name(members, c.supervisorId) },
      { label: 'MAPPA', value: mappaText(c) },
      { label: 'Last assessment', value: c.lastAssessmentOn ? formatDate(c.lastAssessmentOn) : 'None recorded' },
      { label: 'Last home visit', value: c.lastVisitOn ? formatDate(c.lastVisitOn) : 'None recorded' },
    ],
    sections: [
      {
        heading: 'Due dates',
        facts: [
          { label: 'Home visit', value: formatDue(c.visitDueOn, today, calendar, reactive ? 'No routine visit (reactive management)' : 'Not scheduled') },
          { label: 'Assessment review', value: formatDue(c.assessmentReviewDueOn, today, calendar, reactive ? 'On a trigger only (reactive management)' : 'Not scheduled') },
          ...(c.earlyReviewDueOn ? [{ label: 'Early review (significant change)', value: formatDue(c.earlyReviewDueOn, today, calendar) }] : []),
          ...(c.mappaReviewDueOn ? [{ label: 'MAPPA review', value: formatDue(c.mappaReviewDueOn, today, calendar) }] : []),
        ],
      },
    ],
    actions: options.actions,
    footer: 'Opening a case is recorded in the audit trail.',
  };
  if (options.notice) view.notice = options.notice;
  return view;
}
