/**
 * The Slack app manifest must create an app that delivers exactly what the adapter listens
 * for: every event and scope in slack-requirements.ts, nothing more, plus the slash command,
 * interactivity and Socket Mode. Length limits are those of Slack's manifest schema (v1).
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  SLACK_BOT_EVENTS,
  SLACK_BOT_SCOPES,
  SLACK_COMMAND,
  SLACK_EVENT_SCOPES,
} from '../../src/adapters/slack/slack-requirements.ts';

interface SlackManifest {
  _metadata?: { major_version?: number; minor_version?: number };
  display_information: { name: string; description?: string; long_description?: string; background_color?: string };
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: { command: string; url?: string; description: string; usage_hint?: string; should_escape?: boolean }[];
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[]; user_events?: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

const MANIFEST_URL = new URL('../../manifest/slack/manifest.yaml', import.meta.url);
const readText = () => readFile(MANIFEST_URL, 'utf8');
const readManifest = async () => parse(await readText()) as SlackManifest;

describe('Slack manifest', () => {
  it('subscribes to exactly the bot events the adapter registers', async () => {
    const { settings } = await readManifest();
    const inManifest = settings.event_subscriptions.bot_events;
    for (const event of SLACK_BOT_EVENTS) expect(inManifest, `manifest lacks ${event}`).toContain(event);
    for (const event of inManifest) {
      expect(SLACK_BOT_EVENTS as readonly string[], `manifest has ${event}, not in SLACK_BOT_EVENTS`).toContain(event);
    }
    expect(new Set(inManifest).size).toBe(inManifest.length);
    expect(settings.event_subscriptions.user_events ?? []).toEqual([]);
  });

  it('requests exactly the bot scopes in SLACK_BOT_SCOPES, and no user scopes', async () => {
    const { oauth_config } = await readManifest();
    const inManifest = oauth_config.scopes.bot;
    for (const scope of SLACK_BOT_SCOPES) expect(inManifest, `manifest lacks ${scope}`).toContain(scope);
    for (const scope of inManifest) {
      expect(SLACK_BOT_SCOPES as readonly string[], `manifest has ${scope}, not in SLACK_BOT_SCOPES`).toContain(scope);
    }
    expect(new Set(inManifest).size).toBe(inManifest.length);
    expect(oauth_config.scopes.user ?? []).toEqual([]);
  });

  it('the scope list covers the scopes each event needs', () => {
    for (const event of SLACK_BOT_EVENTS) {
      for (const scope of SLACK_EVENT_SCOPES[event]) expect(SLACK_BOT_SCOPES, `${event} needs ${scope}`).toContain(scope);
    }
  });

  it('declares the /casework slash command', async () => {
    const { features } = await readManifest();
    expect(SLACK_COMMAND).toBe('/casework');
    expect(features.slash_commands).toHaveLength(1);
    const command = features.slash_commands[0]!;
    expect(command.command).toBe(SLACK_COMMAND);
    expect(command.usage_hint).toBe('help | case CW-7K3P | visit CW-7K3P | due');
    expect(command.should_escape).toBe(false);
    expect(command.description.length).toBeGreaterThan(0);
    expect(command.description.length).toBeLessThanOrEqual(2000);
    expect(command.command.length).toBeLessThanOrEqual(32);
  });

  it('enables interactivity and Socket Mode; every URL is the /slack/events placeholder', async () => {
    const { settings, features } = await readManifest();
    expect(settings.interactivity.is_enabled).toBe(true);
    expect(settings.socket_mode_enabled).toBe(true);
    expect(settings.org_deploy_enabled).toBe(false);
    expect(settings.token_rotation_enabled).toBe(false);
    const urls = [settings.event_subscriptions.request_url, settings.interactivity.request_url, features.slash_commands[0]!.url];
    for (const url of urls) expect(url).toBe('https://YOUR-HOST/slack/events');
  });

  it('has an App Home with the Home tab and a writable Messages tab, and an always-online bot', async () => {
    const { features } = await readManifest();
    expect(features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
    expect(features.bot_user).toEqual({ display_name: 'Casework', always_online: true });
  });

  it('stays within Slack\'s manifest limits and explains itself', async () => {
    const manifest = await readManifest();
    expect([undefined, 1, 2]).toContain(manifest._metadata?.major_version);
    const info = manifest.display_information;
    expect(info.name.length).toBeLessThanOrEqual(35);
    expect(info.description?.length ?? 0).toBeLessThanOrEqual(140);
    if (info.long_description !== undefined) {
      expect(info.long_description.length).toBeGreaterThanOrEqual(175);
      expect(info.long_description.length).toBeLessThanOrEqual(4000);
    }
    if (info.background_color !== undefined) expect(info.background_color).toMatch(/^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/);
    const text = await readText();
    expect(text).toMatch(/Create New App/);
    expect(text).toMatch(/socket_mode_enabled to false/);
  });
});
