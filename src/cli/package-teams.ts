/**
 * Builds the Microsoft Teams app package: `manifest/teams/manifest.json` (with the real app id
 * substituted), `color.png` and `outline.png`, zipped at the root of one file that a Teams
 * admin uploads ("Upload a custom app" or the Teams admin centre).
 *
 * The committed manifest carries the placeholder app id {@link PLACEHOLDER_APP_ID} in three
 * places (`id`, `bots[].botId`, `webApplicationInfo.id`); `npm run package:teams` passes the
 * bot's Microsoft Entra app id (`MICROSOFT_APP_ID`) so all three become that id.
 *
 * The bot's command lists are not kept in the committed manifest: they are generated from the
 * command registry ({@link teamsCommandLists}), the same list help is made from, so the menu
 * Teams shows cannot disagree with the commands Casework knows.
 *
 * Validation is offline: the manifest is checked against Microsoft's JSON schema for its
 * `manifestVersion` as bundled inside `@microsoft/app-manifest` (loaded from disk and handed
 * to `AppManifestUtils.validateAgainstSchema`), never fetched from `$schema`'s URL. A version
 * with no bundled schema is an error, not a download.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import type { AppManifest } from '@microsoft/app-manifest';
import { zipSync } from 'fflate';
import { menuCommands, type MenuCommand } from '../core/commands/registry.ts';
import { FEATURES } from '../core/features.ts';
import { HELP_COMMAND } from '../core/help/help-view.ts';
import { PROJECT_ROOT } from '../project-root.ts';

/** The app id committed in `manifest/teams/manifest.json`; replaced when packaging. */
export const PLACEHOLDER_APP_ID = '6f1d3a52-8c4e-4b7a-9e21-5d0c7b3f9a14';

/** Directory holding `manifest.json`, `color.png` and `outline.png`. */
export const TEAMS_MANIFEST_DIR = join(PROJECT_ROOT, 'manifest', 'teams');

/** Default output, relative to the working directory. */
export const DEFAULT_TEAMS_PACKAGE = 'build/casework-teams.zip';

/** Files in the package (with the committed icon names), all at the zip root. */
export const TEAMS_PACKAGE_FILES = ['manifest.json', 'color.png', 'outline.png'] as const;

/** Icon sizes Teams requires, by file name in the manifest's `icons`. */
const ICON_SIZES = { color: 192, outline: 32 } as const;

/** The resource-specific permission Casework needs to see channel replies without @mention. */
export const REQUIRED_RSC_PERMISSION = 'ChannelMessage.Read.Group';

/** Teams allows at most this many commands in one command list. */
export const MAX_BOT_COMMANDS = 12;

const GUID = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

/** Matches a Teams `$schema` URL (optionally localised, e.g. `/en-us/`) and captures the version. */
const TEAMS_SCHEMA_URL =
  /^https:\/\/developer\.microsoft\.com\/(?:[a-z]{2}(?:-[a-z]{2})?\/)?json-schemas\/teams\/(v1\.\d+|vDevPreview)\/MicrosoftTeams\.schema\.json$/i;

type SchemaArg = NonNullable<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>;

/**
 * Loads Microsoft's Teams manifest JSON schema for `version` (e.g. `v1.24`) from the copy
 * bundled in `@microsoft/app-manifest`. Throws if the package has no copy: it never fetches.
 */
export function loadBundledTeamsSchema(version: string): Record<string, unknown> {
  const require = createRequire(import.meta.url);
  const packageMain = require.resolve('@microsoft/app-manifest'); // .../build/index.js
  const file = join(dirname(packageMain), 'json-schemas', 'teams', version, 'MicrosoftTeams.schema.json');
  if (!existsSync(file)) {
    throw new Error(
      `@microsoft/app-manifest has no bundled Teams schema ${version} (looked for ${file}); ` +
        'refusing to fetch it over the network. Use a manifestVersion the installed package bundles.',
    );
  }
  // The same clean-up the package applies to schema text before JSON.parse (\a and \v escapes).
  const raw = readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  return JSON.parse(raw) as Record<string, unknown>;
}

