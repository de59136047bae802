/**
 * The strengths evidence the officer-supervision form puts in front of the supervisor: each
 * officer's protective-factor share of their visits in the last 90 days, and the cases whose last
 * two visits where the person was seen noted no strength (docs/oversight.md), so the
 * strengths-based conversation ARMS asks for starts from the record.
 */
import type { IsoDate } from '../calendar/working-calendar.ts';
import type { Member, Team } from '../domain/entities.ts';
import { figureBounds, protectivePct, PROTECTIVE_WINDOW_DAYS } from '../oversight/oversight-figures.ts';
import type { CaseWithoutStrengths, OfficerCounts } from '../oversight/oversight-ports.ts';
import { keysLine } from '../oversight/oversight-views.ts';
import type { Repositories } from '../ports.ts';

/** The team's strengths evidence as of a day. */
export interface StrengthsEvidence {
  byOfficer: Map<string, OfficerCounts>;
  withoutStrengths: CaseWithoutStrengths[];
}

/** The most officers the form's introduction names when no officer is chosen yet. */
const OFFICERS_NAMED = 12;

/** Counts the evidence in the database. */
export async function strengthsEvidence(repos: Repositories, team: Team, today: IsoDate): Promise<StrengthsEvidence> {
  const counts = await repos.oversight.counts(team.id, figureBounds(team, today));
  return { byOfficer: counts.byMember, withoutStrengths: await repos.oversight.casesWithoutStrengths(team.id) };
}

function share(counts: OfficerCounts | undefined): string {
  const pct = counts ? protectivePct(counts) : null;
  return pct === null || !counts ? 'no visits where the person was seen' : `${pct}% (${counts.strengthVisits} of ${plural(counts.seenVisits, 'visit')})`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The form's sentences about strengths: for the chosen officer, or a line per officer. */
export function strengthsIntro(evidence: StrengthsEvidence, officers: readonly Member[], officer: Member | undefined): string {
  const casesOf = (m: Member) => evidence.withoutStrengths.filter((c) => c.leadOfficerId === m.id);
  if (officer) {
    const cases = casesOf(officer);
    const counts = evidence.byOfficer.get(officer.id);
    const pct = counts ? protectivePct(counts) : null;
    return [
      pct === null || !counts
        ? `Strengths: ${officer.displayName} has no visits where the person was seen in the last ${PROTECTIVE_WINDOW_DAYS} days.`
        : `Strengths: protective factors were noted in ${pct}% of ${officer.displayName}'s visits in the last ${PROTECTIVE_WINDOW_DAYS} days (${counts.strengthVisits} of ${counts.seenVisits}).`,
      cases.length ? `No strengths noted in the last two visits: ${keysLine(cases.map((c) => c.caseKey))}.` : 'Every case with two visits has a strength noted in one of its last two.',
    ].join(' ');
  }
  const lines = officers.slice(0, OFFICERS_NAMED).map((m) => `${m.displayName} ${share(evidence.byOfficer.get(m.id))}, ${plural(casesOf(m).length, 'case')} with none in the last two visits`);
  if (officers.length > OFFICERS_NAMED) lines.push(`and ${officers.length - OFFICERS_NAMED} more (name the officer to see theirs)`);
  return lines.length ? `Strengths noted in the last ${PROTECTIVE_WINDOW_DAYS} days: ${lines.join('; ')}.` : '';
}
