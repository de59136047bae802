/**
 * Recording an ARMS assessment in chat: `assessment CW-7K3P`, the card's "Record assessment"
 * button, and the form's submission. One transaction stores the assessment, moves the case's
 * risk level, closes the reviews it answers, recalculates the due dates, and writes the audit.
 */
import type { Actor } from '../access/permissions.ts';
import type { Feature } from '../commands/registry.ts';
import type { Case } from '../domain/entities.ts';
import { armsFactorListVersion, managementModeLabels, riskLevelLabels } from '../domain/vocabulary.ts';
import { readForm } from '../forms/form-runtime.ts';
import type { Reply } from '../interaction.ts';
import type { Repositories } from '../ports.ts';
import { asActor, audit, teamToday, type CoreRequest } from '../services.ts';
import { formatDate } from '../views/format.ts';
import { ASSESSMENT_FORM, ASSESSMENT_FORM_TITLE, assessmentForm, declareAssessmentForm, type AssessmentFormContext, type AssessmentFormValues } from './assessment-form.ts';
import { auditableCase, changedCaseReply, loadCaseToRecord } from './case-commands.ts';
import { caseDeadlineSubject, refreshCaseDeadlines } from './case-deadlines-sync.ts';
import { requireCaseKey } from './case-key.ts';

const USAGE = 'assessment CW-7K3P';

async function openAssessmentForm(req: CoreRequest, key: string): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const c = await loadCaseToRecord(repos, actor, key, 'assessment.record', 'an assessment');
    return { type: 'form', form: assessmentForm(await formContext(repos, req, actor, c), c) };
  });
}

/** What the form is declared for: the team, today, and the dates the assessment must not precede. */
async function formContext(repos: Repositories, req: CoreRequest, actor: Actor, c: Case): Promise<AssessmentFormContext> {
  const openChanges = await repos.cases.openChangeEvents(c.id);
  return { team: actor.team, today: teamToday(req.services, actor.team), previousOn: c.lastAssessmentOn, latestOpenChangeOn: latest(openChanges.map((e) => e.reportedOn)) };
}

function latest(dates: readonly string[]): string | null {
  return dates.reduce<string | null>((max, d) => (max === null || d > max ? d : max), null);
}

/** Describes what the assessment changed, for the notice on the card. */
function summary(before: Case, after: Case, ratingsStored: boolean, changesReviewed: number): string {
  const parts = [`Assessment of ${formatDate(after.lastAssessmentOn)} recorded.`];
  parts.push(
    before.riskLevel === after.riskLevel
      ? `Risk level stays ${riskLevelLabels[after.riskLevel].toLowerCase()}.`
      : `Risk level now ${riskLevelLabels[after.riskLevel].toLowerCase()} (was ${riskLevelLabels[before.riskLevel].toLowerCase()}).`,
  );
  if (before.managementMode !== after.managementMode) parts.push(`Now under ${managementModeLabels[after.managementMode].toLowerCase()}.`);
  if (ratingsStored) parts.push('Factor ratings recorded.');
  if (changesReviewed > 0) parts.push(`Early review done for ${changesReviewed === 1 ? 'the reported change' : `${changesReviewed} reported changes`}.`);
  const moved: string[] = [];
  const due = (label: string, was: string | null, now: string | null) => {
    if (was === now) return;
    moved.push(now ? `${label} ${formatDate(now)}` : `${label} no longer scheduled`);
  };
  due('home visit', before.visitDueOn, after.visitDueOn);
  due('assessment review', before.assessmentReviewDueOn, after.assessmentReviewDueOn);
  due('MAPPA review', before.mappaReviewDueOn, after.mappaReviewDueOn);
  parts.push(moved.length ? `Now due: ${moved.join('; ')}.` : 'Due dates unchanged.');
  return parts.join(' ');
}

async function submitAssessment(req: CoreRequest, raw: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const existing = await loadCaseToRecord(repos, actor, requireCaseKey(context.caseKey, USAGE), 'assessment.record', 'an assessment');
    const declared = await formContext(repos, req, actor, existing);
    const form = assessmentForm(declared, existing);
    const parsed = readForm(form, raw, declareAssessmentForm(declared));
    if (!parsed.ok) return parsed.reply;
    const v = parsed.data;
    const saved = await recordAssessment(repos, req, actor, existing, v);
    return changedCaseReply(repos, req, actor, saved.after, { tone: 'info', text: summary(existing, saved.after, v.ratings !== null, saved.changesReviewed) });
  });
}

/** The effects of a valid assessment, in the caller's transaction. */
async function recordAssessment(
  repos: Repositories,
  req: CoreRequest,
  actor: Actor,
  existing: Case,
  v: AssessmentFormValues,
): Promise<{ after: Case; changesReviewed: number }> {
  const assessment = await repos.cases.addAssessment({
    caseId: existing.id,
    assessedOn: v.assessedOn,
    riskLevel: v.riskLevel,
    factorVersion: v.ratings ? armsFactorListVersion : null,
    factorRatings: v.ratings,
    recordedBy: actor.member.id,
    managementMode: v.managementMode,
  });
  const updated = await repos.cases.update(existing.id, { riskLevel: v.riskLevel, managementMode: v.managementMode, lastAssessmentOn: v.assessedOn });
  const changesReviewed = await repos.cases.resolveChangeEvents(existing.id, assessment.id);
  // Met before the refresh, so the refresh opens the next review instead of moving this one.
  const now = req.services.clock.now();
  await repos.deadlines.markMet(caseDeadlineSubject(existing.id, 'assessment_review'), now, v.assessedOn);
  await repos.deadlines.markMet(caseDeadlineSubject(existing.id, 'early_review'), now, v.assessedOn);
  const after = await refreshCaseDeadlines(repos, actor.team, updated);
  await audit(repos, actor, {
    action: 'assessment.recorded',
    entityType: 'assessment',
    entityId: assessment.id,
    caseId: existing.id,
    after: {
      assessedOn: v.assessedOn,
      riskLevel: v.riskLevel,
      managementMode: v.managementMode,
      ratingsStored: v.ratings !== null,
      factorVersion: assessment.factorVersion,
      changesReviewed,
    },
  });
  if (existing.riskLevel !== after.riskLevel || existing.managementMode !== after.managementMode) {
    await audit(repos, actor, {
      action: 'case.updated',
      entityType: 'case',
      entityId: existing.id,
      caseId: existing.id,
      before: auditableCase(existing),
      after: auditableCase(after),
    });
  }
  return { after, changesReviewed };
}

/** The assessment feature. */
export const assessmentFeature: Feature = {
  commands: [
    {
      name: 'assessment', menu: 8,
      audience: ['officer', 'supervisor'],
      usage: USAGE,
      summary: 'Record an ARMS assessment: its date, the risk level and the management. Due dates follow.',
      opensForm: () => ASSESSMENT_FORM_TITLE,
      run: (req, cmd) => openAssessmentForm(req, requireCaseKey(cmd.args[0], USAGE)),
    },
  ],
  actions: [
    {
      id: 'assessment.open',
      opensForm: () => ASSESSMENT_FORM_TITLE,
      run: (req, value) => openAssessmentForm(req, requireCaseKey(value.caseKey, USAGE)),
    },
  ],
  forms: [{ id: ASSESSMENT_FORM, submit: submitAssessment }],
};
