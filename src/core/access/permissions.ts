/**
 * Who may do what (docs/domain.md, Roles), in one table, checked by the core for every command and
 * view whatever the platform. The team boundary is checked first and always: nobody acts on
 * another team's data, whatever a button value or typed case key says.
 */
import { DomainError } from '../errors.ts';
import type { Case, Member, Role, Team } from '../domain/entities.ts';

/** A resolved person acting in one team. */
export interface Actor {
  member: Member;
  team: Team;
  /** A readable label for the audit log. */
  label: string;
}

/** Everything a person can ask to do. */
export type Permission =
  | 'case.view'
  | 'case.list_team'
  | 'case.create'
  | 'case.edit'
  | 'visit.record'
  | 'assessment.record'
  | 'change.record'
  | 'discussion.open'
  | 'discussion.reply'
  | 'supervision.write'
  | 'discussion.close'
  | 'record.export'
  | 'roster.manage'
  | 'caseload.import'
  | 'policy.set'
  | 'team.view_deadlines'
  | 'oversight.view';

/** How a permission relates to a case: any in the team, or only the member's own (lead or co-worker). */
type Scope = 'team' | 'own';

/** For each permission, which roles hold it and over which cases. Absent role: not allowed. */
export const PERMISSIONS: Record<Permission, Partial<Record<Role, Scope>>> = {
  'case.view': { officer: 'own', supervisor: 'team', admin: 'team' },
  'case.list_team': { supervisor: 'team', admin: 'team' },
  'case.create': { supervisor: 'team', admin: 'team' },
  'case.edit': { officer: 'own', supervisor: 'team', admin: 'team' },
  'visit.record': { officer: 'own', supervisor: 'team' },
  'assessment.record': { officer: 'own', supervisor: 'team' },
  'change.record': { officer: 'own', supervisor: 'team' },
  'discussion.open': { officer: 'own', supervisor: 'team' },
  'discussion.reply': { officer: 'team', supervisor: 'team' },
  'supervision.write': { supervisor: 'team' },
  'discussion.close': { supervisor: 'team' },
  'record.export': { officer: 'own', supervisor: 'team' },
  'roster.manage': { admin: 'team' },
  'caseload.import': { admin: 'team' },
  'policy.set': { admin: 'team' },
  'team.view_deadlines': { supervisor: 'team', admin: 'team' },
  'oversight.view': { supervisor: 'team', admin: 'team' },
};

/** The part of a case access decisions look at. */
export type CaseScope = Pick<Case, 'teamId' | 'leadOfficerId' | 'coworkerIds'>;

/** True when the member leads or co-works the case. */
export function isOwnCase(member: Member, c: CaseScope): boolean {
  return c.leadOfficerId === member.id || c.coworkerIds.includes(member.id);
}

/** Whether `actor` may do `permission`, on `resource` when it concerns a case. */
export function can(actor: Actor, permission: Permission, resource?: CaseScope): boolean {
  if (!actor.member.active || actor.member.teamId !== actor.team.id) return false;
  if (resource && resource.teamId !== actor.team.id) return false;
  const rule = PERMISSIONS[permission];
  return actor.member.roles.some((role) => {
    const scope = rule[role];
    if (!scope) return false;
    if (scope === 'team' || !resource) return true;
    return isOwnCase(actor.member, resource);
  });
}

const REFUSALS: Record<Permission, string> = {
  'case.view': 'You can only see cases you lead or co-work, unless you are a supervisor or admin of the team.',
  'case.list_team': "Only supervisors and team admins can list the whole team's caseload.",
  'case.create': 'Only supervisors and team admins can add cases.',
  'case.edit': 'You can only change cases you lead or co-work, unless you are a supervisor or admin of the team.',
  'visit.record': 'You can only record visits on cases you lead or co-work, unless you are a supervisor.',
  'assessment.record': 'You can only record assessments on cases you lead or co-work, unless you are a supervisor.',
  'change.record': 'You can only record changes on cases you lead or co-work, unless you are a supervisor.',
  'discussion.open': 'You can only open discussions on cases you lead or co-work, unless you are a supervisor.',
  'discussion.reply': 'Only officers and supervisors of the team can take part in case discussions.',
  'supervision.write': 'Only supervisors can write supervision notes.',
  'discussion.close': 'Only supervisors can close discussions.',
  'record.export': 'You can only export the record of a case you lead or co-work, unless you are a supervisor.',
  'roster.manage': 'Only team admins can change the roster.',
  'caseload.import': 'Only team admins can import the caseload.',
  'policy.set': "Only team admins can change the team's policy.",
  'team.view_deadlines': "Only supervisors and team admins can see the whole team's deadlines.",
  'oversight.view': "Only supervisors and team admins can see the team's oversight figures. Type overview me for your own.",
};

/**
 * Throws unless allowed. A case in another team is reported as not found, so a typed or
 * crafted case key reveals nothing about other teams.
 */
export function authorize(actor: Actor, permission: Permission, resource?: CaseScope & { key?: string }): void {
  if (resource && resource.teamId !== actor.team.id) {
    throw new DomainError('case_not_found', `There is no case ${resource.key ?? ''} in ${actor.team.name}.`.replace('  ', ' '), {
      permission,
      crossTeam: true,
    });
  }
  if (!can(actor, permission, resource)) {
    throw new DomainError('not_authorised', REFUSALS[permission], { permission });
  }
}
