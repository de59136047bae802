/**
 * Runs the Microsoft 365 Agents Playground (the local Teams client, `@microsoft/m365agentsplayground`)
 * as a child process for local mode: start, readiness, its mock tenant configuration, and stop.
 * See docs/playground.md for what the Playground offers and what it cannot do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** The few logger methods this module uses; pino's Logger fits. */
export interface PlaygroundLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** How to start the Playground. */
export interface StartPlaygroundOptions {
  /** The bot's messaging endpoint, e.g. `http://127.0.0.1:3978/api/messages`. */
  botEndpoint: string;
  /** Preferred port; default 56150. The Playground takes a free one when it is in use; 0 always does. */
  port?: number;
  logger: PlaygroundLogger;
  /** A `.m365agentsplayground.yml` to use; default: that file in the working directory, else the built-in tenant. */
  configFile?: string;
  /** Fixes the personal chat's conversation id (only with the built-in tenant); default: a random uuid. */
  personalChatId?: string;
  /** Where the Playground writes its own log; default: a temporary directory removed on stop. */
  logFile?: string;
  /** Default 30 s. */
  startTimeoutMs?: number;
}

/** A started Playground. */
export interface RunningPlayground {
  /** Where to open it, e.g. `http://127.0.0.1:56150`. */
  url: string;
  port: number;
  /** The Playground's own log (every exchange with the bot); useful when something fails. */
  logFile: string;
  /** Reads the mock tenant: users, chats, team and channels. */
  config(): Promise<PlaygroundConfig>;
  /** Stops the Playground process (and anything it started); safe to call twice. */
  stop(): Promise<void>;
}

/** A mock user, as the bot sees it in `activity.from`. */
export interface PlaygroundUser {
  /** The channel account id, `activity.from.id` (e.g. `user-id-0`). */
  id: string;
  name: string;
  aadObjectId: string;
  userPrincipalName: string;
  email: string;
  givenName: string;
  surname: string;
}

/** The Playground's mock tenant, from `GET /_internal/v1/testConfig`. */
export interface PlaygroundConfig {
  tenantId: string;
  bot: { id: string; name: string };
  /** The user the browser (and the driver's default sends) act as; the only one in the personal chat. */
  currentUser: PlaygroundUser;
  /** The other five mock users, members of the group chat and the team. */
  users: PlaygroundUser[];
  personalChat: { id: string };
  groupChat: { id: string; name: string; memberIds: string[] };
  team: {
    id: string;
    name: string;
    aadGroupId: string;
    /** Always the team id: Teams gives the General channel the team's id. */
    generalChannelId: string;
    channels: { id: string; name: string }[];
    memberIds: string[];
  };
  /** `msteams` when started by this module. */
  channelId: string;
  locale: string;
  timezone: string;
}

/** The raw response of `GET /_internal/v1/testConfig` in version 0.2.28 (note the `userPrincipleName` spelling). */
export interface PlaygroundTestConfigResponse {
  config: {
    tenantId: string;
    bot: { id: string; name: string };
    currentUser: RawPlaygroundUser;
    users: RawPlaygroundUser[];
    personalChat: { id: string; name: string };
    groupChats: { id: string; name: string; members: string[] }[];
    teams: {
      id: string;
      name: string;
      aadGroupId: string;
      channels: { id: string; name: string; channelType: string }[];
      members: string[];
    }[];
  };
  internalConfig: { locale: string; localTimezone: string; channelId: string };
}

interface RawPlaygroundUser {
  id: string;
  name: string;
  userPrincipleName: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
}

const DEFAULT_PORT = 56150;

/** The Playground's own config file name, read from the working directory when present. */
const PLAYGROUND_CONFIG_NAME = '.m365agentsplayground.yml';

/** The personal chat's id when nobody chose one: the same at every start, so reminders keep reaching it. */
export const DEFAULT_PERSONAL_CHAT_ID = 'a0c4c0de-0000-4000-8000-00000000ca5e';

/** The mock people: the Playground's own six (version 0.2.28), kept so its documentation and habits still apply. */
const MOCK_PEOPLE: readonly [string, string, string][] = [
  ['user-id-0', 'Alex Wilber', '00000000-0000-0000-0000-0000000000020'],
  ['user-id-1', 'Megan Bowen', '00000000-0000-0000-0000-0000000000021'],
  ['user-id-2', 'Adele Vance', '00000000-0000-0000-0000-0000000000022'],
  ['user-id-3', 'Isaiah Langer', '00000000-0000-0000-0000-0000000000023'],
  ['user-id-4', 'Patti Fernandez', '00000000-0000-0000-0000-0000000000024'],
  ['user-id-5', 'Lynne Robbins', '00000000-0000-0000-0000-0000000000025'],
];

