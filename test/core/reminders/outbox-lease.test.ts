// The outbox's claims are leases (on PGlite and PostgreSQL): a message claimed by a process that
// died is taken over once its 60-second lease lapses, so it goes out within a minute; a worker
// still sending (a slow platform) renews its lease, so nobody else sends the message meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import { deliverOutbox } from '../../../src/core/reminders/deliver-outbox.ts';
import type { DeliveryServices } from '../../../src/core/services.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createKyselyStore, reposFor } from '../../../src/db/kysely-store.ts';
import { seedTeam, type SeededTeam } from '../../support/factories.ts';
import { createFakeNotifier, type FakeNotifier } from '../../support/fake-notifier.ts';
import { createTestDb, DATABASE_KINDS } from '../../support/test-db.ts';

describe.each(DATABASE_KINDS)('outbox leases on %s', (kind) => {
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

  async function queueNotice(tag: string): Promise<string> {
    const id = crypto.randomUUID();
    const member = home.members['Olivia Officer']!;
    await reposFor(database.db).reminders.enqueue({
      id,
      teamId: home.team.id,
      memberId: member.id,
      kind: 'effect:person',
      forDate: null,
      dedupeKey: `lease-test:${tag}`,
      platform: 'slack',
      sendAfter: clock.now(),
      sendBefore: null,
      payload: { kind: 'person', memberId: member.id, content: { view: { kind: 'test', title: `Notice ${tag}` } } },
    });
    return id;
  }

  const services = (notifier: FakeNotifier): DeliveryServices => ({ store: createKyselyStore(database.db), clock, notifier });

  it("takes over a dead worker's claim once its lease lapses, and sends the message once", async () => {
    const id = await queueNotice('dead');
    // A worker claims the message and dies before sending it.
    const claimed = await createKyselyStore(database.db).transaction((repos) => repos.reminders.claim('dead-worker', clock.now(), 10, new Date(0)));
    expect(claimed.map((m) => m.id)).toContain(id);

    const notifier = createFakeNotifier();
    clock.advance(30_000);
    await deliverOutbox(services(notifier), clock.now(), { workerId: 'survivor' });
    expect(notifier.deliveries).toEqual([]);
    // Past the 60-second lease: the survivor takes it over.
    clock.advance(31_000);
    await deliverOutbox(services(notifier), clock.now(), { workerId: 'survivor' });
    expect(notifier.deliveries.map((d) => d.view.title)).toEqual(['Notice dead']);
    await deliverOutbox(services(notifier), clock.now(), { workerId: 'survivor' });
    expect(notifier.deliveries).toHaveLength(1);
  });

  it('keeps the claim of a worker still sending to a slow platform', async () => {
    await queueNotice('slow');
    let release!: () => void;
    const slowNotifier = createFakeNotifier();
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow: FakeNotifier = { ...slowNotifier, sendToPerson: async (identity, view) => (await held, slowNotifier.sendToPerson(identity, view)) };
    // A short lease, renewed every third of it, so the test need not wait a minute.
    const sending = deliverOutbox(services(slow), clock.now(), { workerId: 'slow-worker', leaseSeconds: 0.3 });
    const claimedAt = async () => (await database.db.selectFrom('outbound_messages').select('claimed_at').where('dedupe_key', '=', 'lease-test:slow').executeTakeFirstOrThrow()).claimed_at;
    for (let i = 0; i < 200 && !(await claimedAt()); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    // Time passes while the platform hangs; the sending worker renews its lease.
    const first = (await claimedAt())!;
    clock.advance(10 * 60_000);
    for (let i = 0; i < 200 && (await claimedAt())!.getTime() === first.getTime(); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    const rival = createFakeNotifier();
    await deliverOutbox(services(rival), clock.now(), { workerId: 'rival', leaseSeconds: 0.3 });
    expect(rival.deliveries).toEqual([]);
    release();
    await sending;
    expect(slowNotifier.deliveries.map((d) => d.view.title)).toEqual(['Notice slow']);
  });
});