/** Width and height from a PNG's IHDR chunk; throws if `bytes` is not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const isPng =
    bytes.length >= 24 &&
    signature.every((b, i) => bytes[i] === b) &&
    String.fromCharCode(...bytes.subarray(12, 16)) === 'IHDR';
  if (!isPng) throw new Error('not a PNG file');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a Teams manifest object, offline. Returns a list of problems (empty when valid):
 *
 * 1. `$schema` must be Microsoft's Teams schema URL for the same version as `manifestVersion`;
 * 2. the manifest must pass that schema (bundled copy, via `@microsoft/app-manifest`);
 * 3. Casework's own rules: `bots[0].botId` and `webApplicationInfo.id` equal `id` (one Entra
 *    app), at most {@link MAX_BOT_COMMANDS} commands a list, {@link REQUIRED_RSC_PERMISSION}
 *    requested as an Application permission;
 * 4. when `iconDir` is given, both icons exist there with the sizes Teams requires.
 */
export async function validateTeamsManifest(manifest: unknown, iconDir?: string): Promise<string[]> {
  if (!isRecord(manifest)) return ['manifest is not a JSON object'];
  const problems: string[] = [];

  const schemaUrl = manifest.$schema;
  const match = typeof schemaUrl === 'string' ? TEAMS_SCHEMA_URL.exec(schemaUrl) : null;
  if (!match?.[1]) {
    return [`$schema must be a https://developer.microsoft.com/json-schemas/teams/... URL, got ${String(schemaUrl)}`];
  }
  const version = match[1];
  if (version !== 'vDevPreview' && version !== `v${String(manifest.manifestVersion)}`) {
    problems.push(`$schema is ${version} but manifestVersion is ${String(manifest.manifestVersion)}`);
  }
  const schema = loadBundledTeamsSchema(version);
  const schemaErrors = await AppManifestUtils.validateAgainstSchema(
    manifest as unknown as AppManifest,
    schema as unknown as SchemaArg,
  );
  problems.push(...schemaErrors.map((e) => `schema: ${e}`));

  const id = manifest.id;
  const bots = Array.isArray(manifest.bots) ? manifest.bots.filter(isRecord) : [];
  if (bots.length !== 1) problems.push('expected exactly one bot');
  for (const bot of bots) {
    if (bot.botId !== id) problems.push(`bots[].botId (${String(bot.botId)}) differs from id (${String(id)})`);
    const lists = Array.isArray(bot.commandLists) ? bot.commandLists.filter(isRecord) : [];
    for (const list of lists) {
      const count = Array.isArray(list.commands) ? list.commands.length : 0;
      if (count > MAX_BOT_COMMANDS) {
        problems.push(`command list for ${JSON.stringify(list.scopes)} has ${count} commands (max ${MAX_BOT_COMMANDS})`);
      }
    }
  }
  const webApp = manifest.webApplicationInfo;
  if (!isRecord(webApp) || webApp.id !== id) {
    problems.push('webApplicationInfo.id must equal id (resource-specific consent needs the app id)');
  }
  const authorization = isRecord(manifest.authorization) ? manifest.authorization : {};
  const permissions = isRecord(authorization.permissions) ? authorization.permissions : {};
  const rsc = Array.isArray(permissions.resourceSpecific) ? permissions.resourceSpecific.filter(isRecord) : [];
  if (!rsc.some((p) => p.name === REQUIRED_RSC_PERMISSION && p.type === 'Application')) {
    problems.push(`authorization.permissions.resourceSpecific must include ${REQUIRED_RSC_PERMISSION} (Application)`);
  }

  if (iconDir !== undefined) {
    const icons = isRecord(manifest.icons) ? manifest.icons : {};
    for (const [kind, size] of Object.entries(ICON_SIZES)) {
      const name = icons[kind];
      if (typeof name !== 'string') continue; // the schema reports a missing icon
      if (!/^[\w.-]+\.png$/.test(name) || name.startsWith('.')) {
        problems.push(`icons.${kind}: ${name} must be a plain .png file name (the package keeps icons at its root)`);
        continue;
      }
      const file = join(iconDir, name);
      if (!existsSync(file)) {
        problems.push(`icons.${kind}: ${file} does not exist`);
        continue;
      }
      try {
        const { width, height } = pngSize(await readFile(file));
        if (width !== size || height !== size) {
          problems.push(`icons.${kind}: ${name} is ${width}×${height}, Teams requires ${size}×${size}`);
        }
      } catch (err) {
        problems.push(`icons.${kind}: ${name}: ${(err as Error).message}`);
      }
    }
  }
  return problems;
}

