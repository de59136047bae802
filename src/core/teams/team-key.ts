/**
 * Team keys: short, opaque identifiers such as T-7K3P, generated when a team is registered and
 * shown to admins (the CLI and support use them to name a team without its full name).
 */
import { allocateKey, generateKey } from '../cases/case-key.ts';

/** A fresh random team key with `length` unambiguous characters after the prefix. */
export function generateTeamKey(random: () => number = Math.random, length = 4): string {
  return generateKey('T-', random, length);
}

/** Picks an unused team key: four characters while they last, longer as the space fills. */
export function allocateTeamKey(exists: (key: string) => Promise<boolean>, random: () => number = Math.random): Promise<string> {
  return allocateKey('T-', exists, random);
}
