/**
 * Private file delivery on Slack (record exports): the file is uploaded with `files.uploadV2`
 * straight into the person's direct messages with Casework, never into a channel.
 */
import type { webApi } from '@slack/bolt';
import type { FileDelivery } from '../../core/discussions/discussion-ports.ts';
import { verifyRecord } from '../../core/supervision/case-record.ts';
import { renderRecordPdf } from '../../renderers/record/record-pdf.ts';
import { toDeliveryError } from './slack-notifier.ts';

/** The PDF of a Markdown case record (body and stated hash from its footer). */
export function recordPdfOf(markdown: Buffer): Promise<Buffer> {
  const text = markdown.toString('utf8');
  const { body, stated } = verifyRecord(text);
  return renderRecordPdf({ body, sha256: stated, markdown: text });
}

/** Creates the Slack file delivery over a Web API client. */
export function createSlackFileDelivery(client: webApi.WebClient): FileDelivery {
  return {
    supports: (platform) => platform === 'slack',
    async sendToUser(user, file) {
      try {
        const opened = await client.conversations.open({ users: user.userId });
        const channel = opened.channel?.id;
        if (!channel) throw new Error('no direct message channel');
        const uploads = [{ file: file.content, filename: file.filename, title: file.title }];
        // A case record goes as its PDF too, drawn here (after commit, outside any transaction).
        if (file.recordPdf) uploads.unshift({ file: await recordPdfOf(file.content), filename: file.recordPdf.filename, title: file.recordPdf.title });
        await client.files.uploadV2({ channel_id: channel, file_uploads: uploads, initial_comment: file.comment });
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
  };
}
