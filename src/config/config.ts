/**
 * Configuration: the one place that reads the environment. Parsed once at start-up by a zod
 * schema; every problem is reported in one message; secrets are never echoed back.
 */
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;

/** Names of variables whose values are secret: never printed, never logged. */
export const SECRET_VARIABLES = [
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'MICROSOFT_APP_PASSWORD',
  'DATABASE_URL',
] as const;

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
/** Milliseconds, 0 for "no limit", up to an hour. */
const milliseconds = (fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int('must be a whole number of milliseconds').min(0).max(3_600_000).default(fallback));

const envSchema = z
  .object({
    PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3978)),
    HOST: optionalString,
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
        .optional(),
    ),
    DATABASE_CONNECT_TIMEOUT_MS: milliseconds(5_000),
    DATABASE_STATEMENT_TIMEOUT_MS: milliseconds(30_000),
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_BOT_TOKEN: z.preprocess(
      emptyToUndefined,
      z.string().startsWith('xoxb-', 'must be a bot token starting with xoxb-').optional(),
    ),
    SLACK_APP_TOKEN: z.preprocess(
      emptyToUndefined,
      z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-').optional(),
    ),
    SLACK_API_URL: z.preprocess(
      emptyToUndefined,
      z
        .url({ message: 'must be a URL such as https://slack.com/api/' })
        .transform((u) => (u.endsWith('/') ? u : `${u}/`))
        .optional(),
    ),
    MICROSOFT_APP_ID: optionalString,
    MICROSOFT_APP_PASSWORD: optionalString,
    MICROSOFT_APP_TYPE: z.preprocess(emptyToUndefined, z.enum(APP_TYPES).default('MultiTenant')),
    MICROSOFT_APP_TENANT_ID: optionalString,
    LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(LOG_LEVELS).default('info')),
    PLAYGROUND: z.preprocess(emptyToUndefined, z.enum(['auto', 'off']).default('auto')),
    DEMO: z.preprocess(emptyToUndefined, z.enum(['small', 'scale'], { message: 'must be small or scale' }).default('small')),
  });

/**
 * Rules across variables (a platform is on only when its settings are complete). Checked on the
 * raw values, so they are reported even when another variable fails its own check.
 */
function platformProblems(raw: Record<string, string | undefined>): string[] {
  const v = (name: string) => {
    const value = raw[name];
    return value !== undefined && value.trim() !== '' ? value : undefined;
  };
  const problems: string[] = [];
  if (v('SLACK_SIGNING_SECRET') || v('SLACK_BOT_TOKEN') || v('SLACK_APP_TOKEN')) {
    if (!v('SLACK_BOT_TOKEN')) problems.push('SLACK_BOT_TOKEN is required when any Slack setting is set');
    if (!v('SLACK_SIGNING_SECRET') && !v('SLACK_APP_TOKEN')) {
      problems.push('SLACK_SIGNING_SECRET is required to verify Slack requests over HTTP (or set SLACK_APP_TOKEN for Socket Mode)');
    }
  }
  if (v('SLACK_API_URL') && !v('SLACK_BOT_TOKEN')) problems.push('SLACK_API_URL is set but Slack is not configured (no SLACK_BOT_TOKEN)');
  if (v('MICROSOFT_APP_ID') || v('MICROSOFT_APP_PASSWORD') || v('MICROSOFT_APP_TENANT_ID')) {
    const appType = v('MICROSOFT_APP_TYPE') ?? 'MultiTenant';
    if (!v('MICROSOFT_APP_ID')) problems.push('MICROSOFT_APP_ID is required when any Teams setting is set');
    if (!v('MICROSOFT_APP_PASSWORD') && appType !== 'UserAssignedMSI') {
      problems.push('MICROSOFT_APP_PASSWORD is required for a MultiTenant or SingleTenant app');
    }
    if (appType !== 'MultiTenant' && !v('MICROSOFT_APP_TENANT_ID')) {
      problems.push(`MICROSOFT_APP_TENANT_ID is required when MICROSOFT_APP_TYPE is ${appType}`);
    }
  }
  return problems;
}

/** Slack settings, present only when Slack is fully configured. */
export interface SlackConfig {
  signingSecret: string | undefined;
  botToken: string;
  appToken: string | undefined;
  apiUrl: string | undefined;
}

/** Teams (Bot Framework) settings; `appId` undefined means authentication is off (local mode only). */
export interface TeamsConfig {
  appId: string | undefined;
  appPassword: string | undefined;
  appType: (typeof APP_TYPES)[number];
  tenantId: string | undefined;
}

/** The validated configuration the rest of the program receives. */
export interface AppConfig {
  port: number;
  /** Interface to listen on: loopback in local mode, all interfaces otherwise. */
  host: string;
  databaseUrl: string | undefined;
  /** PostgreSQL time limits in milliseconds (0: none): connecting or waiting for a connection, and one statement. */
  databaseTimeouts: { connectMs: number; statementMs: number };
  dataDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
  slack: SlackConfig | undefined;
  teams: TeamsConfig;
  /** No platform credentials at all: loopback only, Teams auth off, demo data and the Playground. */
  localMode: boolean;
  playground: boolean;
  /** Local mode's demo team: a handful of cases, or a team of real size (1,000 cases). */
  demo: 'small' | 'scale';
}

/** Thrown when the environment is invalid; `problems` holds one line per problem, no values. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Casework cannot start: the configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment (normally `process.env`) into an AppConfig or throws a ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = envSchema.safeParse(env);
  // Only variable names and rule messages: never the offending values, which may be secrets.
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'} ${issue.message}`)),
    ...platformProblems(env),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const slack: SlackConfig | undefined = e.SLACK_BOT_TOKEN
    ? { signingSecret: e.SLACK_SIGNING_SECRET, botToken: e.SLACK_BOT_TOKEN, appToken: e.SLACK_APP_TOKEN, apiUrl: e.SLACK_API_URL }
    : undefined;
  const teamsOn = Boolean(e.MICROSOFT_APP_ID);
  const localMode = !slack && !teamsOn;
  return {
    port: e.PORT,
    host: e.HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0'),
    databaseUrl: e.DATABASE_URL,
    databaseTimeouts: { connectMs: e.DATABASE_CONNECT_TIMEOUT_MS, statementMs: e.DATABASE_STATEMENT_TIMEOUT_MS },
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    slack,
    teams: {
      appId: e.MICROSOFT_APP_ID,
      appPassword: e.MICROSOFT_APP_PASSWORD,
      appType: e.MICROSOFT_APP_TYPE,
      tenantId: e.MICROSOFT_APP_TENANT_ID,
    },
    localMode,
    playground: localMode && e.PLAYGROUND === 'auto',
    demo: e.DEMO,
  };
}

/** Reads `.env` from the working directory into `process.env` when the file exists (existing variables win). */
export function loadDotEnv(path = '.env'): void {
  try {
    process.loadEnvFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
