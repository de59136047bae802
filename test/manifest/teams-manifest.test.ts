/**
 * The Teams app manifest and package: validated offline against Microsoft's schema (the copy
 * bundled in @microsoft/app-manifest), icons checked from their PNG bytes, and the zip built
 * and opened again. Any network access during these tests fails them.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { AppManifestUtils } from '@microsoft/app-manifest';
import type { AppManifest } from '@microsoft/app-manifest';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  PLACEHOLDER_APP_ID,
  REQUIRED_RSC_PERMISSION,
  buildTeamsManifest,
  TEAMS_MANIFEST_DIR,
  TEAMS_PACKAGE_FILES,
  loadBundledTeamsSchema,
  packageTeamsApp,
  pngSize,
  validateTeamsManifest,
} from '../../src/cli/package-teams.ts';
import { MENU_MAX_COMMANDS, menuCommands } from '../../src/core/commands/registry.ts';
import { FEATURES } from '../../src/core/features.ts';
import { HELP_COMMAND } from '../../src/core/help/help-view.ts';

interface Command {
  title: string;
  description: string;
}
interface Manifest {
  $schema: string;
  manifestVersion: string;
  id: string;
  name: { short: string; full?: string };
  icons: { color: string; outline: string };
  bots: { botId: string; scopes: string[]; supportsFiles?: boolean; commandLists: { scopes: string[]; commands: Command[] }[] }[];
  validDomains: string[];
  webApplicationInfo: { id: string };
  authorization: { permissions: { resourceSpecific: { name: string; type: string }[] } };
}

// The menu's order, as the registry's `menu` places give it (help first, then what people type most).
const EXPECTED_COMMANDS = ['help', 'due', 'case', 'cases', 'visit', 'discuss', 'change', 'assessment', 'discussions', 'deadlines'];

/** The manifest as packaged: the committed file with the command lists generated from the registry. */
const readManifest = async (): Promise<Manifest> => (await buildTeamsManifest()) as unknown as Manifest;

// --- no network: any attempt throws and is recorded, and the suite fails at the end ----------
const networkAttempts: string[] = [];
beforeAll(() => {
  vi.stubGlobal('fetch', (input: unknown) => {
    networkAttempts.push(`fetch ${String(input)}`);
    throw new Error(`network access attempted during an offline test: fetch ${String(input)}`);
  });
  vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (...args: unknown[]) {
    networkAttempts.push(`socket ${JSON.stringify(args[0])}`);
    throw new Error(`network access attempted during an offline test: ${JSON.stringify(args[0])}`);
  });
});
afterAll(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  expect(networkAttempts, 'network access attempted').toEqual([]);
});

// --- a minimal PNG decoder (8-bit RGBA, all five filter types) for the outline check ----------
function decodeRgba(png: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const { width, height } = pngSize(png);
  expect(buf[24], 'bit depth').toBe(8);
  expect(buf[25], 'colour type (RGBA)').toBe(6);
  expect(buf[28], 'interlace').toBe(0);
  const idat: Buffer[] = [];
  for (let off = 8; off < buf.length; ) {
    const len = buf.readUInt32BE(off);
    if (buf.toString('ascii', off + 4, off + 8) === 'IDAT') idat.push(buf.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= 4 ? pixels[y * stride + x - 4]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? pixels[(y - 1) * stride + x - 4]! : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter];
      if (predictor === undefined) throw new Error(`bad PNG filter ${filter}`);
      pixels[y * stride + x] = (v + predictor) & 0xff;
    }
  }
  return { width, height, pixels };
}

