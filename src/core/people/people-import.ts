/**
 * Owns importing and exporting a team's people (docs/people-csv.md): planning what each row of a
 * file would do to the roster (create, update, unchanged or rejected, matched on email) without
 * writing, applying a plan in the caller's transaction with audit rows, and the rows an export
 * writes. Reading the CSV text is the command line's job.
 */
import type { Member, PlatformIdentity, Role, Team } from '../domain/entities.ts';
import { DomainError } from '../errors.ts';
import type { Platform } from '../interaction.ts';
import type { AuditActor, Repositories } from '../ports.ts';
import {
  emailKey,
  mapPeopleHeaders,
  personNameKey,
  readPersonCells,
  type PeopleColumn,
  type PeopleRecord,
  type PersonCells,
} from './people-file.ts';

/** The fields of a person a file sets. */
export interface PersonFields {
  displayName: string;
  email: string;
  roles: Role[];
  /** Resolved at apply time: an existing member's id, or the line of a person created by the same file. */
  supervisor: { memberId: string } | { line: number } | null;
  slackUserIdOnFile: string | null;
  teamsUserIdOnFile: string | null;
}

/** What one row of the file does. `line` is the physical line in the file (the header is line 1). */
export type PeopleImportOutcome =
  | { line: number; kind: 'create'; fields: PersonFields }
  | { line: number; kind: 'update'; existing: Member; fields: PersonFields; changedColumns: PeopleColumn[]; rejoins: boolean }
  | { line: number; kind: 'unchanged'; existing: Member }
  | { line: number; kind: 'rejected'; reason: string };

/** How many rows of each kind. */
export interface PeopleImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** What importing a people file would do; nothing is written until it is applied. */
export interface PeopleImportPlan {
  team: Team;
  /** Problems with the file as a whole (its columns); when present, no row was looked at. */
  fileProblems: string[];
  outcomes: PeopleImportOutcome[];
  counts: PeopleImportCounts;
}

/** The table a people import reads: header cells and each record's cells with its physical line. */
export interface PeopleTable {
  headers: string[];
  rows: { line: number; cells: string[] }[];
}

function countsOf(outcomes: readonly PeopleImportOutcome[]): PeopleImportCounts {
  const counts = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const o of outcomes) counts[o.kind === 'create' ? 'created' : o.kind === 'update' ? 'updated' : o.kind]++;
  return counts;
}

/** The platform user id a member is known by: a linked account first, then any account, then the file's. */
export function platformIdOf(member: Member, identities: readonly PlatformIdentity[], platform: Platform): string | null {
  const mine = identities.filter((i) => i.memberId === member.id && i.platform === platform);
  const chosen = mine.find((i) => i.linked) ?? mine[0];
  if (chosen) return chosen.userId;
  return (platform === 'slack' ? member.slackUserIdOnFile : member.teamsUserIdOnFile) ?? null;
}

