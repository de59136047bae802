/**
 * The Teams HTTP endpoint (`POST /api/messages`): the guard in front of the Bot Framework adapter.
 * A request without a bearer token (when authentication is on), a body that is not JSON, too
 * large, or not an activity is answered at once with a 4xx and a short generic body; only a
 * well-formed activity reaches botbuilder, which checks the token (401) and runs the turn.
 * botbuilder's own `process()` answers 500 with its error text for such input and prints errors
 * to the console, so this endpoint calls the adapter directly and writes the response itself.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Activity, TurnContext } from 'botbuilder';
import { newErrorReference } from '../../core/errors.ts';
import { fingerprint } from '../../logging/fingerprint.ts';
import type { Logger } from '../../logging/logger.ts';
import { containsNul, issuePaths, refuse, refusalStatusOf } from '../shared/http-refusal.ts';
import { activitySchema } from './teams-activity-schema.ts';
import type { CaseworkCloudAdapter } from './teams-adapter.ts';

/** Teams messages are at most about 100 KB; a body past this is not one. */
export const TEAMS_BODY_LIMIT_BYTES = 512 * 1024;

/** What the endpoint needs. */
export interface TeamsEndpointOptions {
  adapter: CaseworkCloudAdapter;
  /** Runs the bot for one turn. */
  run: (context: TurnContext) => Promise<void>;
  /** True when an app id is configured and every activity must carry a valid token. */
  authentication: boolean;
  logger: Logger;
}

const BEARER = /^Bearer [A-Za-z0-9\-_.~+/]+=*$/;

/** The handlers to mount on `POST /api/messages`, in order. */
export function teamsEndpoint(options: TeamsEndpointOptions): RequestHandler[] {
  const logger = options.logger.child({ platform: 'teams', endpoint: '/api/messages' });
  const schema = activitySchema({ loopbackServiceUrl: !options.authentication });
  const parseJson = express.json({ limit: TEAMS_BODY_LIMIT_BYTES, strict: true });

  // No token, no reading: with authentication on, a request without one is refused before its body.
  const requireBearer: RequestHandler = (req, res, next) => {
    if (options.authentication && !BEARER.test(req.get('authorization') ?? '')) {
      refuse(res, logger, 401, 'no bearer token');
      return;
    }
    next();
  };

  // Body parser failures (malformed JSON, too large, wrong charset) end here, not in the 500 handler.
  const parse: RequestHandler = (req, res, next) => {
    parseJson(req, res, (error?: unknown) => {
      if (error === undefined) return next();
      const status = refusalStatusOf(error) ?? 400;
      refuse(res, logger, status, (error as { type?: string }).type ?? 'unreadable body', { length: Number(req.get('content-length') ?? NaN) || undefined });
    });
  };

  const handle = async (req: Request, res: Response, _next: NextFunction) => {
    if (containsNul(req.body)) {
      refuse(res, logger, 400, 'NUL character', fingerprint(JSON.stringify(req.body) ?? ''));
      return;
    }
    const parsed = schema.safeParse(req.body);
    if (!parsed.success) {
      refuse(res, logger, 400, 'not an activity', { fields: issuePaths(parsed.error.issues), ...fingerprint(JSON.stringify(req.body) ?? '') });
      return;
    }
    const activity = withDates(parsed.data as unknown as Activity);
    try {
      const invokeResponse = await options.adapter.handleActivity(req.get('authorization') ?? '', activity, options.run);
      if (res.headersSent) return;
      // botbuilder answers an invoke nothing handled (an unknown name) with 501: the sender asked
      // for something this bot does not offer, which is a bad request, not a server failure.
      if (invokeResponse?.status === 501) {
        refuse(res, logger, 400, 'invoke not handled', { activityType: activity.type });
        return;
      }
      res.status(invokeResponse?.status ?? 200);
      if (invokeResponse?.body !== undefined) res.send(invokeResponse.body);
      else res.end();
    } catch (error) {
      if ((error as { statusCode?: unknown }).statusCode === 401) {
        refuse(res, logger, 401, 'token not accepted');
        return;
      }
      // A well-formed activity whose turn failed outside the bot's own error handling.
      const reference = newErrorReference();
      logger.error({ reference, err: error, activityType: activity.type }, 'could not process an activity');
      if (!res.headersSent) res.status(500).json({ error: 'internal error', reference });
    }
  };

  return [requireBearer, parse, handle];
}

/** What botbuilder's own request handling does to an activity's times: strings become Dates, the text kept. */
function withDates(activity: Activity): Activity {
  const raw = activity as unknown as Record<string, unknown>;
  for (const [field, rawField] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const) {
    if (typeof raw[field] === 'string') {
      raw[rawField] = raw[field];
      raw[field] = new Date(raw[field]);
    }
  }
  return activity;
}
