// The oversight figures against answers worked out by hand from test/support/oversight-fixture.ts:
// every CSV column for every officer, the team's row, the weekly series, a past as-of day, the
// lists, and the Markdown and PDF carrying the same numbers. Each expected number says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamFigures } from '../../../src/core/oversight/oversight-figures.ts';
import { buildOversightReport, reportMarkdown, reportRecords, reportWeeks, type OversightReport } from '../../../src/core/oversight/oversight-report.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { reposFor } from '../../../src/db/kysely-store.ts';
import { writeOversightReport } from '../../../src/cli/report-command.ts';
import { renderOversightPdf } from '../../../src/renderers/oversight/oversight-pdf.ts';
import { reportCsv } from '../../../src/renderers/oversight/report-writer.ts';
import { OVERSIGHT_EXPECTED_CSV as EXPECTED_CSV, OVERSIGHT_FROM, OVERSIGHT_NOW, OVERSIGHT_TO, seedOversightFixture, type OversightFixture } from '../../support/oversight-fixture.ts';
import { pdfContent } from '../../support/pdf-content.ts';
import { createTestDb, DATABASE_KINDS } from '../../support/test-db.ts';
import { oversightChatSuite } from './oversight-chat-suite.ts';

/**
 * The CSV (OVERSIGHT_EXPECTED_CSV in the fixture) as worked out by hand, as of Mon 30 Nov 2026 for 1 Sep – 30 Nov 2026.
 *
 * Olivia: open cases A1 (very high), A2 (high), A3 (medium), A4 (low); A5 is closed → 4, weighted
 *   4+3+2+1 = 10. Open at the end of 30 Nov: d3, d5, d7, d8, d9, d10, d11 → 7 (d1, d2, d4, d6, d12,
 *   d15 met by then; d13, d14 cancelled). Overdue: visit d3 (16 Nov), review d7 (25 Nov, urgent),
 *   MAPPA d8 (27 Nov), action d9 (20 Oct). Visits due 1 Sep–30 Nov: d1 (on time), d2 (a day late),
 *   d3 (open), d4 (visit on 18 Nov for 20 Nov: on time although typed up on 23 Nov), d15 (met
 *   26 Nov for 25 Nov: late) → 5, 2 on time, 40%. Reviews: d6 (assessed 30 Sep for 1 Oct: on time),
 *   d7 (open), d14 (cancelled 5 Oct, after its due date, never met) → 3, 1, 33%; d13 was cancelled
 *   before it fell due, so it is not counted. Coverage since 30 Aug: A1 (signed note 10 Oct), A2
 *   (reviewed in the session of 2 Nov); A3's note was signed 20 Aug → 2 of 4, 50%. Visits seen
 *   2 Sep–30 Nov that she took part in: v1 (strengths), v2, v3 as amended (strengths removed),
 *   v10 (no officers listed; she recorded it) → 4, 1, 25%. Last session 2 Nov; next due 7 Dec (s1).
 * Owen: B1 (high), B2 (low, reactive), B3 (low) → 3, weighted 3+1+1 = 5. Open: e2, e5 → 2, none
 *   overdue (e2 is due today). Visits due: e1 (on its due date), e4 (early) → 2 of 2, 100%; e2 is
 *   due on the last day and still open, so not counted yet. Reviews: e3 (met 3 days late) → 1, 0,
 *   0%. Coverage: B1's session was 1 Aug, B3's note 29 Aug (the day before the window) → 0 of 3,
 *   0%. Visits: v6 (strengths), v8 (2 Sep, the window's first day) → 2, 1, 50%; v7 (1 Sep) is
 *   outside. Last session 1 Aug; next due 23 Nov (s2).
 * Sam: C1 (medium) → 1, weighted 2. Open: s1, s2, s3 → 3; overdue visit s3 (26 Nov) and his
 *   officer supervision s2 (23 Nov, not a column). Visits due: s3 → 1, 0, 0%; no reviews → empty.
 *   Coverage: C1's note was signed 23:30 UTC on 30 Aug, 00:30 on 31 Aug in London → 1 of 1, 100%.
 *   Visits: v2 (with Olivia), v9 (strengths) → 2, 1, 50%. No sessions of his own.
 * Ivy is inactive and Ada is not an officer: no rows.
 */


