/**
 * Assembles one Casework process from a configuration: database, core, platform adapters and
 * the HTTP server. `src/main.ts` calls it for real; tests call it with loopback fakes.
 */
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import type { AppConfig } from './config/config.ts';
import { createCasework, type Casework } from './core/casework.ts';
import { systemClock, type Clock } from './core/clock.ts';
import { FEATURES } from './core/features.ts';
import { createKyselyStore } from './db/kysely-store.ts';
import { hearPeopleChanges } from './db/people-notices.ts';
import { createActorLookupCache, forgettingActorsOnCommit } from './core/people/actor-cache.ts';
import { createAuditGroupWriter } from './core/audit-group-commit.ts';
import { databaseTarget, migrateToLatest, openDatabase, readinessProbe, type DatabaseHandle } from './db/database.ts';
import type { Logger } from './logging/logger.ts';
import { DeliveryError, type Notifier } from './core/ports.ts';
import type { FileDelivery } from './core/discussions/discussion-ports.ts';
import { createPlatformDirectory } from './adapters/shared/platform-directory.ts';
import { createPlatformNotifier } from './adapters/shared/platform-notifier.ts';
import type { SlackAdapter } from './adapters/slack/slack-app.ts';
import { createExpressApp, finishRoutes, listen, mountTeams } from './server/http-server.ts';
import { createMetrics, type Metrics } from './server/metrics.ts';
import type { DeliveryServices, Services } from './core/services.ts';
import { createEffectRunner, type EffectRunner } from './core/effects/effect-delivery.ts';
import { guardDirectory, guardNotifier } from './adapters/shared/transaction-guards.ts';
import { randomUUID } from 'node:crypto';
import type { Pacer } from './core/reminders/deliver-outbox.ts';
import { deliverOutboxJob } from './scheduler/deliver-outbox.job.ts';
import { createPacer } from './scheduler/pacer.ts';
import { planRemindersJob } from './scheduler/plan-reminders.job.ts';
import { refreshSentJob } from './scheduler/refresh-sent.job.ts';
import { purgeRecordFilesJob } from './scheduler/purge-record-files.job.ts';
import { recalculateDeadlinesJob } from './scheduler/recalculate-deadlines.job.ts';
import { createJobKicker, type JobKicker } from './scheduler/job-kicker.ts';
import { startScheduler, type Scheduler } from './scheduler/scheduler.ts';
import { warmWorkingCalendar } from './core/calendar/working-calendar.ts';
import { reportWriter } from './renderers/oversight/report-writer.ts';

/** Things tests (or embedding code) may substitute. */
export interface ApplicationOverrides {
  clock?: Clock;
  /** Random source for generated keys. */
  random?: () => number;
  /** Use this database instead of the one the configuration names. */
  database?: DatabaseHandle;
  /** Skip Slack's `auth.test` by naming the bot's ids. */
  slackBotIdentity?: { botId: string; botUserId: string };
  /** `false` runs no scheduled jobs (most adapter tests); they run by default. */
  scheduler?: boolean;
  /** Paces reminder sends; defaults to each platform's documented rates. */
  pacer?: Pacer;
  /**
   * How Teams receives records in local mode: `link` (the default; the Agents Playground cannot
   * take files) or `file-consent`, the flow Teams with app credentials always uses, so tests can
   * drive it without signing Bot Framework tokens.
   */
  teamsRecords?: 'link' | 'file-consent';
}

/** One FileDelivery over each platform's own: the first that takes the file sends it. */
function combinedFileDelivery(deliveries: readonly FileDelivery[]): FileDelivery {
  return {
    supports: (platform, file) => deliveries.some((d) => d.supports(platform, file)),
    async sendToUser(user, file) {
      const delivery = deliveries.find((d) => d.supports(user.platform, file));
      if (!delivery) throw new DeliveryError('permanent', 'no_file_delivery');
      await delivery.sendToUser(user, file);
    },
  };
}

