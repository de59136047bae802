// `casework team channel`: an operator gives a team made with `team create` its Slack channel,
// run as a child process on PGlite on disk. The bind is audited with the operator, the welcome
// waits in the outbox for the running bot, and bad input, a Teams channel, a team that has its
// channel and a channel another team has are refused with a clear message.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { cliEnv, copyMigratedDataDir, runCasework, type CliRun } from '../support/cli-process.ts';

describe('casework team channel (child processes, PGlite on disk)', () => {
  let dir: string;
  let dataDir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'casework-channel-'));
    dataDir = join(dir, 'data');
    // A new, migrated embedded database (test/cli/cli.test.ts starts from an empty folder).
    await copyMigratedDataDir(dataDir);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const casework = (...args: string[]): Promise<CliRun> => runCasework(args, { cwd: dir, env: cliEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }) });

  it('binds a Slack channel once, audits it, queues the welcome, and refuses what cannot be done', { timeout: 300_000 }, async () => {
    const north = await casework('team', 'create', 'North');
    expect(north.code, north.stderr).toBe(0);
    const key = north.stdout.trim();
    expect((await casework('team', 'create', 'South')).code).toBe(0);

    const noChannel = await casework('team', 'channel', '--team', 'North', '--workspace', 'T0TEAM');
    expect(noChannel.code).toBe(2);
    expect(noChannel.stderr).toContain('Say which Slack channel with --slack-channel');
    const byName = await casework('team', 'channel', '--team', 'North', '--slack-channel', '#north-omu', '--workspace', 'T0TEAM');
    expect(byName.code).toBe(2);
    expect(byName.stderr).toContain('--slack-channel must be a Slack channel id, like C024BE91L (not its name).');
    const teams = await casework('team', 'channel', '--team', 'North', '--teams-channel', '19:abc@thread.tacv2');
    expect(teams.code).toBe(2);
    expect(teams.stderr).toContain('A Teams channel cannot be bound from the command line');

    const bound = await casework('team', 'channel', '--team', key, '--slack-channel', 'C0NORTH', '--workspace', 'T0TEAM', '--reason', 'North OMU go-live');
    expect(bound.code, bound.stderr).toBe(0);
    expect(bound.stdout).toBe(`North (${key}) now has Slack channel C0NORTH in workspace T0TEAM.\n`);

    const again = await casework('team', 'channel', '--team', 'North', '--slack-channel', 'C0OTHER', '--workspace', 'T0TEAM');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`North (${key}) already has its team channel`);
    const taken = await casework('team', 'channel', '--team', 'South', '--slack-channel', 'C0NORTH', '--workspace', 'T0TEAM');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain(`That channel already belongs to North (${key}), so it was not bound to South.`);

    const listed = await casework('teams');
    expect(listed.stdout).toMatch(/North\s+Europe\/London\s+0\s+0\s+yes \(slack\)/);

    const handle = await openDatabase({ dataDir });
    try {
      const team = await handle.db.selectFrom('teams').selectAll().where('team_key', '=', key).executeTakeFirstOrThrow();
      expect(team).toMatchObject({ channel_platform: 'slack', channel_workspace_id: 'T0TEAM', channel_id: 'C0NORTH' });
      const audit = await handle.db.selectFrom('audit_log').selectAll().where('action', '=', 'team.channel_bound').execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ team_id: team.id, actor_member_id: null, reason: 'North OMU go-live', actor_label: expect.stringMatching(/^cli:/) });
      expect(audit[0]!.after).toMatchObject({ key, name: 'North', channel: { platform: 'slack', workspaceId: 'T0TEAM', channelId: 'C0NORTH' } });
      const queued = await handle.db.selectFrom('outbound_messages').selectAll().where('team_id', '=', team.id).execute();
      expect(queued).toEqual([expect.objectContaining({ kind: 'effect:team-channel', platform: 'slack', status: 'pending' })]);
      expect(JSON.stringify(queued[0]!.payload)).toContain('This is now the channel of North');
    } finally {
      await handle.close();
    }
  });
});
