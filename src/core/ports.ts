/**
 * The ports: what the core needs from the outside world, declared here and implemented by
 * src/db (storage) and the adapters (people directory). Every write goes through a transaction
 * that also carries the audit log, so a change and its audit row commit together or not at all.
 */
import type { IsoDate } from './calendar/working-calendar.ts';
import type { Assessment, Case, ChangeEvent, ChannelBinding, Member, PlatformIdentity, Role, Team } from './domain/entities.ts';
import type { Platform } from './interaction.ts';
import type { CaseHistoryReader, DiscussionRepository, SupervisionRepository } from './discussions/discussion-ports.ts';
import type { TeamPolicy } from './policy/policy.ts';
import type { VisitRepository } from './visits/visit-ports.ts';
import type { MappaReviewRepository } from './mappa/mappa-ports.ts';
import type { RecordDownloadRepository } from './supervision/record-download-ports.ts';
import type { OversightReader } from './oversight/oversight-ports.ts';
import type { ReminderRepository } from './reminders/reminder-ports.ts';
import type { CaseReassignment } from './teams/reassignment-ports.ts';
import type { MessageView } from './views/message-view.ts';
import type { FormView } from './views/form-view.ts';

/** Data for a new team. */
export interface NewTeam {
  key: string;
  name: string;
  timeZone: string;
  policy: TeamPolicy;
  channel: ChannelBinding | null;
  isDemo?: boolean;
}

/** Teams and their settings. */
export interface TeamRepository {
  findById(id: string): Promise<Team | undefined>;
  findByKey(key: string): Promise<Team | undefined>;
  findByName(name: string): Promise<Team[]>;
  findByChannel(platform: Platform, workspaceId: string, channelId: string): Promise<Team | undefined>;
  list(): Promise<Team[]>;
  create(team: NewTeam): Promise<Team>;
  update(id: string, changes: Partial<Pick<Team, 'name' | 'timeZone' | 'policy' | 'channel'>>): Promise<Team>;
  setClosures(id: string, closures: IsoDate[]): Promise<void>;
}

/** Data for a new member. */
export interface NewMember {
  teamId: string;
  displayName: string;
  roles: Role[];
  supervisorMemberId?: string | null;
  email?: string | null;
  slackUserIdOnFile?: string | null;
  teamsUserIdOnFile?: string | null;
}

/** Identity data, as the platform tells it. */
export interface IdentityInput {
  platform: Platform;
  workspaceId: string;
  userId: string;
  displayName?: string | null;
  conversationRef?: Record<string, unknown> | null;
}

/** Rosters and platform identities. */
export interface MemberRepository {
  findById(id: string): Promise<Member | undefined>;
  listByTeam(teamId: string, options?: { includeInactive?: boolean }): Promise<Member[]>;
  create(member: NewMember): Promise<Member>;
  update(
    id: string,
    changes: Partial<Pick<Member, 'displayName' | 'roles' | 'supervisorMemberId' | 'reminderTime' | 'timeZone' | 'active' | 'email' | 'slackUserIdOnFile' | 'teamsUserIdOnFile'>>,
  ): Promise<Member>;
  /** Every identity of the team's members, in one read (the people listing and export). */
  identitiesOfTeam(teamId: string): Promise<PlatformIdentity[]>;
  /**
   * Active members, in any team, who could be linked to a platform account: those whose email is
   * `email` (ignoring case) and those a people file said have `userId` on that platform. Each
   * comes with whether this account is already theirs, and whether another account on the
   * platform is linked to them.
   */
  findLinkCandidates(platform: Platform, workspaceId: string, email: string | undefined, userId: string): Promise<LinkCandidate[]>;
  /** Whether any active member with an email has no identity on the platform yet (so an unknown account is worth looking up). */
  anyAwaitingLink(platform: Platform): Promise<boolean>;
  /** Identities of a platform user across teams (usually one). */
  findIdentities(platform: Platform, workspaceId: string, userId: string): Promise<PlatformIdentity[]>;
  identitiesOf(memberId: string): Promise<PlatformIdentity[]>;
  /** Creates or updates the identity of a member; `linked` marks that the person has talked to the bot. */
  upsertIdentity(memberId: string, teamId: string, identity: IdentityInput, linked: boolean): Promise<PlatformIdentity>;
  /** Clears the member's undeliverable mark (they talked to the bot again); returns the reason it had, or null if none was set. */
  clearUndeliverable(memberId: string): Promise<string | null>;
  /**
   * Everything needed to resolve who a platform user is acting as, in one read: each of their
   * identities with its member and team (most recently seen first), and the team bound to
   * `channelId` on that platform, if one is given and bound.
   */
  findActorCandidates(platform: Platform, workspaceId: string, userId: string, channelId?: string): Promise<ActorLookup>;
  /** Records what changed about an identity since it was last seen (never a no-op write). */
  touchIdentity(identityId: string, changes: IdentityTouch): Promise<void>;
}

