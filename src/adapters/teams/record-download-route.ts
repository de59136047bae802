/**
 * GET /records/:token: where a one-time record link (Teams in local mode) leads. The core uses the
 * link up and audits it; the PDF is drawn here, after the transaction, and sent as an attachment.
 * A refused link gets a short page that says why, never a detail of the record.
 */
import type { RequestHandler } from 'express';
import { verifyRecord } from '../../core/supervision/case-record.ts';
import { takeRecordDownload } from '../../core/supervision/record-download.ts';
import type { Services } from '../../core/services.ts';
import type { Logger } from '../../logging/logger.ts';
import { renderRecordPdf } from '../../renderers/record/record-pdf.ts';

const REFUSED: Record<'unknown' | 'expired' | 'used', string> = {
  unknown: 'This link is not one Casework issued.',
  expired: 'This link has expired: links work for 10 minutes. Export the record again in Casework.',
  used: 'This link has already been used: each link works once. Export the record again in Casework.',
};

/** The route's handler. */
export function recordDownloadHandler(services: Pick<Services, 'store' | 'clock'>, logger: Logger): RequestHandler {
  return async (req, res, next) => {
    try {
      const outcome = await takeRecordDownload(services, String(req.params.token ?? ''));
      res.set('cache-control', 'no-store');
      if (!outcome.ok) {
        res.status(outcome.reason === 'unknown' ? 404 : 410).type('text/plain').send(`${REFUSED[outcome.reason]}\n`);
        return;
      }
      const { body, stated } = verifyRecord(outcome.markdown);
      const pdf = await renderRecordPdf({ body, sha256: stated, markdown: outcome.markdown });
      res.status(200).type('application/pdf').set('content-disposition', `attachment; filename="${outcome.filename}"`).send(pdf);
    } catch (error) {
      logger.error({ err: error }, 'record download failed');
      next(error);
    }
  };
}
