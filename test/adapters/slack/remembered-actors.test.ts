// Who is asking is looked up once and remembered between a person's commands, and forgotten as
// soon as the roster changes: a change made by this server is seen by the next command, and one
// made elsewhere (another process, here the test's own connection that bypasses the server) is
// heard through the database's notification. Run on PGlite and, with DATABASE_URL, PostgreSQL.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Case } from '../../../src/core/domain/entities.ts';
import { createTestDb } from '../../support/test-db.ts';
import { seedCase, seedTeam, SLACK_WORKSPACE, type SeededTeam } from '../../support/factories.ts';
import { postSlackForm, slashCommand } from '../../support/slack-signing.ts';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from '../../support/test-app.ts';

const kinds = process.env.DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

describe.each(kinds)('remembered actors (%s)', (kind) => {
  let t: TestApp;
  let home: SeededTeam;
  let mine: Case;

  beforeAll(async () => {
    t = await startTestApp({ database: await createTestDb(kind), overrides: { clock: fixedClock('2026-11-27T10:00:00Z') } });
    home = await seedTeam(t.database.db, {
      people: [
        { name: 'Olivia Officer', roles: ['officer'], slackUserId: 'U0OFF' },
        { name: 'Pat Partner', roles: ['officer', 'supervisor'], slackUserId: 'U0PAT' },
        { name: 'Quinn Cover', roles: ['officer', 'supervisor'], slackUserId: 'U0QUI' },
      ],
    });
    mine = await seedCase(t.database.db, home.team, { riskLevel: 'high', leadOfficerId: home.members['Olivia Officer']!.id, lastVisitOn: '2026-11-02' });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Sends a slash command and returns what came back to its response_url, with the statements it took. */
  async function command(userId: string, text: string): Promise<{ text: string; statements: number }> {
    const name = `r-${Math.random().toString(36).slice(2)}`;
    const before = t.database.queries();
    const res = await postSlackForm(t.slackEventsUrl, TEST_SIGNING_SECRET, slashCommand(text, { user_id: userId, team_id: SLACK_WORKSPACE, response_url: t.slackApi.responseUrl(name) }));
    expect(res.status).toBe(200);
    const call = await t.slackApi.waitFor('response_url', (a) => a.name === name);
    return { text: JSON.stringify(call.args.blocks), statements: t.database.queries() - before };
  }

  it('looks a person up once: their next command takes one statement fewer', async () => {
    await command('U0OFF', `case ${mine.key}`); // first contact: the account is linked and seen
    const looked = await command('U0OFF', `case ${mine.key}`);
    const remembered = await command('U0OFF', `case ${mine.key}`);
    expect(remembered.text).toContain(`Case ${mine.key}`);
    expect(remembered.statements).toBe(looked.statements - 1);
  });

  it('sees a change this server made at the very next command, without waiting for any notice', async () => {
    await command('U0PAT', `case ${mine.key}`);
    const warm = await command('U0PAT', `case ${mine.key}`);
    expect(warm.text).toContain(`Case ${mine.key}`);
    // Through the server's own store, as the roster form's unit of work does.
    await t.app.delivery.store.transaction((repos) => repos.members.update(home.members['Pat Partner']!.id, { active: false }));
    const after = await command('U0PAT', `case ${mine.key}`);
    expect(after.text).toContain('not on a Casework team');
  });

  it('refuses a person taken off the roster by another process at their very next command', async () => {
    const warm = await command('U0OFF', `case ${mine.key}`);
    expect(warm.text).toContain(`Case ${mine.key}`);
    // Not through the server: the only way it can know is the database's notification.
    await t.database.db.updateTable('members').set({ active: false }).where('id', '=', home.members['Olivia Officer']!.id).execute();
    // PostgreSQL delivers the notice on the server's own connection, a moment after the commit.
    if (kind === 'postgres') await new Promise((done) => setTimeout(done, 100));
    const after = await command('U0OFF', `case ${mine.key}`);
    expect(after.text).toContain('not on a Casework team');
  });

  it.runIf(kind === 'postgres')('keeps nothing while the connection that listens is lost, so a change it cannot hear still counts', async () => {
    await command('U0QUI', `case ${mine.key}`);
    await command('U0QUI', `case ${mine.key}`);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query = 'LISTEN casework_people'`.execute(t.database.db);
    await new Promise((done) => setTimeout(done, 200));
    // Nobody hears this one: the server must look the person up again.
    await t.database.db.updateTable('members').set({ active: false }).where('id', '=', home.members['Quinn Cover']!.id).execute();
    const after = await command('U0QUI', `case ${mine.key}`);
    expect(after.text).toContain('not on a Casework team');
  });
});
