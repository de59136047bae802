import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('defaults to local mode: port 3978, embedded database, loopback only, playground on', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3978, dataDir: './data', databaseUrl: undefined, localMode: true, host: '127.0.0.1', playground: true, slack: undefined });
    expect(config.teams.appId).toBeUndefined();
  });

  it('gives PostgreSQL connection and statement timeouts, configurable, 0 for none', () => {
    expect(loadConfig({}).databaseTimeouts).toEqual({ connectMs: 5000, statementMs: 30000 });
    expect(loadConfig({ DATABASE_CONNECT_TIMEOUT_MS: '1500', DATABASE_STATEMENT_TIMEOUT_MS: '0' }).databaseTimeouts).toEqual({ connectMs: 1500, statementMs: 0 });
    const list = problems({ DATABASE_CONNECT_TIMEOUT_MS: 'soon', DATABASE_STATEMENT_TIMEOUT_MS: '-1' });
    expect(list.some((p) => p.startsWith('DATABASE_CONNECT_TIMEOUT_MS'))).toBe(true);
    expect(list.some((p) => p.startsWith('DATABASE_STATEMENT_TIMEOUT_MS'))).toBe(true);
  });

  it('turns Slack on when its settings are complete, and leaves local mode', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });
    expect(config.slack?.botToken).toBe('xoxb-1');
    expect(config.localMode).toBe(false);
    expect(config.host).toBe('0.0.0.0');
  });

  it('accepts Socket Mode without a signing secret', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(config.slack?.appToken).toBe('xapp-1');
  });

  it('turns Teams on with an app id and password', () => {
    const config = loadConfig({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'pw' });
    expect(config.teams.appId).toBe('id');
    expect(config.localMode).toBe(false);
  });

  it('lists every problem at once for a half-set platform and bad values', () => {
    const list = problems({
      SLACK_BOT_TOKEN: 'xoxb-abc',
      PORT: 'eighty',
      MICROSOFT_APP_PASSWORD: 'pw',
      DATABASE_URL: 'mysql://nope',
      LOG_LEVEL: 'loud',
    });
    expect(list.some((p) => p.startsWith('SLACK_SIGNING_SECRET'))).toBe(true);
    expect(list.some((p) => p.startsWith('PORT'))).toBe(true);
    expect(list.some((p) => p.startsWith('MICROSOFT_APP_ID'))).toBe(true);
    expect(list.some((p) => p.startsWith('DATABASE_URL'))).toBe(true);
    expect(list.some((p) => p.startsWith('LOG_LEVEL'))).toBe(true);
  });

  it('names problems without echoing secret values', () => {
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'not-a-bot-token-secret-value', SLACK_APP_TOKEN: 'wrong-app-token-secret' });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('SLACK_BOT_TOKEN');
      expect(message).toContain('SLACK_APP_TOKEN');
      expect(message).not.toContain('not-a-bot-token-secret-value');
      expect(message).not.toContain('wrong-app-token-secret');
    }
  });

  it('requires a tenant id for a single-tenant Teams app', () => {
    expect(problems({ MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'pw', MICROSOFT_APP_TYPE: 'SingleTenant' })).toEqual([
      'MICROSOFT_APP_TENANT_ID is required when MICROSOFT_APP_TYPE is SingleTenant',
    ]);
  });
});
