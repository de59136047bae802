/**
 * Teams' file-consent flow for a case record. The export stores the record under an opaque offer
 * id (a `record_downloads` row, found by the id's SHA-256) and a file-consent card carrying only
 * that id goes to the person's chat. Their answer comes back here:
 *
 * - accept: the offer is used up (the stored file comes back and is cleared in the same
 *   statement), the adapter uploads it outside any transaction, then `recordFileHandOver` audits
 *   what happened;
 * - decline: the offer is used up and its file cleared, audited `record.file_declined`;
 * - an unknown, expired, answered, or someone else's offer is refused and (when known) audited.
 *
 * Nothing here ever logs or audits the record's content: only ids, reasons and hashes.
 */
import type { PlatformUser } from '../interaction.ts';
import type { Services } from '../services.ts';
import { downloadTokenHash } from './record-download-ports.ts';

/** How an offer id may look: what `newDownloadToken` makes. */
const OFFER_ID = /^[A-Za-z0-9_-]{20,64}$/;

/** Why an answer to a file offer was refused. */
export type OfferRefusal = 'unknown' | 'expired' | 'used' | 'not_yours';

/** A taken offer: the record to upload, and whom and what it belongs to (for the audit). */
export interface TakenOffer {
  offerId: string;
  teamId: string;
  memberId: string;
  caseId: string;
  filename: string;
  /** The record's Markdown, with its hash footer: the adapter draws the PDF from it. */
  markdown: string;
  sha256: string;
}

/** What answering an offer came to. */
export type OfferOutcome = { ok: true; answer: 'accept'; offer: TakenOffer } | { ok: true; answer: 'decline' } | { ok: false; reason: OfferRefusal };

/** The words a person reads when their answer is refused. */
export const OFFER_REFUSED: Record<OfferRefusal, string> = {
  unknown: 'Casework does not know this file offer, so nothing was sent. Export the record again with: record CW-…',
  expired: 'This file offer has expired (offers last 10 minutes), so nothing was sent. Export the record again with: record CW-…',
  used: 'This file offer has already been answered, so nothing more was sent. Export the record again if you need another copy.',
  not_yours: 'This file offer was made to someone else, so nothing was sent.',
};

/** True when `user` is the Teams account of the member the offer was made to. */
async function ownsOffer(services: Pick<Services, 'store'>, memberId: string, user: PlatformUser): Promise<boolean> {
  const identities = await services.store.read((repos) => repos.members.identitiesOf(memberId));
  return identities.some((i) => i.platform === user.platform && (i.userId === user.userId || (user.chatUserId !== undefined && i.userId === user.chatUserId)));
}

/**
 * Answers a file offer for `user`. Reads outside any transaction, then uses the offer up and
 * audits the answer in one short transaction; no network call happens here.
 */
export async function answerRecordFileOffer(services: Pick<Services, 'store' | 'clock'>, user: PlatformUser, offerId: string, answer: 'accept' | 'decline'): Promise<OfferOutcome> {
  if (!OFFER_ID.test(offerId)) return { ok: false, reason: 'unknown' };
  const hash = downloadTokenHash(offerId);
  const found = await services.store.read((repos) => repos.recordDownloads.find(hash));
  if (!found) return { ok: false, reason: 'unknown' };
  const now = services.clock.now();
  if (!(await ownsOffer(services, found.memberId, user))) {
    await services.store.transaction((repos) =>
      repos.audit.record(
        { teamId: found.teamId, memberId: null, label: `teams user ${user.userId}` },
        { action: 'record.file_refused', entityType: 'record_download', entityId: found.id, caseId: found.caseId, after: { refused: 'not_yours' } },
      ),
    );
    return { ok: false, reason: 'not_yours' };
  }
  return services.store.transaction(async (repos): Promise<OfferOutcome> => {
    const taken = await repos.recordDownloads.take(hash, now);
    const actor = { teamId: found.teamId, memberId: found.memberId, label: 'record file offer' };
    if (!taken.ok || !taken.link.content) {
      const reason = taken.ok ? 'used' : taken.reason;
      await repos.audit.record(actor, { action: 'record.file_refused', entityType: 'record_download', entityId: found.id, caseId: found.caseId, after: { refused: reason, answer } });
      return { ok: false, reason };
    }
    if (answer === 'decline') {
      await repos.audit.record(actor, { action: 'record.file_declined', entityType: 'record_download', entityId: found.id, caseId: found.caseId, after: { sha256: found.sha256 } });
      return { ok: true, answer };
    }
    const link = taken.link;
    return {
      ok: true,
      answer,
      offer: { offerId: link.id, teamId: link.teamId, memberId: link.memberId, caseId: link.caseId, filename: link.filename, markdown: link.content!.toString('utf8'), sha256: link.sha256 },
    };
  });
}

/** Audits what became of an accepted offer once the upload has been tried (after it, never during). */
export async function recordFileHandOver(
  services: Pick<Services, 'store'>,
  offer: TakenOffer,
  result: { sent: true; pdfSha256: string; bytes: number } | { sent: false; code: string },
): Promise<void> {
  await services.store.transaction((repos) =>
    repos.audit.record(
      { teamId: offer.teamId, memberId: offer.memberId, label: 'record file offer' },
      result.sent
        ? { action: 'record.file_sent', entityType: 'record_download', entityId: offer.offerId, caseId: offer.caseId, after: { sha256: offer.sha256, pdfSha256: result.pdfSha256, bytes: result.bytes } }
        : { action: 'record.file_failed', entityType: 'record_download', entityId: offer.offerId, caseId: offer.caseId, after: { sha256: offer.sha256, failed: result.code } },
    ),
  );
}
