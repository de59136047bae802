/**
 * The one HTTP server: Teams at /api/messages, Slack at /slack/events (each guarded by its
 * adapter's endpoint), and /healthz, /readyz, /metrics for operators. Request logs carry the
 * route, status and duration, never a body. Bad requests get a 4xx with a short generic body;
 * only a failure of our own is a 5xx.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Application, type RequestHandler } from 'express';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from './metrics.ts';
import { REFUSALS, refusalStatusOf } from '../adapters/shared/http-refusal.ts';

/**
 * Idle keep-alive connections are kept longer than load balancers keep theirs (AWS ALB and
 * Azure Application Gateway default to 60 s, Google's to 600 s for backends that say so), so the
 * balancer, not this server, closes them: otherwise it may reuse a connection just as we close
 * it and the client sees a reset. Headers must be allowed to take longer than that idle time.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
export const HEADERS_TIMEOUT_MS = 66_000;
/** A whole request (headers and body) must arrive within this; a trickled body is cut off. */
export const REQUEST_TIMEOUT_MS = 120_000;

const KNOWN_ROUTES = new Set(['/api/messages', '/slack/events', '/healthz', '/readyz', '/metrics']);

/** What the server needs from the rest of the app. */
export interface HttpServerOptions {
  logger: Logger;
  metrics: Metrics;
  isReady: () => Promise<boolean>;
}

/** The express app before it listens: the Slack adapter mounts its receiver on it. */
export function createExpressApp(options: HttpServerOptions): Application {
  const app = express();
  app.disable('x-powered-by');
  const { logger, metrics } = options;

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = KNOWN_ROUTES.has(req.path) ? req.path : 'other';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequests.inc({ route, method: req.method, status: String(res.statusCode) });
      metrics.httpDuration.observe({ route }, seconds);
      if (route !== '/healthz' && route !== '/metrics') {
        logger.debug({ route, method: req.method, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'http request');
      }
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await options.isReady();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return app;
}

/** Mounts the Bot Framework endpoint (its handlers come from the Teams adapter's `teamsEndpoint`). */
export function mountTeams(app: Application, handlers: RequestHandler[]): void {
  app.post('/api/messages', ...handlers);
}

/** Adds the final handlers (404 and the error handler that never leaks details). */
export function finishRoutes(app: Application, logger: Logger, metrics: Metrics): void {
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // A body parser's refusal (malformed, too large, wrong charset) is the client's mistake.
    const refusal = refusalStatusOf(error);
    if (refusal) {
      logger.info({ status: refusal, reason: (error as { type?: unknown }).type, route: KNOWN_ROUTES.has(req.path) ? req.path : 'other' }, 'request refused');
      if (!res.headersSent) res.status(refusal).json({ error: REFUSALS[refusal] });
      return;
    }
    metrics.errors.inc({ platform: 'http', kind: 'unhandled' });
    logger.error({ err: error }, 'unhandled http error');
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  });
}

/** Starts listening; resolves with the server and the port actually bound. */
export async function listen(app: Application, port: number, host: string): Promise<{ server: Server; port: number }> {
  const server = createServer(app);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
