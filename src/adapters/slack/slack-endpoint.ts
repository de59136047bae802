/**
 * The guard in front of Bolt's receiver on `POST /slack/events`. It reads the body (413 past the
 * limit), checks Slack's signature with Bolt's own `verifySlackRequest` (401), parses it the way
 * Bolt does (400) and checks its shape (400), answering at once with a short generic body and
 * logging the reason with the body's length and hash, never its content. What passes goes on to
 * Bolt's ExpressReceiver, which reads the same bytes from `req.rawBody` and verifies them again.
 */
import { parse as parseQuery } from 'node:querystring';
import { verifySlackRequest } from '@slack/bolt';
import express, { type RequestHandler } from 'express';
import { fingerprint } from '../../logging/fingerprint.ts';
import type { Logger } from '../../logging/logger.ts';
import { containsNul, issuePaths, refuse, refusalStatusOf } from '../shared/http-refusal.ts';
import { checkSlackBody } from './slack-payload-schema.ts';

/** Slack's largest payloads (a modal of 100 blocks with its state) are a few hundred KB. */
export const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;

/** Bolt's rule: form-encoded bodies carry interactivity JSON in `payload`; anything else is JSON. */
function parseSlackBody(text: string, contentType: string | undefined): unknown {
  if (contentType === 'application/x-www-form-urlencoded') {
    const form = parseQuery(text);
    return typeof form.payload === 'string' ? JSON.parse(form.payload) : { ...form };
  }
  return JSON.parse(text);
}

/** The handlers to mount on `POST /slack/events` ahead of Bolt's receiver. */
export function slackEndpoint(options: { signingSecret: string; logger: Logger }): RequestHandler[] {
  const logger = options.logger.child({ endpoint: '/slack/events' });
  // Bytes as they came: the signature covers them exactly, so no decompression and no charset.
  const readBody = express.raw({ type: () => true, limit: SLACK_BODY_LIMIT_BYTES, inflate: false });

  const read: RequestHandler = (req, res, next) => {
    readBody(req, res, (error?: unknown) => {
      if (error === undefined) return next();
      refuse(res, logger, refusalStatusOf(error) ?? 400, (error as { type?: string }).type ?? 'unreadable body');
    });
  };

  const check: RequestHandler = (req, res, next) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const text = raw.toString('utf8');
    try {
      verifySlackRequest({
        signingSecret: options.signingSecret,
        body: text,
        headers: {
          'x-slack-signature': req.get('x-slack-signature') ?? '',
          'x-slack-request-timestamp': Number(req.get('x-slack-request-timestamp')),
        },
      });
    } catch {
      refuse(res, logger, 401, 'signature not valid', fingerprint(raw));
      return;
    }
    let body: unknown;
    try {
      body = parseSlackBody(text, req.get('content-type'));
    } catch {
      // JSON.parse's message quotes the input: only its length and hash are logged.
      refuse(res, logger, 400, 'body is not JSON', fingerprint(raw));
      return;
    }
    if (containsNul(body)) {
      refuse(res, logger, 400, 'NUL character', fingerprint(raw));
      return;
    }
    const checked = checkSlackBody(body);
    if (!checked.ok) {
      refuse(res, logger, 400, checked.reason, { fields: issuePaths(checked.issues), ...fingerprint(raw) });
      return;
    }
    // Bolt's receiver reads `rawBody` when it is there (as on Google Cloud Functions) instead of the stream.
    (req as { rawBody?: Buffer }).rawBody = raw;
    next();
  };

  return [read, check];
}
