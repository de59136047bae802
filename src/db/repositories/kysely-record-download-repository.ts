/** Owns `record_downloads` (migration 0010): one-time links to record files, by token hash. */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { DOWNLOAD_LINK_MINUTES, type RecordDownload, type RecordDownloadRepository } from '../../core/supervision/record-download-ports.ts';
import type { Database, RecordDownloadsTable } from '../schema.ts';

function toLink(row: Selectable<RecordDownloadsTable>): RecordDownload {
  return {
    id: row.id,
    teamId: row.team_id,
    memberId: row.member_id,
    caseId: row.case_id,
    filename: row.filename,
    mediaType: row.media_type,
    content: row.content ? Buffer.from(row.content) : null,
    sha256: row.sha256,
    expiresAt: new Date(row.expires_at),
    usedAt: row.used_at ? new Date(row.used_at) : null,
  };
}

/** Download links over kysely; pass a transaction to take part in it. */
export function createKyselyRecordDownloadRepository(db: Kysely<Database> | Transaction<Database>): RecordDownloadRepository {
  return {
    async create(link) {
      // Links issued earlier that have expired unused keep no file: cleared whenever a link is issued.
      const issuedAt = new Date(link.expiresAt.getTime() - DOWNLOAD_LINK_MINUTES * 60_000);
      await db.updateTable('record_downloads').set({ content: null }).where('expires_at', '<=', issuedAt).where('content', 'is not', null).execute();
      const row = await db
        .insertInto('record_downloads')
        .values({
          token_sha256: link.tokenSha256,
          team_id: link.teamId,
          member_id: link.memberId,
          case_id: link.caseId,
          filename: link.filename,
          media_type: link.mediaType,
          content: link.content,
          sha256: link.sha256,
          expires_at: link.expiresAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toLink(row);
    },
    async clearExpired(now) {
      const result = await db.updateTable('record_downloads').set({ content: null }).where('expires_at', '<=', now).where('content', 'is not', null).executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async find(tokenSha256) {
      const row = await db
        .selectFrom('record_downloads')
        .select(['id', 'token_sha256', 'team_id', 'member_id', 'case_id', 'filename', 'media_type', 'sha256', 'expires_at', 'used_at', 'created_at'])
        .where('token_sha256', '=', tokenSha256)
        .executeTakeFirst();
      if (!row) return undefined;
      const { content: _content, ...link } = toLink({ ...row, content: null });
      return link;
    },
    async take(tokenSha256, now) {
      // The content comes back from the statement that clears it: only one request can have it.
      const taken = await sql<Selectable<RecordDownloadsTable>>`
        update record_downloads d set used_at = ${now}, content = null
        from (select id, content from record_downloads where token_sha256 = ${tokenSha256} and used_at is null and expires_at > ${now} for update) old
        where d.id = old.id
        returning d.id, d.token_sha256, d.team_id, d.member_id, d.case_id, d.filename, d.media_type, old.content, d.sha256, d.expires_at, d.used_at, d.created_at`.execute(db);
      const row = taken.rows[0];
      if (row) return { ok: true, link: toLink(row) };
      const found = await db.selectFrom('record_downloads').selectAll().where('token_sha256', '=', tokenSha256).executeTakeFirst();
      if (!found) return { ok: false, reason: 'unknown' };
      const link = toLink(found);
      if (link.usedAt === null && link.expiresAt > now) return { ok: false, reason: 'used', link };
      if (link.usedAt === null) {
        // An expired link's file is not kept.
        await db.updateTable('record_downloads').set({ content: null }).where('id', '=', found.id).execute();
      }
      return { ok: false, reason: link.usedAt ? 'used' : 'expired', link };
    },
  };
}
