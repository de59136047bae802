/**
 * Owns the storage of case discussions (`discussions`), their replies (`discussion_messages`),
 * the replies' history (`discussion_message_revisions`) and refused replies. Each reply is kept
 * once per platform message id and each edit or deletion once per event key, so retried platform
 * events change nothing.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Discussion, DiscussionMessage, DiscussionRepository, DiscussionStatus, MessageRevision } from '../../core/discussions/discussion-ports.ts';
import type { MessageRef } from '../../core/ports.ts';
import type { Database, DiscussionMessagesTable, DiscussionsTable } from '../schema.ts';

/** Maps a `discussions` row to the core's Discussion. */
export function toDiscussion(row: Selectable<DiscussionsTable>): Discussion {
  return {
    id: row.id,
    teamId: row.team_id,
    caseId: row.case_id,
    question: row.question,
    status: row.status as DiscussionStatus,
    openedBy: row.opened_by,
    openedAt: row.opened_at,
    platform: row.platform,
    channelId: row.channel_id,
    threadRef: row.thread_ref,
    rootRef: (row.conversation_ref as MessageRef | null) ?? null,
    closedBy: row.closed_by,
    closedAt: row.closed_at,
    closingSummary: row.closing_summary,
  };
}

/** Maps a `discussion_messages` row to the core's DiscussionMessage. */
export function toDiscussionMessage(row: Selectable<DiscussionMessagesTable>): DiscussionMessage {
  return {
    id: row.id,
    discussionId: row.discussion_id,
    platformMessageId: row.platform_message_id,
    authorMemberId: row.author_member_id,
    authorPlatformUserId: row.author_platform_user_id,
    body: row.body,
    postedAt: new Date(row.posted_at),
    personalDataFlags: row.personal_data_flags,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
  };
}

