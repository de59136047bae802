import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCases } from '../../src/core/caseload/caseload-export.ts';
import { applyCaseImport, importBlocker, planCaseImport, type CaseImportPlan } from '../../src/core/caseload/caseload-import.ts';
import { CASELOAD_COLUMNS, type CaseloadRecord, type CaseloadTable } from '../../src/core/caseload/caseload-row.ts';
import type { Member, Team } from '../../src/core/domain/entities.ts';
import { defaultPolicy } from '../../src/core/policy/policy.ts';
import type { AuditActor } from '../../src/core/ports.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { createKyselyStore, reposFor } from '../../src/db/kysely-store.ts';
import { caseloadEncoding, parseCaseloadCsv, readCaseloadCsv, writeCaseloadCsv } from '../../src/cli/caseload-csv.ts';
import { seedCase, seedTeam, type PersonSpec } from '../support/factories.ts';
import { createTestDb, DATABASE_KINDS } from '../support/test-db.ts';

const TODAY = '2026-11-02';
const PEOPLE: PersonSpec[] = [
  { name: 'Olivia Officer', roles: ['officer'] },
  { name: 'Omar Officer', roles: ['officer'] },
  { name: 'Sam Supervisor', roles: ['officer', 'supervisor'] },
  { name: 'Ada Admin', roles: ['admin'] },
];
const RISKS = ['low', 'medium', 'high', 'very high'];

/** The n-th row of a generated caseload. */
function row(n: number, overrides: Partial<CaseloadRecord> = {}): CaseloadRecord {
  return {
    case_key: '',
    external_ref: `REF-${String(n).padStart(4, '0')}`,
    risk_level: RISKS[n % 4] ?? 'high',
    management_mode: 'active',
    lead_officer: n % 2 ? 'Olivia Officer' : 'sam supervisor',
    supervisor: 'Sam Supervisor',
    coworkers: n % 3 === 0 ? 'Omar Officer' : '',
    mappa_category: '1',
    mappa_level: String(1 + (n % 3)),
    last_assessment_on: '2026-06-01',
    last_visit_on: n % 5 === 0 ? '' : '15/09/2026',
    last_mappa_review_on: n % 3 === 1 ? '2026-08-20' : '',
    plan_visit_interval_months: n % 7 === 0 ? '2' : '',
    plan_review_interval_months: '',
    ...overrides,
  };
}

/** CSV text through the real writer and reader, as the command line would see it. */
function tableOf(records: CaseloadRecord[]): CaseloadTable {
  return parseCaseloadCsv(Buffer.from(writeCaseloadCsv(records)));
}

function rows(count: number): CaseloadRecord[] {
  return Array.from({ length: count }, (_, i) => row(i + 1));
}

