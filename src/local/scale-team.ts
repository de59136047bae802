/**
 * A team of the size real MOSOVO teams work at, made up deterministically from a seed: twelve
 * officers with about 85 cases each, three supervisors (one of them also the admin), a year of
 * home visits and assessments with their notes, open significant changes, officer supervision,
 * and case discussions with long threads (one of 200 replies). Written with bulk inserts and its
 * due dates set by the same batched recalculation a policy change uses, so 1,000 cases take a few
 * seconds. Used by `casework demo --scale`, by local mode's scale demo and by tests and
 * benchmarks that must run at real size. Everything in it is demo data.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { addCalendarDays, addCalendarMonths, zonedDateTimeToInstant, type IsoDate } from '../core/calendar/working-calendar.ts';
import { CASE_KEY_ALPHABET } from '../core/cases/case-key.ts';
import { recalculateTeamDeadlines } from '../core/deadlines/recalculate-deadlines.ts';
import type { ChannelBinding, Member, Role, Team } from '../core/domain/entities.ts';
import {
  armsProtectiveFactors,
  armsRiskFactors,
  type ManagementMode,
  type RiskLevel,
  type SignificantChangeKind,
  type VisitOutcome,
} from '../core/domain/vocabulary.ts';
import { defaultPolicy } from '../core/policy/policy.ts';
import { createKyselyStore, reposFor } from '../db/kysely-store.ts';
import type { Database } from '../db/schema.ts';

/** How the team is made; everything but `today` has a default. */
export interface ScaleTeamOptions {
  /** The day it is "now" in the team's zone: a year of history ends here. */
  today: IsoDate;
  cases?: number;
  officers?: number;
  supervisors?: number;
  seed?: number;
  name?: string;
  teamKey?: string;
  channel?: ChannelBinding | null;
  /** Platform identities for the people, numbered from 01: Slack `<prefix>01`, Teams `<prefix>01`. */
  slack?: { workspaceId: string; userIdPrefix: string };
  teams?: { tenantId: string; userIdPrefix: string };
  /** Names for the first people (the Playground's users, say), officers first, then supervisors. */
  names?: (string | undefined)[];
  /** Replies in the longest discussion thread. */
  longThreadReplies?: number;
}

/** What was made. */
export interface ScaleTeam {
  team: Team;
  officers: Member[];
  supervisors: Member[];
  /** The people in roster order (officers, then supervisors) with their platform user ids. */
  people: { member: Member; slackUserId?: string; teamsUserId?: string }[];
  caseKeys: string[];
  counts: { cases: number; visits: number; assessments: number; discussions: number; replies: number };
}

/** A small, fast, seeded generator (mulberry32): the same seed makes the same team. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Avery', 'Blake', 'Casey', 'Devon', 'Ellis', 'Frankie', 'Glen', 'Harper', 'Indra', 'Jordan', 'Kai', 'Logan', 'Morgan', 'Noel', 'Parker', 'Quinn', 'Riley', 'Sasha'];
const LAST = ['Ashworth', 'Bramley', 'Carver', 'Dunmore', 'Elwood', 'Fairbank', 'Greaves', 'Holloway', 'Ingram', 'Jessop', 'Kendrick', 'Lathom', 'Marsden', 'Norcott', 'Oakley', 'Pennington'];

const RISK_MIX: [RiskLevel, ManagementMode, number][] = [
  ['very_high', 'active', 0.05],
  ['high', 'active', 0.2],
  ['medium', 'active', 0.4],
  ['low', 'active', 0.3],
  ['low', 'reactive', 0.05],
];
const VISIT_MONTHS: Record<RiskLevel, number> = { very_high: 1, high: 3, medium: 6, low: 12 };
const REVIEW_MONTHS: Record<RiskLevel, number> = { very_high: 3, high: 6, medium: 12, low: 12 };
const STANDARD_CHANGES: SignificantChangeKind[] = ['relationship', 'employment', 'address', 'bereavement', 'new_devices'];

/** Inserts rows in chunks that stay well inside PostgreSQL's parameter limit. */
async function insertChunks<T extends keyof Database & string>(db: Kysely<Database>, table: T, rows: readonly Record<string, unknown>[], chunk = 400): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + chunk) as never)
      .execute();
  }
}

