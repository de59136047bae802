/**
 * Opening and closing case discussions: `discuss CW-7K3P <question>`, the `discussion.open`
 * button (case card, visit confirmation) with a small form when no question is given, and the
 * root card's Close button with its one-line summary form. Opening posts the root card in the
 * team's channel and stores the thread reference; closing posts a closing card into the thread.
 */
import type { z } from 'zod';
import { authorize, type Actor } from '../access/permissions.ts';
import { loadCaseToRecord } from '../cases/case-commands.ts';
import { requireCaseKey } from '../cases/case-key.ts';
import type { Feature } from '../commands/registry.ts';
import type { Case } from '../domain/entities.ts';
import { DomainError } from '../errors.ts';
import { defineForm, text, textarea } from '../forms/form-declaration.ts';
import { readForm } from '../forms/form-runtime.ts';
import type { Reply } from '../interaction.ts';
import type { Repositories } from '../ports.ts';
import { asActor, audit, type CoreRequest } from '../services.ts';
import type { EffectHandle, Effects } from '../effects/effect.ts';
import { rootDedupeKey } from '../effects/deliver-effect.ts';
import type { FieldValue, FormView } from '../views/form-view.ts';
import { loadDiscussion, memberName, moveDiscussion, requireOpenDiscussion } from './discussion-service.ts';
import { CLOSE_ACTION, closingCardView, threadLinkAction } from './discussion-views.ts';
import { describePersonalData, findPersonalData } from './personal-data.ts';

/** Form ids. */
export const OPEN_FORM = 'discussion.open';
export const CLOSE_FORM = 'discussion.close';

/** Form titles (also what Slack shows while a form loads). */
export const OPEN_FORM_TITLE = 'Open a discussion';
export const CLOSE_FORM_TITLE = 'Close discussion';

/** The longest question and closing summary accepted. */
export const QUESTION_MAX = 500;
export const SUMMARY_MAX = 200;

const USAGE = 'discuss CW-7K3P <question>';

/** Checks text carries no personal data: refused with the kinds found. */
function noPersonalData(what: string) {
  return (text: z.ZodString) =>
    text.superRefine((value, ctx) => {
      const kinds = findPersonalData(value);
      if (kinds.length) {
        ctx.addIssue({ code: 'custom', message: `The ${what} looks like it holds ${describePersonalData(kinds)}. Chat carries the case key and the question only: take the detail out.` });
      }
    });
}

/** The open form, declared once: the question, as both platforms show it and as it is checked (typed or submitted). */
const openDeclaration = defineForm([
  textarea('question', 'Question for the team', {
    required: 'Enter the question.',
    maxLength: QUESTION_MAX,
    tooLong: `Keep the question to ${QUESTION_MAX} characters or fewer.`,
    check: noPersonalData('question'),
    hint: 'No names, addresses, dates of birth or other personal details.',
  }),
]);

/** The close form, declared once: the one-line outcome. */
const closeDeclaration = defineForm([
  text('summary', 'Outcome in one line', {
    required: 'Enter the summary.',
    maxLength: SUMMARY_MAX,
    tooLong: `Keep the summary to ${SUMMARY_MAX} characters or fewer.`,
    check: noPersonalData('summary'),
  }),
]);

function openForm(c: Case, values: Record<string, FieldValue> = {}): FormView {
  return {
    id: OPEN_FORM,
    title: OPEN_FORM_TITLE,
    submitLabel: 'Post to team channel',
    intro: `Case ${c.key}. The question is posted in your team's channel; colleagues reply in its thread, and every reply is kept in the case record.`,
    fields: openDeclaration.fields,
    values,
    errors: {},
    context: { caseKey: c.key },
  };
}

function closeForm(discussionId: string, caseKey: string): FormView {
  return {
    id: CLOSE_FORM,
    title: CLOSE_FORM_TITLE,
    submitLabel: 'Close discussion',
    intro: `Discussion on ${caseKey}. The summary is posted in the thread and kept in the record.`,
    fields: closeDeclaration.fields,
    values: {},
    errors: {},
    context: { discussionId },
  };
}

/** What opening a discussion leaves for the confirmation: the case, the question and the root card's delivery. */
interface Opened {
  c: Case;
  question: string;
  root: EffectHandle;
  supervisorTold: boolean;
}

/**
 * Stores the discussion and audits it; its root card (posted in the team's channel) and the
 * notice to the case's supervisor go out after commit.
 */
async function createDiscussion(repos: Repositories, req: CoreRequest, actor: Actor, effects: Effects, c: Case, question: string): Promise<Opened> {
  if (!actor.team.channel) {
    throw new DomainError('conflict', `${actor.team.name} has no team channel yet. Add Casework to the team's channel (or run setup in it), then try again.`);
  }
  const created = await repos.discussions.create({ teamId: actor.team.id, caseId: c.id, question, openedBy: actor.member.id, openedAt: req.services.clock.now() });
  await audit(repos, actor, { action: 'discussion.opened', entityType: 'discussion', entityId: created.id, caseId: c.id, after: { question, platform: actor.team.channel.platform } });
  const root = effects.add({ kind: 'discussion-root', discussionId: created.id }, { await: true, dedupeKey: rootDedupeKey(created.id) });
  const supervisorId = await caseSupervisor(repos, c);
  const tell = supervisorId !== null && supervisorId !== actor.member.id;
  if (tell) effects.add({ kind: 'discussion-notice', discussionId: created.id, memberId: supervisorId });
  return { c, question, root, supervisorTold: tell };
}

/** The supervisor of a case: its own, else its lead officer's. */
async function caseSupervisor(repos: Repositories, c: Case): Promise<string | null> {
  if (c.supervisorId) return c.supervisorId;
  const lead = c.leadOfficerId ? await repos.members.findById(c.leadOfficerId) : undefined;
  return lead?.supervisorMemberId ?? null;
}

