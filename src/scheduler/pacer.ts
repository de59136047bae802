/**
 * Paces proactive sends inside each platform's rate limits (docs/platforms.md): a token bucket per
 * platform for the app as a whole and one per conversation, and a pause for the whole platform
 * when it answers 429 with Retry-After.
 */
import type { Platform } from '../core/interaction.ts';
import type { Pacer } from '../core/reminders/deliver-outbox.ts';

/** Rates for one platform: messages per second for the app and per conversation. */
export interface PlatformRate {
  perSecond: number;
  perConversationPerSecond: number;
}

/** Defaults under the documented limits: Slack about 1/s per channel; Teams 7/s per conversation, ~50/s per tenant. */
export const DEFAULT_RATES: Record<Platform, PlatformRate> = {
  slack: { perSecond: 20, perConversationPerSecond: 1 },
  teams: { perSecond: 40, perConversationPerSecond: 5 },
};

/** Creates a pacer; `now` and `sleep` are injectable so it can be tested without waiting. */
export function createPacer(
  rates: Record<Platform, PlatformRate> = DEFAULT_RATES,
  now: () => number = Date.now,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Pacer {
  // Next instant (ms) each platform, and each conversation, may send again.
  const nextForPlatform = new Map<Platform, number>();
  const nextForConversation = new Map<string, number>();
  return {
    async wait(platform, conversationKey) {
      const rate = rates[platform];
      const key = `${platform}:${conversationKey}`;
      const at = Math.max(now(), nextForPlatform.get(platform) ?? 0, nextForConversation.get(key) ?? 0);
      nextForPlatform.set(platform, at + 1000 / rate.perSecond);
      nextForConversation.set(key, at + 1000 / rate.perConversationPerSecond);
      if (nextForConversation.size > 10_000) nextForConversation.clear();
      const delay = at - now();
      if (delay > 0) await sleep(delay);
    },
    backOff(platform, seconds) {
      nextForPlatform.set(platform, Math.max(nextForPlatform.get(platform) ?? 0, now() + seconds * 1000));
    },
  };
}
