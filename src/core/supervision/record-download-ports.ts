/**
 * One-time download links to a record file, for Teams clients that cannot take a file in chat
 * (the Agents Playground, local mode), and Teams file offers (a file-consent card in the person's
 * chat) waiting for their answer: both are a row of `record_downloads` found by the SHA-256 of an
 * opaque token. The token is given to the person once and kept only as
 * its SHA-256; a link works once, for {@link DOWNLOAD_LINK_MINUTES} minutes.
 */
import { createHash, randomBytes } from 'node:crypto';

/** How long a download link works. */
export const DOWNLOAD_LINK_MINUTES = 10;

/** A stored link. */
export interface RecordDownload {
  id: string;
  teamId: string;
  memberId: string;
  caseId: string;
  filename: string;
  mediaType: string;
  content: Buffer | null;
  sha256: string;
  expiresAt: Date;
  usedAt: Date | null;
}

/** Links to record files. */
export interface RecordDownloadRepository {
  create(link: Omit<RecordDownload, 'id' | 'usedAt'> & { tokenSha256: string }): Promise<RecordDownload>;
  /**
   * Takes the link for a token: marks it used and clears its content when it is still good, in one
   * statement so two requests cannot both have it. Says why otherwise.
   */
  take(tokenSha256: string, now: Date): Promise<{ ok: true; link: RecordDownload } | { ok: false; reason: 'unknown' | 'expired' | 'used'; link?: RecordDownload }>;
  /** Clears the file of every link or offer that has expired unused; returns how many. */
  clearExpired(now: Date): Promise<number>;
  /** The link for a token, whatever its state, without its content; nothing is changed. */
  find(tokenSha256: string): Promise<Omit<RecordDownload, 'content'> | undefined>;
}

/** A fresh token (URL-safe) and the SHA-256 it is stored under. */
export function newDownloadToken(): { token: string; tokenSha256: string } {
  const token = randomBytes(24).toString('base64url');
  return { token, tokenSha256: downloadTokenHash(token) };
}

/** The SHA-256 a token is stored under. */
export function downloadTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
