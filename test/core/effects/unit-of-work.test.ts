// The unit of work's promises, on PGlite and PostgreSQL: effects are written in the change's own
// transaction (rolled back with it, never sent), delivered only after commit, and a platform call
// made while a transaction is open is refused before it leaves the process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardNotifier } from '../../../src/adapters/shared/transaction-guards.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import { NetworkCallInTransactionError } from '../../../src/core/effects/transaction-scope.ts';
import { inTransaction } from '../../../src/core/unit-of-work.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createKyselyStore } from '../../../src/db/kysely-store.ts';
import { coreServices } from '../../support/core-services.ts';
import { seedTeam, type SeededTeam } from '../../support/factories.ts';
import { createFakeNotifier } from '../../support/fake-notifier.ts';
import { createTestDb, DATABASE_KINDS } from '../../support/test-db.ts';

describe.each(DATABASE_KINDS)('the unit of work on %s', (kind) => {
  let database: DatabaseHandle;
  let home: SeededTeam;
  const clock = fixedClock('2026-11-24T10:00:00Z');
  beforeAll(async () => {
    database = await createTestDb(kind);
    home = await seedTeam(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  const view = { kind: 'greeting' as const, title: 'Hello' };

  it('sends nothing and keeps nothing in the outbox when the change rolls back', async () => {
    const notifier = createFakeNotifier();
    const { services } = coreServices({ store: createKyselyStore(database.db), clock, notifier });
    const officer = home.members['Olivia Officer']!;
    await expect(
      inTransaction(services, home.team.id, async (_repos, effects) => {
        effects.add({ kind: 'person', memberId: officer.id, content: { view } });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(notifier.deliveries).toEqual([]);
    expect(await database.db.selectFrom('outbound_messages').select('id').where('member_id', '=', officer.id).execute()).toEqual([]);
  });

  it('delivers after commit, through the outbox row written with the change', async () => {
    const notifier = createFakeNotifier();
    const { services } = coreServices({ store: createKyselyStore(database.db), clock, notifier });
    const officer = home.members['Sam Supervisor']!;
    const handle = await inTransaction(services, home.team.id, async (_repos, effects) => effects.add({ kind: 'person', memberId: officer.id, content: { view } }, { await: true }));
    expect(handle.outcome).toMatchObject({ status: 'sent' });
    expect(notifier.deliveries.map((d) => [d.op, d.to])).toEqual([['sendToPerson', officer.id]]);
    const row = await database.db.selectFrom('outbound_messages').selectAll().where('id', '=', handle.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', kind: 'effect:person', member_id: officer.id });
  });

  it('refuses a platform call made inside a transaction, and a read outside it', async () => {
    const store = createKyselyStore(database.db);
    const notifier = guardNotifier(createFakeNotifier());
    const identity = { id: 'i', memberId: 'm', teamId: home.team.id, platform: 'slack' as const, workspaceId: 'T', userId: 'U', displayName: null, linked: true, conversationRef: null };
    await expect(store.transaction(() => notifier.sendToPerson(identity, view))).rejects.toBeInstanceOf(NetworkCallInTransactionError);
    await expect(store.transaction(() => store.read((repos) => repos.teams.findById(home.team.id)))).rejects.toThrow(/inside a transaction/);
    // Outside a transaction the same call goes through.
    await expect(notifier.sendToPerson(identity, view)).resolves.toMatchObject({ platform: 'slack' });
  });
});
