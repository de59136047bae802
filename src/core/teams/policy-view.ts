/**
 * The policy summary: a team's intervals, review windows, reminders, data choices and closure
 * days in plain words. Shown after the policy is saved, and to members who may read but not
 * change it.
 */
import type { Team } from '../domain/entities.ts';
import { riskLevelLabels, type RiskLevel } from '../domain/vocabulary.ts';
import { formatDate } from '../views/format.ts';
import type { Fact, MessageView } from '../views/message-view.ts';
import { POLICY_OPEN_ACTION } from './setup-views.ts';

const LEVELS: readonly RiskLevel[] = ['very_high', 'high', 'medium', 'low'];
const CLOSURES_LISTED = 6;

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

function closureText(closures: readonly string[]): string {
  if (closures.length === 0) return 'None (bank holidays in England and Wales are always counted)';
  const listed = closures.slice(0, CLOSURES_LISTED).map(formatDate).join(', ');
  return closures.length > CLOSURES_LISTED ? `${listed} and ${closures.length - CLOSURES_LISTED} more` : listed;
}

/** The team's policy in plain words, with an optional notice on top and, for admins, the button to change it. */
export function policySummaryView(team: Team, notice?: MessageView['notice'], options: { editable?: boolean } = {}): MessageView {
  const p = team.policy;
  const intervals: Fact[] = LEVELS.map((level) => ({
    label: `${riskLevelLabels[level]} risk`,
    value: `Visit every ${plural(p.intervals[level].visitMonths, 'month')}; review every ${plural(p.intervals[level].reviewMonths, 'month')}`,
  }));
  const stages = p.reminders.beforeWorkingDays;
  const view: MessageView = {
    kind: 'policy-summary',
    title: `${team.name}: policy`,
    subtitle: `Team ${team.key} · time zone ${team.timeZone}`,
    sections: [
      { heading: 'Visits and reviews', facts: intervals },
      {
        heading: 'Other deadlines',
        facts: [
          { label: 'Early review', value: `Within ${plural(p.earlyReviewWorkingDays.urgent, 'working day')} of an urgent change; ${plural(p.earlyReviewWorkingDays.standard, 'working day')} of a standard one` },
          { label: 'MAPPA reviews', value: `Level 2 every ${plural(p.mappaReviewWeeks.level2, 'week')}; level 3 every ${plural(p.mappaReviewWeeks.level3, 'week')}` },
          { label: 'Officer supervision', value: `Every ${plural(p.officerSupervisionWeeks, 'week')}` },
        ],
      },
      {
        heading: 'Reminders',
        facts: [
          { label: 'Before the due day', value: stages.length ? `${stages.join(' and ')} working days before` : 'None' },
          { label: 'Supervisor told', value: `When ${plural(p.reminders.escalateAtWorkingDaysOverdue, 'working day')} overdue` },
        ],
      },
      {
        heading: 'Records',
        facts: [
          { label: 'Visit amendments', value: `Within ${plural(p.visitAmendmentWindowDays, 'day')} of the visit` },
          { label: 'ARMS factor ratings', value: p.storeArmsRatings ? 'Stored (never shown in chat)' : 'Not stored' },
          { label: 'External reference format', value: p.externalRefPattern ? 'Set (references are checked against it)' : 'Any reference accepted' },
          { label: 'Closure days', value: closureText(team.closures) },
        ],
      },
    ],
  };
  if (notice) view.notice = notice;
  if (options.editable) view.actions = [{ id: POLICY_OPEN_ACTION, label: 'Edit policy', style: 'primary' }];
  return view;
}