describe('Teams manifest', () => {
  it('passes Microsoft\'s schema for its version, loaded from the bundled copy', async () => {
    const manifest = await readManifest();
    const version = /\/teams\/(v[\d.]+)\//.exec(manifest.$schema)?.[1];
    expect(version).toBe(`v${manifest.manifestVersion}`);
    expect(Number(manifest.manifestVersion.split('.')[1])).toBeGreaterThanOrEqual(19);
    const schema = loadBundledTeamsSchema(version!);
    // Straight to the package's validator with an explicit schema: nothing can be fetched.
    const errors = await AppManifestUtils.validateAgainstSchema(
      manifest as unknown as AppManifest,
      schema as unknown as NonNullable<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>,
    );
    expect(errors).toEqual([]);
  });

  it('passes the packager\'s validation (schema, ids, commands, RSC, icons)', async () => {
    expect(await validateTeamsManifest(await readManifest(), TEAMS_MANIFEST_DIR)).toEqual([]);
  });

  it('the validator is not a no-op: it reports schema and Casework-rule violations', async () => {
    const manifest = await readManifest();
    manifest.name.short = 'Casework for MOSOVO offender teams'; // > 30
    for (const n of [1, 2, 3]) manifest.bots[0]!.commandLists[0]!.commands.push({ title: `extra${n}`, description: 'one too many' });
    manifest.bots[0]!.botId = '11111111-2222-3333-4444-555555555555';
    manifest.authorization.permissions.resourceSpecific = [];
    const problems = await validateTeamsManifest(manifest);
    expect(problems.some((p) => p.includes('/name/short'))).toBe(true);
    expect(problems.some((p) => p.includes('commands must NOT have more than 12'))).toBe(true);
    expect(problems.some((p) => p.includes('botId'))).toBe(true);
    expect(problems.some((p) => p.includes(REQUIRED_RSC_PERMISSION))).toBe(true);
  });

  it('refuses a schema version the package does not bundle instead of fetching it', async () => {
    const manifest = await readManifest();
    manifest.$schema = 'https://developer.microsoft.com/json-schemas/teams/v1.99/MicrosoftTeams.schema.json';
    manifest.manifestVersion = '1.99';
    await expect(validateTeamsManifest(manifest)).rejects.toThrow(/refusing to fetch/);
  });

  it('has one bot in personal, team and group chat, with the same id everywhere', async () => {
    const m = await readManifest();
    expect(m.id).toBe(PLACEHOLDER_APP_ID);
    expect(m.bots).toHaveLength(1);
    const bot = m.bots[0]!;
    expect(bot.botId).toBe(m.id);
    expect(m.webApplicationInfo.id).toBe(m.id);
    expect([...bot.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    // Records reach Teams through the personal chat's file-consent flow, which needs this.
    expect(bot.supportsFiles).toBe(true);
    expect(m.validDomains).toEqual([]);
    expect(m.name.short.length).toBeLessThanOrEqual(30);
  });

  it('lists the commands generated from the registry, at most ten, each described, in personal and team scopes', async () => {
    const committed = JSON.parse(await readFile(join(TEAMS_MANIFEST_DIR, 'manifest.json'), 'utf8')) as Manifest;
    expect(committed.bots[0]!.commandLists, 'the committed manifest keeps no hand-made command list').toBeUndefined();
    const { bots } = await readManifest();
    const lists = bots[0]!.commandLists;
    const scopes = lists.flatMap((l) => l.scopes);
    expect(scopes).toContain('personal');
    expect(scopes).toContain('team');
    const registered = new Map([HELP_COMMAND, ...FEATURES.flatMap((f) => f.commands ?? [])].map((c) => [c.name, c]));
    for (const list of lists) {
      expect(list.commands.length).toBeLessThanOrEqual(MENU_MAX_COMMANDS);
      expect(list.commands.map((c) => c.title)).toEqual(EXPECTED_COMMANDS);
      for (const c of list.commands) {
        expect(registered.get(c.title)?.summary, `${c.title} is a registered command`).toBe(c.description);
        expect(c.description.length).toBeLessThanOrEqual(128);
        expect(c.description).not.toContain('\n');
      }
    }
  });

  it('refuses a registry asking for more menu places than the menu holds, or two commands in one place', () => {
    const many = Array.from({ length: MENU_MAX_COMMANDS + 1 }, (_, i) => ({ name: `c${i}`, summary: 's', menu: i }));
    expect(() => menuCommands(many)).toThrow(/holds 10/);
    expect(() => menuCommands([{ name: 'a', summary: 's', menu: 1 }, { name: 'b', summary: 's', menu: 1 }])).toThrow(/share menu place 1/);
    expect(menuCommands([{ name: 'b', summary: 'B', menu: 2 }, { name: 'x', summary: 'X' }, { name: 'a', summary: 'A', menu: 1 }])).toEqual([
      { title: 'a', description: 'A' },
      { title: 'b', description: 'B' },
    ]);
  });

  it('requests ChannelMessage.Read.Group as an Application RSC permission', async () => {
    const { authorization } = await readManifest();
    expect(authorization.permissions.resourceSpecific).toContainEqual({ name: 'ChannelMessage.Read.Group', type: 'Application' });
  });

  it('has a 192×192 colour icon and a 32×32 white-on-transparent outline icon', async () => {
    const { icons } = await readManifest();
    const color = await readFile(join(TEAMS_MANIFEST_DIR, icons.color));
    const outline = await readFile(join(TEAMS_MANIFEST_DIR, icons.outline));
    expect(pngSize(color)).toEqual({ width: 192, height: 192 });
    expect(pngSize(outline)).toEqual({ width: 32, height: 32 });

    const { pixels } = decodeRgba(outline);
    let opaque = 0;
    let transparent = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      const [r, g, b, a] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!, pixels[i + 3]!];
      if (a === 0) transparent++;
      else expect([r, g, b], `pixel ${i / 4} is not white`).toEqual([255, 255, 255]);
      if (a === 255) opaque++;
    }
    expect(opaque).toBeGreaterThan(100); // there is a glyph
    expect(transparent).toBeGreaterThan(100); // on a transparent background

    const colour = decodeRgba(color).pixels;
    for (let i = 3; i < colour.length; i += 4) expect(colour[i]).toBe(255); // full-bleed, opaque
  });
});

