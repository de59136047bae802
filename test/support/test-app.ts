/**
 * Starts the real application for adapter tests: the real HTTP server, Bolt receiver and
 * botbuilder adapter, with Slack's Web API pointed at a loopback fake and a real database.
 */
import { startApplication, type Application, type ApplicationOverrides } from '../../src/app.ts';
import { loadConfig, type AppConfig } from '../../src/config/config.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { createLogger, type Logger } from '../../src/logging/logger.ts';
import { startFakeConnector, type FakeConnector } from './fake-bot-connector.ts';
import { startFakeSlackApi, type FakeSlackApi } from './fake-slack-api.ts';
import { createTestDb } from './test-db.ts';

/** The signing secret every test app uses. */
export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789';

/** A captured log: every line the app wrote, parsed. */
export interface CapturedLog {
  lines: Record<string, unknown>[];
  raw: () => string;
}

/** A running app with its fakes. */
export interface TestApp {
  app: Application;
  config: AppConfig;
  slackApi: FakeSlackApi;
  /** The loopback Bot Framework connector: use `connector.serviceUrl` on Teams activities. */
  connector: FakeConnector;
  database: DatabaseHandle;
  log: CapturedLog;
  logger: Logger;
  slackEventsUrl: string;
  teamsMessagesUrl: string;
  close(): Promise<void>;
}

/** Options: extra environment (e.g. MICROSOFT_APP_ID) and overrides such as a fixed clock. */
export interface TestAppOptions {
  env?: Record<string, string>;
  database?: DatabaseHandle;
  overrides?: Omit<ApplicationOverrides, 'database'>;
}

function captureLog(): { stream: NodeJS.WritableStream; log: CapturedLog } {
  const chunks: string[] = [];
  const stream = {
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  return {
    stream,
    log: {
      get lines() {
        return chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      },
      raw: () => chunks.join(''),
    },
  };
}

/** Starts the app on a free loopback port with Slack on (HTTP mode) and Teams in local or authenticated mode. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const slackApi = await startFakeSlackApi();
  const connector = await startFakeConnector();
  const database = options.database ?? (await createTestDb());
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_API_URL: slackApi.url,
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  // Tests exercise Teams without credentials unless they set MICROSOFT_APP_ID themselves.
  if (!config.teams.appId) config.localMode = true;
  config.playground = false;
  const { stream, log } = captureLog();
  const logger = createLogger('debug', stream);
  // Scheduled jobs would send reminders in the middle of other tests: on only when a test asks.
  const app = await startApplication(config, logger, { scheduler: false, ...options.overrides, database });
  return {
    app,
    config,
    slackApi,
    connector,
    database,
    log,
    logger,
    slackEventsUrl: `${app.url}/slack/events`,
    teamsMessagesUrl: `${app.url}/api/messages`,
    async close() {
      await app.stop();
      await slackApi.close();
      await connector.close();
      if (!options.database) await database.close();
    },
  };
}
