/** The domain's records as the core sees them: plain data, camelCase, no database types. */
import type { IsoDate } from '../calendar/working-calendar.ts';
import type { Platform } from '../interaction.ts';
import type { TeamPolicy } from '../policy/policy.ts';
import type { ChangeUrgency, ManagementMode, RiskLevel } from './vocabulary.ts';

/** A member's roles. One person may hold several (officer and supervisor, say). */
export type Role = 'officer' | 'supervisor' | 'admin';

/** All roles, in the order shown to people. */
export const ROLES: readonly Role[] = ['officer', 'supervisor', 'admin'];

/** Labels for roles. */
export const roleLabels: Record<Role, string> = { officer: 'Officer', supervisor: 'Supervisor', admin: 'Team admin' };

/** Where a team's case discussions go. */
export interface ChannelBinding {
  platform: Platform;
  workspaceId: string;
  channelId: string;
  /** Teams: the conversation reference needed to start a thread proactively. */
  ref: Record<string, unknown> | null;
}

/** A MOSOVO team: its name, time zone, policy, closure days and channel. */
export interface Team {
  id: string;
  key: string;
  name: string;
  timeZone: string;
  policy: TeamPolicy;
  closures: IsoDate[];
  channel: ChannelBinding | null;
  isDemo: boolean;
}

/** A person on a team's roster. */
export interface Member {
  id: string;
  teamId: string;
  displayName: string;
  roles: Role[];
  supervisorMemberId: string | null;
  reminderTime: string;
  timeZone: string | null;
  active: boolean;
  undeliverable: boolean;
  /** Their work email: how a person imported from a file is matched and linked to chat accounts. */
  email?: string | null;
  /** Platform user ids a people file gave, kept until an account is linked (never trusted without the same email). */
  slackUserIdOnFile?: string | null;
  teamsUserIdOnFile?: string | null;
}

/** How a member is known on one platform. */
export interface PlatformIdentity {
  id: string;
  memberId: string;
  teamId: string;
  platform: Platform;
  workspaceId: string;
  userId: string;
  displayName: string | null;
  linked: boolean;
  conversationRef: Record<string, unknown> | null;
  /** The platform's id for the person inside conversations and cards (Teams `29:…`), once seen. */
  chatUserId?: string | null;
}

/** A managed person, known only by an opaque case key. */
export interface Case {
  id: string;
  teamId: string;
  key: string;
  /** Server-side only: never rendered in chat. */
  externalRef: string | null;
  riskLevel: RiskLevel;
  managementMode: ManagementMode;
  leadOfficerId: string | null;
  supervisorId: string | null;
  coworkerIds: string[];
  mappaCategory: number | null;
  mappaLevel: number | null;
  lastAssessmentOn: IsoDate | null;
  lastVisitOn: IsoDate | null;
  lastMappaReviewOn: IsoDate | null;
  planVisitIntervalMonths: number | null;
  planReviewIntervalMonths: number | null;
  visitDueOn: IsoDate | null;
  assessmentReviewDueOn: IsoDate | null;
  earlyReviewDueOn: IsoDate | null;
  mappaReviewDueOn: IsoDate | null;
  status: 'active' | 'closed';
  isDemo: boolean;
  createdOn: IsoDate;
}

/** A recorded significant change in a person's life. */
export interface ChangeEvent {
  id: string;
  caseId: string;
  kind: string;
  urgency: ChangeUrgency;
  reportedOn: IsoDate;
  source: 'manual' | 'visit' | 'import';
  resolvedByAssessmentId: string | null;
}

/** A recorded ARMS assessment (factor ratings only where policy allows, never shown in chat). */
export interface Assessment {
  id: string;
  caseId: string;
  assessedOn: IsoDate;
  riskLevel: RiskLevel;
  factorVersion: string | null;
  factorRatings: Record<string, string> | null;
  recordedBy: string | null;
  /** The management the assessment set; unknown on assessments recorded before it was kept. */
  managementMode?: ManagementMode | null;
}
