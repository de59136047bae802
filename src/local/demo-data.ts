/**
 * Demo data for local mode: a team bound to the Agents Playground's General channel, with the
 * Playground's mock users on its roster and a handful of cases whose due dates show every state
 * (overdue, due this week, later, reactive). Everything is marked as demo data, and it is created
 * once: later starts find the team and leave it alone.
 */
import { refreshCaseDeadlines } from '../core/cases/case-deadlines-sync.ts';
import { allocateCaseKey } from '../core/cases/case-key.ts';
import { addCalendarDays, todayIn } from '../core/calendar/working-calendar.ts';
import type { Clock } from '../core/clock.ts';
import type { Member, Role } from '../core/domain/entities.ts';
import type { ManagementMode, RiskLevel } from '../core/domain/vocabulary.ts';
import { defaultPolicy } from '../core/policy/policy.ts';
import type { Store } from '../core/ports.ts';
import { allocateTeamKey } from '../core/teams/team-key.ts';
import type { PlaygroundConfig, PlaygroundUser } from './playground.ts';
import type { Kysely } from 'kysely';
import { reposFor } from '../db/kysely-store.ts';
import type { Database } from '../db/schema.ts';
import { createScaleTeam } from './scale-team.ts';

/** The demo team's name says what it is wherever it appears. */
export const DEMO_TEAM_NAME = 'Demo MOSOVO team (DEMO DATA)';

/** Roles for the Playground's six mock users: the current user can try everything. */
const DEMO_ROLES: Role[][] = [
  ['officer', 'supervisor', 'admin'],
  ['officer'],
  ['officer'],
  ['supervisor'],
  ['officer', 'supervisor'],
  ['admin'],
];

interface DemoCase {
  lead: number;
  coworker?: number;
  supervisor: number;
  riskLevel: RiskLevel;
  managementMode?: ManagementMode;
  /** Days before today of the last visit and the last assessment. */
  visitedDaysAgo: number | null;
  assessedDaysAgo: number | null;
  mappaLevel?: number;
}

const DEMO_CASES: DemoCase[] = [
  { lead: 0, coworker: 1, supervisor: 3, riskLevel: 'very_high', visitedDaysAgo: 33, assessedDaysAgo: 80, mappaLevel: 2 },
  { lead: 0, supervisor: 3, riskLevel: 'high', visitedDaysAgo: 85, assessedDaysAgo: 150 },
  { lead: 0, coworker: 2, supervisor: 4, riskLevel: 'medium', visitedDaysAgo: 40, assessedDaysAgo: 200 },
  { lead: 0, supervisor: 3, riskLevel: 'low', visitedDaysAgo: 300, assessedDaysAgo: 330 },
  { lead: 0, supervisor: 3, riskLevel: 'low', managementMode: 'reactive', visitedDaysAgo: 500, assessedDaysAgo: 400 },
  { lead: 1, coworker: 0, supervisor: 3, riskLevel: 'very_high', visitedDaysAgo: 10, assessedDaysAgo: 20, mappaLevel: 3 },
  { lead: 1, supervisor: 4, riskLevel: 'high', visitedDaysAgo: 95, assessedDaysAgo: 60 },
  { lead: 2, supervisor: 3, riskLevel: 'medium', visitedDaysAgo: 170, assessedDaysAgo: 340 },
  { lead: 4, supervisor: 3, riskLevel: 'high', visitedDaysAgo: null, assessedDaysAgo: null },
];

/**
 * Creates the demo team and cases unless a team is already bound to the Playground's General
 * channel. Returns the team's key and whether anything was created.
 */