/** A member an unknown platform account might be, found by email or by the user id in a people file. */
export interface LinkCandidate {
  member: Member;
  /** This account is already one of the member's identities. */
  knownHere: boolean;
  /** Another account on the platform is linked to the member. */
  linkedElsewhere: boolean;
}

/** One identity of a platform user with its member and team, for actor resolution. */
export interface ActorCandidate {
  identity: PlatformIdentity;
  lastSeenAt: Date | null;
  member: Member;
  team: Team;
}

/** The result of {@link MemberRepository.findActorCandidates}. */
export interface ActorLookup {
  candidates: ActorCandidate[];
  /** The team bound to the channel the request came from, or null. */
  channelTeamId: string | null;
}

/** Changes to an identity noticed when its person talks to Casework. Absent fields are left as they are. */
export interface IdentityTouch {
  /** First contact: the identity becomes linked now. */
  link?: boolean;
  displayName?: string;
  conversationRef?: Record<string, unknown>;
  chatUserId?: string;
  seenAt?: Date;
}

/** Data for a new case. */
export type NewCase = Omit<Case, 'id' | 'visitDueOn' | 'assessmentReviewDueOn' | 'earlyReviewDueOn' | 'mappaReviewDueOn' | 'status' | 'isDemo'> & { isDemo?: boolean };

/** A case as a bulk write states it: {@link NewCase} with its id, and whether it is new. */
export type CaseUpsert = Omit<NewCase, 'isDemo'> & { id: string; isNew: boolean };

/** The due dates a case shows: kept as its open deadlines (the one source of truth), never set on the case. */
export type CaseDueFields = 'visitDueOn' | 'assessmentReviewDueOn' | 'earlyReviewDueOn' | 'mappaReviewDueOn';

/** A case change: any field but the identifiers and the due dates. */
export type CaseChanges = Partial<Omit<Case, 'id' | 'teamId' | 'key' | CaseDueFields>>;

/** A page of results. */
export interface Page<T> {
  items: T[];
  total: number;
}

/** Cases, their co-workers, assessments and change events. */
/** A recorded visit as the case card lists it: when, and which version. */
export interface VisitSummary {
  visitedOn: IsoDate;
  /** The time of the visit as the officer entered it (HH:MM), when they did. */
  visitedTime: string | null;
  version: number;
}

/** Everything a case card shows, read together: the case, its people's names, its latest visits. */
export interface CaseCardData {
  case: Case;
  /** The lead officer, co-workers and supervisor (former members included), by member id. */
  people: ReadonlyMap<string, { displayName: string }>;
  /** The current version of each of its most recent visits, latest first. */
  visits: VisitSummary[];
}

export interface CaseRepository {
  findByKey(key: string): Promise<Case | undefined>;
  /** A case with its people's names and its `visits` latest visits, in one read: what its card needs. */
  findCard(key: string, visits: number): Promise<CaseCardData | undefined>;
  findById(id: string): Promise<Case | undefined>;
  findByExternalRef(teamId: string, externalRef: string): Promise<Case | undefined>;
  keyExists(key: string): Promise<boolean>;
  create(data: NewCase): Promise<Case>;
  update(id: string, changes: CaseChanges): Promise<Case>;
  /** Of `keys`, those some case (of any team) already has. */
  existingKeys(keys: readonly string[]): Promise<string[]>;
  /**
   * Writes many cases at once, a few statements for the lot (an import's batch): a new case is
   * inserted; an existing one (`isNew` false, found by id) gets these fields; co-workers are
   * replaced. Due dates are not touched: recalculate the cases' deadlines after.
   */
  upsertMany(rows: readonly CaseUpsert[]): Promise<void>;
  /** Cases of a team, optionally only those a member leads or co-works; ordered by case key. */
  list(teamId: string, options: { memberId?: string; offset: number; limit: number; status?: 'active' | 'closed' }): Promise<Page<Case>>;
  listAll(teamId: string): Promise<Case[]>;
  /**
   * Active cases of a team (or those a member leads or co-works), most urgent first: overdue
   * before the rest, then by risk level, then by their next due date; a page at a time, with
   * how many are overdue and how many fall due from `today` to `weekEnd`, and the names of the
   * page's lead officers (by member id).
   */
  listByUrgency(
    teamId: string,
    options: { memberId?: string; today: IsoDate; weekEnd: IsoDate; offset: number; limit: number },
  ): Promise<Page<Case> & { overdue: number; thisWeek: number; leadNames: ReadonlyMap<string, string> }>;
  /** How many active cases a team has. */
  countActive(teamId: string): Promise<number>;
  addAssessment(data: Omit<Assessment, 'id'>): Promise<Assessment>;
  addChangeEvent(data: Omit<ChangeEvent, 'id' | 'resolvedByAssessmentId'> & { reportedBy: string | null; visitId?: string | null }): Promise<ChangeEvent>;
  openChangeEvents(caseId: string): Promise<ChangeEvent[]>;
  resolveChangeEvents(caseId: string, assessmentId: string): Promise<number>;
}

