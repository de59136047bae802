// Oversight views at the size of a 1,000-case team (25 officers with long names, every list full):
// every page fits Slack's 50 blocks and 3000-character sections and a Teams card's 28 KB, parses
// with the official Adaptive Cards parser, and no renderer has to cut anything. Plus the ranking
// of what the weekly digest raises.
import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../../src/core/calendar/working-calendar.ts';
import type { Member, Team } from '../../../src/core/domain/entities.ts';
import { attentionPoints, oversightDigestView, type OfficerWeek } from '../../../src/core/oversight/oversight-digest.ts';
import { emptyOfficerCounts, zeroCounts, type OfficerFigures } from '../../../src/core/oversight/oversight-figures.ts';
import type { ListedDeadline, OfficerCounts } from '../../../src/core/oversight/oversight-ports.ts';
import type { OversightReport } from '../../../src/core/oversight/oversight-report.ts';
import { reportMessageView } from '../../../src/core/oversight/oversight-report-delivery.ts';
import { listView, officerView, overviewView } from '../../../src/core/oversight/oversight-views.ts';
import { defaultPolicy } from '../../../src/core/policy/policy.ts';
import { pageOf } from '../../../src/core/views/list-page.ts';
import type { MessageView } from '../../../src/core/views/message-view.ts';
import { renderMessageCard } from '../../../src/renderers/adaptive-cards/message-card.ts';
import { BLOCK_KIT_LIMITS, renderMessageBlocks } from '../../../src/renderers/block-kit/message-blocks.ts';
import { adaptiveCardProblems } from '../../support/adaptive-card-validation.ts';

const TODAY = '2026-11-30';
const calendar = createWorkingCalendar();
const team: Team = { id: 't', key: 'T1', name: 'Metropolitan MOSOVO North and East Command Unit', timeZone: 'Europe/London', policy: defaultPolicy(), closures: [], channel: null, isDemo: false };

function officer(i: number): Member {
  return { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, teamId: 't', displayName: `Detective Constable Alexandra Montgomery-Fitzwilliam ${i}`, roles: ['officer'], supervisorMemberId: 'sup', reminderTime: '08:30', timeZone: null, active: true, undeliverable: false };
}

/** Forty cases an officer and plenty overdue: the widest numbers a line can carry. */
function busy(id: string): OfficerCounts {
  return {
    ...emptyOfficerCounts(id),
    openCases: 40,
    risk: { very_high: 2, high: 8, medium: 12, low: 18 },
    coveredCases: 31,
    openDeadlines: 163,
    overdueVisits: 12,
    overdueReviews: 9,
    overdueMappa: 3,
    overdueActions: 4,
    overdueAll: 28,
    overdueUrgent: 2,
    dueSoon: 17,
    actionsOpen: 11,
    seenVisits: 123,
    strengthVisits: 45,
    lastSupervisionOn: '2026-09-01',
    nextSupervisionOn: '2026-09-29',
  };
}

const officers: OfficerFigures[] = Array.from({ length: 25 }, (_, i) => ({ officer: officer(i + 1), counts: busy(officer(i + 1).id) }));
const teamCounts = { ...zeroCounts(), openCases: 1000, risk: { very_high: 50, high: 200, medium: 300, low: 450 }, openDeadlines: 4075, overdueAll: 700, overdueVisits: 300, seenVisits: 3075, strengthVisits: 1125, coveredCases: 775 };
const lists = { awaitingDecision: 37, withoutSupervisor: 12, withoutDeadline: 48, mappaDue: 25 };
const deadline = (i: number): ListedDeadline => ({ deadlineId: `d${i}`, kind: i % 2 ? 'mappa_review' : 'early_review', caseId: `c${i}`, caseKey: `CW-ABCD${i % 10}`, dueOn: '2026-10-01', urgent: true, ownerName: officer(i).displayName, mappaLevel: 3 });

function expectFits(view: MessageView): void {
  const slack = renderMessageBlocks(view);
  expect(slack.truncated, view.kind).toBe(false);
  expect(slack.blocks.length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.blocksPerMessage);
  for (const block of slack.blocks) {
    const text = (block.text as { text?: string } | undefined)?.text ?? '';
    expect(text.length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.sectionText);
    for (const field of (block.fields as { text: string }[] | undefined) ?? []) expect(field.text.length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.fieldText);
  }
  // Slack refuses a block whose buttons share an action_id.
  for (const block of slack.blocks.filter((b) => b.type === 'actions')) {
    const ids = (block.elements as { action_id: string }[]).map((e) => e.action_id);
    expect(new Set(ids).size).toBe(ids.length);
  }
  const card = renderMessageCard(view);
  expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(28 * 1024);
  expect(adaptiveCardProblems(card)).toEqual([]);
}

