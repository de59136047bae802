/**
 * Slack's App Home tab as "my deadlines": built by the core when the member opens the tab
 * (`app_home_opened` → `views.publish`), and republished by the core through the HomePublisher
 * port whenever one of their deadlines changes.
 */
import type { App, webApi } from '@slack/bolt';
import type { Casework } from '../../core/casework.ts';
import type { HomePublisher } from '../../core/reminders/reminder-ports.ts';
import type { MessageView } from '../../core/views/message-view.ts';
import type { Logger } from '../../logging/logger.ts';
import { renderMessageBlocks } from '../../renderers/block-kit/message-blocks.ts';
import { safeReply } from '../shared/safe-reply.ts';
import { slackContext } from './slack-context.ts';

/** Slack's limit on blocks in a home view. */
const HOME_BLOCK_LIMIT = 100;

/** A MessageView as a Slack home view. */
export function renderHomeView(view: MessageView): { type: 'home'; blocks: unknown[] } {
  return { type: 'home', blocks: renderMessageBlocks(view, HOME_BLOCK_LIMIT).blocks };
}

/** Publishes home views with `views.publish`. */
export function createSlackHomePublisher(client: webApi.WebClient): HomePublisher {
  return {
    async publish(identity, view) {
      await client.views.publish({ user_id: identity.userId, view: renderHomeView(view) as never });
    },
  };
}

/** Answers `app_home_opened` on the Home tab with the member's deadlines. */
export function registerAppHome(app: App, casework: Casework, logger: Logger): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const ctx = slackContext({ teamId: body.team_id, userId: event.user, channelType: 'im' });
    const reply = await safeReply(logger, { op: 'app-home' }, () => casework.handleAction(ctx, 'reminder.home', {}));
    if (reply.type !== 'message' && reply.type !== 'update') return;
    try {
      await client.views.publish({ user_id: event.user, view: renderHomeView(reply.view) as never });
    } catch (error) {
      logger.warn({ err: error, op: 'app-home' }, 'could not publish the home tab');
    }
  });
}
