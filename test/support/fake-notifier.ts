/**
 * An in-memory Notifier for core tests: records every message sent, and can be told to fail
 * (rate limit, permanent) for the next deliveries. Adapter tests use the real notifiers against
 * the loopback Slack and connector fakes instead.
 */
import type { ChannelBinding, PlatformIdentity } from '../../src/core/domain/entities.ts';
import { DeliveryError, type MessageRef, type Notifier } from '../../src/core/ports.ts';
import type { MessageView } from '../../src/core/views/message-view.ts';

/** One recorded delivery. */
export interface Delivery {
  op: 'sendToPerson' | 'postToChannel' | 'replyInThread' | 'update';
  to: string;
  view: MessageView;
  ref: MessageRef;
}

/** The fake and what it saw. */
export interface FakeNotifier extends Notifier {
  deliveries: Delivery[];
  /** Makes the next `times` deliveries fail with this error. */
  failNext(error: DeliveryError, times?: number): void;
  reset(): void;
}

/** Creates a recording notifier. */
export function createFakeNotifier(): FakeNotifier {
  let n = 0;
  let failures: DeliveryError[] = [];
  const deliveries: Delivery[] = [];
  const record = (op: Delivery['op'], to: string, view: MessageView, platform: MessageRef['platform'], conversationId: string, messageId?: string): MessageRef => {
    const failure = failures.shift();
    if (failure) throw failure;
    n += 1;
    const ref: MessageRef = { platform, conversationId, messageId: messageId ?? `m${n}` };
    deliveries.push({ op, to, view, ref });
    return ref;
  };
  return {
    deliveries,
    failNext(error, times = 1) {
      failures = [...failures, ...Array.from({ length: times }, () => error)];
    },
    reset() {
      deliveries.length = 0;
      failures = [];
    },
    async sendToPerson(identity: PlatformIdentity, view) {
      return record('sendToPerson', identity.memberId, view, identity.platform, `dm:${identity.userId}`);
    },
    async postToChannel(channel: ChannelBinding, view) {
      return record('postToChannel', channel.channelId, view, channel.platform, channel.channelId);
    },
    async replyInThread(root, view) {
      return record('replyInThread', root.messageId, view, root.platform, root.conversationId);
    },
    async update(ref, view) {
      record('update', ref.messageId, view, ref.platform, ref.conversationId, ref.messageId);
    },
  };
}

export { DeliveryError };
