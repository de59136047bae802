/**
 * Supervision notes on a discussion (supervisors only): the root card's "Add supervision note"
 * button opens the form, prefilled from the supervisor's draft if there is one. The form has two
 * buttons: "Save draft" keeps it (and moves the discussion to awaiting decision); "Sign and lock"
 * checks what signing needs, keeps the answers as a draft, and asks the supervisor to confirm what
 * will be locked. Confirming signs: the note is locked, hashed, posted into the thread, its actions
 * become deadlines and the discussion is decided. Once a note is signed, the same button adds an
 * addendum linked to it; a signed note is never changed.
 */
import { authorize, type Actor } from '../access/permissions.ts';
import type { Feature } from '../commands/registry.ts';
import type { Case } from '../domain/entities.ts';
import { DomainError } from '../errors.ts';
import { fieldErrors, readForm, withErrors } from '../forms/form-runtime.ts';
import type { Reply } from '../interaction.ts';
import type { Repositories } from '../ports.ts';
import { asActor, audit, teamToday, type CoreRequest } from '../services.ts';
import type { FieldValue, FormView } from '../views/form-view.ts';
import { formatDate } from '../views/format.ts';
import type { MessageView } from '../views/message-view.ts';
import type { Discussion, SupervisionAction, SupervisionNote } from '../discussions/discussion-ports.ts';
import { loadDiscussion, moveDiscussion } from '../discussions/discussion-service.ts';
import type { Effects } from '../effects/effect.ts';
import { NOTE_ACTION } from '../discussions/discussion-views.ts';
import { declareNoteForm, noteValues, type NoteFormContext, type NoteFormValues, type NoteIntent } from './note-form.ts';
import { noteContentHash, signedNoteView, type NameOf } from './note-record.ts';

/** The form id and title of the supervision note form. */
export const NOTE_FORM = 'supervision.note';
export const NOTE_FORM_TITLE = 'Supervision note';
/** The form's second button, and the confirmation's button that signs a checked draft. */
export const NOTE_SAVE_DRAFT_ACTION = 'supervision.note_save_draft';
export const NOTE_SIGN_ACTION = 'supervision.note_sign';

/** What the form is writing: a new note, the supervisor's own draft, or an addendum to a signed note. */
interface Target {
  draft?: SupervisionNote;
  addendumTo?: SupervisionNote;
}

async function nameLookup(repos: Repositories, teamId: string): Promise<NameOf> {
  const members = await repos.members.listByTeam(teamId, { includeInactive: true });
  const names = new Map(members.map((m) => [m.id, m.displayName]));
  return (id) => (id ? (names.get(id) ?? 'Former member') : 'Unknown');
}

/** The note the form works on, from the discussion's notes and who is writing. */
function targetFor(notes: readonly SupervisionNote[], actor: Actor): Target {
  const draft = notes.find((n) => n.status === 'draft' && n.authorId === actor.member.id);
  const signedMain = notes.filter((n) => n.status === 'signed' && !n.addendumToNoteId).at(-1);
  const addendumTo = draft?.addendumToNoteId ? notes.find((n) => n.id === draft.addendumToNoteId) : signedMain;
  return { ...(draft ? { draft } : {}), ...(addendumTo ? { addendumTo } : {}) };
}

function noteForm(declared: NoteFormContext, d: Discussion, c: Case, target: Target, values: Record<string, FieldValue>): FormView {
  const intro = target.addendumTo
    ? `Case ${c.key}. The signed note is locked: this is an addendum linked to it.`
    : `Case ${c.key}. Save a draft to come back to, or sign: you confirm before the note is locked and posted in the thread.`;
  const context = { discussionId: d.id, ...(target.draft ? { noteId: target.draft.id } : {}), ...(target.addendumTo ? { addendumTo: target.addendumTo.id } : {}) };
  return {
    id: NOTE_FORM,
    title: target.addendumTo ? 'Addendum' : NOTE_FORM_TITLE,
    submitLabel: 'Sign and lock',
    intro,
    fields: declareNoteForm(declared).fields,
    values,
    errors: {},
    context,
    secondaryActions: [{ id: NOTE_SAVE_DRAFT_ACTION, label: 'Save draft', value: context }],
  };
}

async function openNote(req: CoreRequest, discussionId: string | undefined): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const { discussion, caseRecord } = await loadDiscussion(repos, actor, discussionId);
    authorize(actor, 'supervision.write', caseRecord);
    const target = targetFor(await repos.supervision.notesForDiscussion(discussion.id), actor);
    const members = await repos.members.listByTeam(actor.team.id);
    const values = target.draft
      ? noteValues(target.draft, await repos.supervision.actionsForNotes([target.draft.id]))
      : { question: discussion.question };
    // The form's own button signs; Save draft is its second button.
    const declared = { members, today: teamToday(req.services, actor.team), intent: 'sign' as const };
    return { type: 'form', form: noteForm(declared, discussion, caseRecord, target, values) };
  });
}

