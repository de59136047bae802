/**
 * Case keys: short, opaque, unambiguous identifiers such as CW-7K3P. They carry no meaning, so a
 * key in chat says nothing about the person behind it.
 */
import { DomainError } from '../errors.ts';

/** Letters and digits that cannot be misread for one another (no 0/O, 1/I/L, U/V, S/5, Z/2). */
export const CASE_KEY_ALPHABET = '23456789ABCDEFGHJKMNPQRTWXY';

const CASE_KEY_PATTERN = new RegExp(`^CW-[${CASE_KEY_ALPHABET}]{4,8}$`);

/** A fresh random key: `prefix` then `length` characters of the unambiguous alphabet. */
export function generateKey(prefix: string, random: () => number = Math.random, length = 4): string {
  let key = prefix;
  for (let i = 0; i < length; i += 1) key += CASE_KEY_ALPHABET[Math.floor(random() * CASE_KEY_ALPHABET.length)];
  return key;
}

/** Picks an unused key with `prefix`: four characters while they last, longer as the space fills. */
export async function allocateKey(prefix: string, exists: (key: string) => Promise<boolean>, random: () => number = Math.random): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const key = generateKey(prefix, random, 4 + Math.floor(attempt / 5));
    if (!(await exists(key))) return key;
  }
  throw new Error(`Could not allocate a free ${prefix} key after 20 attempts`);
}

/** A fresh random case key with `length` characters after the prefix. */
export function generateCaseKey(random: () => number = Math.random, length = 4): string {
  return generateKey('CW-', random, length);
}

/** Normalises what a user typed (any case, optional prefix, stray spaces) into a case key, or null. */
export function normaliseCaseKey(input: string | undefined): string | null {
  if (!input) return null;
  let key = input.trim().toUpperCase().replace(/\s+/g, '');
  if (!key.startsWith('CW-')) key = key.startsWith('CW') ? `CW-${key.slice(2)}` : `CW-${key}`;
  return CASE_KEY_PATTERN.test(key) ? key : null;
}

/**
 * A key of the shape people type (`CW-` and 4 to 8 letters or digits) that Casework could never
 * have issued (it holds a look-alike character such as Z or 0): upper-cased with its prefix, or null.
 */
export function wellFormedUnknownKey(input: string | undefined): string | null {
  const typed = (input ?? '').trim().toUpperCase();
  if (!/^CW-?[A-Z0-9]{4,8}$/.test(typed)) return null;
  return typed.startsWith('CW-') ? typed : `CW-${typed.slice(2)}`;
}

/** Parses a case key argument or explains what a case key looks like. */
export function requireCaseKey(input: string | undefined, usage: string): string {
  const key = normaliseCaseKey(input);
  const unknown = key ? null : wellFormedUnknownKey(input);
  if (unknown) throw new DomainError('case_not_found', `There is no case ${unknown}. Check the key, or run cases to see yours.`);
  if (!key) {
    throw new DomainError(
      'invalid_input',
      input ? `"${input.slice(0, 20)}" is not a case key. Case keys look like CW-7K3P. Usage: ${usage}` : `Which case? Usage: ${usage}`,
    );
  }
  return key;
}

/** Picks an unused case key. */
export function allocateCaseKey(exists: (key: string) => Promise<boolean>, random: () => number = Math.random): Promise<string> {
  return allocateKey('CW-', exists, random);
}