/** Writes Casework's Playground tenant (schema 0.1.1) into `dir`; returns its path. */
function writeDefaultConfig(dir: string, personalChatId: string | undefined): string {
  const person = ([id, name, aad]: [string, string, string]) => {
    const [given = name, surname = ''] = name.split(' ');
    const mail = `${given.toLowerCase()}${surname.charAt(0).toLowerCase()}@example.com`;
    return `{ id: "${id}", name: "${name}", userPrincipleName: "${mail}", aadObjectId: "${aad}", givenName: "${given}", surname: "${surname}", email: "${mail}" }`;
  };
  const [current, ...others] = MOCK_PEOPLE;
  const yaml = [
    'version: "0.1.1"',
    'tenantId: 00000000-0000-0000-0000-0000000000001',
    'bot: { id: "00000000-0000-0000-0000-00000000000011", name: "Casework" }',
    `currentUser: ${person(current!)}`,
    'users:',
    ...others.map((p) => `  - ${person(p)}`),
    `personalChat: { id: "${personalChatId ?? DEFAULT_PERSONAL_CHAT_ID}" }`,
    'groupChat: { id: "group-chat-id", name: "Group Chat" }',
    'team:',
    '  id: team-id',
    '  name: My Team',
    '  aadGroupId: 00000000-0000-0000-0000-000000000031',
    '  channels:',
    '    - { id: channel-announcements-id, name: Announcements }',
    '',
  ].join('\n');
  const path = join(dir, PLAYGROUND_CONFIG_NAME);
  writeFileSync(path, yaml);
  return path;
}

// Loaded into the Playground process before its own code: it has no host option and listens on every
// interface, which would let anyone on the network talk to our unauthenticated local bot through it.
const LOOPBACK_ONLY = `
import net from 'node:net';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')) args.splice(1, 0, '127.0.0.1');
  return listen.apply(this, args);
};`;

/** Starts the Playground pointed at `botEndpoint` and resolves once it answers `GET /_debug/ping`. */
export async function startPlayground(options: StartPlaygroundOptions): Promise<RunningPlayground> {
  const { logger } = options;
  const started = Date.now();
  const cli = playgroundCli();
  const ownLogDir = mkdtempSync(join(tmpdir(), 'casework-playground-'));
  const logFile = options.logFile ?? join(ownLogDir, 'playground.log');
  // Without a tenant of the user's own, ours: the built-in people and team, with the bot called
  // Casework (the built-in one is "Test Bot") and a personal chat that keeps its id across starts.
  const configFile = options.configFile ?? (existsSync(PLAYGROUND_CONFIG_NAME) ? undefined : writeDefaultConfig(ownLogDir, options.personalChatId));
  const args = [
    '--import',
    `data:text/javascript,${encodeURIComponent(LOOPBACK_ONLY)}`,
    cli,
    'start',
    '--app-endpoint', options.botEndpoint,
    '--channel-id', 'msteams',
    '--port', String(options.port ?? DEFAULT_PORT),
    '--disable-telemetry',
    ...(options.personalChatId && !configFile ? ['--conversation-id', options.personalChatId] : []),
  ];
  const child = spawn(process.execPath, args, {
    // Inherited as is; the additions keep the Playground from opening a browser and writing into the repo.
    env: {
      // eslint-disable-next-line no-restricted-syntax -- handing our environment on to a child, not reading configuration
      ...process.env,
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
      ...(configFile ? { M365_AGENTS_PLAYGROUND_CONFIG_PATH: resolve(configFile) } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stop() can signal the Playground and anything it spawned together.
    detached: process.platform !== 'win32',
  });
  const killOnExit = (): void => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter((l) => l.trim())) logger.warn({ playground: line }, 'agents playground stderr');
  });

  const cleanUp = (): void => {
    process.off('exit', killOnExit);
    rmSync(ownLogDir, { recursive: true, force: true });
  };
  let port: number;
  try {
    port = await waitForListening(child, options.startTimeoutMs ?? 30_000, logFile);
  } catch (error) {
    await stopChild(child);
    cleanUp();
    throw error;
  }
  child.stdout?.resume();
  const url = `http://127.0.0.1:${port}`;
  logger.info({ url, port, pid: child.pid, startMs: Date.now() - started, botEndpoint: options.botEndpoint }, 'agents playground started');
  let stopping: Promise<void> | undefined;
  child.once('exit', (code, signal) => {
    if (!stopping) logger.error({ code, signal }, 'agents playground exited unexpectedly');
  });
  return {
    url,
    port,
    logFile,
    config: () => fetchPlaygroundConfig(url),
    stop() {
      stopping ??= stopChild(child).then(() => {
        cleanUp();
        logger.info({ url }, 'agents playground stopped');
      });
      return stopping;
    },
  };
}