describe.each(DATABASE_KINDS)('oversight figures on %s', (kind) => {
  let database: DatabaseHandle;
  let f: OversightFixture;
  let report: OversightReport;

  beforeAll(async () => {
    database = await createTestDb(kind);
    f = await seedOversightFixture(database.db);
    report = await buildOversightReport(reposFor(database.db), f.team, { from: OVERSIGHT_FROM, to: OVERSIGHT_TO }, new Date(OVERSIGHT_NOW));
  });
  afterAll(async () => {
    await database?.close();
  });

  describe('in chat, on a second team', () => oversightChatSuite(() => database));

  it('proves every CSV column for every officer', () => {
    expect(reportCsv(report).trimEnd().split('\n')).toEqual(EXPECTED_CSV);
    expect(reportRecords(report)).toHaveLength(4);
  });

  it("counts the whole team once, cases and deadlines with no lead officer included", () => {
    // 9 open cases (A1–A4, B1–B3, C1, D1): very high 1, high 3, medium 2, low 3 → 4+9+4+3 = 20.
    // Open deadlines 7 + 2 + 3 + u1 = 13; overdue visits d3, s3, u1; all overdue 4 + 0 + 2 + 1 = 7.
    // Due by Mon 14 Dec (10 working days): d10, d11, e2, s1. Visits due 5 + 2 + 1 + u1 = 9, on time 4.
    // Reviews 3 + 1, on time 1. Covered A1, A2, C1 of 9. Seen visits v1, v2, v3, v6, v8, v9, v10: 7,
    // strengths in v1, v6, v9 (v2 counts once though two officers were there).
    expect(report.team.counts).toEqual({
      openCases: 9,
      risk: { very_high: 1, high: 3, medium: 2, low: 3 },
      coveredCases: 3,
      openDeadlines: 13,
      overdueVisits: 3,
      overdueReviews: 1,
      overdueMappa: 1,
      overdueActions: 1,
      overdueAll: 7,
      overdueUrgent: 1,
      dueSoon: 4,
      actionsOpen: 2,
      seenVisits: 7,
      strengthVisits: 3,
      visitsDue: 9,
      visitsOnTime: 4,
      reviewsDue: 4,
      reviewsOnTime: 1,
    });
  });

  it('counts as of a past day from what was known then', async () => {
    // As of Sat 31 Oct: d11 did not exist yet (created 5 Nov); d4 (visited 18 Nov) and d15 (met
    // 26 Nov) were still open; d13 (cancelled 20 Oct) and d14 (5 Oct) were not. Only action d9 was
    // overdue. Visits due 1 Sep–31 Oct: d1 on time, d2 late. Reviews: d6 on time, d14 late.
    // Coverage since 31 Jul: A1 (note 10 Oct, session 3 Aug) and A3 (note 20 Aug).
    const past = await teamFigures(reposFor(database.db), f.team, '2026-10-31', OVERSIGHT_FROM);
    const olivia = past.officers.find((o) => o.officer.id === f.people.olivia.id)!.counts;
    expect(olivia).toMatchObject({ openDeadlines: 8, overdueAll: 1, overdueActions: 1, visitsDue: 2, visitsOnTime: 1, reviewsDue: 2, reviewsOnTime: 1, coveredCases: 2, lastSupervisionOn: '2026-08-03' });
  });

  it('counts the weeks the charts draw', () => {
    expect(report.weeks.map((w) => w.start)).toEqual(reportWeeks(OVERSIGHT_FROM, OVERSIGHT_TO).map((w) => w.start));
    expect(report.weeks[0]).toEqual({ start: '2026-09-01', end: '2026-09-06', visitsDue: 0, visitsDone: 2, overdue: 0 });
    // 16–22 Nov: d3 and d4 due; v3 (18 Nov) and v9 (20 Nov) done; at the end of Sunday 22 Nov d9,
    // d3 and u1 were overdue (d14 was cancelled on 5 Oct).
    expect(report.weeks.find((w) => w.start === '2026-11-16')).toEqual({ start: '2026-11-16', end: '2026-11-22', visitsDue: 2, visitsDone: 2, overdue: 3 });
    expect(report.weeks.at(-1)).toEqual({ start: '2026-11-30', end: '2026-11-30', visitsDue: 1, visitsDone: 0, overdue: 7 });
  });

  it('lists what needs a decision or an owner, and the cases with no strengths lately', async () => {
    const oversight = reposFor(database.db).oversight;
    // Discussions on A1 (open) and A2 (awaiting decision); C1 and D1 have no supervisor; B2 has no
    // deadline; MAPPA review d8 is due by 14 Dec.
    expect(await oversight.listCounts(f.team.id, '2026-12-14')).toEqual({ awaitingDecision: 2, withoutSupervisor: 2, withoutDeadline: 1, mappaDue: 1 });
    expect((await oversight.awaitingDecision(f.team.id, 0, 10)).items.map((d) => d.caseKey)).toEqual([f.cases.A2!.key, f.cases.A1!.key]);
    expect((await oversight.withoutSupervisor(f.team.id, 0, 10)).items.map((c) => c.caseKey)).toEqual([f.cases.C1!.key, f.cases.D1!.key]);
    // A3's last two visits where the person was seen (v10, v11) noted nothing; A1's v1 did.
    expect(await oversight.casesWithoutStrengths(f.team.id)).toEqual([{ caseId: f.cases.A3!.id, caseKey: f.cases.A3!.key, leadOfficerId: f.people.olivia.id }]);
    const overdue = await oversight.overdueFor(f.people.olivia.id, OVERSIGHT_TO, 0, 10);
    expect(overdue.total).toBe(4);
    expect(overdue.items.map((d) => d.kind)).toEqual(['supervision_action', 'visit', 'early_review', 'mappa_review']);
  });

  it('writes each format as `casework report oversight` does, and audits every report', async () => {
    const written: Record<string, Buffer> = {};
    for (const format of ['md', 'csv', 'pdf'] as const) {
      await writeOversightReport(database.db, { team: f.team.key, from: OVERSIGHT_FROM, to: OVERSIGHT_TO, format }, new Date(OVERSIGHT_NOW), (bytes) => (written[format] = bytes));
    }
    expect(written.csv!.toString('utf8').trimEnd().split('\n')).toEqual(EXPECTED_CSV);
    expect(written.md!.toString('utf8')).toBe(reportMarkdown(report));
    expect(written.pdf!.subarray(0, 5).toString()).toBe('%PDF-');
    const audit = await database.db.selectFrom('audit_log').select(['actor_label', 'after']).where('team_id', '=', f.team.id).where('action', '=', 'oversight.reported').orderBy('id').execute();
    expect(audit.map((a) => (a.after as { format: string }).format)).toEqual(['md', 'csv', 'pdf']);
    expect(audit.every((a) => a.actor_label.startsWith('cli:'))).toBe(true);
  });

  it('writes the same numbers in the Markdown and the PDF, with the PDF drawing its charts', async () => {
    const md = reportMarkdown(report);
    expect(md).toContain('| Olivia Officer | 5 | 2 | 40 | 3 | 1 | 33 |');
    expect(md).toContain('| Whole team | 9 | 4 | 44 | 4 | 1 | 25 |');
    const pdf = await renderOversightPdf(report, { compress: false });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { text, rectangles, lines } = pdfContent(pdf);
    for (const title of ['Home visits due and done, week by week', "Deadlines overdue at each week's end", 'Supervision coverage by officer', 'Protective-factor share by officer']) expect(text).toContain(title);
    expect(text).toContain('Olivia Officer');
    expect(text).toContain('44');
    // Drawn as vectors: filled rectangles for the bars, line paths for the axes and the series.
    expect(rectangles).toBeGreaterThan(30);
    expect(lines).toBeGreaterThan(30);
    // Compressed, as the command writes it, it is still a whole PDF.
    const compressed = await renderOversightPdf(report);
    expect(compressed.subarray(-6).toString()).toContain('%%EOF');
  });
});

