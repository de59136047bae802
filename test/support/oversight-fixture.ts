/**
 * The oversight fixture: a small team whose every oversight figure was worked out by hand
 * (test/core/oversight/oversight-figures.test.ts lists the answers and how each was reached).
 * Rows are written directly, with explicit dates, so the figures do not depend on when the test
 * runs: deadlines with their created, met, fulfilled and cancelled days; visits (one amended);
 * signed and draft supervision notes; supervision sessions; and discussions in each state.
 *
 * As of Mon 30 Nov 2026 (the fixed clock), period Tue 1 Sep to Mon 30 Nov 2026:
 * - Olivia Officer leads A1 (very high), A2 (high), A3 (medium), A4 (low), and the closed A5.
 * - Owen Officer leads B1 (high), B2 (low, reactive: no deadlines), B3 (low).
 * - Sam Supervisor (officer and supervisor, Olivia's and Owen's line manager) leads C1 (medium).
 * - D1 (high) has no lead officer and no supervisor. Ivy (inactive officer) and Ada (admin) hold nothing.
 */
import { sql, type Kysely } from 'kysely';
import type { Case, Member, Team } from '../../src/core/domain/entities.ts';
import type { DeadlineKind } from '../../src/core/ports.ts';
import { reposFor } from '../../src/db/kysely-store.ts';
import type { Database } from '../../src/db/schema.ts';
import { seedTeam, type PersonSpec } from './factories.ts';

/** The fixture's clock: Mon 30 Nov 2026, 10:00 in London (GMT). */
export const OVERSIGHT_NOW = '2026-11-30T10:00:00Z';
/** The fixture's as-of day and report period. */
export const OVERSIGHT_TO = '2026-11-30';
export const OVERSIGHT_FROM = '2026-09-01';

/** The report's CSV for the period, as worked out by hand (the reasoning is in oversight-figures.test.ts). */
export const OVERSIGHT_EXPECTED_CSV = [
  'officer,open_cases,weighted_load,open_deadlines,overdue_visits,overdue_reviews,overdue_mappa,overdue_actions,visits_due,visits_on_time,visits_on_time_pct,reviews_due,reviews_on_time,reviews_on_time_pct,supervised_cases,supervision_coverage_pct,visits_seen_90d,visits_with_strengths_90d,protective_factor_share_pct,last_supervision,next_supervision_due',
  'Olivia Officer,4,10,7,1,1,1,1,5,2,40,3,1,33,2,50,4,1,25,2026-11-02,2026-12-07',
  'Owen Officer,3,5,2,0,0,0,0,2,2,100,1,0,0,0,0,2,1,50,2026-08-01,2026-11-23',
  'Sam Supervisor,1,2,3,1,0,0,0,1,0,0,0,0,,1,100,2,1,50,,',
];

/** The seeded fixture: its team, people by first name and cases by label. */
export interface OversightFixture {
  team: Team;
  people: Record<'olivia' | 'owen' | 'sam' | 'ada' | 'ivy', Member>;
  cases: Record<string, Case>;
  /** Deadline ids by label (d1…, e1…, s1…, u1). */
  deadlines: Record<string, string>;
}

const CREATED = '2026-06-01T09:00:00Z';
const KEY_SUFFIX: Record<string, string> = { A1: 'AAA2', A2: 'AAA3', A3: 'AAA4', A4: 'AAA5', A5: 'AAA6', B1: 'BBB2', B2: 'BBB3', B3: 'BBB4', C1: 'CCC2', D1: 'DDD2' };

interface DeadlineSpec {
  label: string;
  kind: DeadlineKind;
  caseLabel: string | null;
  owner: 'olivia' | 'owen' | 'sam' | null;
  dueOn: string;
  status: 'open' | 'met' | 'cancelled';
  metAt?: string;
  metOn?: string | null;
  /** When it was cancelled (its last update). */
  cancelledAt?: string;
  createdAt?: string;
  urgent?: boolean;
  /** For officer supervision: whose supervision it is. */
  about?: 'olivia' | 'owen';
}