/** Reads and normalises the mock tenant of the Playground at `url`. */
export async function fetchPlaygroundConfig(url: string): Promise<PlaygroundConfig> {
  const response = await fetch(new URL('/_internal/v1/testConfig', url));
  if (!response.ok) throw new Error(`agents playground: GET /_internal/v1/testConfig answered ${response.status}`);
  const { config, internalConfig } = (await response.json()) as PlaygroundTestConfigResponse;
  const [groupChat] = config.groupChats;
  const [team] = config.teams;
  if (!groupChat || !team) throw new Error('agents playground: testConfig has no group chat or no team');
  return {
    tenantId: config.tenantId,
    bot: config.bot,
    currentUser: toUser(config.currentUser),
    users: config.users.map(toUser),
    personalChat: { id: config.personalChat.id },
    groupChat: { id: groupChat.id, name: groupChat.name, memberIds: groupChat.members },
    team: {
      id: team.id,
      name: team.name,
      aadGroupId: team.aadGroupId,
      generalChannelId: team.channels.find((c) => c.name === 'General')?.id ?? team.id,
      channels: team.channels.map(({ id, name }) => ({ id, name })),
      memberIds: team.members,
    },
    channelId: internalConfig.channelId,
    locale: internalConfig.locale,
    timezone: internalConfig.localTimezone,
  };
}

function toUser(raw: RawPlaygroundUser): PlaygroundUser {
  const { userPrincipleName, ...rest } = raw;
  return { ...rest, userPrincipalName: userPrincipleName };
}

// The package declares its CLI under `bin`; resolving package.json works whatever the install layout.
function playgroundCli(): string {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve('@microsoft/m365agentsplayground/package.json');
  } catch {
    throw new Error('agents playground is not installed: it is a dev dependency, so install without --omit=dev');
  }
  const { bin } = JSON.parse(readFileSync(packageJson, 'utf8')) as { bin: string | Record<string, string> };
  const relative = typeof bin === 'string' ? bin : (bin.agentsplayground ?? Object.values(bin)[0]);
  if (!relative) throw new Error('agents playground: its package.json declares no bin');
  return join(dirname(packageJson), relative);
}

// The Playground prints `Listening on <port>` on stdout when stdout is not a terminal; everything else goes to
// its log file. Readiness is then confirmed on /_debug/ping.
async function waitForListening(child: ChildProcess, timeoutMs: number, logFile: string): Promise<number> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const exited = once(child, 'exit', { signal: deadline }).then(([code, signal]) => {
    throw new Error(`agents playground exited during start (code ${String(code)}, signal ${String(signal)})${logTail(logFile)}`);
  });
  const listening = new Promise<number>((resolvePort) => {
    let buffered = '';
    const onData = (chunk: string): void => {
      buffered += chunk;
      const match = /Listening on (\d+)/.exec(buffered);
      if (match?.[1]) {
        child.stdout?.off('data', onData);
        resolvePort(Number(match[1]));
      }
    };
    child.stdout?.setEncoding('utf8').on('data', onData);
  });
  try {
    const port = await Promise.race([listening, exited, rejectOnAbort(deadline)]);
    while (!(await pings(port))) {
      // A bad config file fails after `Listening on` without exiting: the reason is only in its log.
      if (readLog(logFile).includes('Failed to start')) throw new Error(`agents playground failed to start${logTail(logFile)}`);
      await delay(100, undefined, { signal: deadline });
    }
    return port;
  } catch (error) {
    if (deadline.aborted) throw new Error(`agents playground did not start within ${timeoutMs} ms${logTail(logFile)}`);
    throw error;
  } finally {
    exited.catch(() => undefined);
  }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

async function pings(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/_debug/ping`);
    return response.ok && (await response.text()) === 'pong';
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function readLog(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8');
  } catch {
    return '';
  }
}

function logTail(logFile: string): string {
  const lines = readLog(logFile).trim().split('\n');
  // Its `debug` lines carry whole request bodies and telemetry; the `error` lines say what went wrong.
  const useful = lines.filter((line) => !line.startsWith('debug ')).slice(-10);
  return useful.length > 0 ? `; from ${logFile}:\n${useful.join('\n')}` : '';
}
