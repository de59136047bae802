// `casework export record` as a child process over PGlite on disk: Markdown and PDF files of a
// case's record, the hash in the footer verifying, the reason required and audited.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRecord } from '../../src/core/supervision/case-record.ts';
import { openDatabase } from '../../src/db/database.ts';
import { reposFor } from '../../src/db/kysely-store.ts';
import { cliEnv, copyMigratedDataDir, runCasework } from '../support/cli-process.ts';
import { seedCase, seedTeam } from '../support/factories.ts';


describe('casework export record (child processes, PGlite on disk)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let caseKey: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'casework-record-'));
    env = cliEnv({ DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' });
    await copyMigratedDataDir(join(dir, 'data'));
    const database = await openDatabase({ dataDir: join(dir, 'data') });
    try {
      const { team, members } = await seedTeam(database.db);
      const c = await seedCase(database.db, team, { leadOfficerId: members['Olivia Officer']!.id });
      const discussion = await reposFor(database.db).discussions.create({ teamId: team.id, caseId: c.id, question: 'Joint visit?', openedBy: members['Olivia Officer']!.id, openedAt: new Date('2026-11-24T10:00:00Z') });
      await reposFor(database.db).discussions.addMessage({ discussionId: discussion.id, platformMessageId: '1.1', authorMemberId: members['Sam Supervisor']!.id, authorPlatformUserId: 'U1', body: 'Yes, jointly.', postedAt: new Date('2026-11-24T10:05:00Z'), personalDataFlags: [] });
      caseKey = c.key;
    } finally {
      await database.close();
    }
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const casework = (...args: string[]) => runCasework(args, { cwd: dir, env });

  it('writes Markdown and PDF records whose hash verifies, and audits each export with its reason', { timeout: 240_000 }, async () => {
    const noReason = await casework('export', 'record', caseKey, '--format', 'md');
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason');

    const md = await casework('export', 'record', caseKey, '--format', 'md', '--reason', 'Court disclosure');
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('Sam Supervisor: Yes, jointly.');
    expect(md.stdout).toContain('24 Nov 2026, 10:05');
    const check = verifyRecord(md.stdout);
    expect(check.valid).toBe(true);
    expect(md.stderr).toContain(check.stated);

    const out = join(dir, 'record.pdf');
    const pdf = await casework('export', 'record', caseKey, '--format', 'pdf', '--reason', 'Court disclosure', '--out', out);
    expect(pdf.code, pdf.stderr).toBe(0);
    expect((await readFile(out)).subarray(0, 5).toString()).toBe('%PDF-');

    // Either file verifies as it is, and not once a byte of it is changed.
    const mdFile = join(dir, 'record.md');
    await writeFile(mdFile, md.stdout);
    const mdOk = await casework('verify', 'record', mdFile);
    expect(mdOk.code, mdOk.stderr).toBe(0);
    expect(mdOk.stdout).toContain(`Intact: ${mdFile} is the unaltered Markdown record of ${caseKey}.`);
    const pdfOk = await casework('verify', 'record', out);
    expect(pdfOk.code, pdfOk.stderr).toBe(0);
    expect(pdfOk.stdout).toContain(`is the unaltered PDF record of ${caseKey}.`);
    await writeFile(mdFile, md.stdout.replace('Yes, jointly.', 'No, alone.'));
    const mdBad = await casework('verify', 'record', mdFile);
    expect(mdBad.code).toBe(1);
    expect(mdBad.stdout).toContain('NOT intact');
    const bytes = await readFile(out);
    const tampered = Buffer.from(bytes.toString('latin1').replace('(Casework)', '(Casewerk)'), 'latin1');
    expect(tampered.equals(bytes)).toBe(false);
    await writeFile(join(dir, 'tampered.pdf'), tampered);
    const pdfBad = await casework('verify', 'record', join(dir, 'tampered.pdf'));
    expect(pdfBad.code).toBe(1);
    expect(pdfBad.stdout).toContain('NOT intact');

    const database = await openDatabase({ dataDir: env.DATA_DIR ?? '' });
    try {
      const rows = await database.db.selectFrom('audit_log').select(['action', 'reason', 'after']).where('action', '=', 'record.exported').orderBy('id').execute();
      expect(rows.map((r) => [r.reason, (r.after as { format: string }).format])).toEqual([
        ['Court disclosure', 'md'],
        ['Court disclosure', 'pdf'],
      ]);
    } finally {
      await database.close();
    }
  });
});
