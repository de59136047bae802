/**
 * A case record as a file in Teams, through the personal chat's file-consent flow:
 *
 * 1. `createTeamsFileDelivery` (a `file` effect, after commit): a file-consent card in the
 *    person's own chat, naming the PDF and its size. Its accept and decline contexts carry only the
 *    opaque offer id; the record waits in `record_downloads` for 10 minutes at most.
 * 2. `createFileConsentAnswer` (the `fileConsent/invoke` Teams sends when they answer): on accept,
 *    the offer is used up in a short transaction, the PDF is drawn and PUT to the upload session
 *    Teams opened in their OneDrive (`uploadInfo.uploadUrl`, one request with `Content-Range`), and
 *    a file info card is sent so the file shows in the chat; the hand-over is audited afterwards.
 *    On decline they are told nothing was sent. A refused answer (unknown, expired, already
 *    answered, someone else's) is told privately.
 *
 * The invoke is answered when the turn ends: CloudAdapter.process writes the invoke response only
 * once the bot's turn has finished, and the TurnContext cannot send after that, so the upload is
 * done inside the turn, bounded by {@link UPLOAD_TIMEOUT_MS} to stay within Teams' invoke time limit.
 * Nothing here logs the record or the file: only ids, sizes and status codes.
 */
import { createHash } from 'node:crypto';
import type { Activity, FileConsentCardResponse, TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { FileDelivery } from '../../core/discussions/discussion-ports.ts';
import { DeliveryError } from '../../core/ports.ts';
import type { Services } from '../../core/services.ts';
import { verifyRecord } from '../../core/supervision/case-record.ts';
import { OFFER_REFUSED, answerRecordFileOffer, recordFileHandOver } from '../../core/supervision/record-file-consent.ts';
import type { Logger } from '../../logging/logger.ts';
import { renderRecordPdf } from '../../renderers/record/record-pdf.ts';
import { teamsContext } from './teams-context.ts';
import type { TeamsNotifier } from './teams-notifier.ts';

/** The card Teams draws as "Casework wants to send you a file: Accept / Decline". */
export const FILE_CONSENT_CARD = 'application/vnd.microsoft.teams.card.file.consent';
/** The card that shows an uploaded file in the chat. */
export const FILE_INFO_CARD = 'application/vnd.microsoft.teams.card.file.info';

/** The longest the upload may take: Teams gives up on an invoke after about 15 seconds. */
export const UPLOAD_TIMEOUT_MS = 10_000;

/** The PDF of a Markdown case record (body and stated hash from its footer). */
function recordPdf(markdown: string): Promise<Buffer> {
  const { body, stated } = verifyRecord(markdown);
  return renderRecordPdf({ body, sha256: stated, markdown });
}

/** Creates the Teams file delivery: a file-consent card for an offered file, nothing else. */
export function createTeamsFileDelivery(notifier: Pick<TeamsNotifier, 'sendActivityToPerson'>): FileDelivery {
  return {
    supports: (platform, file) => platform === 'teams' && file?.offer !== undefined,
    async sendToUser(user, file) {
      if (!file.offer) throw new DeliveryError('permanent', 'not_an_offer');
      const name = file.recordPdf?.filename ?? file.filename;
      // The size Teams shows and reserves: the PDF as it will be drawn on acceptance (the drawing
      // depends only on the record, so it is the same bytes).
      const bytes = file.recordPdf ? (await recordPdf(file.content.toString('utf8'))).length : file.content.length;
      const context = { offerId: file.offer.offerId };
      const activity: Partial<Activity> = {
        type: 'message',
        text: `${file.title}: accept the file to have it saved to your OneDrive and shown here.`,
        attachments: [
          {
            contentType: FILE_CONSENT_CARD,
            name,
            content: {
              description: `${file.title}. A PDF with its Markdown attached inside; check it with: casework verify record FILE. The offer lasts 10 minutes.`,
              sizeInBytes: bytes,
              acceptContext: context,
              declineContext: context,
            },
          },
        ],
      };
      await notifier.sendActivityToPerson({ userId: user.userId, workspaceId: user.workspaceId, conversationRef: user.conversationRef ?? null }, activity);
    },
  };
}

const offerContext = z.object({ offerId: z.string().min(1).max(100) });
const uploadInfo = z.object({
  name: z.string().min(1).max(400),
  uploadUrl: z.string().url().max(4000),
  contentUrl: z.string().url().max(4000),
  uniqueId: z.string().min(1).max(400),
  fileType: z.string().max(40).optional(),
});

/** Only https, or http on this machine (the loopback fake in tests, local mode). */
function uploadUrlAllowed(raw: string): boolean {
  const url = new URL(raw);
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]');
}