/** Every deadline of the fixture; see the test for what each one contributes. */
export const FIXTURE_DEADLINES: readonly DeadlineSpec[] = [
  // Olivia
  { label: 'd1', kind: 'visit', caseLabel: 'A1', owner: 'olivia', dueOn: '2026-09-15', status: 'met', metAt: '2026-09-14T15:00:00Z', metOn: '2026-09-14' },
  { label: 'd2', kind: 'visit', caseLabel: 'A1', owner: 'olivia', dueOn: '2026-10-15', status: 'met', metAt: '2026-10-16T15:00:00Z', metOn: '2026-10-16' },
  { label: 'd3', kind: 'visit', caseLabel: 'A1', owner: 'olivia', dueOn: '2026-11-16', status: 'open' },
  { label: 'd4', kind: 'visit', caseLabel: 'A2', owner: 'olivia', dueOn: '2026-11-20', status: 'met', metAt: '2026-11-23T09:00:00Z', metOn: '2026-11-18' },
  { label: 'd5', kind: 'visit', caseLabel: 'A2', owner: 'olivia', dueOn: '2026-12-20', status: 'open' },
  { label: 'd6', kind: 'assessment_review', caseLabel: 'A3', owner: 'olivia', dueOn: '2026-10-01', status: 'met', metAt: '2026-10-02T11:00:00Z', metOn: '2026-09-30' },
  { label: 'd7', kind: 'early_review', caseLabel: 'A3', owner: 'olivia', dueOn: '2026-11-25', status: 'open', urgent: true },
  { label: 'd8', kind: 'mappa_review', caseLabel: 'A1', owner: 'olivia', dueOn: '2026-11-27', status: 'open' },
  { label: 'd9', kind: 'supervision_action', caseLabel: null, owner: 'olivia', dueOn: '2026-10-20', status: 'open' },
  { label: 'd10', kind: 'supervision_action', caseLabel: null, owner: 'olivia', dueOn: '2026-12-01', status: 'open' },
  { label: 'd11', kind: 'visit', caseLabel: 'A4', owner: 'olivia', dueOn: '2026-12-10', status: 'open', createdAt: '2026-11-05T09:00:00Z' },
  { label: 'd12', kind: 'visit', caseLabel: 'A4', owner: 'olivia', dueOn: '2026-08-20', status: 'met', metAt: '2026-08-19T12:00:00Z', metOn: '2026-08-19' },
  { label: 'd13', kind: 'assessment_review', caseLabel: 'A4', owner: 'olivia', dueOn: '2026-11-02', status: 'cancelled', cancelledAt: '2026-10-20T12:00:00Z' },
  { label: 'd14', kind: 'assessment_review', caseLabel: 'A2', owner: 'olivia', dueOn: '2026-09-20', status: 'cancelled', cancelledAt: '2026-10-05T12:00:00Z' },
  { label: 'd15', kind: 'visit', caseLabel: 'A3', owner: 'olivia', dueOn: '2026-11-25', status: 'met', metAt: '2026-11-26T10:00:00Z', metOn: null },
  // Owen
  { label: 'e1', kind: 'visit', caseLabel: 'B1', owner: 'owen', dueOn: '2026-10-05', status: 'met', metAt: '2026-10-05T16:00:00Z', metOn: '2026-10-05' },
  { label: 'e2', kind: 'visit', caseLabel: 'B1', owner: 'owen', dueOn: '2026-11-30', status: 'open' },
  { label: 'e3', kind: 'assessment_review', caseLabel: 'B1', owner: 'owen', dueOn: '2026-11-09', status: 'met', metAt: '2026-11-12T10:00:00Z', metOn: '2026-11-12' },
  { label: 'e4', kind: 'visit', caseLabel: 'B3', owner: 'owen', dueOn: '2026-09-10', status: 'met', metAt: '2026-09-01T10:00:00Z', metOn: '2026-09-01' },
  { label: 'e5', kind: 'visit', caseLabel: 'B3', owner: 'owen', dueOn: '2027-03-01', status: 'open' },
  // Sam: his officers' supervision, and his own case
  { label: 's1', kind: 'officer_supervision', caseLabel: null, owner: 'sam', dueOn: '2026-12-07', status: 'open', about: 'olivia' },
  { label: 's2', kind: 'officer_supervision', caseLabel: null, owner: 'sam', dueOn: '2026-11-23', status: 'open', about: 'owen' },
  { label: 's3', kind: 'visit', caseLabel: 'C1', owner: 'sam', dueOn: '2026-11-26', status: 'open' },
  // Nobody's
  { label: 'u1', kind: 'visit', caseLabel: 'D1', owner: null, dueOn: '2026-11-01', status: 'open' },
];

