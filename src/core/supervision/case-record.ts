/**
 * The complete supervision record of a case as one Markdown document: discussions with full
 * transcripts (Europe/London times, edits and deletions shown), supervision notes and addenda,
 * decisions, actions and their status, visits, significant changes and the case's audit trail.
 * The footer holds the SHA-256 of everything above it, so the record can be verified later;
 * the PDF is drawn from the same text and carries the same hash.
 */
import { createHash } from 'node:crypto';
import type { Case, Team } from '../domain/entities.ts';
import { riskLevelLabels } from '../domain/vocabulary.ts';
import type { Repositories } from '../ports.ts';
import { formatDate, formatDateTime } from '../views/format.ts';
import { discussionStatusLabels, type DiscussionMessage, type MessageRevision, type SupervisionAction, type SupervisionNote } from '../discussions/discussion-ports.ts';
import { personalDataLabels, type PersonalDataKind } from '../discussions/personal-data.ts';

/** Court records are dated in UK time whatever the team's or reader's zone. */
export const RECORD_ZONE = 'Europe/London';

/** The line that starts the footer; everything before it is hashed. */
export const HASH_FOOTER_PREFIX = '\n---\nSHA-256 of the record above: ';

/** Who asked for the export, when, and why. */
export interface ExportMeta {
  exportedBy: string;
  exportedAt: Date;
  reason: string;
}

/** A finished record: the Markdown body, its hash, and the whole document with its footer. */
export interface CaseRecordDocument {
  body: string;
  sha256: string;
  markdown: string;
}

