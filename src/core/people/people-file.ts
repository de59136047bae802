/**
 * Owns the people file format (docs/people-csv.md): its columns, how headers are matched, and
 * how one row of text cells becomes a person. Messages name the column and never repeat a cell's
 * value, since a misplaced column may hold personal data.
 */
import type { Role } from '../domain/entities.ts';
import { ROLES } from '../domain/entities.ts';

/** The columns of a people file, in the order an export writes them. */
export const PEOPLE_COLUMNS = ['name', 'email', 'roles', 'supervisor', 'slack_user_id', 'teams_user_id'] as const;

/** One of {@link PEOPLE_COLUMNS}. */
export type PeopleColumn = (typeof PEOPLE_COLUMNS)[number];

/** Columns every people file must have. */
export const REQUIRED_PEOPLE_COLUMNS: readonly PeopleColumn[] = ['name', 'email'];

/** One row as text, keyed by column: what an export writes and an import reads. */
export type PeopleRecord = Record<PeopleColumn, string>;

/** The longest name the roster takes (the same as the roster form's). */
export const MAX_PERSON_NAME_LENGTH = 80;

const KNOWN = new Set<string>(PEOPLE_COLUMNS);

// Spreadsheets write "Slack user id" or "slack-user-id" as readily as slack_user_id.
function headerName(raw: string): string {
  return raw.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Where each column sits in the file (null for a blank header), or the file-level problems. */
export type PeopleHeaderMapping = { ok: true; columns: (PeopleColumn | null)[] } | { ok: false; problems: string[] };

/** Matches header cells to columns: case-insensitive and trimmed; unknown, repeated or missing columns are problems. */
export function mapPeopleHeaders(headers: readonly string[]): PeopleHeaderMapping {
  const names = headers.map(headerName);
  const problems: string[] = [];
  const unknown = names.filter((n) => n !== '' && !KNOWN.has(n));
  if (unknown.length > 0) problems.push(`Unknown column${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}. The columns are: ${PEOPLE_COLUMNS.join(', ')}.`);
  const repeated = [...new Set(names.filter((n, i) => n !== '' && names.indexOf(n) !== i))];
  if (repeated.length > 0) problems.push(`Column${repeated.length === 1 ? '' : 's'} given more than once: ${repeated.join(', ')}.`);
  const missing = REQUIRED_PEOPLE_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) problems.push(`Missing required column${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}.`);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, columns: names.map((n) => (n === '' ? null : (n as PeopleColumn))) };
}

/** Trimmed cell text, with the apostrophe an export puts before a formula-like cell taken off; blank is null. */
export function peopleCell(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  const text = value.trim().replace(/^'(?=[=+\-@\t\r])/, '');
  return text === '' ? null : text;
}

/** A name as the roster compares it: case and repeated spaces ignored. */
export function personNameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** An email as it is matched: ignoring case. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

const EMAIL = /^[^\s@,;"<>]+@[^\s@,;"<>]+\.[^\s@,;"<>]+$/;
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;
const AAD_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for something shaped like one email address. */
export function isEmail(text: string): boolean {
  return text.length <= 254 && EMAIL.test(text);
}

/** One row read on its own: values where they were good, and a problem per bad column. */
export interface PersonCells {
  name?: string;
  email?: string;
  /** Absent when the file has no roles column; the person then keeps theirs (new people: officer). */
  roles?: Role[];
  /** The supervisor as written (a name or an email), null for none, absent without the column. */
  supervisor?: string | null;
  slackUserId?: string | null;
  teamsUserId?: string | null;
  problems: string[];
}

/** Reads one row's cells, column by column. Cross-row rules (duplicates, the supervisor) come later. */
export function readPersonCells(record: Partial<Record<PeopleColumn, string>>): PersonCells {
  const out: PersonCells = { problems: [] };
  const name = peopleCell(record.name);
  if (!name) out.problems.push('name: is required');
  else if (name.length > MAX_PERSON_NAME_LENGTH) out.problems.push(`name: must be at most ${MAX_PERSON_NAME_LENGTH} characters`);
  else out.name = name.replace(/\s+/g, ' ');
  const email = peopleCell(record.email);
  if (!email) out.problems.push('email: is required');
  else if (!isEmail(email)) out.problems.push('email: must be one email address, like priya.shah@example.org');
  else out.email = email;
  if (record.roles !== undefined) {
    const parts = (peopleCell(record.roles) ?? '').split(';').map((r) => r.trim().toLowerCase()).filter((r) => r !== '');
    if (parts.length === 0) out.problems.push('roles: is required: officer, supervisor or admin, separated by semicolons');
    else if (parts.some((r) => !(ROLES as readonly string[]).includes(r))) out.problems.push('roles: must be officer, supervisor or admin, separated by semicolons');
    else out.roles = ROLES.filter((r) => parts.includes(r));
  }
  if (record.supervisor !== undefined) out.supervisor = peopleCell(record.supervisor) ?? null;
  if (record.slack_user_id !== undefined) {
    const id = peopleCell(record.slack_user_id) ?? null;
    if (id !== null && !SLACK_USER_ID.test(id)) out.problems.push('slack_user_id: must be a Slack member id, like U024BE7LH');
    else out.slackUserId = id;
  }
  if (record.teams_user_id !== undefined) {
    const id = peopleCell(record.teams_user_id) ?? null;
    if (id !== null && !AAD_OBJECT_ID.test(id)) out.problems.push("teams_user_id: must be the person's Microsoft Entra object id, like 6b2f0c1e-…");
    else out.teamsUserId = id === null ? null : id.toLowerCase();
  }
  return out;
}