interface VisitSpec {
  label: string;
  caseLabel: string;
  visitedOn: string;
  outcome: string;
  officers: ('olivia' | 'owen' | 'sam')[] | null;
  recordedBy: 'olivia' | 'owen' | 'sam';
  strengths: boolean;
  /** An amendment: a second version of this visit, with these strengths. */
  amendedStrengths?: boolean;
}

/** Every visit of the fixture. */
export const FIXTURE_VISITS: readonly VisitSpec[] = [
  { label: 'v1', caseLabel: 'A1', visitedOn: '2026-09-14', outcome: 'seen_at_home', officers: ['olivia'], recordedBy: 'olivia', strengths: true },
  { label: 'v2', caseLabel: 'A1', visitedOn: '2026-10-16', outcome: 'seen_at_home', officers: ['olivia', 'sam'], recordedBy: 'olivia', strengths: false },
  { label: 'v3', caseLabel: 'A2', visitedOn: '2026-11-18', outcome: 'seen_elsewhere', officers: ['olivia'], recordedBy: 'olivia', strengths: true, amendedStrengths: false },
  { label: 'v4', caseLabel: 'A3', visitedOn: '2026-11-26', outcome: 'no_reply', officers: ['olivia'], recordedBy: 'olivia', strengths: false },
  { label: 'v5', caseLabel: 'A4', visitedOn: '2026-08-19', outcome: 'seen_at_home', officers: ['olivia'], recordedBy: 'olivia', strengths: true },
  { label: 'v6', caseLabel: 'B1', visitedOn: '2026-10-05', outcome: 'seen_at_home', officers: ['owen'], recordedBy: 'owen', strengths: true },
  { label: 'v7', caseLabel: 'B3', visitedOn: '2026-09-01', outcome: 'seen_at_home', officers: ['owen'], recordedBy: 'owen', strengths: true },
  { label: 'v8', caseLabel: 'B3', visitedOn: '2026-09-02', outcome: 'seen_at_home', officers: ['owen'], recordedBy: 'owen', strengths: false },
  { label: 'v9', caseLabel: 'C1', visitedOn: '2026-11-20', outcome: 'seen_at_home', officers: ['sam'], recordedBy: 'sam', strengths: true },
  { label: 'v10', caseLabel: 'A3', visitedOn: '2026-11-27', outcome: 'seen_at_home', officers: null, recordedBy: 'olivia', strengths: false },
  { label: 'v11', caseLabel: 'A3', visitedOn: '2026-07-01', outcome: 'seen_at_home', officers: ['olivia'], recordedBy: 'olivia', strengths: false },
];