/** The draft the submission writes to, checked: on this discussion, unsigned, the actor's own. */
function namedDraft(notes: readonly SupervisionNote[], noteId: string | undefined, actor: Actor): SupervisionNote | undefined {
  const named = noteId ? notes.find((n) => n.id === noteId) : undefined;
  if (noteId && !named) throw new DomainError('not_found', 'That note could not be found on this discussion.');
  if (named?.status === 'signed') {
    throw new DomainError('locked', 'This supervision note is signed and locked, so it cannot be changed. Use "Add supervision note" on the discussion to add an addendum.', { noteId: named.id });
  }
  if (named && named.authorId !== actor.member.id) throw new DomainError('not_authorised', 'Only the supervisor who wrote a draft can change it.');
  return named;
}

/**
 * A submission of the note form: "Save draft" keeps it; "Sign and lock" checks what signing
 * needs, keeps the answers as a draft (nothing typed is lost) and asks for confirmation.
 */
async function submitNote(req: CoreRequest, raw: Record<string, unknown>, context: Record<string, string>, intent: NoteIntent): Promise<Reply> {
  return asActor(req, async (repos, actor, effects) => {
    const { discussion, caseRecord } = await loadDiscussion(repos, actor, context.discussionId);
    authorize(actor, 'supervision.write', caseRecord);
    const notes = await repos.supervision.notesForDiscussion(discussion.id);
    const named = namedDraft(notes, context.noteId, actor);
    const target = named ? { draft: named, ...targetFor(notes, actor) } : targetFor(notes, actor);
    const members = await repos.members.listByTeam(actor.team.id);
    const declared = { members, today: teamToday(req.services, actor.team), intent };
    const form = noteForm(declared, discussion, caseRecord, target, {});
    const parsed = readForm(form, raw, declareNoteForm(declared));
    if (!parsed.ok) return parsed.reply;
    const v = parsed.data;
    const note = target.draft
      ? await repos.supervision.updateDraft(target.draft.id, v)
      : await repos.supervision.createNote({ ...v, caseId: caseRecord.id, discussionId: discussion.id, addendumToNoteId: target.addendumTo?.id ?? null, authorId: actor.member.id });
    const actions = await repos.supervision.setActions({ noteId: note.id }, v.actions);
    if (intent === 'draft') return saveDraft(repos, effects, actor, discussion, caseRecord, note);
    await audit(repos, actor, { action: 'supervision.note_drafted', entityType: 'supervision_note', entityId: note.id, caseId: caseRecord.id });
    const nameOf = await nameLookup(repos, actor.team.id);
    return { type: 'message', view: confirmSignView(discussion, caseRecord, note, actions, nameOf) };
  });
}

/** What signing will lock, for the supervisor to confirm; the answers are already kept as a draft. */
export function confirmSignView(d: Discussion, c: Case, note: SupervisionNote, actions: readonly SupervisionAction[], nameOf: NameOf): MessageView {
  const excerpt = (text: string): string => (text.length > 300 ? `${text.slice(0, 299)}…` : text);
  return {
    kind: 'supervision-sign-confirm',
    title: `Sign and lock this ${note.addendumToNoteId ? 'addendum' : 'note'}? ${c.key}`,
    paragraphs: ['Once signed it cannot be changed: later changes are addenda. It is posted in the discussion thread and its actions become deadlines with reminders.'],
    facts: [
      { label: 'Decision', value: excerpt(note.decision) },
      { label: 'Rationale', value: excerpt(note.rationale) },
      {
        label: 'Actions',
        value: actions.length === 0 ? 'None' : actions.map((a) => `${nameOf(a.ownerMemberId)}, by ${formatDate(a.dueOn)}: ${a.description.length > 120 ? `${a.description.slice(0, 119)}…` : a.description}`).join('\n'),
      },
      { label: 'Next review', value: note.nextReviewOn ? formatDate(note.nextReviewOn) : 'Not set' },
    ],
    notice: { tone: 'info', text: 'Your answers are kept as a draft until you sign.' },
    actions: [
      { id: NOTE_SIGN_ACTION, label: 'Sign and lock', value: { discussionId: d.id, noteId: note.id }, style: 'primary' },
      { id: NOTE_ACTION, label: 'Keep editing', value: { discussionId: d.id } },
    ],
  };
}