/** One row after it was read alone: where it stands before the rows are looked at together. */
interface ReadRow {
  line: number;
  cells: PersonCells;
  problems: string[];
  existing?: Member;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Works out what importing `table` into `team` would do, given the roster (inactive members
 * included) and every platform identity of the team. Every row is checked, so every problem is
 * reported at once.
 */
export function planPeopleImport(table: PeopleTable, team: Team, members: readonly Member[], identities: readonly PlatformIdentity[]): PeopleImportPlan {
  const header = mapPeopleHeaders(table.headers);
  if (!header.ok) return { team, fileProblems: header.problems, outcomes: [], counts: countsOf([]) };
  const byEmail = new Map(members.filter((m) => m.email).map((m) => [emailKey(m.email ?? ''), m]));
  const emailLines = new Map<string, number>();
  const claimed = new Set<string>();
  const idLines = { slack: new Map<string, number>(), teams: new Map<string, number>() };

  // First: each row alone, then which member it is, and ids and emails no other row claimed first.
  const read: ReadRow[] = table.rows.map(({ line, cells }) => {
    const record: Partial<Record<PeopleColumn, string>> = {};
    const problems: string[] = [];
    cells.forEach((cell, i) => {
      const column = header.columns[i];
      if (column) record[column] = cell;
      else if (cell.trim() !== '') problems.push(`has a value in column ${i + 1}, which has no header`);
    });
    if (cells.length < header.columns.length) problems.push(`has ${cells.length} cells but the header has ${header.columns.length}`);
    const person = readPersonCells(record);
    problems.push(...person.problems);
    const row: ReadRow = { line, cells: person, problems };
    if (person.email) {
      const key = emailKey(person.email);
      const first = emailLines.get(key);
      if (first !== undefined) problems.push(`email: the same email is already on line ${first}`);
      else emailLines.set(key, line);
      row.existing = byEmail.get(key);
      // Someone added in chat has no email yet: the one active member of that name gets it.
      if (!row.existing && person.name) {
        const named = members.filter((m) => m.active && !m.email && personNameKey(m.displayName) === personNameKey(person.name ?? ''));
        if (named.length === 1 && !claimed.has(named[0]?.id ?? '')) row.existing = named[0];
      }
      if (row.existing) {
        if (claimed.has(row.existing.id)) problems.push('name: the same person is already on an earlier line');
        claimed.add(row.existing.id);
      }
    }
    for (const platform of ['slack', 'teams'] as const) {
      const id = platform === 'slack' ? person.slackUserId : person.teamsUserId;
      if (!id) continue;
      const column = `${platform}_user_id`;
      const first = idLines[platform].get(id);
      if (first !== undefined) problems.push(`${column}: the same account is already on line ${first}`);
      else idLines[platform].set(id, line);
      const holder = members.find((m) => m.id !== row.existing?.id && platformIdOf(m, identities, platform)?.toLowerCase() === id.toLowerCase());
      if (holder) problems.push(`${column}: is already another person's ${platform === 'slack' ? 'Slack' : 'Teams'} account on the roster`);
      const linked = row.existing ? identities.find((i) => i.memberId === row.existing?.id && i.platform === platform && i.linked) : undefined;
      if (linked && linked.userId.toLowerCase() !== id.toLowerCase()) {
        problems.push(`${column}: the person is already linked to a different ${platform === 'slack' ? 'Slack' : 'Teams'} account`);
      }
    }
    return row;
  });

  // Roles after the import, for checking supervisors: the file's where it gives them.
  const rolesAfter = (r: ReadRow): Role[] => r.cells.roles ?? r.existing?.roles ?? ['officer'];
  const fileByEmail = new Map(read.filter((r) => r.cells.email && r.problems.length === 0).map((r) => [emailKey(r.cells.email ?? ''), r]));
  const fileByName = new Map<string, ReadRow[]>();
  for (const r of read) if (r.cells.name && r.problems.length === 0) fileByName.set(personNameKey(r.cells.name), [...(fileByName.get(personNameKey(r.cells.name)) ?? []), r]);
  const inFile = new Set(read.flatMap((r) => (r.existing ? [r.existing.id] : [])));

  type Found = { row: ReadRow } | { member: Member } | { problem: string };
  const findSupervisor = (text: string): Found => {
    const key = text.includes('@') ? emailKey(text) : undefined;
    if (key) {
      const row = fileByEmail.get(key);
      if (row) return { row };
      const member = byEmail.get(key);
      if (member?.active) return { member };
      return { problem: 'is not on the roster or in this file' };
    }
    const rows = fileByName.get(personNameKey(text)) ?? [];
    if (rows.length > 1) return { problem: 'matches more than one person in this file; use their email' };
    if (rows[0]) return { row: rows[0] };
    const named = members.filter((m) => m.active && !inFile.has(m.id) && personNameKey(m.displayName) === personNameKey(text));
    if (named.length > 1) return { problem: 'matches more than one person on the roster; use their email' };
    if (named[0]) return { member: named[0] };
    return { problem: 'is not on the roster or in this file' };
  };

  const outcomes: PeopleImportOutcome[] = read.map((r) => {
    const problems = [...r.problems];
    const { cells, existing } = r;
    let supervisor: PersonFields['supervisor'] = existing?.supervisorMemberId ? { memberId: existing.supervisorMemberId } : null;
    if (cells.supervisor !== undefined) {
      supervisor = null;
      if (cells.supervisor !== null) {
        const found = findSupervisor(cells.supervisor);
        if ('problem' in found) problems.push(`supervisor: ${found.problem}`);
        else if ('row' in found && found.row === r) problems.push('supervisor: cannot be the person themselves');
        else if ('member' in found && found.member.id === existing?.id) problems.push('supervisor: cannot be the person themselves');
        else if ('row' in found && !rolesAfter(found.row).includes('supervisor')) problems.push('supervisor: is not a supervisor (give them the supervisor role)');
        else if ('member' in found && !found.member.roles.includes('supervisor')) problems.push('supervisor: is not a supervisor on the roster');
        else if ('row' in found) supervisor = found.row.existing ? { memberId: found.row.existing.id } : { line: found.row.line };
        else if ('member' in found) supervisor = { memberId: found.member.id };
      }
    }
    if (problems.length > 0 || !cells.name || !cells.email) return { line: r.line, kind: 'rejected', reason: problems.join('; ') };
    const fields: PersonFields = {
      displayName: cells.name,
      email: existing?.email && emailKey(existing.email) === emailKey(cells.email) ? existing.email : cells.email,
      roles: rolesAfter(r),
      supervisor,
      slackUserIdOnFile: cells.slackUserId === undefined ? (existing?.slackUserIdOnFile ?? null) : cells.slackUserId,
      teamsUserIdOnFile: cells.teamsUserId === undefined ? (existing?.teamsUserIdOnFile ?? null) : cells.teamsUserId,
    };
    if (!existing) return { line: r.line, kind: 'create', fields };
    const changed: PeopleColumn[] = [];
    if (fields.displayName !== existing.displayName) changed.push('name');
    if (fields.email !== existing.email) changed.push('email');
    if (!sameSet(fields.roles, existing.roles)) changed.push('roles');
    const supervisorId = fields.supervisor && 'memberId' in fields.supervisor ? fields.supervisor.memberId : null;
    if (fields.supervisor && 'line' in fields.supervisor) changed.push('supervisor');
    else if (supervisorId !== existing.supervisorMemberId) changed.push('supervisor');
    // An id the file repeats from a linked account is no change; a blank cell cannot unlink one.
    for (const platform of ['slack', 'teams'] as const) {
      const given = platform === 'slack' ? cells.slackUserId : cells.teamsUserId;
      const current = platformIdOf(existing, identities, platform);
      const onFile = platform === 'slack' ? existing.slackUserIdOnFile : existing.teamsUserIdOnFile;
      if (given === undefined) continue;
      if (given === null && (onFile ?? null) === null) continue;
      if (given !== null && current?.toLowerCase() === given.toLowerCase()) {
        if (platform === 'slack') fields.slackUserIdOnFile = onFile ?? null;
        else fields.teamsUserIdOnFile = onFile ?? null;
        continue;
      }
      changed.push(`${platform}_user_id`);
    }
    const rejoins = !existing.active;
    if (changed.length === 0 && !rejoins) return { line: r.line, kind: 'unchanged', existing };
    return { line: r.line, kind: 'update', existing, fields, changedColumns: changed, rejoins };
  });

  // The team is never left without an admin: a row taking the last admin role away is refused.
  const adminsBefore = members.filter((m) => m.active && m.roles.includes('admin'));
  const after = new Map(adminsBefore.map((m) => [m.id, true]));
  for (const o of outcomes) if (o.kind === 'update') after.set(o.existing.id, o.fields.roles.includes('admin'));
  const anyNewAdmin = outcomes.some((o) => (o.kind === 'create' || (o.kind === 'update' && o.rejoins)) && o.fields.roles.includes('admin'));
  if (adminsBefore.length > 0 && !anyNewAdmin && ![...after.values()].some(Boolean)) {
    outcomes.forEach((o, i) => {
      if (o.kind === 'update' && o.existing.roles.includes('admin') && !o.fields.roles.includes('admin')) {
        outcomes[i] = { line: o.line, kind: 'rejected', reason: "roles: would leave the team without an admin; make someone else an admin first" };
      }
    });
  }
  return { team, fileProblems: [], outcomes, counts: countsOf(outcomes) };
}

/** Why a plan may not be written (file problems, or rejected rows without `skipInvalid`), or null. */
export function peopleImportBlocker(plan: PeopleImportPlan, skipInvalid: boolean): string | null {
  if (plan.fileProblems.length > 0) return 'The file cannot be imported: ' + plan.fileProblems.join(' ');
  if (plan.counts.rejected > 0 && !skipInvalid) {
    return `${plan.counts.rejected} row${plan.counts.rejected === 1 ? ' was' : 's were'} rejected, so nothing was imported. Correct them, or import the rest with --skip-invalid.`;
  }
  return null;
}

/** What an audit row keeps of a person: no email or platform ids, only whether they are on file. */
export function auditablePerson(m: Member): Record<string, unknown> {
  return {
    displayName: m.displayName,
    roles: m.roles,
    supervisorMemberId: m.supervisorMemberId,
    active: m.active,
    email: m.email ? '(on file)' : null,
    slackUserIdOnFile: m.slackUserIdOnFile ? '(on file)' : null,
    teamsUserIdOnFile: m.teamsUserIdOnFile ? '(on file)' : null,
  };
}

/** Options for {@link applyPeopleImport}. */
export interface ApplyPeopleImportOptions {
  /** The file's name, recorded as the reason on the audit rows. */
  fileName: string;
  skipInvalid: boolean;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Writes a plan in the caller's transaction: creates and updates members (supervisors named in
 * the same file are set once everyone exists), one audit row per person plus one for the file.
 * Throws `invalid_input` (having written nothing) when {@link peopleImportBlocker} says it may not be written.
 */
export async function applyPeopleImport(repos: Repositories, actor: AuditActor, plan: PeopleImportPlan, options: ApplyPeopleImportOptions): Promise<PeopleImportCounts> {
  const blocker = peopleImportBlocker(plan, options.skipInvalid);
  if (blocker) throw new DomainError('invalid_input', blocker, { counts: plan.counts });
  const { team } = plan;
  const reason = options.fileName;
  const written = plan.outcomes.filter((o): o is Extract<PeopleImportOutcome, { kind: 'create' | 'update' }> => o.kind === 'create' || o.kind === 'update');
  // Everyone first, without supervisors that the same file creates; then those supervisors.
  const idOfLine = new Map<number, string>();
  const saved = new Map<number, Member>();
  for (const o of written) {
    const supervisorMemberId = o.fields.supervisor && 'memberId' in o.fields.supervisor ? o.fields.supervisor.memberId : null;
    const fields = {
      displayName: o.fields.displayName,
      roles: o.fields.roles,
      supervisorMemberId,
      email: o.fields.email,
      slackUserIdOnFile: o.fields.slackUserIdOnFile,
      teamsUserIdOnFile: o.fields.teamsUserIdOnFile,
    };
    const member = o.kind === 'create' ? await repos.members.create({ teamId: team.id, ...fields }) : await repos.members.update(o.existing.id, { ...fields, active: true });
    idOfLine.set(o.line, member.id);
    saved.set(o.line, member);
  }
  let done = 0;
  for (const o of written) {
    let member = saved.get(o.line) as Member;
    if (o.fields.supervisor && 'line' in o.fields.supervisor) {
      member = await repos.members.update(member.id, { supervisorMemberId: idOfLine.get(o.fields.supervisor.line) ?? null });
    }
    await repos.audit.record(actor, {
      action: o.kind === 'create' ? 'member.imported' : 'member.updated',
      entityType: 'member',
      entityId: member.id,
      ...(o.kind === 'update' ? { before: auditablePerson(o.existing) } : {}),
      after: { ...auditablePerson(member), ...(o.kind === 'update' ? { changedColumns: o.changedColumns } : {}) },
      reason: o.kind === 'update' && o.rejoins ? `${reason}: rejoined the team` : reason,
    });
    done += 1;
    options.onProgress?.(done, written.length);
  }
  await repos.audit.record(actor, {
    action: 'people.imported',
    entityType: 'team',
    entityId: team.id,
    after: { ...plan.counts, skippedInvalid: options.skipInvalid && plan.counts.rejected > 0 },
    reason,
  });
  return plan.counts;
}

/** The team's active people as export rows (ordered by name), in the import's columns. */
export function peopleRecords(members: readonly Member[], identities: readonly PlatformIdentity[]): PeopleRecord[] {
  const active = members.filter((m) => m.active);
  const byId = new Map(members.map((m) => [m.id, m]));
  const uniqueName = (m: Member) => active.filter((o) => personNameKey(o.displayName) === personNameKey(m.displayName)).length === 1;
  return [...active]
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'en-GB') || a.id.localeCompare(b.id))
    .map((m) => {
      const supervisor = m.supervisorMemberId ? byId.get(m.supervisorMemberId) : undefined;
      return {
        name: m.displayName,
        email: m.email ?? '',
        roles: m.roles.join('; '),
        supervisor: supervisor ? (supervisor.email ?? (uniqueName(supervisor) ? supervisor.displayName : '')) : '',
        slack_user_id: platformIdOf(m, identities, 'slack') ?? '',
        teams_user_id: platformIdOf(m, identities, 'teams') ?? '',
      };
    });
}

/**
 * Reads the team's people for an export and audits it (one row, with the reason and the count).
 * The email addresses and account ids it holds are personal data: hence the reason.
 */
export async function exportPeople(repos: Repositories, actor: AuditActor, team: Team, reason: string): Promise<PeopleRecord[]> {
  const members = await repos.members.listByTeam(team.id, { includeInactive: true });
  const identities = await repos.members.identitiesOfTeam(team.id);
  const records = peopleRecords(members, identities);
  await repos.audit.record(actor, { action: 'people.exported', entityType: 'team', entityId: team.id, after: { people: records.length }, reason });
  return records;
}

/** Whether a person can be reached in chat yet: 'linked', or why not. */
export function linkState(member: Member, identities: readonly PlatformIdentity[]): 'linked' | 'not yet linked' | 'no chat account' {
  const mine = identities.filter((i) => i.memberId === member.id);
  if (mine.some((i) => i.linked)) return 'linked';
  if (mine.length > 0 || member.email || member.slackUserIdOnFile || member.teamsUserIdOnFile) return 'not yet linked';
  return 'no chat account';
}