/** Seeds the fixture. `prefix` (one letter of the case-key alphabet) keeps case keys unique in a shared database. */
export async function seedOversightFixture(db: Kysely<Database>, options: { prefix?: string; people?: Partial<Record<'olivia' | 'owen' | 'sam' | 'ada', Partial<PersonSpec>>> } = {}): Promise<OversightFixture> {
  const prefix = options.prefix ?? 'X';
  const person = (key: 'olivia' | 'owen' | 'sam' | 'ada', name: string, roles: PersonSpec['roles']): PersonSpec => ({ name, roles, ...options.people?.[key] });
  const seeded = await seedTeam(db, {
    name: 'Oversight team',
    people: [
      person('olivia', 'Olivia Officer', ['officer']),
      person('owen', 'Owen Officer', ['officer']),
      person('sam', 'Sam Supervisor', ['officer', 'supervisor']),
      person('ada', 'Ada Admin', ['admin']),
      { name: 'Ivy Inactive', roles: ['officer'] },
    ],
  });
  const repos = reposFor(db);
  const sam = seeded.members['Sam Supervisor']!;
  const people = {
    olivia: await repos.members.update(seeded.members['Olivia Officer']!.id, { supervisorMemberId: sam.id }),
    owen: await repos.members.update(seeded.members['Owen Officer']!.id, { supervisorMemberId: sam.id }),
    sam,
    ada: seeded.members['Ada Admin']!,
    ivy: await repos.members.update(seeded.members['Ivy Inactive']!.id, { active: false }),
  };
  const team = seeded.team;

  const caseSpecs: [string, Partial<Case>][] = [
    ['A1', { riskLevel: 'very_high', leadOfficerId: people.olivia.id, supervisorId: sam.id, mappaCategory: 1, mappaLevel: 2 }],
    ['A2', { riskLevel: 'high', leadOfficerId: people.olivia.id }],
    ['A3', { riskLevel: 'medium', leadOfficerId: people.olivia.id }],
    ['A4', { riskLevel: 'low', leadOfficerId: people.olivia.id }],
    ['A5', { riskLevel: 'high', leadOfficerId: people.olivia.id }],
    ['B1', { riskLevel: 'high', leadOfficerId: people.owen.id }],
    ['B2', { riskLevel: 'low', managementMode: 'reactive', leadOfficerId: people.owen.id }],
    ['B3', { riskLevel: 'low', leadOfficerId: people.owen.id }],
    ['C1', { riskLevel: 'medium', leadOfficerId: sam.id }],
    ['D1', { riskLevel: 'high' }],
  ];
  const cases: Record<string, Case> = {};
  for (const [label, spec] of caseSpecs) {
    cases[label] = await repos.cases.create({
      teamId: team.id,
      key: `CW-${prefix}${KEY_SUFFIX[label]}`,
      externalRef: null,
      riskLevel: 'high',
      managementMode: 'active',
      leadOfficerId: null,
      supervisorId: null,
      coworkerIds: [],
      mappaCategory: null,
      mappaLevel: null,
      lastAssessmentOn: null,
      lastVisitOn: null,
      lastMappaReviewOn: null,
      planVisitIntervalMonths: null,
      planReviewIntervalMonths: null,
      createdOn: '2026-06-01',
      ...spec,
    });
  }
  cases.A5 = await repos.cases.update(cases.A5!.id, { status: 'closed' });

  const id = (who: 'olivia' | 'owen' | 'sam' | null) => (who ? people[who].id : null);
  const deadlines: Record<string, string> = {};
  for (const d of FIXTURE_DEADLINES) {
    const c = d.caseLabel ? cases[d.caseLabel]! : null;
    const subject = d.about ? `supervision:${people[d.about].id}` : `fixture:${prefix}:${d.label}`;
    const row = await db
      .insertInto('deadlines')
      .values({
        team_id: team.id,
        kind: d.kind,
        subject_key: subject,
        case_id: c?.id ?? null,
        owner_member_id: id(d.owner),
        due_on: d.dueOn,
        urgent: d.urgent ?? false,
        status: d.status,
        met_at: d.metAt ? new Date(d.metAt) : null,
        met_on: d.metOn ?? null,
        created_at: d.createdAt ?? CREATED,
        updated_at: d.cancelledAt ?? d.metAt ?? d.createdAt ?? CREATED,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    deadlines[d.label] = row.id;
  }

  for (const v of FIXTURE_VISITS) {
    const answers = (strengths: boolean) => ({
      outcome: v.outcome,
      visitedOn: v.visitedOn,
      ...(v.officers ? { officerIds: v.officers.map((o) => people[o].id) } : {}),
      protectiveNotes: strengths ? { commitment_to_desist: 'Talked about the course he finished.' } : {},
    });
    const first = await db
      .insertInto('visits')
      .values({
        case_id: cases[v.caseLabel]!.id,
        version: 1,
        visited_at: `${v.visitedOn}T11:00:00Z`,
        visited_on: v.visitedOn,
        visit_type: 'scheduled',
        outcome: v.outcome,
        answers: JSON.stringify(answers(v.strengths)),
        recorded_by: people[v.recordedBy].id,
        recorded_at: `${v.visitedOn}T15:00:00Z`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (v.amendedStrengths !== undefined) {
      await db
        .insertInto('visits')
        .values({
          case_id: cases[v.caseLabel]!.id,
          original_visit_id: first.id,
          amends_visit_id: first.id,
          version: 2,
          visited_at: `${v.visitedOn}T11:00:00Z`,
          visited_on: v.visitedOn,
          visit_type: 'scheduled',
          outcome: v.outcome,
          answers: JSON.stringify(answers(v.amendedStrengths)),
          recorded_by: people[v.recordedBy].id,
          recorded_at: `${v.visitedOn}T16:00:00Z`,
        })
        .execute();
    }
  }

  // Supervision notes: signed in the window (A1), a draft (A2), signed before the window (A3),
  // signed the day before the window (B3), and signed at 23:30 UTC on 30 Aug, which is 31 Aug in
  // London (BST), so inside the window (C1).
  const note = async (label: string, status: 'draft' | 'signed', signedAt: string | null) => {
    await db
      .insertInto('supervision_notes')
      .values({ case_id: cases[label]!.id, author_id: sam.id, status: 'draft', decision: 'Carry on.', rationale: 'Stable.', created_at: signedAt ?? CREATED })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then(async ({ id: noteId }) => {
        if (status === 'signed') await db.updateTable('supervision_notes').set({ status: 'signed', signed_at: signedAt ? new Date(signedAt) : null, content_sha256: 'f'.repeat(64) }).where('id', '=', noteId).execute();
      });
  };
  await note('A1', 'signed', '2026-10-10T10:00:00Z');
  await note('A2', 'draft', null);
  await note('A3', 'signed', '2026-08-20T10:00:00Z');
  await note('B3', 'signed', '2026-08-29T10:00:00Z');
  await note('C1', 'signed', '2026-08-30T23:30:00Z');

  const session = (officer: 'olivia' | 'owen', heldOn: string, reviewed: string[], next: string) =>
    db
      .insertInto('supervision_sessions')
      .values({ team_id: team.id, supervisor_id: sam.id, officer_id: people[officer].id, held_on: heldOn, cases_reviewed: sql`${reviewed.map((l) => cases[l]!.id)}::uuid[]`, next_session_on: next })
      .execute();
  await session('olivia', '2026-08-03', ['A1'], '2026-08-31');
  await session('olivia', '2026-11-02', ['A2'], '2026-12-07');
  await session('owen', '2026-08-01', ['B1'], '2026-11-23');

  const discussion = async (label: string, status: 'open' | 'awaiting_decision' | 'decided' | 'closed', openedAt: string) => {
    const d = await repos.discussions.create({ teamId: team.id, caseId: cases[label]!.id, question: 'What next?', openedBy: people.olivia.id, openedAt: new Date(openedAt) });
    if (status !== 'open') await db.updateTable('discussions').set({ status }).where('id', '=', d.id).execute();
  };
  await discussion('A1', 'open', '2026-11-20T10:00:00Z');
  await discussion('A2', 'awaiting_decision', '2026-11-10T10:00:00Z');
  await discussion('B1', 'decided', '2026-11-01T10:00:00Z');
  await discussion('B3', 'closed', '2026-10-01T10:00:00Z');

  return { team, people, cases, deadlines };
}