describe('oversight views at 1,000 cases', () => {
  it('every page of the overview fits both platforms', () => {
    const pages = pageOf(officers, 1).pages;
    expect(pages).toBe(3);
    for (let page = 1; page <= pages; page += 1) expectFits(overviewView({ teamName: team.name, today: TODAY, team: teamCounts, officers: pageOf(officers, page), lists }));
  });

  it("an officer's page and every list page fit both platforms", () => {
    const overdue = Array.from({ length: 10 }, (_, i) => deadline(i));
    expectFits(officerView({ officer: officer(1), counts: busy(officer(1).id), today: TODAY, calendar, overdue: { items: overdue, page: 2, pages: 3, total: 28 }, withoutStrengths: Array.from({ length: 40 }, (_, i) => ({ caseId: `c${i}`, caseKey: `CW-QQQQ${i % 10}`, leadOfficerId: null })), teamView: true }));
    expectFits(listView({ list: 'mappa', teamName: team.name, today: TODAY, calendar, timeZone: team.timeZone, page: { items: overdue, page: 1, pages: 3, total: 25 } }));
    const cases = Array.from({ length: 10 }, (_, i) => ({ caseId: `c${i}`, caseKey: `CW-WXYZ${i}`, riskLevel: 'very_high' as const, managementMode: 'reactive', leadOfficerName: officer(i).displayName }));
    expectFits(listView({ list: 'no-deadline', teamName: team.name, today: TODAY, calendar, timeZone: team.timeZone, page: { items: cases, page: 1, pages: 5, total: 48 } }));
    const discussions = Array.from({ length: 10 }, (_, i) => ({ discussionId: `x${i}`, caseId: `c${i}`, caseKey: `CW-WXYZ${i}`, status: 'awaiting_decision' as const, openedAt: new Date('2026-11-02T10:00:00Z'), leadOfficerName: officer(i).displayName, link: `https://example.invalid/thread/${'x'.repeat(200)}` }));
    expectFits(listView({ list: 'discussions', teamName: team.name, today: TODAY, calendar, timeZone: team.timeZone, page: { items: discussions, page: 1, pages: 4, total: 37 } }));
  });

  it("the weekly digest and the report's message fit both platforms", () => {
    const weeks: OfficerWeek[] = officers.map((o) => ({ officer: o.officer, now: o.counts, before: { ...o.counts, overdueAll: 20 } }));
    const points = attentionPoints({ team: teamCounts, lists, officers: weeks, today: TODAY, supervisionWeeks: 4 });
    const digest = oversightDigestView({ team, today: TODAY, now: teamCounts, before: zeroCounts(), lists, officers: weeks, wholeTeam: false, points });
    expectFits(digest);
    expect(JSON.stringify(digest)).toContain('and 15 more officers');
    const row = (o: OfficerFigures) => ({ officer: o.officer.displayName, counts: o.counts, lastSupervisionOn: null, nextSupervisionOn: null });
    const report: OversightReport = { teamName: team.name, teamKey: team.key, from: '2026-09-01', to: TODAY, generatedAt: new Date(), timeZone: team.timeZone, officers: officers.map(row), team: { ...row(officers[0]!), officer: 'Whole team', counts: teamCounts }, weeks: [] };
    expectFits(reportMessageView(report));
  });
});

describe('what the weekly digest raises', () => {
  const week = (i: number, now: Partial<OfficerCounts>, before: Partial<OfficerCounts> = {}): OfficerWeek => ({
    officer: { ...officer(i), displayName: `Officer ${i}` },
    now: { ...emptyOfficerCounts(officer(i).id), lastSupervisionOn: '2026-11-16', nextSupervisionOn: '2026-12-14', ...now },
    before: { ...emptyOfficerCounts(officer(i).id), ...before },
  });
  const none = { awaitingDecision: 0, withoutSupervisor: 0, withoutDeadline: 0, mappaDue: 0 };

  it('puts urgent reviews and MAPPA first, then overdue supervision, then the officer whose overdue work grew most', () => {
    const points = attentionPoints({
      team: { ...zeroCounts(), overdueUrgent: 1, overdueMappa: 2 },
      lists: { ...none, awaitingDecision: 3 },
      officers: [week(1, { overdueAll: 2 }, { overdueAll: 2 }), week(2, { overdueAll: 5 }, { overdueAll: 1 }), week(3, { lastSupervisionOn: '2026-09-01', nextSupervisionOn: '2026-09-29' })],
      today: TODAY,
      supervisionWeeks: 4,
    });
    expect(points.map((p) => p.text)).toEqual([
      '1 urgent early review is overdue after a reported change.',
      '2 MAPPA reviews are overdue.',
      "Officer 3's one-to-one supervision was due on Tue 29 Sep 2026; the last was Tue 1 Sep 2026.",
    ]);
    const calmer = attentionPoints({ team: zeroCounts(), lists: { ...none, awaitingDecision: 3 }, officers: [week(1, { overdueAll: 2 }, { overdueAll: 2 }), week(2, { overdueAll: 5 }, { overdueAll: 1 })], today: TODAY, supervisionWeeks: 4 });
    expect(calmer.map((p) => p.text)).toEqual(['Officer 2 has 5 overdue deadlines, 4 more than a week ago.', 'Officer 1 has 2 overdue deadlines.', '3 discussions await a decision.']);
    expect(calmer[0]!.action).toMatchObject({ id: 'oversight.officer', value: { officerId: officer(2).id } });
  });

  it('raises strengths rarely noted only with enough visits to judge, and says when nothing stands out', () => {
    const low = attentionPoints({ team: zeroCounts(), lists: none, officers: [week(1, { seenVisits: 5, strengthVisits: 1 }), week(2, { seenVisits: 2, strengthVisits: 0 })], today: TODAY, supervisionWeeks: 4 });
    expect(low.map((p) => p.text)).toEqual(["Strengths were noted in 20% of Officer 1's visits in the last 90 days."]);
    const quiet = oversightDigestView({ team, today: TODAY, now: zeroCounts(), before: zeroCounts(), lists: none, officers: [week(1, {})], wholeTeam: true, points: [] });
    expect(JSON.stringify(quiet)).toContain('Nothing stands out');
  });
});
