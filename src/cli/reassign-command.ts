/**
 * `casework reassign cases --team TEAM --from PERSON --to PERSON [--supervised] [--dry-run] [--reason TEXT]`:
 * moves every active case one person leads (or, with --supervised, supervises) on a team to
 * another, as the roster's leaver flow does in chat: set-based writes whatever the caseload, the
 * cases' open due dates and pending reminders with them, one audit row per case, and a private
 * notice to the new holder written to the outbox in the same transaction (sent after commit by
 * the running bot). PERSON is a member id, an email on the roster, or a display name as on the roster.
 */
import { parseArgs } from 'node:util';
import { systemClock } from '../core/clock.ts';
import type { Member, Team } from '../core/domain/entities.ts';
import { DomainError } from '../core/errors.ts';
import type { Repositories } from '../core/ports.ts';
import { casesText, KEYS_NAMED, moveCases, moveProblem } from '../core/teams/case-moves.ts';
import type { CaseHold } from '../core/teams/reassignment-ports.ts';
import { inTransaction } from '../core/unit-of-work.ts';
import { createKyselyStore, reposFor } from '../db/kysely-store.ts';
import { withDatabase } from './cli-context.ts';
import { cliActor, guarded, UsageError, writeStdout } from './cli-io.ts';
import { resolveTeam } from './team-commands.ts';

const USAGE = 'casework reassign cases --team TEAM --from PERSON --to PERSON [--supervised] [--dry-run] [--reason TEXT]';
const MEMBER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFAULT_REASON = 'Reassigned from the command line';
const MAX_REASON_LENGTH = 500;

function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A member's work email, lower-cased, where the roster has one (people imported from a file). */
function emailOf(member: Member): string | undefined {
  const email = (member as Member & { email?: string | null }).email;
  return email ? email.trim().toLowerCase() : undefined;
}

/** Finds PERSON on the team by member id, email or display name; says clearly why not (another team, ambiguous, unknown). */
export async function resolvePerson(repos: Repositories, team: Team, value: string, option: string): Promise<Member> {
  const wanted = value.trim();
  if (wanted === '') throw new UsageError(`Say who with ${option}: a name or email as on the roster, or a member id.`);
  if (MEMBER_ID.test(wanted)) {
    const member = await repos.members.findById(wanted.toLowerCase());
    if (member && member.teamId === team.id) return member;
    if (member) throw new DomainError('invalid_input', `${option} ${wanted}: ${member.displayName} is on another team, not ${team.name} (${team.key}).`);
    throw new DomainError('member_not_found', `${option} ${wanted}: nobody has that member id.`);
  }
  const matches = (m: Member) => (wanted.includes('@') ? emailOf(m) === wanted.toLowerCase() : nameKey(m.displayName) === nameKey(wanted));
  const roster = await repos.members.listByTeam(team.id, { includeInactive: true });
  const named = roster.filter(matches);
  const active = named.filter((m) => m.active);
  const pick = named.length === 1 ? named[0] : active.length === 1 ? active[0] : undefined;
  if (pick) return pick;
  if (named.length > 1) throw new DomainError('invalid_input', `${option} "${wanted}" matches more than one person on ${team.name}; use their member id.`);
  for (const elsewhere of await repos.teams.list()) {
    if (elsewhere.id === team.id) continue;
    const there = (await repos.members.listByTeam(elsewhere.id)).find(matches);
    if (there) throw new DomainError('invalid_input', `${option} "${wanted}" is on ${elsewhere.name} (${elsewhere.key}), not ${team.name} (${team.key}).`);
  }
  throw new DomainError('member_not_found', `${option} "${wanted}" is not on the ${team.name} roster.`);
}

function keysLine(keys: readonly string[], total: number): string {
  const shown = keys.slice(0, KEYS_NAMED);
  return `${shown.join(', ')}${total > shown.length ? ` and ${(total - shown.length).toLocaleString('en-GB')} more` : ''}`;
}

/** `reassign cases …`. */
export function reassignCommand(args: string[]): Promise<number> {
  return guarded(USAGE, async () => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        team: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        supervised: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        reason: { type: 'string' },
      },
    });
    if (positionals[0] !== 'cases' || positionals.length > 1) throw new UsageError(positionals[0] ? `Unknown reassign command "${positionals.join(' ')}".` : 'What to reassign? Only "cases" for now.');
    if (!values.team) throw new UsageError('Say which team with --team.');
    if (!values.from) throw new UsageError('Say whose cases with --from.');
    if (!values.to) throw new UsageError('Say who takes them with --to.');
    const reason = values.reason?.trim() || DEFAULT_REASON;
    if (reason.length > MAX_REASON_LENGTH) throw new UsageError(`Keep --reason to ${MAX_REASON_LENGTH} characters.`);
    const hold: CaseHold = values.supervised ? 'supervisor' : 'lead';
    const verb = hold === 'lead' ? 'led' : 'supervised';

    return withDatabase(async (database) => {
      const reads = reposFor(database.db);
      const team = await resolveTeam(reads, values.team!);
      const from = await resolvePerson(reads, team, values.from!, '--from');
      const to = await resolvePerson(reads, team, values.to!, '--to');
      const problem = moveProblem(team, hold, from, to);
      if (problem) throw new DomainError('invalid_input', problem);

      if (values['dry-run']) {
        const page = await reads.reassignment.list(team.id, from.id, hold, { limit: KEYS_NAMED });
        if (page.total === 0) {
          await writeStdout(`${from.displayName} has no active cases ${verb} by them on ${team.name}. Nothing would change.\n`);
          return 0;
        }
        await writeStdout(
          `Dry run: would move ${casesText(page.total)} ${verb} by ${from.displayName} to ${to.displayName} on ${team.name} (${team.key}): ${keysLine(
            page.items.map((c) => c.key),
            page.total,
          )}.\nNothing was changed.\n`,
        );
        return 0;
      }

      const services = { store: createKyselyStore(database.db), clock: systemClock };
      const moved = await inTransaction(services, team.id, (repos, effects) => moveCases(repos, effects, { team, actor: cliActor(team.id), hold, from, to, reason }));
      if (moved.cases.length === 0) {
        await writeStdout(`${from.displayName} has no active cases ${verb} by them on ${team.name}. Nothing changed.\n`);
        return 0;
      }
      const lines = [
        `Moved ${casesText(moved.cases.length)} ${verb} by ${from.displayName} to ${to.displayName} on ${team.name} (${team.key}): ${keysLine(
          moved.cases.map((c) => c.key),
          moved.cases.length,
        )}.`,
      ];
      if (hold === 'lead') lines.push(`${moved.deadlines.toLocaleString('en-GB')} open due dates and ${moved.reminders.toLocaleString('en-GB')} pending reminders went with them.`);
      lines.push(`Each move is in the audit trail (case.reassigned). ${to.displayName} is told privately by Casework once the bot is running.`);
      await writeStdout(`${lines.join('\n')}\n`);
      return 0;
    });
  });
}
