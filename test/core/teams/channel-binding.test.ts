// The core of giving a command-line team its channel: which team a setup binds, and that two
// admins of two teams inviting Casework to one channel at once end with one bind, one audit row
// and a clear refusal for the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCasework, type Casework } from '../../../src/core/casework.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Team } from '../../../src/core/domain/entities.ts';
import { FEATURES } from '../../../src/core/features.ts';
import { typedTeamKey } from '../../../src/core/teams/channel-binding.ts';
import { defaultPolicy } from '../../../src/core/policy/policy.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createKyselyStore, reposFor } from '../../../src/db/kysely-store.ts';
import { SLACK_WORKSPACE } from '../../support/factories.ts';
import { slackInChannel } from '../../support/inbound-contexts.ts';
import { createTestDb, DATABASE_KINDS } from '../../support/test-db.ts';

describe('typedTeamKey', () => {
  it('takes a team key in any case, and nothing else', () => {
    expect(typedTeamKey(' t-7k3p ')).toBe('T-7K3P');
    expect(typedTeamKey('T-7K3P2')).toBe('T-7K3P2');
    expect(typedTeamKey('Northshire MOSOVO')).toBeUndefined();
    expect(typedTeamKey('T-7K3P North')).toBeUndefined();
    expect(typedTeamKey(undefined)).toBeUndefined();
  });
});

describe.each(DATABASE_KINDS)('binding a channel on %s', (kind) => {
  let db: DatabaseHandle;
  let cw: Casework;

  /** A channel-less team whose one admin is already linked on Slack. */
  async function teamWithAdmin(name: string, key: string, userId: string): Promise<Team> {
    return createKyselyStore(db.db).transaction(async (repos) => {
      const team = await repos.teams.create({ key, name, timeZone: 'Europe/London', policy: defaultPolicy(), channel: null });
      const admin = await repos.members.create({ teamId: team.id, displayName: `${name} admin`, roles: ['admin'] });
      await repos.members.upsertIdentity(admin.id, team.id, { platform: 'slack', workspaceId: SLACK_WORKSPACE, userId }, true);
      return team;
    });
  }

  beforeAll(async () => {
    db = await createTestDb(kind);
    cw = createCasework({ store: createKyselyStore(db.db), clock: fixedClock('2026-11-27T10:00:00Z') }, FEATURES);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('lets one of two simultaneous binds of one channel win, and tells the other which team has it', async () => {
    const ann = await teamWithAdmin('Ann team', 'T-ANN2', 'U0ANN');
    const ben = await teamWithAdmin('Ben team', 'T-BEN2', 'U0BEN');
    const results = await Promise.allSettled([cw.botAddedToChannel(slackInChannel('U0ANN', 'C0SHARED'), {}), cw.botAddedToChannel(slackInChannel('U0BEN', 'C0SHARED'), {})]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toMatchObject({ name: 'DomainError', code: 'conflict' });
    const repos = reposFor(db.db);
    const owner = await repos.teams.findByChannel('slack', SLACK_WORKSPACE, 'C0SHARED');
    expect([ann.id, ben.id]).toContain(owner!.id);
    expect(String(lost[0]!.reason.message)).toContain(owner!.name);
    const loser = owner!.id === ann.id ? ben : ann;
    expect((await repos.teams.findById(loser.id))!.channel).toBeNull();
    const audits = await db.db.selectFrom('audit_log').selectAll().where('action', '=', 'team.channel_bound').where('entity_id', 'in', [ann.id, ben.id]).execute();
    expect(audits).toHaveLength(1);
    expect(audits[0]!.entity_id).toBe(owner!.id);
    // Nobody got a new team out of it.
    expect((await repos.teams.list()).filter((t) => t.channel?.channelId === 'C0SHARED')).toHaveLength(1);
  });
});