export async function ensureDemoData(store: Store, playground: PlaygroundConfig, clock: Clock, serviceUrl: string): Promise<{ teamKey: string; created: boolean }> {
  return store.transaction(async (repos) => {
    const channelId = playground.team.generalChannelId;
    // How the bot reaches the Playground's team channel: its port can change between starts.
    const channel = { platform: 'teams' as const, workspaceId: playground.tenantId, channelId, ref: channelReference(playground, serviceUrl) };
    const existing = await repos.teams.findByChannel('teams', playground.tenantId, channelId);
    if (existing) {
      await repos.teams.update(existing.id, { channel });
      return { teamKey: existing.key, created: false };
    }

    const team = await repos.teams.create({
      key: await allocateTeamKey(async (k) => Boolean(await repos.teams.findByKey(k))),
      name: DEMO_TEAM_NAME,
      timeZone: 'Europe/London',
      policy: defaultPolicy(),
      channel,
      isDemo: true,
    });
    const system = { teamId: team.id, memberId: null, label: 'system:demo-data' };
    await repos.audit.record(system, { action: 'team.created', entityType: 'team', entityId: team.id, after: { name: team.name, demo: true } });

    const people = [playground.currentUser, ...playground.users];
    const members: Member[] = [];
    for (const [index, user] of people.entries()) {
      const member = await repos.members.create({ teamId: team.id, displayName: user.name, roles: DEMO_ROLES[index] ?? ['officer'] });
      await repos.members.upsertIdentity(member.id, team.id, { platform: 'teams', workspaceId: playground.tenantId, userId: user.aadObjectId, displayName: user.name }, false);
      await repos.audit.record(system, { action: 'member.added', entityType: 'member', entityId: member.id, after: { roles: member.roles, demo: true } });
      members.push(member);
    }

    const today = todayIn(team.timeZone, clock.now());
    for (const spec of DEMO_CASES) {
      const ago = (days: number | null) => (days === null ? null : addCalendarDays(today, -days));
      const created = await repos.cases.create({
        teamId: team.id,
        key: await allocateCaseKey((k) => repos.cases.keyExists(k)),
        externalRef: null,
        riskLevel: spec.riskLevel,
        managementMode: spec.managementMode ?? 'active',
        leadOfficerId: members[spec.lead]?.id ?? null,
        supervisorId: members[spec.supervisor]?.id ?? null,
        coworkerIds: spec.coworker !== undefined && members[spec.coworker] ? [members[spec.coworker]!.id] : [],
        mappaCategory: spec.mappaLevel ? 1 : null,
        mappaLevel: spec.mappaLevel ?? null,
        lastAssessmentOn: ago(spec.assessedDaysAgo),
        lastVisitOn: ago(spec.visitedDaysAgo),
        lastMappaReviewOn: spec.mappaLevel ? ago(30) : null,
        planVisitIntervalMonths: null,
        planReviewIntervalMonths: null,
        createdOn: addCalendarDays(today, -14),
        isDemo: true,
      });
      const c = await refreshCaseDeadlines(repos, team, created);
      await repos.audit.record(system, { action: 'case.created', entityType: 'case', entityId: c.id, caseId: c.id, after: { riskLevel: c.riskLevel, demo: true } });
    }
    return { teamKey: team.key, created: true };
  });
}

/** A conversation reference for the Playground's General channel, for posting threads there. */
function channelReference(playground: PlaygroundConfig, serviceUrl: string): Record<string, unknown> {
  return {
    channelId: 'msteams',
    serviceUrl,
    bot: { id: playground.bot.id, name: playground.bot.name },
    conversation: { id: playground.team.generalChannelId, isGroup: true, conversationType: 'channel', tenantId: playground.tenantId },
  };
}

/**
 * The demo team at real size (`DEMO=scale`): 1,000 cases, twelve officers and three supervisors,
 * a year of history, bound to the Playground's General channel. The Playground's current user
 * (Alex) is the first supervisor, who also keeps the roster, and the other mock users are the
 * first officers; the rest of the team has no chat identity. Made once, like the small demo.
 */
export async function ensureScaleDemo(db: Kysely<Database>, playground: PlaygroundConfig, clock: Clock, serviceUrl: string): Promise<{ teamKey: string; created: boolean }> {
  const repos = reposFor(db);
  const channelId = playground.team.generalChannelId;
  const channel = { platform: 'teams' as const, workspaceId: playground.tenantId, channelId, ref: channelReference(playground, serviceUrl) };
  const existing = await repos.teams.findByChannel('teams', playground.tenantId, channelId);
  if (existing) {
    await repos.teams.update(existing.id, { channel });
    return { teamKey: existing.key, created: false };
  }
  const officers = 12;
  const scale = await createScaleTeam(db, {
    today: todayIn('Europe/London', clock.now()),
    name: `${DEMO_TEAM_NAME}, 1,000 cases`,
    teamKey: await allocateTeamKey(async (k) => Boolean(await repos.teams.findByKey(k))),
    channel,
    names: [...playground.users.map((u) => u.name), ...Array.from({ length: officers - playground.users.length }, () => undefined), playground.currentUser.name],
  });
  // The Playground's people get their Teams identities: Alex as the first supervisor, the others as the first officers.
  const byPosition: [PlaygroundUser, number][] = [[playground.currentUser, officers], ...playground.users.map((u, i): [PlaygroundUser, number] => [u, i])];
  for (const [user, position] of byPosition) {
    const member = scale.people[position]?.member;
    if (member) await repos.members.upsertIdentity(member.id, scale.team.id, { platform: 'teams', workspaceId: playground.tenantId, userId: user.aadObjectId, displayName: user.name }, false);
  }
  return { teamKey: scale.team.key, created: true };
}
