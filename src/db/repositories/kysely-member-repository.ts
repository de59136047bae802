/**
 * Owns the storage of team rosters (`members`) and how members are known on each platform
 * (`platform_identities`), mapped to the core's Member and PlatformIdentity.
 */
import { sql, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { Member, PlatformIdentity, Role } from '../../core/domain/entities.ts';
import { DomainError } from '../../core/errors.ts';
import type { ActorCandidate, MemberRepository, NewMember } from '../../core/ports.ts';
import type { Database, MemberRow, MembersTable, PlatformIdentityRow, TeamRow } from '../schema.ts';
import { toTeam } from './kysely-team-repository.ts';

/** Maps a `members` row to the core's Member. */
export function toMember(row: MemberRow): Member {
  return {
    id: row.id,
    teamId: row.team_id,
    displayName: row.display_name,
    roles: row.roles as Role[],
    supervisorMemberId: row.supervisor_member_id,
    reminderTime: row.reminder_time,
    timeZone: row.time_zone,
    active: row.active,
    undeliverable: row.undeliverable_at !== null,
    // Only people from a people file have these: left out otherwise, so other members read as before.
    ...(row.email ? { email: row.email } : {}),
    ...(row.slack_user_id_on_file ? { slackUserIdOnFile: row.slack_user_id_on_file } : {}),
    ...(row.teams_user_id_on_file ? { teamsUserIdOnFile: row.teams_user_id_on_file } : {}),
  };
}

/** Maps a `platform_identities` row to the core's PlatformIdentity. */
export function toPlatformIdentity(row: PlatformIdentityRow): PlatformIdentity {
  return {
    id: row.id,
    memberId: row.member_id,
    teamId: row.team_id,
    platform: row.platform,
    workspaceId: row.workspace_id,
    userId: row.user_id,
    displayName: row.display_name,
    linked: row.linked_at !== null,
    conversationRef: row.conversation_ref ?? null,
    chatUserId: row.chat_user_id ?? null,
  };
}

/** Members repository over kysely; pass a transaction to take part in it. */
export function createKyselyMemberRepository(db: Kysely<Database> | Transaction<Database>): MemberRepository {
  return {
    async findById(id) {
      const row = await db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toMember(row) : undefined;
    },

    async listByTeam(teamId, options = {}) {
      let query = db.selectFrom('members').selectAll().where('team_id', '=', teamId);
      if (!options.includeInactive) query = query.where('active', '=', true);
      const rows = await query.orderBy('display_name').orderBy('id').execute();
      return rows.map(toMember);
    },

    async create(member: NewMember) {
      const row = await db
        .insertInto('members')
        .values({
          team_id: member.teamId,
          display_name: member.displayName,
          roles: member.roles,
          supervisor_member_id: member.supervisorMemberId ?? null,
          email: member.email ?? null,
          slack_user_id_on_file: member.slackUserIdOnFile ?? null,
          teams_user_id_on_file: member.teamsUserIdOnFile ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toMember(row);
    },

    async update(id, changes) {
      const set: Updateable<MembersTable> = { updated_at: new Date() };
      if (changes.displayName !== undefined) set.display_name = changes.displayName;
      if (changes.roles !== undefined) set.roles = changes.roles;
      if (changes.supervisorMemberId !== undefined) set.supervisor_member_id = changes.supervisorMemberId;
      if (changes.reminderTime !== undefined) set.reminder_time = changes.reminderTime;
      if (changes.timeZone !== undefined) set.time_zone = changes.timeZone;
      if (changes.active !== undefined) set.active = changes.active;
      if (changes.email !== undefined) set.email = changes.email;
      if (changes.slackUserIdOnFile !== undefined) set.slack_user_id_on_file = changes.slackUserIdOnFile;
      if (changes.teamsUserIdOnFile !== undefined) set.teams_user_id_on_file = changes.teamsUserIdOnFile;
      const row = await db.updateTable('members').set(set).where('id', '=', id).returningAll().executeTakeFirst();
      if (!row) throw new DomainError('member_not_found', 'That person is no longer on the roster.', { memberId: id });
      return toMember(row);
    },

    async findIdentities(platform, workspaceId, userId) {
      const rows = await db
        .selectFrom('platform_identities')
        .selectAll()
        .where('platform', '=', platform)
        .where('workspace_id', '=', workspaceId)
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toPlatformIdentity);
    },

    async identitiesOf(memberId) {
      const rows = await db
        .selectFrom('platform_identities')
        .selectAll()
        .where('member_id', '=', memberId)
        .orderBy('platform')
        .orderBy('created_at')
        .execute();
      return rows.map(toPlatformIdentity);
    },

    async identitiesOfTeam(teamId) {
      const rows = await db
        .selectFrom('platform_identities')
        .selectAll()
        .where('team_id', '=', teamId)
        .orderBy('member_id')
        .orderBy('platform')
        .orderBy('created_at')
        .execute();
      return rows.map(toPlatformIdentity);
    },

    async findLinkCandidates(platform, workspaceId, email, userId) {
      const onFile = platform === 'slack' ? sql.ref('m.slack_user_id_on_file') : sql.ref('m.teams_user_id_on_file');
      const result = await sql<MemberRow & { known_here: boolean; linked_elsewhere: boolean }>`
        select m.*,
          exists (
            select 1 from platform_identities p
            where p.member_id = m.id and p.platform = ${platform} and p.workspace_id = ${workspaceId} and p.user_id = ${userId}
          ) as known_here,
          exists (
            select 1 from platform_identities p
            where p.member_id = m.id and p.platform = ${platform} and p.linked_at is not null
              and (p.workspace_id <> ${workspaceId} or p.user_id <> ${userId})
          ) as linked_elsewhere
        from members m
        where m.active and (${email ? sql`lower(m.email) = lower(${email})` : sql`false`} or lower(${onFile}) = lower(${userId}))
        order by m.created_at, m.id`.execute(db);
      return result.rows.map((row) => ({ member: toMember(row), knownHere: row.known_here, linkedElsewhere: row.linked_elsewhere }));
    },

    async anyAwaitingLink(platform) {
      const result = await sql<{ waiting: boolean }>`
        select exists (
          select 1 from members m
          where m.active and m.email is not null
            and not exists (select 1 from platform_identities p where p.member_id = m.id and p.platform = ${platform})
        ) as waiting`.execute(db);
      return result.rows[0]?.waiting ?? false;
    },

    async upsertIdentity(memberId, teamId, identity, linked) {
      // A missing name or conversation reference means "not told this time": keep what is stored.
      const displayName = identity.displayName ?? null;
      const conversationRef = identity.conversationRef ? JSON.stringify(identity.conversationRef) : null;
      const row = await db
        .insertInto('platform_identities')
        .values({
          member_id: memberId,
          team_id: teamId,
          platform: identity.platform,
          workspace_id: identity.workspaceId,
          user_id: identity.userId,
          display_name: displayName,
          conversation_ref: conversationRef,
          linked_at: linked ? sql<Date>`now()` : null,
          last_seen_at: sql<Date>`now()`,
        })
        .onConflict((oc) =>
          oc.columns(['platform', 'workspace_id', 'user_id', 'team_id']).doUpdateSet((eb) => ({
            member_id: eb.ref('excluded.member_id'),
            display_name: eb.fn.coalesce('excluded.display_name', 'platform_identities.display_name'),
            conversation_ref: eb.fn.coalesce('excluded.conversation_ref', 'platform_identities.conversation_ref'),
            // The first link is kept: it records when the person first talked to the bot.
            linked_at: eb.fn.coalesce('platform_identities.linked_at', 'excluded.linked_at'),
            last_seen_at: sql<Date>`now()`,
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPlatformIdentity(row);
    },

    async findActorCandidates(platform, workspaceId, userId, channelId) {
      // One round trip: rows come back as JSON objects (the three tables share column names).
      const result = await sql<{ p: PlatformIdentityRow; m: MemberRow; t: TeamRow; closures: string[] | null; channel_team_id: string | null }>`
        select to_jsonb(p) as p, to_jsonb(m) as m, to_jsonb(t) as t,
          (select array_agg(to_char(tc.closed_on, 'YYYY-MM-DD') order by tc.closed_on) from team_closures tc where tc.team_id = t.id) as closures,
          ${
            channelId
              ? sql`(select ct.id from teams ct where ct.channel_platform = ${platform} and ct.channel_workspace_id = ${workspaceId} and ct.channel_id = ${channelId})`
              : sql`null::uuid`
          } as channel_team_id
        from platform_identities p
        join members m on m.id = p.member_id
        join teams t on t.id = m.team_id
        where p.platform = ${platform} and p.workspace_id = ${workspaceId} and p.user_id = ${userId}
        order by p.last_seen_at desc nulls last, p.created_at, p.id`.execute(db);
      const candidates: ActorCandidate[] = result.rows.map((r) => ({
        identity: toPlatformIdentity(r.p),
        lastSeenAt: r.p.last_seen_at === null ? null : new Date(r.p.last_seen_at),
        member: toMember(r.m),
        team: toTeam(r.t, r.closures ?? []),
      }));
      return { candidates, channelTeamId: result.rows[0]?.channel_team_id ?? null };
    },

    async touchIdentity(identityId, changes) {
      const set: Updateable<Database['platform_identities']> = {};
      if (changes.link) set.linked_at = sql<Date>`coalesce(linked_at, now())` as unknown as Date;
      if (changes.displayName !== undefined) set.display_name = changes.displayName;
      if (changes.conversationRef !== undefined) set.conversation_ref = JSON.stringify(changes.conversationRef);
      if (changes.chatUserId !== undefined) set.chat_user_id = changes.chatUserId;
      if (changes.seenAt !== undefined) set.last_seen_at = changes.seenAt;
      if (Object.keys(set).length === 0) return;
      await db.updateTable('platform_identities').set(set).where('id', '=', identityId).execute();
    },

    async clearUndeliverable(memberId) {
      // The old reason comes back from a self-join on the row being updated, so it can be audited.
      const row = await db
        .updateTable('members as m')
        .from('members as old')
        .set({ undeliverable_at: null, undeliverable_reason: null, updated_at: new Date() })
        .whereRef('old.id', '=', 'm.id')
        .where('m.id', '=', memberId)
        .where('m.undeliverable_at', 'is not', null)
        .returning('old.undeliverable_reason as reason')
        .executeTakeFirst();
      return row ? (row.reason ?? 'unknown') : null;
    },
  };
}