/** Discussions repository over kysely; pass a transaction to take part in it. */
export function createKyselyDiscussionRepository(db: Kysely<Database> | Transaction<Database>): DiscussionRepository {
  return {
    async create(data) {
      const row = await db
        .insertInto('discussions')
        .values({ team_id: data.teamId, case_id: data.caseId, question: data.question, opened_by: data.openedBy, opened_at: data.openedAt })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toDiscussion(row);
    },

    async findById(id) {
      const row = await db.selectFrom('discussions').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toDiscussion(row);
    },

    async findByThread(platform, channelId, threadRef) {
      const row = await db
        .selectFrom('discussions')
        .selectAll()
        .where('platform', '=', platform)
        .where('channel_id', '=', channelId)
        .where('thread_ref', '=', threadRef)
        .executeTakeFirst();
      return row && toDiscussion(row);
    },

    async setThread(id, thread) {
      await db
        .updateTable('discussions')
        .set({ platform: thread.platform, channel_id: thread.channelId, thread_ref: thread.threadRef, conversation_ref: JSON.stringify(thread.rootRef) })
        .where('id', '=', id)
        .execute();
    },

    async setStatus(id, status, closing) {
      const row = await db
        .updateTable('discussions')
        .set({
          status,
          ...(closing ? { closed_by: closing.closedBy, closed_at: closing.closedAt, closing_summary: closing.summary } : {}),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toDiscussion(row);
    },

    async listOpenForTeam(teamId) {
      const rows = await db
        .selectFrom('discussions as d')
        .innerJoin('cases as c', 'c.id', 'd.case_id')
        .innerJoin('teams as t', 't.id', 'd.team_id')
        .selectAll('d')
        .select((eb) => [
          'c.case_key',
          'c.lead_officer_id',
          'c.supervisor_id',
          sql<string>`to_char(d.opened_at at time zone t.time_zone, 'YYYY-MM-DD')`.as('opened_on'),
          eb
            .selectFrom('case_coworkers as cw')
            .select(sql<string[]>`coalesce(array_agg(cw.member_id::text), '{}')`.as('ids'))
            .whereRef('cw.case_id', '=', 'c.id')
            .as('coworker_ids'),
        ])
        .where('d.team_id', '=', teamId)
        .where('d.status', '<>', 'closed')
        .orderBy('d.opened_at')
        .orderBy('d.id')
        .execute();
      return rows.map((r) => ({
        discussion: toDiscussion(r),
        case: { key: r.case_key, teamId: r.team_id, leadOfficerId: r.lead_officer_id, coworkerIds: r.coworker_ids ?? [], supervisorId: r.supervisor_id },
        openedOn: r.opened_on,
      }));
    },

    async listForCase(caseId) {
      const rows = await db.selectFrom('discussions').selectAll().where('case_id', '=', caseId).orderBy('opened_at').orderBy('id').execute();
      return rows.map(toDiscussion);
    },

    async addMessage(data) {
      const row = await db
        .insertInto('discussion_messages')
        .values({
          discussion_id: data.discussionId,
          platform_message_id: data.platformMessageId,
          author_member_id: data.authorMemberId,
          author_platform_user_id: data.authorPlatformUserId,
          body: data.body,
          posted_at: data.postedAt,
          personal_data_flags: data.personalDataFlags,
        })
        .onConflict((oc) => oc.columns(['discussion_id', 'platform_message_id']).doNothing())
        .returningAll()
        .executeTakeFirst();
      return row && toDiscussionMessage(row);
    },

    async findMessage(discussionId, platformMessageId) {
      const row = await db
        .selectFrom('discussion_messages')
        .selectAll()
        .where('discussion_id', '=', discussionId)
        .where('platform_message_id', '=', platformMessageId)
        .executeTakeFirst();
      return row && toDiscussionMessage(row);
    },

    async reviseMessage(messageId, change) {
      const current = await db.selectFrom('discussion_messages').selectAll().where('id', '=', messageId).forUpdate().executeTakeFirstOrThrow();
      const inserted = await db
        .insertInto('discussion_message_revisions')
        .values({
          message_id: messageId,
          change: change.body === null ? 'delete' : 'edit',
          previous_body: current.body,
          changed_at: change.at,
          event_key: change.eventKey,
        })
        .onConflict((oc) => oc.column('event_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) return false;
      await db
        .updateTable('discussion_messages')
        .set(
          change.body === null
            ? { deleted_at: change.at }
            : { body: change.body, edited_at: change.at, personal_data_flags: change.personalDataFlags },
        )
        .where('id', '=', messageId)
        .execute();
      return true;
    },

    async messages(discussionId) {
      const rows = await db
        .selectFrom('discussion_messages')
        .selectAll()
        .where('discussion_id', '=', discussionId)
        .orderBy('posted_at')
        .orderBy('platform_message_id')
        .execute();
      return rows.map(toDiscussionMessage);
    },

    async revisions(discussionId) {
      const rows = await db
        .selectFrom('discussion_message_revisions as r')
        .innerJoin('discussion_messages as m', 'm.id', 'r.message_id')
        .select(['r.id', 'r.message_id', 'r.change', 'r.previous_body', 'r.changed_at'])
        .where('m.discussion_id', '=', discussionId)
        .orderBy('r.changed_at')
        .orderBy('r.id')
        .execute();
      return rows.map(
        (r): MessageRevision => ({ id: r.id, messageId: r.message_id, change: r.change, previousBody: r.previous_body, changedAt: new Date(r.changed_at) }),
      );
    },

    async noteRefusedReply(discussionId, platformMessageId, platformUserId, at) {
      const row = await db
        .insertInto('discussion_refused_replies')
        .values({ discussion_id: discussionId, platform_message_id: platformMessageId, platform_user_id: platformUserId, refused_at: at })
        .onConflict((oc) => oc.columns(['discussion_id', 'platform_message_id']).doNothing())
        .returning('discussion_id')
        .executeTakeFirst();
      return Boolean(row);
    },
  };
}
