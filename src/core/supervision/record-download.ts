/**
 * Taking a one-time record download link (GET /records/:token on Casework's own server): the link
 * is used up and audited in one transaction, as the person it was issued to; a refused link
 * (unknown, expired or already used) is audited too when it is known.
 */
import type { Services } from '../services.ts';
import { downloadTokenHash } from './record-download-ports.ts';

/** What the server sends: the record's Markdown (drawn as a PDF by the caller) or why not. */
export type DownloadOutcome = { ok: true; filename: string; markdown: string } | { ok: false; reason: 'unknown' | 'expired' | 'used' };

/** Uses up a download link. Reads and writes in one short transaction; no network inside it. */
export async function takeRecordDownload(services: Pick<Services, 'store' | 'clock'>, token: string): Promise<DownloadOutcome> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return { ok: false, reason: 'unknown' };
  const now = services.clock.now();
  return services.store.transaction(async (repos) => {
    const taken = await repos.recordDownloads.take(downloadTokenHash(token), now);
    const link = taken.ok ? taken.link : taken.link;
    if (link) {
      await repos.audit.record(
        { teamId: link.teamId, memberId: link.memberId, label: 'record download link' },
        {
          action: taken.ok ? 'record.downloaded' : 'record.download_refused',
          entityType: 'record_download',
          entityId: link.id,
          caseId: link.caseId,
          after: taken.ok ? { sha256: link.sha256 } : { refused: taken.reason },
        },
      );
    }
    if (!taken.ok) return { ok: false, reason: taken.reason };
    if (!taken.link.content) return { ok: false, reason: 'used' };
    return { ok: true, filename: taken.link.filename, markdown: taken.link.content.toString('utf8') };
  });
}