describe.each(DATABASE_KINDS)('caseload import and export on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const newTeam = async (): Promise<Team> => (await seedTeam(handle.db, { people: PEOPLE, policy: { externalRefPattern: 'REF-\\d{4,5}' } })).team;
  const actor = (team: Team): AuditActor => ({ teamId: team.id, memberId: null, label: 'cli:tester' });

  /** Plans and (unless blocked) applies an import in one transaction, as the command does. */
  async function importTable(team: Team, table: CaseloadTable, options: { skipInvalid?: boolean; fileName?: string } = {}): Promise<CaseImportPlan> {
    return createKyselyStore(handle.db).transaction(async (repos) => {
      const members = await repos.members.listByTeam(team.id, { includeInactive: true });
      const plan = planCaseImport(table, team, members, await repos.cases.listAll(team.id), TODAY);
      const skipInvalid = options.skipInvalid ?? false;
      if (importBlocker(plan, skipInvalid)) return plan;
      await applyCaseImport(repos, actor(team), plan, { fileName: options.fileName ?? 'caseload.csv', skipInvalid, today: TODAY });
      return plan;
    });
  }

  const auditActions = async (team: Team) => {
    const result = await sql<{ action: string; n: number }>`select action, count(*)::int as n from audit_log where team_id = ${team.id} group by action`.execute(handle.db);
    return Object.fromEntries(result.rows.map((r) => [r.action, Number(r.n)]));
  };

  it('imports 500 rows as 500 cases with due dates, then re-imports only what changed', async () => {
    const team = await newTeam();
    const records = rows(500);
    const first = await importTable(team, tableOf(records));
    expect(first.counts).toEqual({ created: 500, updated: 0, unchanged: 0, rejected: 0 });

    const repos = reposFor(handle.db);
    const cases = await repos.cases.listAll(team.id);
    expect(cases).toHaveLength(500);
    expect(cases.every((c) => c.assessmentReviewDueOn !== null && c.visitDueOn !== null)).toBe(true);
    const veryHigh = cases.find((c) => c.externalRef === 'REF-0003');
    expect(veryHigh).toMatchObject({ riskLevel: 'very_high', lastVisitOn: '2026-09-15', mappaLevel: 1 });
    expect(veryHigh?.coworkerIds).toHaveLength(1);
    expect((await repos.deadlines.listOpenForCase(veryHigh?.id ?? '')).map((d) => d.kind)).toContain('visit');
    expect(await auditActions(team)).toEqual({ 'case.imported': 500, 'caseload.imported': 1 });

    records[9] = { ...row(10), risk_level: 'very_high' };
    records[99] = { ...row(100), lead_officer: 'Omar Officer', last_visit_on: '2026-10-30' };
    const second = await importTable(team, tableOf(records), { fileName: 'caseload-v2.csv' });
    expect(second.counts).toEqual({ created: 0, updated: 2, unchanged: 498, rejected: 0 });
    const updates = second.outcomes.filter((o) => o.kind === 'update');
    expect(updates.map((o) => [o.line, o.changedColumns])).toEqual([
      [11, ['risk_level']],
      [101, ['lead_officer', 'last_visit_on']],
    ]);
    expect(await repos.cases.listAll(team.id)).toHaveLength(500);
    const moved = await repos.cases.findByExternalRef(team.id, 'REF-0100');
    expect(moved?.visitDueOn).not.toBe(cases.find((c) => c.externalRef === 'REF-0100')?.visitDueOn);

    const updated = await sql<{ before: Record<string, unknown>; after: Record<string, unknown>; reason: string; actor_label: string }>`
      select before, after, reason, actor_label from audit_log where team_id = ${team.id} and action = 'case.updated' order by id`.execute(handle.db);
    expect(updated.rows).toHaveLength(2);
    expect(updated.rows[0]).toMatchObject({ reason: 'caseload-v2.csv', actor_label: 'cli:tester', before: { riskLevel: 'high', externalRef: '(on file)' }, after: { riskLevel: 'very_high' } });
    expect(JSON.stringify(updated.rows)).not.toContain('REF-');
  });

  it('reports every bad row with its physical line and reason, and writes nothing', async () => {
    const team = await newTeam();
    const header = CASELOAD_COLUMNS.join(',');
    const line = (r: CaseloadRecord) => CASELOAD_COLUMNS.map((c) => r[c]).join(',');
    const csv = [
      header, // 1
      line(row(1)), // 2: fine
      line(row(2, { risk_level: 'severe' })), // 3
      '', // 4: blank lines are skipped but still counted
      line(row(4, { last_visit_on: '2027-01-05', last_assessment_on: '31/02/2026' })), // 5
      line(row(5, { lead_officer: 'Zed Unknown' })), // 6
      line(row(6, { lead_officer: 'Ada Admin', supervisor: 'Olivia Officer' })), // 7
      line(row(1, { coworkers: 'Olivia Officer' })), // 8: same external_ref as line 2, and the lead as co-worker
      line(row(8, { external_ref: 'PNC 12/345678X' })), // 9
      line(row(9, { management_mode: 'reactive', risk_level: 'high' })), // 10
      line(row(10, { mappa_level: '4', plan_review_interval_months: '40' })), // 11
      line(row(11, { coworkers: 'Olivia Officer' })), // 12: the lead as co-worker
      'CW-7K3P,REF-0012', // 13: too few cells
    ].join('\n');
    const plan = await importTable(team, parseCaseloadCsv(Buffer.from(csv)));
    expect(plan.counts).toEqual({ created: 1, updated: 0, unchanged: 0, rejected: 10 });
    const rejected = Object.fromEntries(plan.outcomes.flatMap((o) => (o.kind === 'rejected' ? [[o.line, o.reason]] : [])));
    expect(Object.keys(rejected).map(Number)).toEqual([3, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(rejected[3]).toBe('risk_level: must be low, medium, high or very high');
    expect(rejected[5]).toBe('last_assessment_on: must be a date written YYYY-MM-DD or DD/MM/YYYY; last_visit_on: cannot be in the future');
    expect(rejected[6]).toBe("lead_officer: is not on the team's roster");
    expect(rejected[7]).toBe('lead_officer: is not an active officer on the roster; supervisor: is not an active supervisor on the roster');
    expect(rejected[8]).toBe('external_ref: the same reference is already on line 2; coworkers: the lead officer cannot also be a co-worker');
    expect(rejected[9]).toBe("external_ref: does not match the team's reference format");
    expect(rejected[10]).toBe('management_mode: reactive management is only for low-risk cases');
    expect(rejected[11]).toBe('mappa_level: must be 1, 2, 3 or blank; plan_review_interval_months: must be a whole number of months from 1 to 36, or blank');
    expect(rejected[12]).toBe('coworkers: the lead officer cannot also be a co-worker');
    expect(rejected[13]).toMatch(/^has 2 cells but the header has 14; risk_level: is required; lead_officer: is required/);
    // Reasons name columns, never the values in them.
    expect(JSON.stringify(rejected)).not.toMatch(/Zed|PNC|severe/);
    expect(importBlocker(plan, false)).toMatch(/10 rows were rejected, so nothing was imported/);
    expect(await reposFor(handle.db).cases.listAll(team.id)).toEqual([]);
    expect(await auditActions(team)).toEqual({});

    // Applying a blocked plan directly is refused, and writes nothing either.
    await expect(createKyselyStore(handle.db).transaction((repos) => applyCaseImport(repos, actor(team), plan, { fileName: 'x.csv', skipInvalid: false, today: TODAY }))).rejects.toThrow(
      /nothing was imported/,
    );

    const skipped = await importTable(team, parseCaseloadCsv(Buffer.from(csv)), { skipInvalid: true, fileName: 'partly-bad.csv' });
    expect(skipped.counts).toMatchObject({ created: 1, rejected: 10 });
    expect(await reposFor(handle.db).cases.listAll(team.id)).toHaveLength(1);
    const summary = await sql<{ after: Record<string, unknown>; reason: string }>`select after, reason from audit_log where team_id = ${team.id} and action = 'caseload.imported'`.execute(handle.db);
    expect(summary.rows).toEqual([{ reason: 'partly-bad.csv', after: { created: 1, updated: 0, unchanged: 0, rejected: 10, skippedInvalid: true } }]);
  });

  it('checks the header: unknown and missing columns are file problems; case, spacing and a BOM are tolerated', async () => {
    const team = await newTeam();
    const bad = await importTable(team, parseCaseloadCsv(Buffer.from('external_ref,risk,officer,notes\nREF-0001,high,Olivia Officer,x\n')));
    expect(bad.fileProblems).toEqual([
      'Unknown columns: risk, officer, notes. The columns are: ' + CASELOAD_COLUMNS.join(', ') + '.',
      'Missing required columns: risk_level, lead_officer.',
    ]);
    expect(bad.outcomes).toEqual([]);
    expect(importBlocker(bad, true)).toMatch(/^The file cannot be imported/);

    const good = await importTable(team, parseCaseloadCsv(Buffer.from('\uFEFF External_Ref ,Risk Level,LEAD_OFFICER\r\nREF-0001,Very High,olivia  officer\r\n')));
    expect(good.counts).toEqual({ created: 1, updated: 0, unchanged: 0, rejected: 0 });
    const created = await reposFor(handle.db).cases.findByExternalRef(team.id, 'REF-0001');
    expect(created).toMatchObject({ riskLevel: 'very_high', managementMode: 'active', supervisorId: null, coworkerIds: [] });
  });

  it('round-trips: an export imports back unchanged, and the export is audited with its reason', async () => {
    const team = await newTeam();
    await importTable(team, tableOf(rows(30)));
    const records = await createKyselyStore(handle.db).transaction((repos) => exportCases(repos, actor(team), team, 'Quarterly reconciliation'));
    expect(records).toHaveLength(30);
    expect(Object.keys(records[0] ?? {})).toEqual([...CASELOAD_COLUMNS]);
    expect(records.every((r) => /^CW-/.test(r.case_key))).toBe(true);
    expect(records.find((r) => r.external_ref === 'REF-0003')).toMatchObject({ risk_level: 'very_high', last_visit_on: '2026-09-15', coworkers: 'Omar Officer' });

    const again = await importTable(team, tableOf(records));
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 30, rejected: 0 });
    expect(await auditActions(team)).toMatchObject({ 'case.imported': 30, 'case.exported': 30, 'caseload.exported': 1, 'caseload.imported': 2 });
    await expect(createKyselyStore(handle.db).transaction((repos) => exportCases(repos, actor(team), team, '  '))).rejects.toThrow(/give the reason/);
  });

  it('matches on the external reference; a case key must agree with it, and may link a case that has none on file', async () => {
    const seeded = await seedTeam(handle.db, { people: PEOPLE });
    const team = seeded.team;
    const olivia = seeded.members['Olivia Officer'];
    const withRef = await seedCase(handle.db, team, { externalRef: 'REF-0001', leadOfficerId: olivia?.id ?? null });
    const withoutRef = await seedCase(handle.db, team, { leadOfficerId: olivia?.id ?? null });
    const plan = await importTable(team, tableOf([row(1, { case_key: withoutRef.key, risk_level: 'high' }), row(2, { case_key: withoutRef.key.toLowerCase(), risk_level: 'high' })]));
    expect(plan.outcomes.map((o) => o.kind)).toEqual(['rejected', 'update']);
    expect(plan.outcomes[0]).toMatchObject({ line: 2, reason: 'case_key: belongs to a different case from the one with this external_ref' });
    expect(plan.outcomes[1]).toMatchObject({ line: 3, kind: 'update', existing: { id: withoutRef.id } });
    expect(await reposFor(handle.db).cases.findById(withRef.id)).toMatchObject({ externalRef: 'REF-0001' });
    const linked = await importTable(team, tableOf([row(2, { case_key: withoutRef.key, risk_level: 'high' })]), { skipInvalid: true });
    expect(linked.counts).toEqual({ created: 0, updated: 1, unchanged: 0, rejected: 0 });
    expect(await reposFor(handle.db).cases.findById(withoutRef.id)).toMatchObject({ externalRef: 'REF-0002', riskLevel: 'high' });
  });

  it('re-imports an unedited export whose cells start like formulas, full-width ＝ and co-workers included', async () => {
    const people: PersonSpec[] = [
      { name: '＝Wide Officer', roles: ['officer'] },
      { name: '-Dash Officer', roles: ['officer'] },
      { name: '@At Supervisor', roles: ['supervisor'] },
    ];
    const team = (await seedTeam(handle.db, { people })).team;
    const rowsIn = [1, 2, 3].map((n) => row(n, { lead_officer: '＝Wide Officer', supervisor: '@At Supervisor', coworkers: '-Dash Officer' }));
    expect((await importTable(team, tableOf(rowsIn))).counts).toMatchObject({ created: 3, rejected: 0 });
    const exported = await createKyselyStore(handle.db).transaction((repos) => exportCases(repos, actor(team), team, 'Round trip'));
    const csv = writeCaseloadCsv(exported);
    // The export is escaped for spreadsheets...
    expect(csv).toContain("'＝Wide Officer");
    expect(csv).toContain("'-Dash Officer");
    // ...and reads back as the same people, so nothing has changed.
    const again = await importTable(team, parseCaseloadCsv(Buffer.from(csv)));
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 3, rejected: 0 });
  });

  it('gives every new case of a batch its own key, however often the random keys collide', async () => {
    const team = await newTeam();
    const plan = await createKyselyStore(handle.db).transaction(async (repos) => {
      const members = await repos.members.listByTeam(team.id, { includeInactive: true });
      const planned = planCaseImport(tableOf(rows(3)), team, members, [], TODAY);
      // Always the same "random" number: the same key every time at each length.
      await applyCaseImport(repos, actor(team), planned, { fileName: 'same.csv', skipInvalid: false, today: TODAY, random: () => 0.999 });
      return planned;
    });
    expect(plan.counts.created).toBe(3);
    const keys = (await reposFor(handle.db).cases.listAll(team.id)).map((c) => c.key);
    expect(new Set(keys).size).toBe(3);
  });
});

