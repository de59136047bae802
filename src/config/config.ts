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
  })
  .superRefine((env, ctx) => {
    const slackParts = [env.SLACK_SIGNING_SECRET, env.SLACK_BOT_TOKEN, env.SLACK_APP_TOKEN];
    if (slackParts.some(Boolean)) {
      if (!env.SLACK_BOT_TOKEN) {
        ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'is required when any Slack setting is set' });
      }
      if (!env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_SIGNING_SECRET'],
          message: 'is required to verify Slack requests over HTTP (or set SLACK_APP_TOKEN for Socket Mode)',
        });
      }
    }
    if (env.SLACK_API_URL && !env.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_API_URL'], message: 'is set but Slack is not configured (no SLACK_BOT_TOKEN)' });
    }
    if (env.MICROSOFT_APP_ID || env.MICROSOFT_APP_PASSWORD || env.MICROSOFT_APP_TENANT_ID) {
      if (!env.MICROSOFT_APP_ID) {
        ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_ID'], message: 'is required when any Teams setting is set' });
      }
      if (!env.MICROSOFT_APP_PASSWORD && env.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
        ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_PASSWORD'], message: 'is required for a MultiTenant or SingleTenant app' });
      }
      if (env.MICROSOFT_APP_TYPE !== 'MultiTenant' && !env.MICROSOFT_APP_TENANT_ID) {
        ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_TENANT_ID'], message: `is required when MICROSOFT_APP_TYPE is ${env.MICROSOFT_APP_TYPE}` });
      }
    }
  });

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
  dataDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
  slack: SlackConfig | undefined;
  teams: TeamsConfig;
  /** No platform credentials at all: loopback only, Teams auth off, demo data and the Playground. */
  localMode: boolean;
  playground: boolean;
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
  if (!parsed.success) {
    // Only variable names and rule messages: never the offending values, which may be secrets.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'} ${issue.message}`);
    throw new ConfigError(problems);
  }
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
