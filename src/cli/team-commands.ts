/**
 * `casework team create NAME [--timezone ZONE]` and `casework teams`: scripted team set-up, and
 * the lookup every operator command uses to turn `--team KEY|NAME` into a team.
 */
import { parseArgs } from 'node:util';
import { IANAZone } from 'luxon';
import { allocateTeamKey } from '../core/teams/team-key.ts';
import { bindChannel } from '../core/teams/channel-binding.ts';
import { boundWelcomeView } from '../core/teams/setup-views.ts';
import { systemClock } from '../core/clock.ts';
import { inTransaction } from '../core/unit-of-work.ts';
import type { Team } from '../core/domain/entities.ts';
import { DomainError } from '../core/errors.ts';
import { defaultPolicy } from '../core/policy/policy.ts';
import type { Repositories } from '../core/ports.ts';
import { createKyselyStore, reposFor } from '../db/kysely-store.ts';
import { withDatabase } from './cli-context.ts';
import { cliActor, formatTable, guarded, UsageError, writeStderr, writeStdout } from './cli-io.ts';

const CREATE_USAGE = 'casework team create NAME [--timezone Europe/London]';
const CHANNEL_USAGE = 'casework team channel --team TEAM --slack-channel CXXXXXXXX --workspace TXXXXXXXX [--reason TEXT]';
/** A Slack channel id (public C…, private G…) and a workspace id (T…, or E… for an Enterprise Grid org). */
const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{2,20}$/;
const SLACK_WORKSPACE_ID = /^[TE][A-Z0-9]{2,20}$/;
const MAX_REASON_LENGTH = 200;
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

/** `team create …` or `team channel …`. */
export function teamCommand(args: string[]): Promise<number> {
  return args[0] === 'channel' ? teamChannelCommand(args.slice(1)) : teamCreateCommand(args);
}

/**
 * `team channel --team TEAM --slack-channel C… --workspace T…`: gives a team (made with team
 * create) its Slack channel, as its admin inviting Casework there would. The welcome is left in
 * the outbox for the running bot to post. Teams channels are bound from Teams only: posting to
 * one needs the conversation reference Teams sends when Casework is added.
 */
function teamChannelCommand(args: string[]): Promise<number> {
  return guarded(CHANNEL_USAGE, async () => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { team: { type: 'string' }, 'slack-channel': { type: 'string' }, workspace: { type: 'string' }, 'teams-channel': { type: 'string' }, reason: { type: 'string' } },
    });
    if (positionals.length > 0) throw new UsageError(`Unexpected "${positionals[0]}".`);
    if (!values.team) throw new UsageError('Say which team with --team.');
    if (values['teams-channel'] !== undefined) {
      throw new UsageError(
        'A Teams channel cannot be bound from the command line: Casework needs the conversation reference Teams sends when it is added. Have an admin of the team add Casework to the Teams team (or @mention it with setup in the channel).',
      );
    }
    const channelId = values['slack-channel']?.trim() ?? '';
    const workspaceId = values.workspace?.trim() ?? '';
    if (!channelId) throw new UsageError('Say which Slack channel with --slack-channel (its id, like C024BE91L: in Slack, the channel\'s details show it).');
    if (!SLACK_CHANNEL_ID.test(channelId)) throw new UsageError('--slack-channel must be a Slack channel id, like C024BE91L (not its name).');
    if (!workspaceId) throw new UsageError('Say which Slack workspace with --workspace (its id, like T024BE7LD).');
    if (!SLACK_WORKSPACE_ID.test(workspaceId)) throw new UsageError('--workspace must be a Slack workspace id, like T024BE7LD.');
    const reason = values.reason?.trim() || 'casework team channel';
    if (reason.length > MAX_REASON_LENGTH) throw new UsageError(`Keep --reason to ${MAX_REASON_LENGTH} characters.`);
    return withDatabase(async (database) => {
      const team = await resolveTeam(reposFor(database.db), values.team!);
      const channel = { platform: 'slack' as const, workspaceId, channelId, ref: null };
      const services = { store: createKyselyStore(database.db), clock: systemClock };
      const bound = await inTransaction(services, team.id, async (repos, effects) => {
        const done = await bindChannel(repos, cliActor(team.id), team.id, channel, reason);
        effects.add({ kind: 'team-channel', teamId: team.id, view: boundWelcomeView(done, undefined, '/casework') });
        return done;
      });
      await writeStdout(`${bound.name} (${bound.key}) now has Slack channel ${channelId} in workspace ${workspaceId}.\n`);
      await writeStderr('The welcome is posted there once the bot is running and has been invited to the channel (/invite @Casework). The bind is in the audit trail (team.channel_bound).\n');
      return 0;
    });
  });
}

/** `team create NAME [--timezone ZONE]`: creates an empty team and prints its key on stdout. */
function teamCreateCommand(args: string[]): Promise<number> {
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
