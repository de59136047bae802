/**
 * The visit feature in chat: `visit CW-7K3P`, the case card's "Record visit" button (and a
 * reminder's), the form's submission, drafts, and "Amend" on the confirmation. The transaction
 * records the visit and its effects; an urgent change is told to the supervisor after commit, so
 * a failed delivery never undoes the visit.
 */
import { DateTime } from 'luxon';
import { authorize, type Actor } from '../access/permissions.ts';
import { loadCaseToRecord, requireActiveCase } from '../cases/case-commands.ts';
import { requireCaseKey } from '../cases/case-key.ts';
import type { Feature } from '../commands/registry.ts';
import { nextVisitProposal } from '../deadlines/case-deadlines.ts';
import type { Case } from '../domain/entities.ts';
import { DomainError } from '../errors.ts';
import { normaliseSubmission, readForm, withErrors } from '../forms/form-runtime.ts';
import type { Reply } from '../interaction.ts';
import type { Repositories } from '../ports.ts';
import { asActor, calendarFor, teamToday, type CoreRequest } from '../services.ts';
import type { FieldValue } from '../views/form-view.ts';
import { saveVisitDraft } from './visit-drafts.ts';
import { amendableUntil, recordVisit, type RecordedVisit } from './visit-effects.ts';
import { attendingOfficers, declareVisitForm, VISIT_AMEND_TITLE, VISIT_FORM, VISIT_FORM_TITLE, type VisitFormValues } from './visit-form.ts';
import type { Visit } from './visit-ports.ts';
import { fieldValuesFromAnswers, VISIT_AMEND_ACTION, VISIT_SAVE_DRAFT_ACTION, visitConfirmationView, visitForm, type VisitConfirmation } from './visit-views.ts';

const USAGE = 'visit CW-7K3P';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function visitCase(repos: Repositories, actor: Actor, key: string): Promise<Case> {
  return loadCaseToRecord(repos, actor, key, 'visit.record', 'a visit');
}

/** A visit chain the actor may amend: its original and latest version, on a case of their team. */
async function visitChain(repos: Repositories, actor: Actor, visitId: string | undefined): Promise<{ c: Case; original: Visit; latest: Visit }> {
  const missing = new DomainError('not_found', 'That visit could not be found. Open the case card to see the visits recorded.', { visitId });
  const visit = visitId && UUID.test(visitId) ? await repos.visits.findById(visitId) : undefined;
  if (!visit) throw missing;
  const c = await repos.cases.findById(visit.caseId);
  if (!c || c.teamId !== actor.team.id) throw missing;
  authorize(actor, 'visit.record', c);
  const original = visit.originalVisitId ? await repos.visits.findById(visit.originalVisitId) : visit;
  const latest = original ? await repos.visits.latestVersion(original.id) : undefined;
  if (!original || !latest) throw missing;
  return { c, original, latest };
}

function requireAmendable(actor: Actor, original: Visit, today: string): void {
  const until = amendableUntil(original, actor.team.policy.visitAmendmentWindowDays);
  if (today > until) {
    throw new DomainError(
      'locked',
      `This visit can no longer be amended: your team allows amendments for ${actor.team.policy.visitAmendmentWindowDays} days after the visit. Record a new visit, or ask your supervisor.`,
      { visitId: original.id },
    );
  }
}

function prefill(req: CoreRequest, actor: Actor, c: Case, today: string): Record<string, FieldValue> {
  const me = actor.member.id;
  const usual = c.leadOfficerId === me ? c.coworkerIds[0] : c.leadOfficerId;
  const next = nextVisitProposal({ visitedOn: today, riskLevel: c.riskLevel, managementMode: c.managementMode, planVisitIntervalMonths: c.planVisitIntervalMonths }, actor.team.policy, calendarFor(actor.team));
  return {
    visitedOn: today,
    visitedTime: DateTime.fromJSDate(req.services.clock.now(), { zone: actor.team.timeZone }).toFormat('HH:mm'),
    officers: usual && usual !== me ? [me, usual] : [me],
    nextVisitOn: next ?? '',
  };
}

async function openVisitForm(req: CoreRequest, key: string): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const c = await visitCase(repos, actor, key);
    const members = await repos.members.listByTeam(actor.team.id);
    const draft = await repos.visits.findDraft(c.id, actor.member.id);
    const timeZone = actor.team.timeZone;
    const today = teamToday(req.services, actor.team);
    if (draft && !draft.amendsVisitId) return { type: 'form', form: visitForm(c, members, { values: draft.answers, draftSavedAt: draft.updatedAt, timeZone, today }) };
    const values = prefill(req, actor, c, today);
    const officers = new Set(attendingOfficers(members).map((m) => m.id));
    values.officers = (values.officers as string[]).filter((id) => officers.has(id));
    return { type: 'form', form: visitForm(c, members, { values, timeZone, today }) };
  });
}