/** PUTs the whole file to a OneDrive upload session in one request. Returns an error code, or undefined when stored. */
async function upload(url: string, bytes: Buffer): Promise<string | undefined> {
  try {
    const response = await fetch(url, {
      method: 'PUT',
      headers: { 'content-range': `bytes 0-${bytes.length - 1}/${bytes.length}` },
      body: bytes,
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.status === 200 || response.status === 201 ? undefined : `http_${response.status}`;
  } catch (error) {
    return (error as { name?: string }).name === 'TimeoutError' ? 'timeout' : 'request_error';
  }
}

/** Handles a `fileConsent/invoke`: never throws, always tells the person privately what happened. */
export function createFileConsentAnswer(services: Pick<Services, 'store' | 'clock'>, logger: Logger) {
  const log = logger.child({ op: 'file-consent' });
  const say = async (context: TurnContext, text: string): Promise<void> => {
    await context.sendActivity({ type: 'message', text });
  };

  return async function answer(context: TurnContext, value: FileConsentCardResponse | undefined): Promise<void> {
    try {
      const action = value?.action;
      const parsedContext = offerContext.safeParse(value?.context);
      if ((action !== 'accept' && action !== 'decline') || !parsedContext.success) {
        await say(context, 'Casework could not read this answer to a file offer, so nothing was sent.');
        return;
      }
      if (context.activity.conversation?.conversationType && context.activity.conversation.conversationType !== 'personal') {
        await say(context, 'Files are offered only in your personal chat with Casework, so nothing was sent.');
        return;
      }
      const user = teamsContext(context.activity).user;
      const info = action === 'accept' ? uploadInfo.safeParse(value?.uploadInfo) : undefined;
      if (info && (!info.success || !uploadUrlAllowed(info.data.uploadUrl))) {
        await say(context, 'Teams did not say where to save the file, so nothing was sent. Export the record again and accept the new offer.');
        return;
      }
      const outcome = await answerRecordFileOffer(services, user, parsedContext.data.offerId, action);
      if (!outcome.ok) {
        log.info({ refused: outcome.reason }, 'file offer answer refused');
        await say(context, OFFER_REFUSED[outcome.reason]);
        return;
      }
      if (outcome.answer === 'decline') {
        await say(context, 'You declined the file, so nothing was sent. The offer is withdrawn; export the record again if you need it.');
        return;
      }
      const target = info!.data!;
      // The offer is used up now: whatever goes wrong from here is audited as a failed hand-over.
      let pdf: Buffer = Buffer.alloc(0);
      let failed: string | undefined;
      try {
        pdf = await recordPdf(outcome.offer.markdown);
        failed = await upload(target.uploadUrl, pdf);
      } catch (error) {
        log.error({ err: error, offerId: outcome.offer.offerId }, 'could not draw the record to upload');
        failed = 'draw_failed';
      }
      if (failed) {
        log.warn({ failed, offerId: outcome.offer.offerId, bytes: pdf.length }, 'record upload to OneDrive failed');
        await recordFileHandOver(services, outcome.offer, { sent: false, code: failed });
        await say(context, 'Casework could not save the file to your OneDrive, so the record was not sent. Export it again and accept the new offer.');
        return;
      }
      await recordFileHandOver(services, outcome.offer, { sent: true, pdfSha256: createHash('sha256').update(pdf).digest('hex'), bytes: pdf.length });
      await context.sendActivity({
        type: 'message',
        attachments: [{ contentType: FILE_INFO_CARD, name: target.name, contentUrl: target.contentUrl, content: { uniqueId: target.uniqueId, fileType: target.fileType ?? 'pdf' } }],
      });
    } catch (error) {
      log.error({ err: error }, 'could not answer a file offer');
      await say(context, 'Something went wrong with this file offer, so nothing was sent. Export the record again.').catch(() => undefined);
    }
  };
}