/** SHA-256 (hex) of a record body. */
export function recordHash(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** Splits a Markdown record into its body and stated hash, and says whether they agree. */
export function verifyRecord(markdown: string): { body: string; stated: string; valid: boolean } {
  const at = markdown.lastIndexOf(HASH_FOOTER_PREFIX);
  const body = at === -1 ? markdown : markdown.slice(0, at);
  const stated = at === -1 ? '' : markdown.slice(at + HASH_FOOTER_PREFIX.length).trim().split(/\s/)[0] ?? '';
  return { body, stated, valid: stated !== '' && stated === recordHash(body) };
}

/** User text kept inside its list item: later lines indented, never read as headings. */
function quoted(text: string): string {
  return text.replace(/\r\n?/g, '\n').split('\n').join('\n    ');
}

const at = (d: Date) => formatDateTime(d, RECORD_ZONE);

function flagsText(flags: readonly string[]): string {
  return flags.length ? ` _(flagged: may hold ${flags.map((f) => personalDataLabels[f as PersonalDataKind] ?? f).join(', ')})_` : '';
}

function transcript(messages: readonly DiscussionMessage[], revisions: readonly MessageRevision[], nameOf: (id: string | null) => string): string[] {
  if (messages.length === 0) return ['- No replies.'];
  const lines: string[] = [];
  for (const m of messages) {
    const history = revisions.filter((r) => r.messageId === m.id);
    lines.push(`- [${at(m.postedAt)}] ${nameOf(m.authorMemberId)}: ${quoted(m.body)}${flagsText(m.personalDataFlags)}`);
    for (const r of history) {
      lines.push(r.change === 'edit' ? `    - Edited ${at(r.changedAt)}. Text before the edit: ${quoted(r.previousBody)}` : `    - Deleted ${at(r.changedAt)}. Text when deleted: ${quoted(r.previousBody)}`);
    }
  }
  return lines;
}

function noteLines(note: SupervisionNote, number: Map<string, number>, actions: readonly SupervisionAction[], actionStatus: (a: SupervisionAction) => string, nameOf: (id: string | null) => string): string[] {
  const n = number.get(note.id);
  const title = note.addendumToNoteId ? `Note ${n} (addendum to note ${number.get(note.addendumToNoteId) ?? '?'})` : `Note ${n}`;
  const lines = [
    `#### ${title}: ${note.status === 'signed' ? 'signed' : 'DRAFT, not signed'}`,
    `- Author: ${nameOf(note.authorId)}`,
    `- Signed: ${note.signedAt ? at(note.signedAt) : 'not signed'}`,
    ...(note.contentSha256 ? [`- Note SHA-256: ${note.contentSha256}`] : []),
    `- Question: ${quoted(note.question)}`,
    `- Current view of risk: ${quoted(note.riskView) || '—'}`,
    `- Options considered: ${quoted(note.optionsConsidered) || '—'}`,
    `- Decision: ${quoted(note.decision) || '—'}`,
    `- Rationale: ${quoted(note.rationale) || '—'}`,
    `- Dissent: ${quoted(note.dissent) || 'None recorded'}`,
    `- Next review: ${formatDate(note.nextReviewOn)}`,
  ];
  const own = actions.filter((a) => a.noteId === note.id);
  lines.push(own.length ? '- Actions:' : '- Actions: none');
  for (const a of own) lines.push(`    - ${nameOf(a.ownerMemberId)}, due ${formatDate(a.dueOn)} (${actionStatus(a)}): ${quoted(a.description)}`);
  return lines;
}

/** Builds the record of a case from the repositories (reads only; the caller audits the export). */
export async function buildCaseRecord(repos: Repositories, team: Team, c: Case, meta: ExportMeta): Promise<CaseRecordDocument> {
  const members = await repos.members.listByTeam(team.id, { includeInactive: true });
  const names = new Map(members.map((m) => [m.id, m.displayName]));
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? 'Former member') : '—');
  const notes = await repos.supervision.notesForCase(c.id);
  const actions = await repos.supervision.actionsForNotes(notes.map((n) => n.id));
  const deadlines = new Map((await repos.deadlines.listOpenForCase(c.id)).map((d) => [d.subjectKey, d]));
  const actionStatus = (a: SupervisionAction) => (a.status !== 'open' ? a.status : deadlines.has(`action:${a.id}`) ? 'open, reminders on' : 'open');
  const number = new Map(notes.map((n, i) => [n.id, i + 1]));

  const lines: string[] = [
    `# Case record: ${c.key}`,
    '',
    `- Team: ${team.name}`,
    `- Exported by: ${meta.exportedBy}`,
    `- Exported: ${at(meta.exportedAt)} (Europe/London)`,
    `- Reason for export: ${quoted(meta.reason)}`,
    `- Risk level: ${riskLevelLabels[c.riskLevel]}`,
    `- Status: ${c.status}`,
    `- Lead officer: ${nameOf(c.leadOfficerId)}`,
    `- Supervisor: ${nameOf(c.supervisorId)}`,
    `- Home visit due: ${formatDate(c.visitDueOn)}; assessment review due: ${formatDate(c.assessmentReviewDueOn)}`,
    '',
    '## Discussions',
    '',
  ];
  const discussions = await repos.discussions.listForCase(c.id);
  if (discussions.length === 0) lines.push('No discussions.', '');
  for (const [i, d] of discussions.entries()) {
    lines.push(
      `### Discussion ${i + 1}: ${quoted(d.question)}`,
      '',
      `- Opened by ${nameOf(d.openedBy)}, ${at(d.openedAt)}${d.platform ? ` (${d.platform === 'slack' ? 'Slack' : 'Microsoft Teams'})` : ''}`,
      `- Status: ${discussionStatusLabels[d.status]}`,
      ...(d.closedAt ? [`- Closed by ${nameOf(d.closedBy)}, ${at(d.closedAt)}: ${quoted(d.closingSummary ?? '')}`] : []),
      '',
      '#### Transcript',
      '',
      ...transcript(await repos.discussions.messages(d.id), await repos.discussions.revisions(d.id), nameOf),
      '',
    );
    for (const note of notes.filter((n) => n.discussionId === d.id)) lines.push(...noteLines(note, number, actions, actionStatus, nameOf), '');
  }
  const loose = notes.filter((n) => !n.discussionId);
  if (loose.length) {
    lines.push('### Notes outside a discussion', '');
    for (const note of loose) lines.push(...noteLines(note, number, actions, actionStatus, nameOf), '');
  }

  const signed = notes.filter((n) => n.status === 'signed');
  lines.push('## Decisions', '', ...(signed.length ? signed.map((n) => `- Note ${number.get(n.id)}, ${at(n.signedAt!)}, ${nameOf(n.authorId)}: ${quoted(n.decision)}`) : ['No signed decisions.']), '');
  lines.push('## Actions', '', ...(actions.length ? actions.map((a) => `- Note ${number.get(a.noteId ?? '') ?? '?'}: ${nameOf(a.ownerMemberId)}, due ${formatDate(a.dueOn)}, ${actionStatus(a)}: ${quoted(a.description)}`) : ['No actions.']), '');

  const visits = await repos.caseHistory.visits(c.id);
  lines.push('## Visits', '', ...(visits.length ? visits.map((v) => `- ${at(v.visitedAt)}: ${v.visitType}, ${v.outcome}${v.version > 1 ? `, amendment (version ${v.version})` : ''}; recorded by ${nameOf(v.recordedBy)} ${at(v.recordedAt)}; next visit ${formatDate(v.nextVisitOn)}`) : ['No visits recorded.']), '');
  const changes = await repos.caseHistory.changes(c.id);
  lines.push('## Change events', '', ...(changes.length ? changes.map((e) => `- ${formatDate(e.reportedOn)}: ${e.kind} (${e.urgency}, ${e.source}), reported by ${nameOf(e.reportedBy)}`) : ['No change events.']), '');

  const trail = await repos.audit.forCase(c.id);
  lines.push('## Audit trail', '', ...trail.map((r) => `- ${at(r.at)} ${r.actorMemberId ? nameOf(r.actorMemberId) : r.actorLabel}: ${r.action}${r.reason ? ` (reason: ${quoted(r.reason)})` : ''}`), '');

  const body = lines.join('\n');
  const sha256 = recordHash(body);
  return { body, sha256, markdown: `${body}${HASH_FOOTER_PREFIX}${sha256}\n` };
}
