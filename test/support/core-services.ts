/**
 * The core's services for core tests, wired the way src/app.ts wires them: a real store, the
 * effect runner delivering after commit through the given notifier (waiting for every effect, so
 * a test can look at what was sent as soon as the command answers), and the same transaction
 * guards around the platform ports.
 */
import type { Clock } from '../../src/core/clock.ts';
import { createEffectRunner, type EffectRunner } from '../../src/core/effects/effect-delivery.ts';
import type { Notifier, PeopleDirectory, Store } from '../../src/core/ports.ts';
import type { DeliveryServices, Services } from '../../src/core/services.ts';
import { guardNotifier } from '../../src/adapters/shared/transaction-guards.ts';
import type { FileDelivery } from '../../src/core/discussions/discussion-ports.ts';
import type { HomePublisher } from '../../src/core/reminders/reminder-ports.ts';

/** What a core test gets: the core's services, delivery's, and the runner. */
export interface TestServices {
  services: Services;
  delivery: DeliveryServices;
  effects: EffectRunner;
}

/** Wires core services around a store, a clock and (optionally) a notifier. */
export function coreServices(options: {
  store: Store;
  clock: Clock;
  notifier?: Notifier;
  directory?: PeopleDirectory;
  files?: FileDelivery;
  homes?: HomePublisher;
  random?: () => number;
  waitForAll?: boolean;
}): TestServices {
  const delivery: DeliveryServices = {
    store: options.store,
    clock: options.clock,
    ...(options.notifier ? { notifier: guardNotifier(options.notifier) } : {}),
    ...(options.directory ? { directory: options.directory } : {}),
    ...(options.files ? { files: options.files } : {}),
    ...(options.homes ? { homes: options.homes } : {}),
  };
  const effects = createEffectRunner(delivery, { workerId: 'test-worker', waitForAll: options.waitForAll ?? true, random: () => 0.5 });
  const services: Services = {
    store: options.store,
    clock: options.clock,
    effects,
    ...(options.directory ? { directory: options.directory } : {}),
    ...(options.random ? { random: options.random } : {}),
  };
  return { services, delivery, effects };
}
