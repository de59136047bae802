/**
 * Private file delivery on Slack (record exports): the file is uploaded with `files.uploadV2`
 * straight into the person's direct messages with Casework, never into a channel.
 */
import type { webApi } from '@slack/bolt';
import type { FileDelivery } from '../../core/discussions/discussion-ports.ts';
import { toDeliveryError } from './slack-notifier.ts';

/** Creates the Slack file delivery over a Web API client. */
export function createSlackFileDelivery(client: webApi.WebClient): FileDelivery {
  return {
    supports: (platform) => platform === 'slack',
    async sendToUser(user, file) {
      try {
        const opened = await client.conversations.open({ users: user.userId });
        const channel = opened.channel?.id;
        if (!channel) throw new Error('no direct message channel');
        await client.files.uploadV2({ channel_id: channel, file: file.content, filename: file.filename, title: file.title, initial_comment: file.comment });
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
  };
}
