/**
 * Routes proactive messages to the notifier of the right platform. The core is built before the
 * adapters, so each adapter registers its notifier once it exists; a platform that is off has
 * none, and sending there is a permanent delivery failure the outbox reports.
 */
import type { Platform } from '../../core/interaction.ts';
import { DeliveryError, type Notifier } from '../../core/ports.ts';

/** The delivery code for a platform whose forms cannot be sent as messages (Slack: modals only). */
export const FORMS_NOT_SUPPORTED = 'forms_not_supported';

/** A Notifier that forwards to the notifier registered for each platform. */
export interface PlatformNotifier extends Notifier {
  register(platform: Platform, notifier: Notifier): void;
}

/** Creates an empty routing notifier. */
export function createPlatformNotifier(): PlatformNotifier {
  const byPlatform = new Map<Platform, Notifier>();
  const of = (platform: Platform): Notifier => {
    const notifier = byPlatform.get(platform);
    if (!notifier) throw new DeliveryError('permanent', `${platform}_not_configured`);
    return notifier;
  };
  return {
    register(platform, notifier) {
      byPlatform.set(platform, notifier);
    },
    sendToPerson: (identity, view) => of(identity.platform).sendToPerson(identity, view),
    postToChannel: (channel, view) => of(channel.platform).postToChannel(channel, view),
    replyInThread: (root, view) => of(root.platform).replyInThread(root, view),
    update: (ref, view) => of(ref.platform).update(ref, view),
    sendFormToPerson: async (identity, form) => {
      const target = of(identity.platform);
      if (!target.sendFormToPerson) throw new DeliveryError('permanent', FORMS_NOT_SUPPORTED);
      return target.sendFormToPerson(identity, form);
    },
  };
}