/** The scopes the bot's command menu is offered in: the personal chat, and teams and group chats. */
const COMMAND_LIST_SCOPES = [['personal'], ['team', 'groupChat']] as const;

/**
 * The bot's `commandLists`, generated from the command registry: help and every feature's
 * commands that carry a menu place, in that order, described by their help summary. The same
 * menu is offered in every scope (in a channel, Casework answers privately).
 */
export function teamsCommandLists(): { scopes: string[]; commands: MenuCommand[] }[] {
  const commands = menuCommands([HELP_COMMAND, ...FEATURES.flatMap((f) => f.commands ?? [])]);
  return COMMAND_LIST_SCOPES.map((scopes) => ({ scopes: [...scopes], commands }));
}

/**
 * The manifest as packaged: the committed `manifest.json` with the command lists generated from
 * the registry and, when given, `appId` in `id`, `bots[].botId` and `webApplicationInfo.id`.
 * Not validated (see {@link validateTeamsManifest}).
 */
export async function buildTeamsManifest({ appId, manifestDir = TEAMS_MANIFEST_DIR }: Pick<PackageTeamsOptions, 'appId' | 'manifestDir'> = {}): Promise<Record<string, unknown>> {
  const manifest = JSON.parse(await readFile(join(manifestDir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const bots = Array.isArray(manifest.bots) ? manifest.bots.filter(isRecord) : [];
  for (const bot of bots) bot.commandLists = teamsCommandLists();

  if (appId !== undefined) {
    if (!GUID.test(appId)) throw new Error(`Teams app id must be a GUID, got ${JSON.stringify(appId)}`);
    manifest.id = appId;
    for (const bot of bots) bot.botId = appId;
    manifest.webApplicationInfo = { ...(isRecord(manifest.webApplicationInfo) ? manifest.webApplicationInfo : {}), id: appId };
  }
  return manifest;
}

/** Options for {@link packageTeamsApp}. */
export interface PackageTeamsOptions {
  /**
   * The bot's Microsoft Entra app id (a GUID, `MICROSOFT_APP_ID`). Replaces the placeholder in
   * `id`, `bots[].botId` and `webApplicationInfo.id`. Omitted: the committed id is kept.
   */
  appId?: string | undefined;
  /** Where to write the zip; relative paths resolve against the working directory. */
  outFile?: string | undefined;
  /** Directory with manifest.json and the icons; defaults to {@link TEAMS_MANIFEST_DIR}. */
  manifestDir?: string | undefined;
}

/**
 * Builds the Teams manifest ({@link buildTeamsManifest}), validates the result offline (throwing with
 * every problem listed if it is invalid) and writes the app package zip. Returns the absolute
 * path of the zip.
 */
export async function packageTeamsApp({
  appId,
  outFile = DEFAULT_TEAMS_PACKAGE,
  manifestDir = TEAMS_MANIFEST_DIR,
}: PackageTeamsOptions = {}): Promise<string> {
  const manifest = await buildTeamsManifest({ appId, manifestDir });

  const problems = await validateTeamsManifest(manifest, manifestDir);
  if (problems.length > 0) {
    throw new Error(`Teams manifest is invalid:\n- ${problems.join('\n- ')}`);
  }

  // Validation guarantees both icon names are plain file names, so all entries sit at the root.
  const icons = manifest.icons as { color: string; outline: string };
  // Fixed timestamps keep the zip byte-for-byte reproducible for the same inputs.
  const mtime = new Date('2000-01-01T00:00:00Z');
  const zip = zipSync(
    {
      'manifest.json': [new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`), { mtime }],
      [icons.color]: [await readFile(join(manifestDir, icons.color)), { mtime }],
      [icons.outline]: [await readFile(join(manifestDir, icons.outline)), { mtime }],
    },
    { level: 9 },
  );

  const target = resolve(outFile);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, zip);
  return target;
}
