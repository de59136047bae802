/**
 * Migration 0001: the first schema, covering the whole domain of docs/domain.md — teams and their
 * policy, members and platform identities, cases and their deadlines, assessments, visits and
 * drafts, change events, discussions and their messages, supervision notes, actions and
 * sessions, the reminder pipeline, and the append-only audit log.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`create table teams (
    id uuid primary key default gen_random_uuid(),
    team_key text not null unique,
    name text not null,
    time_zone text not null default 'Europe/London',
    policy jsonb not null default '{}'::jsonb,
    channel_platform text check (channel_platform in ('slack', 'teams')),
    channel_workspace_id text,
    channel_id text,
    channel_ref jsonb,
    is_demo boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  sql`create unique index teams_channel_uq on teams (channel_platform, channel_workspace_id, channel_id)
      where channel_id is not null`,
  sql`create table team_closures (
    team_id uuid not null references teams (id) on delete cascade,
    closed_on date not null,
    reason text not null default '',
    primary key (team_id, closed_on)
  )`,
  sql`create table members (
    id uuid primary key default gen_random_uuid(),
    team_id uuid not null references teams (id) on delete cascade,
    display_name text not null,
    roles text[] not null default '{}',
    supervisor_member_id uuid references members (id),
    reminder_time text not null default '08:30' check (reminder_time ~ '^[0-2][0-9]:[0-5][0-9]$'),
    time_zone text,
    working_hours_start text not null default '07:00',
    working_hours_end text not null default '19:00',
    active boolean not null default true,
    undeliverable_at timestamptz,
    undeliverable_reason text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint members_roles_ck check (roles <@ array['officer', 'supervisor', 'admin']::text[])
  )`,
  sql`create index members_team_idx on members (team_id)`,
  sql`create table platform_identities (
    id uuid primary key default gen_random_uuid(),
    member_id uuid not null references members (id) on delete cascade,
    team_id uuid not null references teams (id) on delete cascade,
    platform text not null check (platform in ('slack', 'teams')),
    workspace_id text not null,
    user_id text not null,
    display_name text,
    dm_channel_id text,
    service_url text,
    conversation_ref jsonb,
    linked_at timestamptz,
    last_seen_at timestamptz,
    created_at timestamptz not null default now(),
    unique (platform, workspace_id, user_id, team_id)
  )`,
  sql`create index platform_identities_member_idx on platform_identities (member_id)`,
  sql`create table cases (
    id uuid primary key default gen_random_uuid(),
    team_id uuid not null references teams (id) on delete cascade,
    case_key text not null unique,
    external_ref text,
    risk_level text not null check (risk_level in ('low', 'medium', 'high', 'very_high')),
    management_mode text not null default 'active' check (management_mode in ('active', 'reactive')),
    lead_officer_id uuid references members (id),
    supervisor_id uuid references members (id),
    mappa_category smallint check (mappa_category between 1 and 3),
    mappa_level smallint check (mappa_level between 1 and 3),
    last_assessment_on date,
    last_visit_on date,
    last_mappa_review_on date,
    plan_visit_interval_months smallint check (plan_visit_interval_months between 1 and 36),
    plan_review_interval_months smallint check (plan_review_interval_months between 1 and 36),
    visit_due_on date,
    assessment_review_due_on date,
    early_review_due_on date,
    mappa_review_due_on date,
    status text not null default 'active' check (status in ('active', 'closed')),
    is_demo boolean not null default false,
    created_on date not null default current_date,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  sql`create unique index cases_external_ref_uq on cases (team_id, external_ref) where external_ref is not null`,
  sql`create index cases_team_idx on cases (team_id)`,
  sql`create index cases_lead_idx on cases (lead_officer_id)`,
  sql`create table case_coworkers (
    case_id uuid not null references cases (id) on delete cascade,
    member_id uuid not null references members (id) on delete cascade,
    primary key (case_id, member_id)
  )`,
  sql`create index case_coworkers_member_idx on case_coworkers (member_id)`,
  sql`create table assessments (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id) on delete cascade,
    assessed_on date not null,
    risk_level text not null check (risk_level in ('low', 'medium', 'high', 'very_high')),
    factor_version text,
    factor_ratings jsonb,
    recorded_by uuid references members (id),
    recorded_at timestamptz not null default now()
  )`,
  sql`create index assessments_case_idx on assessments (case_id, assessed_on)`,
  sql`create table visits (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id) on delete cascade,
    original_visit_id uuid references visits (id),
    amends_visit_id uuid references visits (id),
    version integer not null default 1,
    visited_at timestamptz not null,
    visit_type text not null,
    outcome text not null,
    answers jsonb not null,
    next_visit_on date,
    recorded_by uuid references members (id),
    recorded_at timestamptz not null default now()
  )`,
  sql`create index visits_case_idx on visits (case_id, visited_at)`,
  sql`create unique index visits_version_uq on visits (coalesce(original_visit_id, id), version)`,
  sql`create table visit_drafts (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id) on delete cascade,
    member_id uuid not null references members (id) on delete cascade,
    amends_visit_id uuid references visits (id),
    answers jsonb not null,
    updated_at timestamptz not null default now(),
    unique (case_id, member_id)
  )`,
  sql`create table change_events (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id) on delete cascade,
    kind text not null,
    urgency text not null check (urgency in ('urgent', 'standard')),
    reported_on date not null,
    source text not null default 'manual' check (source in ('manual', 'visit', 'import')),
    visit_id uuid references visits (id),
    reported_by uuid references members (id),
    resolved_by_assessment_id uuid references assessments (id),
    created_at timestamptz not null default now()
  )`,
  sql`create index change_events_case_idx on change_events (case_id)`,
  sql`create table discussions (
    id uuid primary key default gen_random_uuid(),
    team_id uuid not null references teams (id) on delete cascade,
    case_id uuid not null references cases (id) on delete cascade,
    question text not null,
    status text not null default 'open' check (status in ('open', 'awaiting_decision', 'decided', 'closed')),
    opened_by uuid references members (id),
    opened_at timestamptz not null default now(),
    platform text check (platform in ('slack', 'teams')),
    channel_id text,
    thread_ref text,
    conversation_ref jsonb,
    closed_by uuid references members (id),
    closed_at timestamptz,
    closing_summary text
  )`,
  sql`create unique index discussions_thread_uq on discussions (platform, channel_id, thread_ref) where thread_ref is not null`,
  sql`create index discussions_case_idx on discussions (case_id)`,
  sql`create table discussion_messages (
    id uuid primary key default gen_random_uuid(),
    discussion_id uuid not null references discussions (id) on delete cascade,
    platform_message_id text not null,
    author_member_id uuid references members (id),
    author_platform_user_id text not null,
    body text not null,
    posted_at timestamptz not null,
    personal_data_flags text[] not null default '{}',
    edited_at timestamptz,
    deleted_at timestamptz,
    recorded_at timestamptz not null default now(),
    unique (discussion_id, platform_message_id)
  )`,
  sql`create table discussion_message_revisions (
    id uuid primary key default gen_random_uuid(),
    message_id uuid not null references discussion_messages (id) on delete cascade,
    change text not null check (change in ('edit', 'delete')),
    previous_body text not null,
    changed_at timestamptz not null,
    event_key text not null unique
  )`,
  sql`create table supervision_notes (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id) on delete cascade,
    discussion_id uuid references discussions (id),
    addendum_to_note_id uuid references supervision_notes (id),
    author_id uuid not null references members (id),
    status text not null default 'draft' check (status in ('draft', 'signed')),
    question text not null default '',
    risk_view text not null default '',
    options_considered text not null default '',
    decision text not null default '',
    rationale text not null default '',
    dissent text not null default '',
    next_review_on date,
    content_sha256 text,
    signed_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  sql`create index supervision_notes_case_idx on supervision_notes (case_id)`,
  sql`create table supervision_actions (
    id uuid primary key default gen_random_uuid(),
    note_id uuid references supervision_notes (id) on delete cascade,
    session_id uuid,
    owner_member_id uuid not null references members (id),
    due_on date not null,
    description text not null,
    status text not null default 'open' check (status in ('open', 'done', 'cancelled')),
    done_at timestamptz,
    done_by uuid references members (id),
    created_at timestamptz not null default now()
  )`,
  sql`create table supervision_sessions (
    id uuid primary key default gen_random_uuid(),
    team_id uuid not null references teams (id) on delete cascade,
    supervisor_id uuid not null references members (id),
    officer_id uuid not null references members (id),
    held_on date not null,
    cases_reviewed uuid[] not null default '{}',
    workload text not null default '',
    wellbeing text not null default '',
    development text not null default '',
    next_session_on date,
    created_at timestamptz not null default now()
  )`,
  sql`alter table supervision_actions add constraint supervision_actions_session_fk
      foreign key (session_id) references supervision_sessions (id) on delete cascade`,
  // Every open obligation with a due date, whatever created it: the reminder pipeline plans from here.
  sql`create table deadlines (
    id uuid primary key default gen_random_uuid(),
    team_id uuid not null references teams (id) on delete cascade,
    kind text not null check (kind in ('visit', 'assessment_review', 'early_review', 'mappa_review',
                                       'officer_supervision', 'supervision_action')),
    subject_key text not null,
    case_id uuid references cases (id) on delete cascade,
    action_id uuid references supervision_actions (id) on delete cascade,
    officer_member_id uuid references members (id),
    owner_member_id uuid references members (id),
    due_on date not null,
    urgent boolean not null default false,
    status text not null default 'open' check (status in ('open', 'met', 'cancelled')),
    snoozed_until date,
    acknowledged_at timestamptz,
    met_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  sql`create unique index deadlines_open_subject_uq on deadlines (subject_key) where status = 'open'`,
  sql`create index deadlines_due_idx on deadlines (status, due_on)`,
  sql`create table outbound_messages (
    id uuid primary key default gen_random_uuid(),
    team_id uuid not null references teams (id) on delete cascade,
    member_id uuid references members (id) on delete cascade,
    kind text not null,
    for_date date,
    dedupe_key text not null unique,
    platform text not null check (platform in ('slack', 'teams')),
    status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    send_after timestamptz not null default now(),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    claimed_by text,
    claimed_at timestamptz,
    last_error_code text,
    platform_ref jsonb,
    sent_at timestamptz,
    created_at timestamptz not null default now()
  )`,
  sql`create index outbound_messages_due_idx on outbound_messages (status, next_attempt_at)`,
  sql`create table reminders (
    id uuid primary key default gen_random_uuid(),
    deadline_id uuid not null references deadlines (id) on delete cascade,
    team_id uuid not null references teams (id) on delete cascade,
    recipient_member_id uuid not null references members (id) on delete cascade,
    stage text not null,
    planned_for date not null,
    send_after timestamptz not null,
    status text not null default 'pending' check (status in ('pending', 'sent', 'cancelled', 'superseded', 'failed')),
    outbound_message_id uuid references outbound_messages (id),
    created_at timestamptz not null default now(),
    unique (deadline_id, stage, recipient_member_id)
  )`,
  sql`create index reminders_pending_idx on reminders (status, send_after)`,
  sql`create table audit_log (
    id bigint generated always as identity primary key,
    at timestamptz not null default now(),
    team_id uuid,
    actor_member_id uuid,
    actor_label text not null,
    action text not null,
    entity_type text not null,
    entity_id text,
    case_id uuid,
    before jsonb,
    after jsonb,
    reason text
  )`,
  sql`create index audit_log_case_idx on audit_log (case_id, at)`,
  sql`create index audit_log_team_idx on audit_log (team_id, at)`,
  // Append-only in the database itself, not only by convention in the code.
  sql`create function audit_log_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
    end
  $$`,
  sql`create trigger audit_log_no_update before update or delete on audit_log
      for each row execute function audit_log_is_append_only()`,
  sql`create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_is_append_only()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migration 0001 is the base schema; migrations are forward-only.');
}
