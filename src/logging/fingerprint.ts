/**
 * What may be logged about text a person sent (a request body, a library message quoting one):
 * its length and a short hash, so two log lines about the same input can be matched, never the text.
 */
import { createHash } from 'node:crypto';

/** Length (characters for a string, bytes otherwise) and the first 16 hex digits of its SHA-256. */
export function fingerprint(text: string | Uint8Array): { length: number; sha256: string } {
  return { length: text.length, sha256: createHash('sha256').update(text).digest('hex').slice(0, 16) };
}