describe('packageTeamsApp', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'casework-teams-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a zip with manifest.json and both icons at its root, app id substituted', async () => {
    const appId = '0b6c1d2e-3f4a-4b5c-8d9e-0f1a2b3c4d5e';
    const out = await packageTeamsApp({ appId, outFile: join(dir, 'nested', 'casework-teams.zip') });
    expect(out).toBe(join(dir, 'nested', 'casework-teams.zip'));
    const entries = unzipSync(new Uint8Array(await readFile(out)));
    expect(Object.keys(entries).sort()).toEqual([...TEAMS_PACKAGE_FILES].sort());

    const packaged = JSON.parse(new TextDecoder().decode(entries['manifest.json'])) as Manifest;
    expect(packaged.id).toBe(appId);
    expect(packaged.bots[0]!.botId).toBe(appId);
    expect(packaged.webApplicationInfo.id).toBe(appId);
    expect(JSON.stringify(packaged)).not.toContain(PLACEHOLDER_APP_ID);
    expect(await validateTeamsManifest(packaged)).toEqual([]);

    expect(Buffer.from(entries['color.png']!).equals(await readFile(join(TEAMS_MANIFEST_DIR, 'color.png')))).toBe(true);
    expect(Buffer.from(entries['outline.png']!).equals(await readFile(join(TEAMS_MANIFEST_DIR, 'outline.png')))).toBe(true);
  });

  it('keeps the committed id when no app id is given, and is reproducible', async () => {
    const a = await packageTeamsApp({ outFile: join(dir, 'a.zip') });
    const b = await packageTeamsApp({ outFile: join(dir, 'b.zip') });
    expect((await readFile(a)).equals(await readFile(b))).toBe(true);
    const packaged = JSON.parse(new TextDecoder().decode(unzipSync(new Uint8Array(await readFile(a)))['manifest.json'])) as Manifest;
    expect(packaged.id).toBe(PLACEHOLDER_APP_ID);
  });

  it('rejects an app id that is not a GUID', async () => {
    await expect(packageTeamsApp({ appId: 'not-a-guid', outFile: join(dir, 'x.zip') })).rejects.toThrow(/GUID/);
  });
});
