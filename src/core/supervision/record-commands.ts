/**
 * `record CW-7K3P` in chat: asks for the reason, builds the case's complete record, audits the
 * disclosure with its reason and hash, and delivers it privately after commit: Slack gets the PDF
 * and Markdown uploaded into the person's direct messages; Teams gets a file-consent card offering
 * the PDF (or, in local mode where the Agents Playground cannot take files, a one-time link).
 */
import { authorize, type Actor } from '../access/permissions.ts';
import { loadCase } from '../cases/case-commands.ts';
import { requireCaseKey } from '../cases/case-key.ts';
import type { Feature } from '../commands/registry.ts';
import type { Case } from '../domain/entities.ts';
import { defineForm, text } from '../forms/form-declaration.ts';
import { readForm } from '../forms/form-runtime.ts';
import type { Reply } from '../interaction.ts';
import type { Repositories } from '../ports.ts';
import { asActor, audit, type CoreRequest } from '../services.ts';
import type { FormView } from '../views/form-view.ts';
import { formatDateTime } from '../views/format.ts';
import type { MessageView } from '../views/message-view.ts';
import type { EffectHandle, Effects, FileOffer } from '../effects/effect.ts';
import { buildCaseRecord, type CaseRecordDocument } from './case-record.ts';
import { DOWNLOAD_LINK_MINUTES, newDownloadToken } from './record-download-ports.ts';

/** The form id and title. */
export const RECORD_FORM = 'record.export';
export const RECORD_FORM_TITLE = 'Export case record';

/** The most record text shown inline where files cannot be sent. */
export const INLINE_RECORD_MAX = 20_000;

const USAGE = 'record CW-7K3P';

/** The export form, declared once: the reason, as shown and as checked. */
const recordDeclaration = defineForm([
  text('reason', 'Reason for the export', {
    required: 'Give the reason for the export.',
    minLength: 3,
    maxLength: 300,
    hint: 'For example: disclosure request for court, ref. on file.',
  }),
]);

function recordForm(c: Case): FormView {
  return {
    id: RECORD_FORM,
    title: RECORD_FORM_TITLE,
    submitLabel: 'Export',
    intro: `Case ${c.key}. The complete record is sent to you privately. Every export is recorded in the audit trail with its reason.`,
    fields: recordDeclaration.fields,
    values: {},
    errors: {},
    context: { caseKey: c.key },
  };
}

/** Audits an export of a case record: who, when, why, and the hash of what left. */
export function auditExport(repos: Repositories, actor: Actor, c: Case, doc: CaseRecordDocument, format: 'md' | 'pdf' | 'pdf+md', reason: string): Promise<void> {
  return audit(repos, actor, { action: 'record.exported', entityType: 'case', entityId: c.id, caseId: c.id, reason, after: { format, sha256: doc.sha256 } });
}

/** The most text one section of the inline record holds (inside Slack's 3000 and any Teams card). */
const INLINE_SECTION_MAX = 2800;

