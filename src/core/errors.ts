/**
 * The core's one error type. `code` is stable and machine-readable, `message` is safe to show a
 * user as it is, and `details` go to the log only. No HTTP or platform fields live here.
 */
import { randomBytes } from 'node:crypto';

/** Stable error codes the adapters know how to present. */
export type DomainErrorCode =
  | 'not_authorised'
  | 'not_a_member'
  | 'team_not_found'
  | 'case_not_found'
  | 'member_not_found'
  | 'invalid_input'
  | 'conflict'
  | 'locked'
  | 'not_found'
  | 'unsupported';

/** An expected failure: the user did something that cannot be done, and can be told why. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** True for a DomainError, including one thrown from another copy of this module. */
export function isDomainError(error: unknown): error is DomainError {
  return error instanceof Error && error.name === 'DomainError' && typeof (error as DomainError).code === 'string';
}

const REFERENCE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/**
 * A short reference for an unexpected error: shown to the user and written to the log, so a
 * support call can find the log line without the user reading out a stack trace.
 */
export function newErrorReference(): string {
  const bytes = randomBytes(6);
  let ref = 'ERR-';
  for (const byte of bytes) ref += REFERENCE_ALPHABET[byte % REFERENCE_ALPHABET.length];
  return ref;
}
