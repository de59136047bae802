/**
 * `record CW-7K3P` in chat: asks for the reason, builds the case's complete record, audits the
 * disclosure with its reason and hash, and delivers it privately — as a Markdown file where the
 * platform takes files (Slack), otherwise inline in a private message (Teams).
 */
import { z } from 'zod';
import { authorize, type Actor } from '../access/permissions.ts';
import { loadCase } from '../cases/case-commands.ts';
import { requireCaseKey } from '../cases/case-key.ts';
import type { Feature } from '../commands/registry.ts';
import type { Case } from '../domain/entities.ts';
import { DomainError } from '../errors.ts';
import { fieldErrors, normaliseSubmission, withErrors } from '../forms/form-runtime.ts';
import type { Reply } from '../interaction.ts';
import type { Repositories } from '../ports.ts';
import { asActor, audit, type CoreRequest } from '../services.ts';
import type { FormView } from '../views/form-view.ts';
import type { MessageView } from '../views/message-view.ts';
import { requireNotifier } from '../discussions/discussion-service.ts';
import { buildCaseRecord, type CaseRecordDocument } from './case-record.ts';

/** The form id and title. */
export const RECORD_FORM = 'record.export';
export const RECORD_FORM_TITLE = 'Export case record';

/** The most record text shown inline where files cannot be sent. */
export const INLINE_RECORD_MAX = 20_000;

const USAGE = 'record CW-7K3P';

function recordForm(c: Case): FormView {
  return {
    id: RECORD_FORM,
    title: RECORD_FORM_TITLE,
    submitLabel: 'Export',
    intro: `Case ${c.key}. The complete record is sent to you privately. Every export is recorded in the audit trail with its reason.`,
    fields: [{ id: 'reason', label: 'Reason for the export', kind: 'text', required: true, maxLength: 300, hint: 'For example: disclosure request for court, ref. on file.' }],
    values: {},
    errors: {},
    context: { caseKey: c.key },
  };
}

/** Audits an export of a case record: who, when, why, and the hash of what left. */
export function auditExport(repos: Repositories, actor: Actor, c: Case, doc: CaseRecordDocument, format: 'md' | 'pdf', reason: string): Promise<void> {
  return audit(repos, actor, { action: 'record.exported', entityType: 'case', entityId: c.id, caseId: c.id, reason, after: { format, sha256: doc.sha256 } });
}

/** The record inline, for platforms where a file cannot be sent. */
function inlineRecordView(c: Case, doc: CaseRecordDocument): MessageView {
  const cut = doc.markdown.length > INLINE_RECORD_MAX;
  const text = cut ? doc.markdown.slice(0, INLINE_RECORD_MAX) : doc.markdown;
  return {
    kind: 'case-record',
    title: `Case record: ${c.key}`,
    ...(cut ? { notice: { tone: 'warning' as const, text: 'The record is too long to show here in full. Ask your team admin for the file export (casework export record).' } } : {}),
    paragraphs: text.split(/\n(?=## )/),
    footer: `SHA-256 ${doc.sha256}`,
  };
}

async function deliver(repos: Repositories, req: CoreRequest, actor: Actor, c: Case, doc: CaseRecordDocument): Promise<'file' | 'message'> {
  const files = req.services.files;
  if (files?.supports(req.ctx.user.platform)) {
    await files.sendToUser(req.ctx.user, {
      filename: `${c.key}-record.md`,
      title: `Case record ${c.key}`,
      content: Buffer.from(doc.markdown, 'utf8'),
      comment: `The complete record of ${c.key}. SHA-256 ${doc.sha256}.`,
    });
    return 'file';
  }
  const identity = (await repos.members.identitiesOf(actor.member.id)).find(
    (i) => i.platform === req.ctx.user.platform && i.workspaceId === req.ctx.user.workspaceId && i.userId === req.ctx.user.userId,
  );
  if (!identity) throw new DomainError('unsupported', 'Casework could not find a private chat to send the record to. Message the bot directly once, then try again.');
  await requireNotifier(req.services).sendToPerson(identity, inlineRecordView(c, doc));
  return 'message';
}

async function openRecord(req: CoreRequest, key: string): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const c = await loadCase(repos, actor, key);
    authorize(actor, 'record.export', c);
    return { type: 'form', form: recordForm(c) };
  });
}

async function submitRecord(req: CoreRequest, raw: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const c = await loadCase(repos, actor, requireCaseKey(context.caseKey, USAGE));
    authorize(actor, 'record.export', c);
    const form = recordForm(c);
    const values = normaliseSubmission(form.fields, raw);
    const parsed = z.object({ reason: z.string().trim().min(3, { message: 'Give the reason for the export.' }).max(300) }).safeParse(values);
    if (!parsed.success) return { type: 'form-invalid', form: withErrors(form, values, fieldErrors(parsed.error, form.fields)) };
    const doc = await buildCaseRecord(repos, actor.team, c, { exportedBy: actor.member.displayName, exportedAt: req.services.clock.now(), reason: parsed.data.reason });
    await auditExport(repos, actor, c, doc, 'md', parsed.data.reason);
    const how = await deliver(repos, req, actor, c, doc);
    return {
      type: 'message',
      view: {
        kind: 'record-exported',
        title: `Record of ${c.key} sent`,
        notice: { tone: 'info', text: how === 'file' ? 'The Markdown file is in your direct messages with Casework.' : 'The record is in your private chat with Casework.' },
        facts: [
          { label: 'Reason', value: parsed.data.reason },
          { label: 'SHA-256', value: doc.sha256 },
        ],
      },
    };
  });
}

/** The record export feature. */
export const recordFeature: Feature = {
  commands: [
    {
      name: 'record',
      usage: USAGE,
      summary: "Export a case's complete supervision record, privately, with a reason.",
      opensForm: () => RECORD_FORM_TITLE,
      run: (req, cmd) => openRecord(req, requireCaseKey(cmd.args[0], USAGE)),
    },
  ],
  forms: [{ id: RECORD_FORM, submit: submitRecord }],
};