/** The confirmation's "Sign and lock": signs the actor's checked draft. */
async function signDraft(req: CoreRequest, value: Record<string, string>): Promise<Reply> {
  return asActor(req, async (repos, actor, effects) => {
    const { discussion, caseRecord } = await loadDiscussion(repos, actor, value.discussionId);
    authorize(actor, 'supervision.write', caseRecord);
    const notes = await repos.supervision.notesForDiscussion(discussion.id);
    const note = namedDraft(notes, value.noteId, actor);
    if (!note) throw new DomainError('not_found', 'That note could not be found on this discussion.');
    const actions = await repos.supervision.actionsForNotes([note.id]);
    // Checked again: the draft may have been changed since the confirmation was shown.
    const members = await repos.members.listByTeam(actor.team.id);
    const declared = { members, today: teamToday(req.services, actor.team), intent: 'sign' as const };
    const again = declareNoteForm(declared).schema.safeParse(noteValues(note, actions));
    if (!again.success) {
      const target = { draft: note, ...targetFor(notes, actor) };
      const form = noteForm(declared, discussion, caseRecord, target, noteValues(note, actions));
      return { type: 'form-invalid', form: withErrors(form, form.values, fieldErrors(again.error, form.fields)) };
    }
    const signed = await sign(repos, req, effects, actor, discussion, caseRecord, note, actions, again.data);
    // The signed note takes the confirmation's place (the card or modal it was pressed on).
    return signed.type === 'message' ? { type: 'update', view: signed.view } : signed;
  });
}

async function saveDraft(repos: Repositories, effects: Effects, actor: Actor, d: Discussion, c: Case, note: SupervisionNote): Promise<Reply> {
  if (d.status === 'open') await moveDiscussion(repos, effects, d, 'awaiting_decision');
  await audit(repos, actor, { action: 'supervision.note_drafted', entityType: 'supervision_note', entityId: note.id, caseId: c.id });
  return {
    type: 'message',
    view: {
      kind: 'supervision-draft',
      title: `Draft note saved: ${c.key}`,
      notice: { tone: 'info', text: 'Only you can see this draft. Open it again from the discussion to finish and sign it.' },
      actions: [{ id: NOTE_ACTION, label: 'Continue the note', value: { discussionId: d.id }, style: 'primary' }],
    },
  };
}

async function sign(
  repos: Repositories,
  req: CoreRequest,
  effects: Effects,
  actor: Actor,
  d: Discussion,
  c: Case,
  note: SupervisionNote,
  actions: SupervisionAction[],
  v: NoteFormValues,
): Promise<Reply> {
  const at = req.services.clock.now();
  const signed = await repos.supervision.sign(note.id, at, noteContentHash(note, actions, at));
  for (const action of actions) {
    await repos.deadlines.syncOpen({ teamId: actor.team.id, kind: 'supervision_action', subjectKey: `action:${action.id}`, caseId: c.id, ownerMemberId: action.ownerMemberId, dueOn: action.dueOn });
  }
  if (d.status !== 'closed') await moveDiscussion(repos, effects, d, 'decided');
  const nameOf = await nameLookup(repos, actor.team.id);
  const view = signedNoteView(signed, actions, c.key, nameOf, actor.team.timeZone);
  // The signed note, read-only, goes into the thread after commit: a platform failure can never
  // undo the signature, and the outbox posts it once the platform is back.
  effects.add({ kind: 'discussion-thread', discussionId: d.id, view });
  await audit(repos, actor, {
    action: signed.addendumToNoteId ? 'supervision.addendum_signed' : 'supervision.note_signed',
    entityType: 'supervision_note',
    entityId: signed.id,
    caseId: c.id,
    after: { sha256: signed.contentSha256, actions: actions.length, addendumTo: signed.addendumToNoteId, nextReviewOn: v.nextReviewOn },
  });
  return {
    type: 'message',
    view: {
      ...view,
      shared: false,
      notice: { tone: 'info', text: 'Signed and locked. It goes into the discussion thread now; its actions are deadlines with reminders.' },
      footer: 'Its content hash is in the exported case record, to check the note against.',
    },
  };
}

/** The supervision note feature. */
export const supervisionNoteFeature: Feature = {
  actions: [
    { id: NOTE_ACTION, opensForm: () => NOTE_FORM_TITLE, run: (req, value) => openNote(req, value.discussionId) },
    // "Save draft" carries the form's answers alongside its own value (the discussion and draft).
    { id: NOTE_SAVE_DRAFT_ACTION, run: (req, value) => submitNote(req, value, value, 'draft') },
    { id: NOTE_SIGN_ACTION, run: (req, value) => signDraft(req, value) },
  ],
  forms: [{ id: NOTE_FORM, submit: (req, raw, context) => submitNote(req, raw, context, 'sign') }],
};