async function openAmendForm(req: CoreRequest, visitId: string | undefined): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const { c, original, latest } = await visitChain(repos, actor, visitId);
    requireActiveCase(c, 'a visit');
    const today = teamToday(req.services, actor.team);
    requireAmendable(actor, original, today);
    const members = await repos.members.listByTeam(actor.team.id);
    const draft = await repos.visits.findDraft(c.id, actor.member.id);
    const timeZone = actor.team.timeZone;
    if (draft?.amendsVisitId === latest.id) return { type: 'form', form: visitForm(c, members, { values: draft.answers, amends: latest, draftSavedAt: draft.updatedAt, timeZone, today }) };
    return { type: 'form', form: visitForm(c, members, { values: fieldValuesFromAnswers(latest.answers as unknown as VisitFormValues), amends: latest, timeZone, today }) };
  });
}

type Submitted = { reply: Reply } | { recorded: RecordedVisit };

async function submitVisit(req: CoreRequest, raw: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const result = await asActor(req, async (repos, actor, effects): Promise<Submitted> => {
    const c = await visitCase(repos, actor, requireCaseKey(context.caseKey, USAGE));
    const members = await repos.members.listByTeam(actor.team.id);
    const today = teamToday(req.services, actor.team);
    const timeZone = actor.team.timeZone;
    let amends: { original: Visit; latest: Visit } | undefined;
    let problem: string | undefined;
    if (context.amendsVisitId !== undefined) {
      try {
        const chain = await visitChain(repos, actor, context.amendsVisitId);
        if (chain.c.id !== c.id) throw new DomainError('not_found', 'That visit is not on this case. Open Amend again from the visit confirmation.');
        requireAmendable(actor, chain.original, today);
        if (chain.latest.id !== context.amendsVisitId) {
          problem = `This visit was amended again since you opened the form (now version ${chain.latest.version}). Nothing was saved: open Amend again to start from the latest version.`;
        }
        amends = chain;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        problem = error.message;
      }
    }
    const form = visitForm(c, members, { values: {}, timeZone, today, ...(amends ? { amends: amends.latest } : {}) });
    if (problem) return { reply: { type: 'form-invalid', form: withErrors(form, normaliseSubmission(form.fields, raw), { _form: problem }) } };
    const parsed = readForm(form, raw, declareVisitForm({ members, today }));
    if (!parsed.ok) return { reply: parsed.reply };
    const recorded = await recordVisit(repos, req, effects, actor, c, parsed.data, amends);
    return { recorded };
  });
  if ('reply' in result) return result.reply;
  return { type: 'message', view: visitConfirmationView({ ...result.recorded.confirmation, supervisor: supervisorOutcome(result.recorded) }) };
}

/** What the officer is told about the supervisor's notice, now that delivery has been tried. */
function supervisorOutcome(recorded: RecordedVisit): VisitConfirmation['supervisor'] {
  const outcome = recorded.notice?.outcome;
  if (!recorded.notice || !outcome) return recorded.confirmation.supervisor;
  if (outcome.status === 'sent') return 'told';
  return outcome.status === 'queued' ? 'queued' : 'not_reached';
}

async function saveDraft(req: CoreRequest, raw: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const c = await visitCase(repos, actor, requireCaseKey(context.caseKey, USAGE));
    const members = await repos.members.listByTeam(actor.team.id);
    const form = visitForm(c, members, { values: {}, timeZone: actor.team.timeZone, today: teamToday(req.services, actor.team) });
    const amendsVisitId = context.amendsVisitId && UUID.test(context.amendsVisitId) ? context.amendsVisitId : undefined;
    return saveVisitDraft(repos, actor, c, form.fields, raw, amendsVisitId);
  });
}

/** The visit feature. */
export const visitFeature: Feature = {
  commands: [
    {
      name: 'visit', menu: 5,
      audience: ['officer', 'supervisor'],
      usage: USAGE,
      summary: 'Record a home visit in two minutes: outcome, changes seen, next visit. Due dates follow.',
      opensForm: () => VISIT_FORM_TITLE,
      run: (req, cmd) => openVisitForm(req, requireCaseKey(cmd.args[0], USAGE)),
    },
  ],
  actions: [
    { id: 'visit.open', opensForm: () => VISIT_FORM_TITLE, run: (req, value) => openVisitForm(req, requireCaseKey(value.caseKey, USAGE)) },
    { id: VISIT_AMEND_ACTION, opensForm: () => VISIT_AMEND_TITLE, run: (req, value) => openAmendForm(req, value.visitId) },
    // Teams' "Save draft" carries the form's inputs alongside its own value (the case key).
    { id: VISIT_SAVE_DRAFT_ACTION, run: (req, value) => saveDraft(req, value, { caseKey: value.caseKey ?? '', ...(value.amendsVisitId ? { amendsVisitId: value.amendsVisitId } : {}) }) },
  ],
  forms: [{ id: VISIT_FORM, submit: submitVisit, saveDraft }],
};
