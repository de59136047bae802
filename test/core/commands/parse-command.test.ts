// Numbers people type are checked by the core before anything is looked up: a page past the
// allowed range is refused with a message saying what is allowed, on both database engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCasework, type Casework } from '../../../src/core/casework.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import { MAX_PAGE, pageNumber, parseCommand } from '../../../src/core/commands/parse-command.ts';
import { FEATURES } from '../../../src/core/features.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createKyselyStore } from '../../../src/db/kysely-store.ts';
import { seedTeam } from '../../support/factories.ts';
import { slackDirect } from '../../support/inbound-contexts.ts';
import { createTestDb, DATABASE_KINDS } from '../../support/test-db.ts';

describe('page numbers', () => {
  it('are whole numbers from 1 to MAX_PAGE; none given means the first page', () => {
    expect(pageNumber(undefined)).toBe(1);
    expect(pageNumber('')).toBe(1);
    expect(pageNumber('7')).toBe(7);
    expect(pageNumber(String(MAX_PAGE))).toBe(MAX_PAGE);
  });

  it.each(['0', String(MAX_PAGE + 1), '999999999999999999999', '1e3', '-2', '2.5', ' 3', 'two'])('refuses %j with what is allowed', (text) => {
    expect(() => pageNumber(text)).toThrow(expect.objectContaining({ name: 'DomainError', code: 'invalid_input', message: 'Page numbers go from 1 to 10,000.' }));
  });

  it('splits a command line into its word and arguments', () => {
    expect(parseCommand('  Cases   3 ')).toEqual({ name: 'cases', args: ['3'], rest: '3' });
  });
});

describe.each(DATABASE_KINDS)('`cases` with a page out of range on %s', (kind) => {
  let db: DatabaseHandle;
  let cw: Casework;
  beforeAll(async () => {
    db = await createTestDb(kind);
    cw = createCasework({ store: createKyselyStore(db.db), clock: fixedClock('2026-11-27T10:00:00Z') }, FEATURES);
    await seedTeam(db.db, { people: [{ name: 'Olivia Officer', roles: ['officer'], slackUserId: 'U0PAGE' }] });
  });
  afterAll(async () => {
    await db?.close();
  });

  const refusal = { name: 'DomainError', code: 'invalid_input', message: 'Page numbers go from 1 to 10,000.' };

  it('is refused as a DomainError (shown to the user as it is), from the command and from a tampered Next page button', async () => {
    await expect(cw.handleText(slackDirect('U0PAGE'), 'cases 999999999999999999999')).rejects.toMatchObject(refusal);
    await expect(cw.handleAction(slackDirect('U0PAGE'), 'cases.page', { page: '99999' })).rejects.toMatchObject(refusal);
    expect(JSON.stringify(await cw.handleText(slackDirect('U0PAGE'), 'cases 2'))).toContain('My cases');
  });
});