/** A deterministic, valid case key for case number `n` (base 27 over the unambiguous alphabet). */
function caseKeyFor(n: number, offset: number): string {
  let x = n + offset;
  let key = '';
  for (let i = 0; i < 4; i += 1) {
    key = CASE_KEY_ALPHABET[x % CASE_KEY_ALPHABET.length] + key;
    x = Math.floor(x / CASE_KEY_ALPHABET.length);
  }
  return `CW-${key}`;
}

/** Makes the team. The database must be migrated. */
export async function createScaleTeam(db: Kysely<Database>, options: ScaleTeamOptions): Promise<ScaleTeam> {
  const random = generator(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const caseCount = options.cases ?? 1000;
  const officerCount = options.officers ?? 12;
  const supervisorCount = options.supervisors ?? 3;
  const today = options.today;
  const repos = reposFor(db);

  const team = await repos.teams.create({
    key: options.teamKey ?? `SCALE${(options.seed ?? 1).toString().padStart(2, '0')}`,
    name: options.name ?? 'Scale demo team (DEMO DATA)',
    timeZone: 'Europe/London',
    policy: defaultPolicy(),
    channel: options.channel ?? null,
    isDemo: true,
  });

  // People: officers first, then supervisors; the first supervisor also keeps the roster.
  const people: ScaleTeam['people'] = [];
  const supervisors: Member[] = [];
  const officers: Member[] = [];
  const total = officerCount + supervisorCount;
  for (let i = 0; i < total; i += 1) {
    const isSupervisor = i >= officerCount;
    const roles: Role[] = isSupervisor ? (i === officerCount ? ['officer', 'supervisor', 'admin'] : ['officer', 'supervisor']) : ['officer'];
    const name = options.names?.[i] ?? `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
    const member = await repos.members.create({ teamId: team.id, displayName: name, roles });
    (isSupervisor ? supervisors : officers).push(member);
    const n = String(i + 1).padStart(2, '0');
    const entry: ScaleTeam['people'][number] = { member };
    if (options.slack) {
      entry.slackUserId = `${options.slack.userIdPrefix}${n}`;
      await repos.members.upsertIdentity(member.id, team.id, { platform: 'slack', workspaceId: options.slack.workspaceId, userId: entry.slackUserId, displayName: name }, true);
    }
    if (options.teams) {
      entry.teamsUserId = `${options.teams.userIdPrefix}${n}`;
      await repos.members.upsertIdentity(member.id, team.id, { platform: 'teams', workspaceId: options.teams.tenantId, userId: entry.teamsUserId, displayName: name }, true);
    }
    people.push(entry);
  }
  // Each supervisor line-manages a share of the officers.
  for (const [i, officer] of officers.entries()) {
    const supervisor = supervisors[i % supervisors.length]!;
    officers[i] = await repos.members.update(officer.id, { supervisorMemberId: supervisor.id });
    people[i]!.member = officers[i]!;
  }

  const cases: Record<string, unknown>[] = [];
  const coworkers: Record<string, unknown>[] = [];
  const visits: Record<string, unknown>[] = [];
  const assessments: Record<string, unknown>[] = [];
  const changes: Record<string, unknown>[] = [];
  const caseKeys: string[] = [];
  const keyOffset = 7919 * (options.seed ?? 1);
  const yearAgo = addCalendarDays(today, -365);

  for (let n = 0; n < caseCount; n += 1) {
    const id = randomUUID();
    const lead = officers[n % officers.length]!;
    const roll = random();
    let acc = 0;
    let risk: RiskLevel = 'medium';
    let mode: ManagementMode = 'active';
    for (const [level, m, share] of RISK_MIX) {
      acc += share;
      if (roll < acc) {
        risk = level;
        mode = m;
        break;
      }
    }
    const key = caseKeyFor(n, keyOffset);
    caseKeys.push(key);
    const mappaLevel = random() < 0.08 ? 2 : random() < 0.03 ? 3 : null;
    // A year of visits at the risk level's cadence, a little late at times; about one case in
    // eight has fallen behind (its last visit longer ago than the cadence allows).
    const every = VISIT_MONTHS[risk];
    const behind = random() < 0.125;
    let visitDay = addCalendarDays(today, -Math.floor(random() * every * 30) - (behind ? every * 30 + 10 : 0));
    let lastSeen: IsoDate | null = null;
    let failedInARow = 0;
    const caseVisits: Record<string, unknown>[] = [];
    while (visitDay >= yearAgo && mode === 'active') {
      const outcome: VisitOutcome = random() < 0.08 ? (random() < 0.5 ? 'no_reply' : 'access_refused') : random() < 0.1 ? 'seen_elsewhere' : 'seen_at_home';
      const seen = outcome === 'seen_at_home' || outcome === 'seen_elsewhere';
      failedInARow = seen ? 0 : failedInARow + 1;
      const strengths = seen && random() < 0.6 ? armsProtectiveFactors.filter(() => random() < 0.35) : [];
      const answers = {
        visitedOn: visitDay,
        visitedTime: `${String(9 + Math.floor(random() * 8)).padStart(2, '0')}:${pick(['00', '15', '30', '45'])}`,
        visitType: pick(['scheduled', 'unannounced', 'joint_probation'] as const),
        officerIds: [lead.id],
        outcome,
        present: seen && random() < 0.3 ? ['adult_visitor'] : [],
        changes: [],
        protectiveNotes: Object.fromEntries(strengths.map((f) => [f, pick(['Steady routine described.', 'Talked about the support group.', 'New volunteering role.', 'Keeps in touch with family.'])])),
        riskConcerns: seen && random() < 0.2 ? [pick(armsRiskFactors)] : [],
        riskNote: null,
        notificationCompliance: seen ? 'compliant' : null,
        orderCompliance: seen ? pick(['compliant', 'no_order'] as const) : null,
        devices: seen ? pick(['seen_checked', 'none_seen'] as const) : null,
        welfare: null,
        discussionWanted: false,
        nextVisitOn: null,
      };
      caseVisits.push({
        id: randomUUID(),
        case_id: id,
        version: 1,
        visited_at: zonedDateTimeToInstant(visitDay, answers.visitedTime, 'Europe/London'),
        visited_on: visitDay,
        visit_type: answers.visitType,
        outcome,
        answers: JSON.stringify(answers),
        next_visit_on: null,
        recorded_by: lead.id,
        last_visit_on_before: null,
      });
      if (seen && (lastSeen === null || visitDay > lastSeen)) lastSeen = visitDay;
      // The next one back: the cadence, give or take a week; a failed entry is tried again soon.
      visitDay = addCalendarDays(visitDay, seen ? -(every * 30 + Math.floor(random() * 14) - 7) : -7);
      if (failedInARow > 2) break;
    }
    visits.push(...caseVisits.reverse());
    // Assessments at the review cadence over the year.
    const reviewEvery = REVIEW_MONTHS[risk];
    let assessedOn = addCalendarDays(today, -Math.floor(random() * reviewEvery * 30) - (behind ? 20 : 0));
    let lastAssessed: IsoDate | null = null;
    while (assessedOn >= yearAgo) {
      assessments.push({ case_id: id, assessed_on: assessedOn, risk_level: risk, factor_version: 'ARMS-2', factor_ratings: null, recorded_by: lead.id });
      if (lastAssessed === null) lastAssessed = assessedOn;
      assessedOn = addCalendarMonths(assessedOn, -reviewEvery);
    }
    // About one case in twenty has a change reported since its last assessment.
    if (random() < 0.05) {
      const urgent = random() < 0.2;
      changes.push({
        case_id: id,
        kind: urgent ? 'further_offence' : pick(STANDARD_CHANGES),
        urgency: urgent ? 'urgent' : 'standard',
        reported_on: addCalendarDays(today, -Math.floor(random() * 10)),
        source: 'manual',
        reported_by: lead.id,
      });
    }
    const coworker = random() < 0.2 ? officers[(n + 1 + Math.floor(random() * (officers.length - 1))) % officers.length] : undefined;
    if (coworker && coworker.id !== lead.id) coworkers.push({ case_id: id, member_id: coworker.id });
    cases.push({
      id,
      team_id: team.id,
      case_key: key,
      risk_level: risk,
      management_mode: mode,
      lead_officer_id: lead.id,
      supervisor_id: lead.supervisorMemberId,
      mappa_category: mappaLevel ? 1 : null,
      mappa_level: mappaLevel,
      last_assessment_on: lastAssessed,
      last_visit_on: lastSeen,
      last_mappa_review_on: mappaLevel ? addCalendarDays(today, -Math.floor(random() * 90)) : null,
      is_demo: true,
      created_on: addCalendarDays(yearAgo, -Math.floor(random() * 700)),
    });
  }

  await insertChunks(db, 'cases', cases);
  await insertChunks(db, 'case_coworkers', coworkers);
  await insertChunks(db, 'visits', visits);
  await insertChunks(db, 'assessments', assessments);
  await insertChunks(db, 'change_events', changes);

  // Case discussions: one with a long thread, a handful with a few replies, some decided.
  const discussionRows: Record<string, unknown>[] = [];
  const replies: Record<string, unknown>[] = [];
  const discussionCount = Math.min(20, caseCount);
  const teamPeople = [...officers, ...supervisors];
  for (let d = 0; d < discussionCount; d += 1) {
    const id = randomUUID();
    const caseIndex = Math.floor((d * caseCount) / discussionCount);
    const lead = officers[caseIndex % officers.length]!;
    const openedOn = addCalendarDays(today, -(d * 3 + 1));
    discussionRows.push({
      id,
      team_id: team.id,
      case_id: cases[caseIndex]!.id,
      question: pick(['Should the next visit be joint with probation?', 'Bring the review forward after the new relationship?', 'Is an unannounced visit needed this week?', 'How should we respond to the missed appointments?']),
      status: d % 5 === 4 ? 'decided' : d % 3 === 0 ? 'awaiting_decision' : 'open',
      opened_by: lead.id,
      opened_at: zonedDateTimeToInstant(openedOn, '10:00', 'Europe/London'),
    });
    const replyCount = d === 0 ? (options.longThreadReplies ?? 200) : Math.floor(random() * 8);
    for (let r = 0; r < replyCount; r += 1) {
      const author = teamPeople[(r + d) % teamPeople.length]!;
      replies.push({
        discussion_id: id,
        platform_message_id: `scale-${d}-${r}`,
        author_member_id: author.id,
        author_platform_user_id: `scale-author-${author.id.slice(0, 8)}`,
        body: `Reply ${r + 1}: ${pick(['Agree, a joint visit makes sense.', 'The routine looks steady lately.', 'We should check the devices again.', 'Happy to go with the officer on this.', 'Worth raising at the next MAPPA meeting.'])}`,
        posted_at: new Date(zonedDateTimeToInstant(openedOn, '10:05', 'Europe/London').getTime() + r * 60_000),
        personal_data_flags: [],
      });
    }
  }
  await insertChunks(db, 'discussions', discussionRows);
  await insertChunks(db, 'discussion_messages', replies);

  // Officer supervision: a session with each officer some weeks ago; the next is due four weeks on.
  const sessions: Record<string, unknown>[] = [];
  for (const officer of officers) {
    const heldOn = addCalendarDays(today, -(7 + Math.floor(random() * 35)));
    sessions.push({ team_id: team.id, supervisor_id: officer.supervisorMemberId, officer_id: officer.id, held_on: heldOn, next_session_on: addCalendarDays(heldOn, 28) });
  }
  await insertChunks(db, 'supervision_sessions', sessions);
  await repos.deadlines.syncMany(
    team.id,
    sessions.map((s) => ({
      kind: 'officer_supervision' as const,
      subjectKey: `supervision:${String(s.officer_id)}`,
      caseId: null,
      ownerMemberId: String(s.supervisor_id),
      dueOn: String(s.next_session_on),
      urgent: false,
    })),
  );

  await recalculateTeamDeadlines(createKyselyStore(db), team);
  await repos.audit.record({ teamId: team.id, memberId: null, label: 'system:scale-demo' }, { action: 'team.created', entityType: 'team', entityId: team.id, after: { name: team.name, demo: true, cases: caseCount } });

  return {
    team,
    officers,
    supervisors,
    people,
    caseKeys,
    counts: { cases: cases.length, visits: visits.length, assessments: assessments.length, discussions: discussionRows.length, replies: replies.length },
  };
}