describe('caseload CSV reading', () => {
  it('numbers rows by the physical line they start on, across blank lines, quoted line breaks and CRLF', () => {
    const table = parseCaseloadCsv(Buffer.from('\uFEFFa,b\r\n1,2\r\n\r\n"x\r\ny",3\r\n,,\r\n4,5'));
    expect(table.headers).toEqual(['a', 'b']);
    expect(table.rows).toEqual([
      { line: 2, cells: ['1', '2'] },
      { line: 4, cells: ['x\r\ny', '3'] },
      { line: 7, cells: ['4', '5'] },
    ]);
  });

  it('refuses malformed and empty files with a plain message', () => {
    expect(() => parseCaseloadCsv(Buffer.from('a,b\n1,"2\n'))).toThrow(/not valid CSV/);
    expect(() => parseCaseloadCsv(Buffer.from('\n\n'))).toThrow(/empty/);
  });

  it('escapes formula-like cells on export and reads them back as they were', () => {
    const csv = writeCaseloadCsv([row(1, { lead_officer: '=cmd' })]);
    expect(csv).toContain(",'=cmd,");
    const team: Team = { id: 't1', key: 'T-TEST', name: 'Test', timeZone: 'Europe/London', policy: defaultPolicy(), closures: [], channel: null, isDemo: false };
    const member = (id: string, displayName: string): Member => ({ id, teamId: team.id, displayName, roles: ['officer', 'supervisor'], supervisorMemberId: null, reminderTime: '08:30', timeZone: null, active: true, undeliverable: false });
    const members = [member('m1', '=cmd'), member('m2', 'Sam Supervisor'), member('m3', 'Omar Officer')];
    const plan = planCaseImport(parseCaseloadCsv(Buffer.from(csv)), team, members, [], TODAY);
    expect(plan.outcomes).toMatchObject([{ kind: 'create', fields: { leadOfficerId: 'm1', supervisorId: 'm2' } }]);
  });

  it('reads UTF-16 with its byte-order mark, little- or big-endian', () => {
    const text = '\uFEFFexternal_ref,lead_officer\r\nREF-0001,Zoë Ørsted\r\n\r\nREF-0002,"Line\r\nbreak"\r\nREF-0003,x\r\n';
    const little = Buffer.from(text, 'utf16le');
    const big = Buffer.from(little).swap16();
    const expected = { headers: ['external_ref', 'lead_officer'], rows: [{ line: 2, cells: ['REF-0001', 'Zoë Ørsted'] }, { line: 4, cells: ['REF-0002', 'Line\r\nbreak'] }, { line: 6, cells: ['REF-0003', 'x'] }] };
    expect(parseCaseloadCsv(little)).toEqual(expected);
    expect(parseCaseloadCsv(big)).toEqual(expected);
  });

  it('refuses a Latin-1 file, naming the line but not the text, unless windows-1252 is asked for', () => {
    const latin1 = Buffer.from('external_ref,lead_officer\nREF-0001,Tom Reid\nREF-0002,Zoë Brontë\n', 'latin1');
    expect(() => parseCaseloadCsv(latin1)).toThrow(/not UTF-8 text: line 3 .*--encoding windows-1252/);
    expect(() => parseCaseloadCsv(latin1)).not.toThrow(/Zo|Bront/);
    expect(parseCaseloadCsv(latin1, { encoding: 'windows-1252' }).rows[1]).toEqual({ line: 3, cells: ['REF-0002', 'Zoë Brontë'] });
    // A UTF-8 file with a byte-order mark stays UTF-8 whatever is asked for.
    expect(parseCaseloadCsv(Buffer.from('\uFEFFa\nZoë\n'), { encoding: 'windows-1252' }).rows[0]?.cells).toEqual(['Zoë']);
    expect(caseloadEncoding('Latin1')).toBe('windows-1252');
    expect(caseloadEncoding('ebcdic')).toBeNull();
  });

  it('names the line and column of malformed CSV, never the text in it', () => {
    const error = (() => {
      try {
        parseCaseloadCsv(Buffer.from('a,b\n1,2\n\n3,"secret"tail\n'));
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(error).toBe('The file is not valid CSV: line 4, column 2: a quoted cell has more text after its closing quote.');
  });

  it('streams a file with the same lines and cells as reading it whole, and the same refusals', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'caseload-stream-'));
    try {
      const text = '\uFEFFa,b\r\n1,2\r\n\r\n"x\r\ny",3\r\n,,\r\n4,5';
      const path = join(dir, 'ok.csv');
      await writeFile(path, text);
      expect(await readCaseloadCsv(path)).toEqual(parseCaseloadCsv(Buffer.from(text)));
      const latin1 = join(dir, 'latin1.csv');
      await writeFile(latin1, Buffer.from('a\nb\nZoë\n', 'latin1'));
      await expect(readCaseloadCsv(latin1)).rejects.toThrow(/line 3/);
      expect((await readCaseloadCsv(latin1, { encoding: 'windows-1252' })).rows.at(-1)).toEqual({ line: 3, cells: ['Zoë'] });
      await expect(readCaseloadCsv(join(dir, 'missing.csv'))).rejects.toThrow(/Cannot read .*there is no such file/);
      await writeFile(join(dir, 'bad.csv'), 'a,b\n1,"2\n');
      await expect(readCaseloadCsv(join(dir, 'bad.csv'))).rejects.toThrow(/not valid CSV: line 2/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