/** The kinds of deadline the pipeline reminds about. */
export type DeadlineKind = 'visit' | 'assessment_review' | 'early_review' | 'mappa_review' | 'officer_supervision' | 'supervision_action';

/** One open obligation with a due date, as stored for the reminder pipeline. */
export interface DeadlineRecord {
  id: string;
  teamId: string;
  kind: DeadlineKind;
  subjectKey: string;
  caseId: string | null;
  ownerMemberId: string | null;
  dueOn: IsoDate;
  urgent: boolean;
  status: 'open' | 'met' | 'cancelled';
}

/** What recalculating one case's due dates needs, read for many cases at once. */
export interface CaseRecalculationInput {
  caseId: string;
  riskLevel: string;
  managementMode: string;
  leadOfficerId: string | null;
  status: 'active' | 'closed';
  lastVisitOn: IsoDate | null;
  lastAssessmentOn: IsoDate | null;
  lastMappaReviewOn: IsoDate | null;
  createdOn: IsoDate;
  planVisitIntervalMonths: number | null;
  planReviewIntervalMonths: number | null;
  mappaLevel: number | null;
  /** Significant changes not yet answered by an assessment. */
  openChanges: { reportedOn: IsoDate; urgency: 'urgent' | 'standard' }[];
  /** The newest current visit versions (at most 10), newest first. */
  recentVisits: { visitedOn: IsoDate; nextVisitOn: IsoDate | null; outcome: string }[];
}

/** One deadline as a bulk sync states it: `dueOn` null cancels the open one. */
export interface DeadlineSync {
  kind: DeadlineKind;
  subjectKey: string;
  caseId: string | null;
  ownerMemberId: string | null;
  dueOn: IsoDate | null;
  urgent: boolean;
}

/** Deadlines as state: one open row per subject, updated as due dates move. */
export interface DeadlineRepository {
  /**
   * The recalculation inputs of up to `limit` cases of a team with ids after `afterCaseId`, in id
   * order; only those of `caseIds` when given (a non-empty list).
   */
  recalculationInputs(teamId: string, afterCaseId: string | null, limit: number, caseIds?: readonly string[]): Promise<CaseRecalculationInput[]>;
  /** Makes many open deadlines match in a few statements (create, move, cancel); as `syncOpen` for each. */
  syncMany(teamId: string, rows: readonly DeadlineSync[]): Promise<void>;
  /** Asks for every case of the team to be recalculated off the request path. */
  requestRecalculation(teamId: string, at: Date): Promise<void>;
  /** Teams with a recalculation asked for, and since when. */
  pendingRecalculations(): Promise<{ teamId: string; requestedAt: Date }[]>;
  /** Clears the request if it has not been asked for again since `requestedAt`; true when cleared. */
  finishRecalculation(teamId: string, requestedAt: Date): Promise<boolean>;
  /** Makes the open deadline for `subjectKey` match `due` (create, move, or cancel when null). */
  syncOpen(input: { teamId: string; kind: DeadlineKind; subjectKey: string; caseId: string | null; ownerMemberId: string | null; dueOn: IsoDate | null; urgent?: boolean }): Promise<void>;
  /**
   * Marks the open deadline for `subjectKey` met (evidence recorded at `at`). `metOn` is the day
   * the obligation was fulfilled when that is known and can differ from the day it was recorded
   * (a visit's own date): oversight judges timeliness by it (docs/oversight.md).
   */
  markMet(subjectKey: string, at: Date, metOn?: IsoDate): Promise<void>;
  listOpenForCase(caseId: string): Promise<DeadlineRecord[]>;
}

/** One audit row: who did what to which record, with before/after or the reason. */
export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  caseId?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/** Who an audit row is attributed to. */
export interface AuditActor {
  teamId: string | null;
  memberId: string | null;
  /** A readable label: 'slack:T1/U2', 'teams:tenant/aad', 'cli:root', 'system'. */
  label: string;
}