/** Markdown lines as plain reading text: no heading marks, bullets as bullets. */
function plainLines(lines: readonly string[]): string {
  return lines
    .map((line) => line.replace(/^#{3,6} (.*)$/, '$1:').replace(/^(\s*)- /, '$1• '))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Cuts text into pieces of at most `max` characters, at line ends where it can. */
function pieces(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const at = rest.lastIndexOf('\n', max);
    const cut = at > max / 2 ? at : max;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest) out.push(rest);
  return out;
}

/** The record inline, in words and sections (never raw Markdown), for platforms where a file cannot be sent. */
function inlineRecordView(c: Case, doc: CaseRecordDocument): MessageView {
  const cut = doc.body.length > INLINE_RECORD_MAX;
  const text = cut ? doc.body.slice(0, INLINE_RECORD_MAX) : doc.body;
  const [head = '', ...parts] = text.split(/\n(?=## )/);
  const sections = parts.flatMap((part) => {
    const [heading = '', ...lines] = part.split('\n');
    const body = plainLines(lines) || '—';
    return pieces(body, INLINE_SECTION_MAX).map((piece, i) => ({ heading: `${heading.replace(/^## /, '')}${i > 0 ? ' (continued)' : ''}`, text: piece }));
  });
  return {
    kind: 'case-record',
    title: `Case record: ${c.key}`,
    ...(cut ? { notice: { tone: 'warning' as const, text: 'The record is too long to show here in full. Ask your team admin for the file export (casework export record).' } } : {}),
    paragraphs: [plainLines(head.split('\n').filter((l) => !l.startsWith('# ')))],
    sections,
    footer: `The SHA-256 of the full record is ${doc.sha256}.`,
  };
}

/**
 * Hands the record to the person after commit: as a file where the platform takes files from
 * Casework (Slack), otherwise inline in their private chat.
 */
/** The private card with a one-time link to the record's PDF, for Teams clients that cannot take files. */
export function downloadLinkView(c: Case, doc: CaseRecordDocument, url: string, expiresAt: Date, zone: string): MessageView {
  return {
    kind: 'case-record-link',
    title: `Case record: ${c.key}`,
    notice: { tone: 'info', text: `This link works once, until ${formatDateTime(expiresAt, zone)} (${DOWNLOAD_LINK_MINUTES} minutes). Only you have it; opening it is recorded in the audit trail.` },
    paragraphs: ['The record is a PDF with its Markdown attached inside. Check it with: casework verify record FILE.'],
    facts: [{ label: 'SHA-256', value: doc.sha256 }],
    actions: [{ id: 'record.download', label: 'Download the record (PDF)', url }],
  };
}

function deliver(effects: Effects, req: CoreRequest, actor: Actor, c: Case, doc: CaseRecordDocument, fallback?: MessageView, offer?: FileOffer): EffectHandle {
  return effects.add(
    {
      kind: 'file',
      memberId: actor.member.id,
      platform: req.ctx.user.platform,
      file: {
        filename: `${c.key}-record.md`,
        title: `Case record ${c.key}`,
        contentBase64: Buffer.from(doc.markdown, 'utf8').toString('base64'),
        comment: `The complete record of ${c.key}, as a PDF and as Markdown. Check either with: casework verify record FILE. Its SHA-256 is ${doc.sha256}.`,
        recordPdf: { filename: `${c.key}-record.pdf`, title: `Case record ${c.key} (PDF)` },
        ...(offer ? { offer } : {}),
      },
      fallback: fallback ?? inlineRecordView(c, doc),
    },
    { await: true },
  );
}

async function openRecord(req: CoreRequest, key: string): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const c = await loadCase(repos, actor, key);
    authorize(actor, 'record.export', c);
    return { type: 'form', form: recordForm(c) };
  });
}

async function submitRecord(req: CoreRequest, raw: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const result = await asActor(req, async (repos, actor, effects): Promise<Reply | { c: Case; reason: string; handle: EffectHandle; offered: boolean }> => {
    const c = await loadCase(repos, actor, requireCaseKey(context.caseKey, USAGE));
    authorize(actor, 'record.export', c);
    const form = recordForm(c);
    const parsed = readForm(form, raw, recordDeclaration);
    if (!parsed.ok) return parsed.reply;
    const doc = await buildCaseRecord(repos, actor.team, c, { exportedBy: actor.member.displayName, exportedAt: req.services.clock.now(), reason: parsed.data.reason });
    await auditExport(repos, actor, c, doc, req.ctx.user.platform === 'slack' ? 'pdf+md' : 'pdf', parsed.data.reason);
    // Teams in local mode (the Agents Playground) cannot take a file: a one-time link instead.
    // Elsewhere Teams asks the person to accept the file first (a file-consent card that carries
    // only an opaque offer id); the file waits here until they answer, for 10 minutes at most.
    const teams = req.ctx.user.platform === 'teams';
    const base = teams ? req.services.downloadBaseUrl?.() : undefined;
    let link: MessageView | undefined;
    let offer: FileOffer | undefined;
    if (teams && !base) {
      const { token, tokenSha256 } = newDownloadToken();
      const expiresAt = new Date(req.services.clock.now().getTime() + DOWNLOAD_LINK_MINUTES * 60_000);
      const stored = await repos.recordDownloads.create({ tokenSha256, teamId: actor.team.id, memberId: actor.member.id, caseId: c.id, filename: `${c.key}-record.pdf`, mediaType: 'application/pdf', content: Buffer.from(doc.markdown, 'utf8'), sha256: doc.sha256, expiresAt });
      await audit(repos, actor, { action: 'record.file_offered', entityType: 'record_download', entityId: stored.id, caseId: c.id, after: { expiresAt: expiresAt.toISOString(), sha256: doc.sha256 } });
      offer = { offerId: token, expiresAt: expiresAt.toISOString() };
    }
    if (base) {
      const { token, tokenSha256 } = newDownloadToken();
      const expiresAt = new Date(req.services.clock.now().getTime() + DOWNLOAD_LINK_MINUTES * 60_000);
      const stored = await repos.recordDownloads.create({ tokenSha256, teamId: actor.team.id, memberId: actor.member.id, caseId: c.id, filename: `${c.key}-record.pdf`, mediaType: 'application/pdf', content: Buffer.from(doc.markdown, 'utf8'), sha256: doc.sha256, expiresAt });
      await audit(repos, actor, { action: 'record.download_issued', entityType: 'record_download', entityId: stored.id, caseId: c.id, after: { expiresAt: expiresAt.toISOString(), sha256: doc.sha256 } });
      link = downloadLinkView(c, doc, `${base}/records/${token}`, expiresAt, actor.team.timeZone);
    }
    const handle = deliver(effects, req, actor, c, doc, link, offer);
    return { c, reason: parsed.data.reason, handle, offered: offer !== undefined };
  });
  if ('type' in result) return result;
  const outcome = result.handle.outcome;
  // A file leaves no message of ours behind; the inline record is a message.
  const asFile = outcome?.status === 'sent' && outcome.ref === null;
  const where = result.offered && asFile
    ? `The record's PDF is offered to you in your personal chat with Casework: accept it there within ${DOWNLOAD_LINK_MINUTES} minutes.`
    : asFile
      ? 'The PDF and Markdown files are in your direct messages with Casework.'
      : 'The record is in your private chat with Casework.';
  const text =
    outcome?.status === 'sent'
      ? where
      : outcome?.status === 'failed' || outcome?.status === 'dropped'
        ? 'The export is recorded, but Casework could not deliver it to your private chat. Message Casework directly once, then export again.'
        : `${where.replace(' is in ', ' is on its way to ')}`;
  return {
    type: 'message',
    view: {
      kind: 'record-exported',
      title: `Record of ${result.c.key} sent`,
      notice: { tone: outcome?.status === 'failed' || outcome?.status === 'dropped' ? 'warning' : 'info', text },
      facts: [{ label: 'Reason', value: result.reason }],
    },
  };
}

/** The record export feature. */
export const recordFeature: Feature = {
  commands: [
    {
      name: 'record',
      audience: ['officer', 'supervisor'],
      usage: USAGE,
      summary: "Export a case's complete supervision record, privately, with a reason.",
      opensForm: () => RECORD_FORM_TITLE,
      run: (req, cmd) => openRecord(req, requireCaseKey(cmd.args[0], USAGE)),
    },
  ],
  forms: [{ id: RECORD_FORM, submit: submitRecord }],
};
