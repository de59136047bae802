/**
 * Table interfaces for kysely, mirroring migrations/. Dates (`date` columns) are ISO strings
 * 'YYYY-MM-DD' on both PostgreSQL and PGlite (see the type parsers in database.ts).
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export interface TeamsTable {
  id: Generated<string>;
  team_key: string;
  name: string;
  time_zone: Generated<string>;
  policy: Json<Record<string, unknown>>;
  channel_platform: 'slack' | 'teams' | null;
  channel_workspace_id: string | null;
  channel_id: string | null;
  channel_ref: Json<Record<string, unknown>> | null;
  is_demo: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** Migration 0009: every case's due dates are to be recalculated (the policy changed). */
  recalculation_requested_at: Date | null;
}

export interface TeamClosuresTable {
  team_id: string;
  closed_on: string;
  reason: Generated<string>;
}

export interface MembersTable {
  id: Generated<string>;
  team_id: string;
  display_name: string;
  roles: Generated<string[]>;
  supervisor_member_id: string | null;
  reminder_time: Generated<string>;
  time_zone: string | null;
  working_hours_start: Generated<string>;
  working_hours_end: Generated<string>;
  active: Generated<boolean>;
  undeliverable_at: Date | null;
  undeliverable_reason: string | null;
  /** Migration 0011: the import's match key and how the person is linked to chat accounts. */
  email: string | null;
  slack_user_id_on_file: string | null;
  teams_user_id_on_file: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PlatformIdentitiesTable {
  id: Generated<string>;
  member_id: string;
  team_id: string;
  platform: 'slack' | 'teams';
  workspace_id: string;
  user_id: string;
  display_name: string | null;
  dm_channel_id: string | null;
  service_url: string | null;
  conversation_ref: Json<Record<string, unknown>> | null;
  linked_at: Date | null;
  last_seen_at: Date | null;
  created_at: CreatedAt;
  /** Migration 0006: the platform's id for the person inside conversations (Teams `29:…`). */
  chat_user_id: string | null;
}

export interface CasesTable {
  id: Generated<string>;
  team_id: string;
  case_key: string;
  external_ref: string | null;
  risk_level: string;
  management_mode: Generated<string>;
  lead_officer_id: string | null;
  supervisor_id: string | null;
  mappa_category: number | null;
  mappa_level: number | null;
  last_assessment_on: string | null;
  last_visit_on: string | null;
  last_mappa_review_on: string | null;
  plan_visit_interval_months: number | null;
  plan_review_interval_months: number | null;
  status: Generated<string>;
  is_demo: Generated<boolean>;
  created_on: Generated<string>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/**
 * The view `cases_with_due_dates` (migration 0009): a case with the due date of its open deadline
 * of each kind, the deadlines table being the one place due dates are kept. Read only.
 */
export interface CasesWithDueDatesView extends Omit<CasesTable, 'id' | 'management_mode' | 'status' | 'is_demo' | 'created_on'> {
  id: string;
  management_mode: string;
  status: string;
  is_demo: boolean;
  created_on: string;
  visit_due_on: string | null;
  assessment_review_due_on: string | null;
  early_review_due_on: string | null;
  mappa_review_due_on: string | null;
}

export interface CaseCoworkersTable {
  case_id: string;
  member_id: string;
}

export interface AssessmentsTable {
  id: Generated<string>;
  case_id: string;
  assessed_on: string;
  risk_level: string;
  factor_version: string | null;
  factor_ratings: Json<Record<string, unknown>> | null;
  recorded_by: string | null;
  recorded_at: CreatedAt;
  /** Migration 0010: the management the assessment set; null on older rows. */
  management_mode: Generated<string | null>;
}

/** Migration 0010: MAPPA reviews recorded in Casework. */
export interface MappaReviewsTable {
  id: Generated<string>;
  case_id: string;
  reviewed_on: string;
  level: number;
  outcome: string;
  next_review_on: string | null;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

/** Migration 0010: one-time download links to record files. */
export interface RecordDownloadsTable {
  id: Generated<string>;
  token_sha256: string;
  team_id: string;
  member_id: string;
  case_id: string;
  filename: string;
  media_type: string;
  content: Buffer | null;
  sha256: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: CreatedAt;
}

export interface VisitsTable {
  id: Generated<string>;
  case_id: string;
  original_visit_id: string | null;
  amends_visit_id: string | null;
  version: Generated<number>;
  visited_at: Date | string;
  visit_type: string;
  outcome: string;
  answers: Json<Record<string, unknown>>;
  next_visit_on: string | null;
  recorded_by: string | null;
  recorded_at: CreatedAt;
  /** The visit's date in the team's calendar (migration 0003). */
  visited_on: string;
  /** The case's last-visit date before this row was written (migration 0003). */
  last_visit_on_before: string | null;
}

export interface VisitDraftsTable {
  id: Generated<string>;
  case_id: string;
  member_id: string;
  amends_visit_id: string | null;
  answers: Json<Record<string, unknown>>;
  updated_at: Timestamp;
}

export interface ChangeEventsTable {
  id: Generated<string>;
  case_id: string;
  kind: string;
  urgency: 'urgent' | 'standard';
  reported_on: string;
  source: Generated<'manual' | 'visit' | 'import'>;
  visit_id: string | null;
  reported_by: string | null;
  resolved_by_assessment_id: string | null;
  created_at: CreatedAt;
}

export interface DiscussionsTable {
  id: Generated<string>;
  team_id: string;
  case_id: string;
  question: string;
  status: Generated<'open' | 'awaiting_decision' | 'decided' | 'closed'>;
  opened_by: string | null;
  opened_at: CreatedAt;
  platform: 'slack' | 'teams' | null;
  channel_id: string | null;
  thread_ref: string | null;
  conversation_ref: Json<Record<string, unknown>> | null;
  closed_by: string | null;
  closed_at: Date | null;
  closing_summary: string | null;
}

export interface DiscussionMessagesTable {
  id: Generated<string>;
  discussion_id: string;
  platform_message_id: string;
  author_member_id: string | null;
  author_platform_user_id: string;
  body: string;
  posted_at: Date | string;
  personal_data_flags: Generated<string[]>;
  edited_at: Date | null;
  deleted_at: Date | null;
  recorded_at: CreatedAt;
}

export interface DiscussionMessageRevisionsTable {
  id: Generated<string>;
  message_id: string;
  change: 'edit' | 'delete';
  previous_body: string;
  changed_at: Date | string;
  event_key: string;
}

export interface SupervisionNotesTable {
  id: Generated<string>;
  case_id: string;
  discussion_id: string | null;
  addendum_to_note_id: string | null;
  author_id: string;
  status: Generated<'draft' | 'signed'>;
  question: Generated<string>;
  risk_view: Generated<string>;
  options_considered: Generated<string>;
  decision: Generated<string>;
  rationale: Generated<string>;
  dissent: Generated<string>;
  next_review_on: string | null;
  content_sha256: string | null;
  signed_at: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SupervisionActionsTable {
  id: Generated<string>;
  note_id: string | null;
  session_id: string | null;
  owner_member_id: string;
  due_on: string;
  description: string;
  status: Generated<'open' | 'done' | 'cancelled'>;
  done_at: Date | null;
  done_by: string | null;
  created_at: CreatedAt;
}

export interface SupervisionSessionsTable {
  id: Generated<string>;
  team_id: string;
  supervisor_id: string;
  officer_id: string;
  held_on: string;
  cases_reviewed: Generated<string[]>;
  workload: Generated<string>;
  wellbeing: Generated<string>;
  development: Generated<string>;
  next_session_on: string | null;
  created_at: CreatedAt;
}

export interface DiscussionRefusedRepliesTable {
  discussion_id: string;
  platform_message_id: string;
  platform_user_id: string;
  refused_at: Date | string;
}

export interface DeadlinesTable {
  id: Generated<string>;
  team_id: string;
  kind: string;
  subject_key: string;
  case_id: string | null;
  action_id: string | null;
  officer_member_id: string | null;
  owner_member_id: string | null;
  due_on: string;
  urgent: Generated<boolean>;
  status: Generated<'open' | 'met' | 'cancelled'>;
  snoozed_until: string | null;
  acknowledged_at: Date | null;
  met_at: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** Migration 0008: the day the obligation was fulfilled (the visit's date, say), when known. */
  met_on: string | null;
}

export interface OutboundMessagesTable {
  id: Generated<string>;
  team_id: string;
  member_id: string | null;
  kind: string;
  for_date: string | null;
  dedupe_key: string;
  platform: 'slack' | 'teams';
  status: Generated<'pending' | 'sending' | 'sent' | 'failed' | 'cancelled'>;
  send_after: Timestamp;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  claimed_by: string | null;
  claimed_at: Date | null;
  last_error_code: string | null;
  platform_ref: Json<Record<string, unknown>> | null;
  sent_at: Date | null;
  created_at: CreatedAt;
  send_before: Date | string | null;
  payload: Json<Record<string, unknown>> | null;
  /** Migration 0006: the order rows were added in. */
  seq: Generated<number>;
}

export interface RemindersTable {
  id: Generated<string>;
  deadline_id: string;
  team_id: string;
  recipient_member_id: string;
  stage: string;
  planned_for: string;
  send_after: Date | string;
  status: Generated<'pending' | 'sent' | 'cancelled' | 'superseded' | 'failed'>;
  outbound_message_id: string | null;
  created_at: CreatedAt;
  refreshed_at: Date | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Generated<Date>;
  team_id: string | null;
  actor_member_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  case_id: string | null;
  before: Json | null;
  after: Json | null;
  reason: string | null;
}

/** The whole database as kysely sees it. */
export interface Database {
  teams: TeamsTable;
  team_closures: TeamClosuresTable;
  members: MembersTable;
  platform_identities: PlatformIdentitiesTable;
  cases: CasesTable;
  cases_with_due_dates: CasesWithDueDatesView;
  case_coworkers: CaseCoworkersTable;
  assessments: AssessmentsTable;
  visits: VisitsTable;
  visit_drafts: VisitDraftsTable;
  change_events: ChangeEventsTable;
  discussions: DiscussionsTable;
  discussion_messages: DiscussionMessagesTable;
  discussion_message_revisions: DiscussionMessageRevisionsTable;
  discussion_refused_replies: DiscussionRefusedRepliesTable;
  supervision_notes: SupervisionNotesTable;
  supervision_actions: SupervisionActionsTable;
  supervision_sessions: SupervisionSessionsTable;
  deadlines: DeadlinesTable;
  outbound_messages: OutboundMessagesTable;
  reminders: RemindersTable;
  audit_log: AuditLogTable;
  mappa_reviews: MappaReviewsTable;
  record_downloads: RecordDownloadsTable;
}

export type TeamRow = Selectable<TeamsTable>;
export type NewTeamRow = Insertable<TeamsTable>;
export type TeamRowUpdate = Updateable<TeamsTable>;
export type MemberRow = Selectable<MembersTable>;
export type NewMemberRow = Insertable<MembersTable>;
export type PlatformIdentityRow = Selectable<PlatformIdentitiesTable>;
export type CaseRow = Selectable<CasesWithDueDatesView>;
export type NewCaseRow = Insertable<CasesTable>;
export type CaseRowUpdate = Updateable<CasesTable>;
export type StoredCaseRow = Selectable<CasesTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type NewAuditLogRow = Insertable<AuditLogTable>;