/** The opener's confirmation, with a link to the thread once the root card is there. */
function openedReply(opened: Opened): Reply {
  const outcome = opened.root.outcome;
  const link = outcome?.status === 'sent' ? outcome.ref?.link : undefined;
  const posted = outcome?.status === 'sent';
  const notice = posted
    ? "Posted in your team's channel. Replies in its thread are kept in the case record."
    : outcome?.status === 'failed' || outcome?.status === 'dropped'
      ? "Saved, but Casework could not post it in your team's channel. Your team admin has been told; the discussion is kept."
      : "Saved; it will appear in your team's channel in a moment. Replies in its thread are kept in the case record.";
  return {
    type: 'message',
    view: {
      kind: 'discussion-opened',
      title: `Discussion opened on ${opened.c.key}`,
      notice: { tone: posted || outcome?.status === 'queued' || !outcome ? 'info' : 'warning', text: notice },
      facts: [
        { label: 'Question', value: opened.question },
        { label: 'Supervisor', value: opened.supervisorTold ? 'Told privately' : 'No other supervisor to tell' },
      ],
      ...(link ? { actions: [threadLinkAction(link)] } : {}),
    },
  };
}

async function startDiscussion(req: CoreRequest, key: string, question: string | undefined): Promise<Reply> {
  const result = await asActor(req, async (repos, actor, effects): Promise<Reply | Opened> => {
    const c = await loadCaseToRecord(repos, actor, key, 'discussion.open', 'a discussion');
    if (!question?.trim()) return { type: 'form', form: openForm(c) };
    const parsed = openDeclaration.schema.safeParse({ question: question.trim() });
    if (!parsed.success) {
      // A typed question with personal data is refused outright, and none of it is stored.
      throw new DomainError('invalid_input', parsed.error.issues[0]?.message ?? 'The question could not be used.');
    }
    return createDiscussion(repos, req, actor, effects, c, parsed.data.question);
  });
  return 'root' in result ? openedReply(result) : result;
}

async function submitOpen(req: CoreRequest, raw: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const result = await asActor(req, async (repos, actor, effects): Promise<Reply | Opened> => {
    const c = await loadCaseToRecord(repos, actor, requireCaseKey(context.caseKey, USAGE), 'discussion.open', 'a discussion');
    const form = openForm(c);
    const parsed = readForm(form, raw, openDeclaration);
    if (!parsed.ok) return parsed.reply;
    return createDiscussion(repos, req, actor, effects, c, parsed.data.question);
  });
  return 'root' in result ? openedReply(result) : result;
}

async function openClose(req: CoreRequest, discussionId: string | undefined): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const { discussion, caseRecord } = await loadDiscussion(repos, actor, discussionId);
    authorize(actor, 'discussion.close', caseRecord);
    requireOpenDiscussion(discussion);
    return { type: 'form', form: closeForm(discussion.id, caseRecord.key) };
  });
}

async function submitClose(req: CoreRequest, raw: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  return asActor(req, async (repos, actor, effects) => {
    const { discussion, caseRecord } = await loadDiscussion(repos, actor, context.discussionId);
    authorize(actor, 'discussion.close', caseRecord);
    requireOpenDiscussion(discussion);
    const form = closeForm(discussion.id, caseRecord.key);
    const parsed = readForm(form, raw, closeDeclaration);
    if (!parsed.ok) return parsed.reply;
    const at = req.services.clock.now();
    await moveDiscussion(repos, effects, discussion, 'closed', { closedBy: actor.member.id, closedAt: at, summary: parsed.data.summary });
    effects.add({ kind: 'discussion-thread', discussionId: discussion.id, view: closingCardView(caseRecord, actor.member.displayName, parsed.data.summary, at, actor.team.timeZone) });
    await audit(repos, actor, {
      action: 'discussion.closed',
      entityType: 'discussion',
      entityId: discussion.id,
      caseId: caseRecord.id,
      before: { status: discussion.status },
      after: { status: 'closed', summary: parsed.data.summary },
    });
    return {
      type: 'message',
      view: {
        kind: 'discussion-closed-confirmation',
        title: `Discussion on ${caseRecord.key} closed`,
        notice: { tone: 'info', text: 'The closing card goes into the thread, and the record keeps the whole discussion.' },
        facts: [
          { label: 'Outcome', value: parsed.data.summary },
          { label: 'Asked by', value: await memberName(repos, discussion.openedBy) },
        ],
      },
    };
  });
}

/** The discussions feature: open and close. */
export const discussionFeature: Feature = {
  commands: [
    {
      name: 'discuss', menu: 6,
      audience: ['officer', 'supervisor'],
      usage: USAGE,
      summary: "Open a case discussion in the team's channel; every reply in its thread is kept.",
      opensForm: (cmd) => (cmd.args.length <= 1 ? OPEN_FORM_TITLE : null),
      run: (req, cmd) => startDiscussion(req, requireCaseKey(cmd.args[0], USAGE), cmd.rest.slice((cmd.args[0] ?? '').length).trim() || undefined),
    },
  ],
  actions: [
    {
      id: 'discussion.open',
      opensForm: (value) => (value.question?.trim() ? null : OPEN_FORM_TITLE),
      run: (req, value) => startDiscussion(req, requireCaseKey(value.caseKey, USAGE), value.question),
    },
    { id: CLOSE_ACTION, opensForm: () => CLOSE_FORM_TITLE, run: (req, value) => openClose(req, value.discussionId) },
  ],
  forms: [
    { id: OPEN_FORM, submit: submitOpen },
    { id: CLOSE_FORM, submit: submitClose },
  ],
};
