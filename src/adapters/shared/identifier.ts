/**
 * What an identifier from a platform (a user, channel or conversation id, a timestamp, a type,
 * an action id or verb) may look like at the edge: not empty, and no whitespace, quotes,
 * brackets or backslashes. Identifiers go into log lines; text a person typed never fits this
 * pattern, so it cannot reach the log disguised as one. And an empty user id never reaches a lookup.
 */
import { z } from 'zod';

/** The pattern; real Slack and Teams ids all match it. */
export const IDENTIFIER = /^[^\s"'`<>{}[\]\\]+$/;

/** A zod schema for an identifier of at most `max` characters. */
export function identifier(max: number) {
  return z.string().max(max).regex(IDENTIFIER, 'must be an identifier');
}
