/**
 * Moving a member's active cases to someone else: the rules (same team, an active officer to lead,
 * an active supervisor to supervise, never the same person), the move itself with one audit row
 * per case, and a private notice to whoever received them, sent after commit. Used by the roster's
 * leaver flow in chat and by `casework reassign cases`.
 */
import type { Member, Team } from '../domain/entities.ts';
import type { Effects } from '../effects/effect.ts';
import { DomainError } from '../errors.ts';
import type { AuditActor, Repositories } from '../ports.ts';
import type { MessageView } from '../views/message-view.ts';
import type { CaseHold, CasesMoved } from './reassignment-ports.ts';

/** The role a person needs to take a hold. */
export const HOLD_ROLE = { lead: 'officer', supervisor: 'supervisor' } as const satisfies Record<CaseHold, 'officer' | 'supervisor'>;

/** What the audit row calls the field that changed. */
const HOLD_FIELD: Record<CaseHold, 'leadOfficerId' | 'supervisorId'> = { lead: 'leadOfficerId', supervisor: 'supervisorId' };

/** Case keys named in a notice before "and N more". */
export const KEYS_NAMED = 10;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

/** '90 cases' */
export function casesText(n: number): string {
  return plural(n, 'case');
}

/** Why `to` cannot take `from`'s cases as `hold`, or undefined when they can. */
export function moveProblem(team: Team, hold: CaseHold, from: Member, to: Member): string | undefined {
  if (to.id === from.id) return `${to.displayName} already ${hold === 'lead' ? 'leads' : 'supervises'} these cases: choose someone else.`;
  if (to.teamId !== team.id) return `${to.displayName} is not on the ${team.name} roster.`;
  if (!to.active) return `${to.displayName} has left the ${team.name} roster.`;
  if (!to.roles.includes(HOLD_ROLE[hold])) {
    return `${to.displayName} is not ${hold === 'lead' ? 'an officer' : 'a supervisor'} on ${team.name}: only ${hold === 'lead' ? 'officers lead' : 'supervisors supervise'} cases.`;
  }
  return undefined;
}

/** The private notice to the person who received cases. */
export function casesReceivedView(team: Team, hold: CaseHold, from: Member, moved: CasesMoved): MessageView {
  const n = moved.cases.length;
  const keys = moved.cases.slice(0, KEYS_NAMED).map((c) => c.key);
  const more = n > keys.length ? ` and ${plural(n - keys.length, 'more')}` : '';
  const verb = hold === 'lead' ? 'lead' : 'supervise';
  return {
    kind: 'cases-received',
    title: `${casesText(n)} moved to you`,
    subtitle: team.name,
    notice: { tone: 'info', text: `You now ${verb} ${casesText(n)} that ${from.displayName} ${hold === 'lead' ? 'led' : 'supervised'}.` },
    paragraphs: [
      `${keys.join(', ')}${more}.`,
      hold === 'lead'
        ? `Their open due dates and reminders are yours from now on. Send cases to Casework to see them, most urgent first.`
        : `Escalations and discussions on them come to you from now on. Send cases to Casework to see the team's cases.`,
    ],
  };
}

/**
 * Moves `from`'s active cases held as `hold` (only `caseIds` when given) to `to`, in the caller's
 * transaction: one audit row per case with who, from and to, and a private notice to `to` after
 * commit (not when `to` is the person acting). Refuses a move the rules do not allow.
 */
export async function moveCases(
  repos: Repositories,
  effects: Effects,
  input: { team: Team; actor: AuditActor; hold: CaseHold; from: Member; to: Member; caseIds?: readonly string[]; reason: string },
): Promise<CasesMoved> {
  const { team, hold, from, to } = input;
  const problem = moveProblem(team, hold, from, to);
  if (problem) throw new DomainError('invalid_input', problem);
  if (from.teamId !== team.id) throw new DomainError('member_not_found', `${from.displayName} is not on the ${team.name} roster.`);
  const moved = await repos.reassignment.move(team.id, { hold, fromId: from.id, toId: to.id, ...(input.caseIds ? { caseIds: input.caseIds } : {}) });
  if (moved.cases.length === 0) return moved;
  const field = HOLD_FIELD[hold];
  await repos.audit.recordMany(
    moved.cases.map((c) => ({
      actor: input.actor,
      entry: { action: 'case.reassigned', entityType: 'case', entityId: c.id, caseId: c.id, before: { [field]: from.id }, after: { [field]: to.id }, reason: input.reason },
    })),
  );
  if (to.id !== input.actor.memberId) {
    effects.add({ kind: 'person', memberId: to.id, content: { view: casesReceivedView(team, hold, from, moved) } });
  }
  // Their deadlines changed: a home surface that lists them (Slack's App Home) is drawn again.
  if (hold === 'lead') effects.add({ kind: 'home', memberId: to.id });
  return moved;
}
