/**
 * Drafts of the visit form: an unfinished form is kept server-side (Slack: when the modal is
 * closed; Teams: the "Save draft" button) and offered again, filled in, the next time the officer
 * opens the form for that case. Drafts are in the database, so they survive a restart.
 */
import type { Actor } from '../access/permissions.ts';
import type { Case } from '../domain/entities.ts';
import { normaliseSubmission } from '../forms/form-runtime.ts';
import type { Reply } from '../interaction.ts';
import type { Repositories } from '../ports.ts';
import type { FieldValue, FieldView } from '../views/form-view.ts';
import type { MessageView } from '../views/message-view.ts';
import { draftSavedView } from './visit-views.ts';

// Fields the form fills in by itself: a draft holding only these has nothing of the officer's in it.
const PREFILLED = new Set(['visitedOn', 'visitedTime', 'officers', 'nextVisitOn']);
// A generous cap per stored value, whatever a client lets through (the form's own limit is lower).
const DRAFT_VALUE_MAX = 3000;

function clip(value: FieldValue): FieldValue {
  return Array.isArray(value) ? value.slice(0, 100).map((v) => v.slice(0, 200)) : value.slice(0, DRAFT_VALUE_MAX);
}

/** True when the officer has answered anything the form does not prefill. */
export function hasOwnAnswers(values: Record<string, FieldValue>): boolean {
  return Object.entries(values).some(([id, v]) => !PREFILLED.has(id) && (Array.isArray(v) ? v.length > 0 : v !== ''));
}

function nothingToSave(caseKey: string): MessageView {
  return {
    kind: 'visit-draft-saved',
    title: `Nothing to save: ${caseKey}`,
    paragraphs: [`The form had no answers of yours yet, so no draft was kept. Open it again with visit ${caseKey}.`],
    actions: [{ id: 'visit.open', label: 'Open the visit form', value: { caseKey } }],
  };
}

/**
 * Keeps the answers of an unfinished form for the actor and case (replacing any earlier draft).
 * `amendsVisitId` is kept only when it names a visit on this case. The audit row lists which
 * fields were answered, never their content: a draft is not yet the record.
 */
export async function saveVisitDraft(
  repos: Repositories,
  actor: Actor,
  c: Case,
  fields: readonly FieldView[],
  raw: Record<string, unknown>,
  amendsVisitId: string | undefined,
): Promise<Reply> {
  const values = normaliseSubmission(fields, raw);
  if (!hasOwnAnswers(values)) return { type: 'update', view: nothingToSave(c.key) };
  const amends = amendsVisitId ? await repos.visits.findById(amendsVisitId) : undefined;
  const answers = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, clip(v)]));
  const draft = await repos.visits.saveDraft({ caseId: c.id, memberId: actor.member.id, amendsVisitId: amends?.caseId === c.id ? amends.id : null, answers });
  await repos.audit.record(
    { teamId: actor.team.id, memberId: actor.member.id, label: actor.label },
    {
      action: 'visit.draft_saved',
      entityType: 'visit_draft',
      entityId: draft.id,
      caseId: c.id,
      after: { amendsVisitId: draft.amendsVisitId, fieldsAnswered: Object.keys(answers).filter((k) => answers[k]!.length > 0) },
    },
  );
  return { type: 'update', view: draftSavedView(c.key) };
}
