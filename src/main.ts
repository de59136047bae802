/**
 * The process entry for `npm start` / `casework serve`: reads the configuration, starts the
 * application (and the Agents Playground in local mode), and shuts down cleanly on a signal.
 * Nothing imports this module except the command-line dispatcher.
 */
import { startApplication, type Application } from './app.ts';
import { ConfigError, loadConfig, loadDotEnv, type AppConfig } from './config/config.ts';
import { createLogger, type Logger } from './logging/logger.ts';
import { systemClock } from './core/clock.ts';
import { createKyselyStore } from './db/kysely-store.ts';
import { ensureDemoData, ensureScaleDemo } from './local/demo-data.ts';
import type { RunningPlayground } from './local/playground.ts';

/** Starts serving; resolves once listening. Exits the process on a configuration error. */
export async function serve(): Promise<void> {
  loadDotEnv();
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n\nSee .env.example for every setting.\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  guardProcess(logger);

  const app = await startApplication(config, logger);
  let playground: RunningPlayground | undefined;
  let demo: { teamKey: string; created: boolean } | undefined;
  if (config.playground) {
    try {
      const { startPlayground } = await import('./local/playground.ts');
      playground = await startPlayground({ botEndpoint: `${app.url}/api/messages`, logger });
      demo =
        config.demo === 'scale'
          ? await ensureScaleDemo(app.database.db, await playground.config(), systemClock, `${playground.url}/_connector`)
          : await ensureDemoData(createKyselyStore(app.database.db), await playground.config(), systemClock, `${playground.url}/_connector`);
    } catch (error) {
      logger.error({ err: error }, 'the Agents Playground did not start; the bot is still serving');
    }
  }
  printBanner(config, app, playground, demo);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 10_000);
    timer.unref();
    await playground?.stop().catch((err: unknown) => logger.warn({ err }, 'playground stop failed'));
    await app.stop().catch((err: unknown) => logger.error({ err }, 'stop failed'));
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** An unexpected error anywhere is logged and counted; the process carries on serving. */
function guardProcess(logger: Logger): void {
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  process.on('uncaughtException', (error) => logger.error({ err: error }, 'uncaught exception'));
}

function printBanner(config: AppConfig, app: Application, playground: RunningPlayground | undefined, demo: { teamKey: string; created: boolean } | undefined): void {
  const lines = [
    '',
    `Casework is running at ${app.url} (database: ${app.database.kind === 'pglite' ? `embedded, in ${config.dataDir}` : 'PostgreSQL'}).`,
  ];
  if (config.localMode) {
    lines.push('Local mode: no Slack or Teams credentials are set, so Teams authentication is off and only this machine can connect.');
    if (playground) {
      lines.push('', `  Open ${playground.url} in your browser to talk to Casework in the Microsoft 365 Agents Playground.`, '');
      lines.push('Type "help" in the chat with Casework. You are Alex Wilber: officer, supervisor and admin of the demo team.');
      lines.push(
        config.demo === 'scale'
          ? 'To try Casework as one of the officers, begin a message with "as" and their first name: "as Megan due", "as Adele cases".'
          : 'To try Casework as someone else, begin a message with "as" and their first name: "as Megan due" (an officer), "as Isaiah discussions" (a supervisor), "as Lynne roster" (an admin).',
      );
      if (demo) lines.push(`${demo.created ? 'Created' : 'Using'} the demo team ${demo.teamKey} bound to the Playground's General channel${config.demo === 'scale' ? ', at real size (1,000 cases)' : ''}. Its cases are DEMO DATA.`);
    }
  }
  if (config.slack) lines.push(`Slack: ${config.slack.appToken ? 'Socket Mode' : `${app.url}/slack/events`}.`);
  if (config.teams.appId) lines.push(`Teams: ${app.url}/api/messages.`);
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
