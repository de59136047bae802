/**
 * Test data through the real repositories: a team with its roster and platform identities, and
 * cases with computed due dates. Every helper takes the database first, like the repositories.
 */
import type { Kysely } from 'kysely';
import { CASE_KEY_ALPHABET } from '../../src/core/cases/case-key.ts';
import { refreshCaseDeadlines } from '../../src/core/cases/case-deadlines-sync.ts';
import type { Case, Member, Role, Team } from '../../src/core/domain/entities.ts';
import type { Platform } from '../../src/core/interaction.ts';
import { defaultPolicy, type TeamPolicy } from '../../src/core/policy/policy.ts';
import type { NewCase } from '../../src/core/ports.ts';
import { applyPeopleImport, planPeopleImport } from '../../src/core/people/people-import.ts';
import { parseCaseloadCsv } from '../../src/cli/caseload-csv.ts';
import { createKyselyStore, reposFor } from '../../src/db/kysely-store.ts';
import type { Database } from '../../src/db/schema.ts';

let counter = 0;
function next(): number {
  counter += 1;
  return counter;
}

/** A person to put on the roster, with how they appear on each platform. */
export interface PersonSpec {
  name: string;
  roles: Role[];
  slackUserId?: string;
  teamsUserId?: string;
}

/** Where a seeded team's people live on each platform. */
export const SLACK_WORKSPACE = 'T0TEAM';
export const TEAMS_TENANT = '00000000-0000-0000-0000-0000000000aa';

/** A seeded team and its members by name. */
export interface SeededTeam {
  team: Team;
  members: Record<string, Member>;
}

/** Creates a team bound to a channel, with its roster and linked identities on both platforms. */
export async function seedTeam(
  db: Kysely<Database>,
  options: { name?: string; people?: PersonSpec[]; policy?: Partial<TeamPolicy>; channel?: { platform: Platform; workspaceId: string; channelId: string } } = {},
): Promise<SeededTeam> {
  const n = next();
  const repos = reposFor(db);
  const team = await repos.teams.create({
    key: `TEAM${n}`,
    name: options.name ?? `Test team ${n}`,
    timeZone: 'Europe/London',
    policy: { ...defaultPolicy(), ...options.policy },
    channel: options.channel ? { ...options.channel, ref: null } : null,
  });
  const people = options.people ?? [
    { name: 'Olivia Officer', roles: ['officer'], slackUserId: `U0OFFICER${n}`, teamsUserId: `aad-officer-${n}` },
    { name: 'Sam Supervisor', roles: ['officer', 'supervisor'], slackUserId: `U0SUPER${n}`, teamsUserId: `aad-super-${n}` },
    { name: 'Ada Admin', roles: ['admin'], slackUserId: `U0ADMIN${n}`, teamsUserId: `aad-admin-${n}` },
  ];
  const members: Record<string, Member> = {};
  for (const person of people) {
    const member = await repos.members.create({ teamId: team.id, displayName: person.name, roles: person.roles });
    if (person.slackUserId) {
      await repos.members.upsertIdentity(member.id, team.id, { platform: 'slack', workspaceId: SLACK_WORKSPACE, userId: person.slackUserId, displayName: person.name }, true);
    }
    if (person.teamsUserId) {
      await repos.members.upsertIdentity(member.id, team.id, { platform: 'teams', workspaceId: TEAMS_TENANT, userId: person.teamsUserId, displayName: person.name }, true);
    }
    members[person.name] = member;
  }
  return { team, members };
}

/**
 * A valid, unique case key for the n-th seeded case: CW-TT + four base-27 digits of n. Six
 * characters, so it never meets the four-character keys the app allocates at random.
 */
export function testCaseKey(n: number): string {
  let digits = '';
  let rest = n;
  do {
    digits = CASE_KEY_ALPHABET[rest % CASE_KEY_ALPHABET.length] + digits;
    rest = Math.floor(rest / CASE_KEY_ALPHABET.length);
  } while (rest > 0);
  return `CW-TT${digits.padStart(4, '2')}`;
}

/** Creates a case with sensible defaults and computes its due dates. */
export async function seedCase(db: Kysely<Database>, team: Team, overrides: Partial<NewCase> = {}): Promise<Case> {
  const n = next();
  const repos = reposFor(db);
  const created = await repos.cases.create({
    teamId: team.id,
    key: overrides.key ?? testCaseKey(n),
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
    createdOn: '2026-11-02',
    ...overrides,
  });
  return refreshCaseDeadlines(repos, team, created);
}

/**
 * Imports a people file into `team` as `casework import people` does (every row must pass), and
 * returns the team and its members by name. Given only a key and a name, the team is made first
 * as `casework team create` makes it: no channel.
 */
export async function importPeople(db: Kysely<Database>, team: Team | { key: string; name: string }, csv: string): Promise<{ team: Team; people: Record<string, Member> }> {
  return createKyselyStore(db).transaction(async (repos) => {
    const into = 'id' in team ? team : await repos.teams.create({ key: team.key, name: team.name, timeZone: 'Europe/London', policy: defaultPolicy(), channel: null });
    const plan = planPeopleImport(parseCaseloadCsv(Buffer.from(csv)), into, await repos.members.listByTeam(into.id), []);
    await applyPeopleImport(repos, { teamId: into.id, memberId: null, label: 'cli:tester' }, plan, { fileName: 'people.csv', skipInvalid: false });
    const members = await repos.members.listByTeam(into.id);
    return { team: into, people: Object.fromEntries(members.map((m) => [m.displayName, m])) };
  });
}
