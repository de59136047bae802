/**
 * `casework team create NAME [--timezone ZONE]` and `casework teams`: scripted team set-up, and
 * the lookup every operator command uses to turn `--team KEY|NAME` into a team.
 */
import { parseArgs } from 'node:util';
import { IANAZone } from 'luxon';
import { allocateTeamKey } from '../core/teams/team-key.ts';
import type { Team } from '../core/domain/entities.ts';
import { DomainError } from '../core/errors.ts';
import { defaultPolicy } from '../core/policy/policy.ts';
import type { Repositories } from '../core/ports.ts';
import { createKyselyStore, reposFor } from '../db/kysely-store.ts';
import { withDatabase } from './cli-context.ts';
import { cliActor, formatTable, guarded, UsageError, writeStderr, writeStdout } from './cli-io.ts';

const CREATE_USAGE = 'casework team create NAME [--timezone Europe/London]';
const TEAMS_USAGE = 'casework teams';
const MAX_NAME_LENGTH = 100;

/**
 * Finds a team by key (exact, then upper-cased), else by name ignoring case. An unknown or
 * ambiguous value is a `team_not_found` / `conflict` DomainError that says what to do.
 */
export async function resolveTeam(repos: Repositories, keyOrName: string): Promise<Team> {
  const wanted = keyOrName.trim();
  const byKey = (await repos.teams.findByKey(wanted)) ?? (await repos.teams.findByKey(wanted.toUpperCase()));
  if (byKey) return byKey;
  const named = await repos.teams.findByName(wanted);
  if (named.length === 1 && named[0]) return named[0];
  if (named.length > 1) {
    throw new DomainError('conflict', `More than one team is called "${wanted}": use its key (${named.map((t) => t.key).join(', ')}).`);
  }
  throw new DomainError('team_not_found', `No team has the key or name "${wanted}". Run casework teams to list them.`);
}

/** `team create NAME [--timezone ZONE]`: creates an empty team and prints its key on stdout. */
export function teamCommand(args: string[]): Promise<number> {
  return guarded(CREATE_USAGE, async () => {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { timezone: { type: 'string' } } });
    const [sub, ...nameParts] = positionals;
    if (sub !== 'create') throw new UsageError(sub ? `Unknown team command "${sub}".` : 'Which team command?');
    const name = nameParts.join(' ').trim();
    if (name === '') throw new UsageError('Give the team a name.');
    if (name.length > MAX_NAME_LENGTH) throw new UsageError(`Keep the team name to ${MAX_NAME_LENGTH} characters.`);
    const timeZone = values.timezone?.trim() || 'Europe/London';
    if (!IANAZone.isValidZone(timeZone)) throw new UsageError(`"${timeZone}" is not a time zone. Use an IANA name such as Europe/London.`);
    return withDatabase(async (database) => {
      const team = await createKyselyStore(database.db).transaction(async (repos) => {
        const clash = await repos.teams.findByName(name);
        if (clash.length > 0) throw new DomainError('conflict', `A team called "${name}" already exists (key ${clash.map((t) => t.key).join(', ')}).`);
        const created = await repos.teams.create({ key: await allocateTeamKey(async (k) => Boolean(await repos.teams.findByKey(k))), name, timeZone, policy: defaultPolicy(), channel: null });
        await repos.audit.record(cliActor(created.id), {
          action: 'team.created',
          entityType: 'team',
          entityId: created.id,
          after: { key: created.key, name: created.name, timeZone: created.timeZone },
        });
        return created;
      });
      await writeStdout(`${team.key}\n`);
      await writeStderr(`Created team "${team.name}" (${team.timeZone}) with key ${team.key}.\n`);
      return 0;
    });
  });
}

/** `teams`: every team with its key, time zone, roster size, active cases and channel binding. */
export function teamsCommand(args: string[]): Promise<number> {
  return guarded(TEAMS_USAGE, async () => {
    parseArgs({ args, options: {} });
    return withDatabase(async (database) => {
      const repos = reposFor(database.db);
      const teams = await repos.teams.list();
      if (teams.length === 0) {
        await writeStdout('No teams yet. Create one with: casework team create NAME\n');
        return 0;
      }
      const rows = [['KEY', 'NAME', 'TIME ZONE', 'MEMBERS', 'ACTIVE CASES', 'CHANNEL']];
      for (const team of teams) {
        const members = await repos.members.listByTeam(team.id);
        const cases = await repos.cases.list(team.id, { offset: 0, limit: 1, status: 'active' });
        const channel = team.channel ? `yes (${team.channel.platform})` : 'no';
        rows.push([team.key, team.name, team.timeZone, String(members.length), String(cases.total), channel]);
      }
      await writeStdout(formatTable(rows));
      return 0;
    });
  });
}