/** A stored audit row. */
export interface AuditRecord extends AuditEntry {
  id: string;
  at: Date;
  teamId: string | null;
  actorMemberId: string | null;
  actorLabel: string;
}

/** The append-only audit log. */
export interface AuditLog {
  record(actor: AuditActor, entry: AuditEntry): Promise<void>;
  /** Appends several rows in one statement. */
  recordMany(rows: readonly { actor: AuditActor; entry: AuditEntry }[]): Promise<void>;
  forCase(caseId: string): Promise<AuditRecord[]>;
}

/** Every repository, bound to one transaction. */
export interface Repositories {
  teams: TeamRepository;
  members: MemberRepository;
  cases: CaseRepository;
  deadlines: DeadlineRepository;
  reminders: ReminderRepository;
  audit: AuditLog;
  discussions: DiscussionRepository;
  supervision: SupervisionRepository;
  caseHistory: CaseHistoryReader;
  visits: VisitRepository;
  /** Oversight figures and lists (docs/oversight.md), counted in the database. */
  oversight: OversightReader;
  /** Moving a member's cases to someone else (leavers and movers). */
  reassignment: CaseReassignment;
  mappaReviews: MappaReviewRepository;
  recordDownloads: RecordDownloadRepository;
}

/** Storage: runs work in a transaction (all of it commits, or none), or reads without one. */
export interface Store {
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  /**
   * Runs `work` with repositories outside any transaction: each statement stands alone and no
   * lock outlives it. For reads; a write here commits at once, on its own.
   */
  read<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
}

/** A person's account on a platform, with what a directory may need to reach it (Teams: a conversation). */
export interface PlatformAccount {
  platform: Platform;
  workspaceId: string;
  userId: string;
  /** Teams: the `29:…` id used inside conversations, when known. */
  chatUserId?: string;
  /** A conversation the account was seen in (Teams looks the member up through it). */
  conversationRef?: Record<string, unknown>;
}

/** Looks people up on their platform (names for the roster; ids from pickers; emails for linking). */
export interface PeopleDirectory {
  displayName(platform: Platform, workspaceId: string, userId: string): Promise<string | undefined>;
  /**
   * The email the platform holds for the account (Slack: the profile email; Teams: the member's
   * email or user principal name), or undefined when the platform cannot tell. A network call:
   * never inside a transaction.
   */
  email?(account: PlatformAccount): Promise<string | undefined>;
}

/** Where a message was posted, so it can be updated or replied to later. Opaque to the core. */
export interface MessageRef {
  platform: Platform;
  /** Slack channel id (a DM channel for members); Teams conversation id. */
  conversationId: string;
  /** Slack `ts`; Teams activity id. */
  messageId: string;
  /** Teams: the service URL and conversation reference needed to reach the conversation again. */
  extra?: Record<string, unknown>;
  /** A link that opens the message (Slack permalink, Teams deep link), when the platform gives one. */
  link?: string;
}

/** Why a delivery failed: try later (rate limit, outage) or never (blocked, conversation gone). */
export type DeliveryFailureKind = 'rate_limited' | 'transient' | 'permanent';

/** A delivery failure the outbox can act on; `code` is the platform's own (e.g. 'channel_not_found', 403). */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    readonly kind: DeliveryFailureKind,
    readonly code: string,
    /** For rate limits: how long the platform asked us to wait. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`delivery failed (${kind}: ${code})`);
  }
}

/**
 * Sends messages the user did not ask for just now: reminders, digests, notices to supervisors,
 * discussion threads. Implemented by each platform adapter; the core renders nothing itself.
 * Every method throws DeliveryError on failure.
 */
export interface Notifier {
  /** Sends privately to a person through one of their platform identities; opens the DM if needed. */
  sendToPerson(identity: PlatformIdentity, view: MessageView): Promise<MessageRef>;
  /**
   * Sends a form privately to a person as a card in their chat, where the platform's forms are
   * cards (Teams). Absent where forms only open as dialogs (Slack modals).
   */
  sendFormToPerson?(identity: PlatformIdentity, form: FormView): Promise<MessageRef>;
  /** Posts a new root message in a team's channel (the start of a thread). */
  postToChannel(channel: ChannelBinding, view: MessageView): Promise<MessageRef>;
  /** Replies in the thread under a root message. */
  replyInThread(root: MessageRef, view: MessageView): Promise<MessageRef>;
  /** Replaces a message already sent (a reminder marked done, a closed discussion). */
  update(ref: MessageRef, view: MessageView): Promise<void>;
}