/** A running Casework process. */
export interface Application {
  url: string;
  port: number;
  database: DatabaseHandle;
  casework: Casework;
  metrics: Metrics;
  slack: SlackAdapter | undefined;
  /** Proactive messages to either platform (reminders, notices, threads). */
  notifier: Notifier;
  /** The reminder jobs' ticks, unless turned off. */
  scheduler: Scheduler | undefined;
  /** What delivery runs with (the outbox worker's services), and the worker's name: tests drive the outbox with them. */
  delivery: DeliveryServices;
  workerId: string;
  /** Effects being delivered after commit: `drain()` waits for those under way. */
  effects: EffectRunner;
  /** Jobs started on request (a recalculation after a policy change): `drain()` waits for them. */
  jobs: JobKicker;
  /** Stops accepting requests, stops jobs and closes the database. Safe to call twice. */
  stop(): Promise<void>;
}

/** The bot id used for proactive Teams calls in local mode, where there is no app registration. */
const LOCAL_BOT_APP_ID = 'casework-local';

/** Opens and migrates the database, wires everything and starts listening. */
export async function startApplication(config: AppConfig, logger: Logger, overrides: ApplicationOverrides = {}): Promise<Application> {
  const database = overrides.database ?? (await openDatabase(databaseTarget(config), { logger }));
  const ownsDatabase = !overrides.database;
  const stopOnFailure: (() => Promise<void>)[] = [];
  try {
    await migrateToLatest(database.db);
    const clock = overrides.clock ?? systemClock;
    // People look-ups go to each platform's adapter, registered below once the adapter exists.
    const directory = createPlatformDirectory();
    // Proactive messages likewise go to each platform's notifier.
    const notifier = createPlatformNotifier();
    // Who chat accounts act as is remembered between commands, and forgotten whenever the roster
    // changes: after this process's transactions, and on the database's notice of any other's.
    const actors = createActorLookupCache();
    const peopleNotices = await hearPeopleChanges(database, actors, logger);
    stopOnFailure.push(() => peopleNotices.stop());
    const store = forgettingActorsOnCommit(createKyselyStore(database.db), actors);
    const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const pacer = overrides.pacer ?? createPacer();
    // Delivery holds the platforms; the core gets only the effect runner, so a feature can cause a
    // chat effect only through its unit of work, after commit.
    const delivery: DeliveryServices = { store, clock, directory: guardDirectory(directory), notifier: guardNotifier(notifier) };
    const effects = createEffectRunner(delivery, {
      workerId,
      pacer,
      onError: (error) => logger.error({ err: error }, 'effect delivery failed'),
    });
    const services: Services = {
      store,
      clock,
      actors,
      viewAudit: createAuditGroupWriter(store),
      directory: delivery.directory!,
      effects,
      reports: reportWriter,
      ...(overrides.random ? { random: overrides.random } : {}),
      // Trying every role on one machine (`as Megan due`): local mode only, where nobody but this
      // machine can connect and there is no authentication to respect.
      ...(config.localMode ? { actingAs: true } : {}),
    };
    // Jobs a command can start at once after its commit, whether or not the scheduler runs here.
    const jobs = createJobKicker([recalculateDeadlinesJob(services, logger)], clock, logger);
    services.jobs = jobs;
    const casework = createCasework(services, FEATURES);
    const metrics = createMetrics({ databaseStatements: () => database.queries() });
    // One probe for /readyz and the scheduler: it answers within 1.5 s whatever the database does.
    const ready = readinessProbe(database.db);
    const app = createExpressApp({ logger, metrics, isReady: ready });

    const teamsEnabled = Boolean(config.teams.appId) || config.localMode;
    const teamsRecordLinks = config.localMode && overrides.teamsRecords !== 'file-consent';
    const fileDeliveries: FileDelivery[] = [];
    // Each platform's SDK is loaded only when that platform is on: they are the heaviest modules.
    if (teamsEnabled) {
      const [{ createTeamsAdapter }, { CaseworkTeamsBot }, { createTeamsNotifier }, { teamsEndpoint }] = await Promise.all([
        import('./adapters/teams/teams-adapter.ts'),
        import('./adapters/teams/teams-bot.ts'),
        import('./adapters/teams/teams-notifier.ts'),
        import('./adapters/teams/teams-endpoint.ts'),
      ]);
      const teamsAdapter = createTeamsAdapter(config.teams, logger);
      // With authentication off any non-empty id will do; the connector ignores it.
      const botAppId = config.teams.appId ?? LOCAL_BOT_APP_ID;
      const teamsNotifier = createTeamsNotifier(teamsAdapter, botAppId);
      // Records go to Teams through the personal chat's file-consent flow, except in local mode,
      // where the Agents Playground cannot take files and gets a one-time link instead.
      const { createTeamsFileDelivery, createFileConsentAnswer } = await import('./adapters/teams/teams-files.ts');
      const bot = new CaseworkTeamsBot(casework, logger, botAppId, createFileConsentAnswer(services, logger));
      mountTeams(app, teamsEndpoint({ adapter: teamsAdapter, run: (context) => bot.run(context), authentication: Boolean(config.teams.appId), logger }));
      notifier.register('teams', teamsNotifier);
      if (!teamsRecordLinks) fileDeliveries.push(createTeamsFileDelivery(teamsNotifier));
      directory.register('teams', (await import('./adapters/teams/teams-directory.ts')).createTeamsDirectory(teamsAdapter, botAppId, logger));
    }
    const slack = config.slack
      ? (await import('./adapters/slack/slack-app.ts')).createSlackAdapter({
          config: config.slack,
          casework,
          logger,
          expressApp: app,
          ...(overrides.slackBotIdentity ? { botIdentity: overrides.slackBotIdentity } : {}),
        })
      : undefined;
    if (slack) {
      directory.register('slack', slack.directory);
      notifier.register('slack', slack.notifier);
      // Delivery holds this same object, so homes and files registered now reach it.
      delivery.homes = slack.homes;
      fileDeliveries.push(slack.files);
    }
    if (fileDeliveries.length > 0) delivery.files = combinedFileDelivery(fileDeliveries);
    // Local mode: Teams' Agents Playground cannot take files, so records go as one-time links here.
    const download: { base?: string } = {};
    if (teamsRecordLinks) {
      const { recordDownloadHandler } = await import('./adapters/teams/record-download-route.ts');
      app.get('/records/:token', recordDownloadHandler(services, logger));
      services.downloadBaseUrl = () => download.base;
    }
    finishRoutes(app, logger, metrics);
    await slack?.start();

    const { server, port } = await listen(app, config.port, config.host);
    const shownHost = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
    download.base = `http://${shownHost}:${port}`;
    logger.info(
      { port, host: config.host, database: database.kind, slack: slack?.mode ?? 'off', teams: teamsEnabled ? (config.teams.appId ? 'on' : 'local') : 'off' },
      'casework listening',
    );

    const scheduler = overrides.scheduler === false ? undefined : startReminderJobs(delivery, logger, metrics, workerId, pacer, ready);

    let stopped = false;
    return {
      url: `http://${shownHost}:${port}`,
      port,
      database,
      casework,
      metrics,
      slack,
      notifier,
      scheduler,
      delivery,
      workerId,
      effects,
      jobs,
      async stop() {
        if (stopped) return;
        stopped = true;
        await scheduler?.stop();
        await closeServer(server);
        await slack?.stop();
        // Effects and jobs already under way finish before the database closes; the rest wait in
        // the outbox, or for the next tick.
        await effects.drain();
        await jobs.drain();
        await peopleNotices.stop();
        if (ownsDatabase) await database.close();
      },
    };
  } catch (error) {
    for (const undo of stopOnFailure) await undo().catch(() => undefined);
    if (ownsDatabase) await database.close().catch(() => undefined);
    throw error;
  }
}

/** Starts the reminder pipeline's jobs: plan, deliver (paced per platform), refresh what was sent. */
function startReminderJobs(services: DeliveryServices, logger: Logger, metrics: Metrics, workerId: string, pacer: Pacer, ready: () => Promise<boolean>): Scheduler {
  // Bank holidays and time-zone data load once per process; do it now, not in the first tick.
  warmWorkingCalendar(services.clock.now());
  return startScheduler({
    clock: services.clock,
    logger,
    ready,
    jobs: [
      recalculateDeadlinesJob(services, logger),
      planRemindersJob(services, logger, metrics),
      deliverOutboxJob(services, logger, { workerId, pacer }, metrics),
      refreshSentJob(services, logger),
      purgeRecordFilesJob(services),
    ],
  });
}

async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
