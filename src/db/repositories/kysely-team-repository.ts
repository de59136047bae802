/**
 * Owns the storage of teams: the `teams` row (settings, policy as jsonb, channel binding) and
 * the team's closure days in `team_closures`, mapped to the core's Team.
 */
import type { Kysely, Transaction } from 'kysely';
import type { IsoDate } from '../../core/calendar/working-calendar.ts';
import type { ChannelBinding, Team } from '../../core/domain/entities.ts';
import { DomainError } from '../../core/errors.ts';
import type { Platform } from '../../core/interaction.ts';
import { safeParsePolicy, type TeamPolicy } from '../../core/policy/policy.ts';
import type { NewTeam, TeamRepository } from '../../core/ports.ts';
import type { Database, TeamRow, TeamRowUpdate } from '../schema.ts';

/**
 * Turns stored policy JSON into a full TeamPolicy. Stored policy may be partial (saved by an
 * older version); missing keys take the defaults. A stored value that no longer validates is a
 * data problem, not a user's mistake, so it fails loudly with the team and every problem named.
 */
export function toTeamPolicy(stored: unknown, teamKey: string): TeamPolicy {
  const parsed = safeParsePolicy(stored);
  if (parsed.success) return parsed.policy;
  throw new Error(`The stored policy of team ${teamKey} is not valid: ${parsed.problems.join('; ')}`);
}

/** Maps a `teams` row and its closure days to the core's Team. */
export function toTeam(row: TeamRow, closures: IsoDate[]): Team {
  const channel: ChannelBinding | null =
    row.channel_platform && row.channel_workspace_id && row.channel_id
      ? { platform: row.channel_platform, workspaceId: row.channel_workspace_id, channelId: row.channel_id, ref: row.channel_ref ?? null }
      : null;
  return {
    id: row.id,
    key: row.team_key,
    name: row.name,
    timeZone: row.time_zone,
    policy: toTeamPolicy(row.policy, row.team_key),
    closures,
    channel,
    isDemo: row.is_demo,
  };
}

/** The four channel columns for a binding (all null when unbound). */
export function channelColumns(channel: ChannelBinding | null): Pick<TeamRowUpdate, 'channel_platform' | 'channel_workspace_id' | 'channel_id' | 'channel_ref'> {
  return {
    channel_platform: channel?.platform ?? null,
    channel_workspace_id: channel?.workspaceId ?? null,
    channel_id: channel?.channelId ?? null,
    channel_ref: channel?.ref ? JSON.stringify(channel.ref) : null,
  };
}

/** Teams repository over kysely; pass a transaction to take part in it. */
export function createKyselyTeamRepository(db: Kysely<Database> | Transaction<Database>): TeamRepository {
  async function closuresOf(teamIds: string[]): Promise<Map<string, IsoDate[]>> {
    const byTeam = new Map<string, IsoDate[]>(teamIds.map((id) => [id, []]));
    if (teamIds.length === 0) return byTeam;
    const rows = await db
      .selectFrom('team_closures')
      .select(['team_id', 'closed_on'])
      .where('team_id', 'in', teamIds)
      .orderBy('closed_on')
      .execute();
    for (const row of rows) byTeam.get(row.team_id)?.push(row.closed_on);
    return byTeam;
  }

  async function withClosures(rows: TeamRow[]): Promise<Team[]> {
    const closures = await closuresOf(rows.map((r) => r.id));
    return rows.map((row) => toTeam(row, closures.get(row.id) ?? []));
  }

  async function one(row: TeamRow | undefined): Promise<Team | undefined> {
    return row ? (await withClosures([row]))[0] : undefined;
  }

  return {
    async findById(id) {
      return one(await db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst());
    },

    async findByKey(key) {
      return one(await db.selectFrom('teams').selectAll().where('team_key', '=', key).executeTakeFirst());
    },

    async findByName(name) {
      const rows = await db
        .selectFrom('teams')
        .selectAll()
        // lower() on both sides, so PostgreSQL's case folding decides, not JavaScript's.
        .where((eb) => eb(eb.fn('lower', ['name']), '=', eb.fn('lower', [eb.val(name)])))
        .orderBy('team_key')
        .execute();
      return withClosures(rows);
    },

    async findByChannel(platform: Platform, workspaceId: string, channelId: string) {
      const row = await db
        .selectFrom('teams')
        .selectAll()
        .where('channel_platform', '=', platform)
        .where('channel_workspace_id', '=', workspaceId)
        .where('channel_id', '=', channelId)
        .executeTakeFirst();
      return one(row);
    },

    async list() {
      return withClosures(await db.selectFrom('teams').selectAll().orderBy('name').orderBy('team_key').execute());
    },

    async create(team: NewTeam) {
      const row = await db
        .insertInto('teams')
        .values({
          team_key: team.key,
          name: team.name,
          time_zone: team.timeZone,
          policy: JSON.stringify(team.policy),
          ...channelColumns(team.channel),
          is_demo: team.isDemo ?? false,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toTeam(row, []);
    },

    async update(id, changes) {
      const set: TeamRowUpdate = { updated_at: new Date() };
      if (changes.name !== undefined) set.name = changes.name;
      if (changes.timeZone !== undefined) set.time_zone = changes.timeZone;
      if (changes.policy !== undefined) set.policy = JSON.stringify(changes.policy);
      if (changes.channel !== undefined) Object.assign(set, channelColumns(changes.channel));
      const row = await db.updateTable('teams').set(set).where('id', '=', id).returningAll().executeTakeFirst();
      if (!row) throw new DomainError('team_not_found', 'That team no longer exists.', { teamId: id });
      return (await withClosures([row]))[0] as Team;
    },

    async setClosures(id, closures) {
      const wanted = [...new Set(closures)];
      // Days that stay keep their stored reason; only removed days go.
      let removal = db.deleteFrom('team_closures').where('team_id', '=', id);
      if (wanted.length > 0) removal = removal.where('closed_on', 'not in', wanted);
      await removal.execute();
      if (wanted.length === 0) return;
      await db
        .insertInto('team_closures')
        .values(wanted.map((closedOn) => ({ team_id: id, closed_on: closedOn })))
        .onConflict((oc) => oc.columns(['team_id', 'closed_on']).doNothing())
        .execute();
    },
  };
}
