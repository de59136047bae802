/**
 * Recording a MAPPA review in chat: `mappa CW-7K3P`, the Done button of a MAPPA review reminder,
 * and the form's submission (date, level, outcome, next review). One transaction stores the
 * review, sets the case's MAPPA level and last review, closes the open MAPPA review deadline,
 * recalculates the due dates and writes the audit (never the outcome's text).
 */

import { addCalendarDays, isIsoDate, type IsoDate } from '../calendar/working-calendar.ts';
import { auditableCase, changedCaseReply, loadCaseToRecord } from '../cases/case-commands.ts';
import { caseDeadlineSubject, refreshCaseDeadlines } from '../cases/case-deadlines-sync.ts';
import { requireCaseKey } from '../cases/case-key.ts';
import type { Feature } from '../commands/registry.ts';
import { mappaReviewDue } from '../deadlines/case-deadlines.ts';
import type { Case, Team } from '../domain/entities.ts';
import { mappaLevelLabels, mappaLevels, type MappaLevel } from '../domain/vocabulary.ts';
import { choices, date, defineForm, select, textarea } from '../forms/form-declaration.ts';
import { readForm } from '../forms/form-runtime.ts';
import type { Reply } from '../interaction.ts';
import { asActor, audit, calendarFor, teamToday, type CoreRequest } from '../services.ts';
import { formatDate } from '../views/format.ts';
import type { FieldValue, FormView } from '../views/form-view.ts';

/** The form id, title and the action that opens it. */
export const MAPPA_FORM = 'mappa.review';
export const MAPPA_FORM_TITLE = 'Record MAPPA review';
export const MAPPA_OPEN_ACTION = 'mappa.open';
/** The longest outcome the form takes. */
export const MAPPA_OUTCOME_MAX = 1000;
/** How far back a review may be recorded, in calendar days. */
export const MAPPA_MAX_DAYS_BACK = 90;

const USAGE = 'mappa CW-7K3P';

/** The MAPPA review form, declared once: its fields, the schema that reads them (bound to today), and so its values. */
export function declareMappaForm(today: IsoDate) {
  const earliest = addCalendarDays(today, -MAPPA_MAX_DAYS_BACK);
  return defineForm(
    [
      date('reviewedOn', 'Date of the review', {
        required: 'Enter the date of the review.',
        check: (d) =>
          d
            .refine((v) => v <= today, { message: 'The review cannot be in the future.' })
            .refine((v) => v >= earliest, { message: `Record reviews from the last ${MAPPA_MAX_DAYS_BACK} days only.` }),
      }),
      select('level', 'MAPPA level after the review', choices(mappaLevels.map(String), (l) => mappaLevelLabels[Number(l) as MappaLevel]), {
        required: 'Choose the MAPPA level from the list.',
      }),
      textarea('outcome', 'Outcome', {
        required: 'Say what the review decided.',
        minLength: 3,
        maxLength: MAPPA_OUTCOME_MAX,
        tooLong: `Keep the outcome to ${MAPPA_OUTCOME_MAX} characters or fewer.`,
        hint: 'What the meeting decided. The full minutes stay in your force system.',
      }),
      date('nextReviewOn', 'Next review', {
        invalid: 'Enter the next review as a date.',
        hint: 'Proposed from the policy for the level; reminders follow the policy from this review.',
      }),
    ],
    {
      check: (v, ctx) => {
        if (v.nextReviewOn !== null && isIsoDate(v.reviewedOn) && v.nextReviewOn <= v.reviewedOn) {
          ctx.addIssue({ code: 'custom', path: ['nextReviewOn'], message: 'The next review must be after this one.' });
        }
      },
      values: (v) => ({ ...v, level: Number(v.level) }),
    },
  );
}

/** The next review Casework proposes: the policy's interval for the level, on a working day. */
export function nextMappaReviewProposal(team: Team, c: Case, reviewedOn: IsoDate, level: number): IsoDate | null {
  return mappaReviewDue({ mappaLevel: level, lastMappaReviewOn: reviewedOn, createdOn: c.createdOn }, team.policy, calendarFor(team));
}

function mappaForm(team: Team, c: Case, today: IsoDate, values?: Record<string, FieldValue>): FormView {
  const level = c.mappaLevel ?? 2;
  const next = nextMappaReviewProposal(team, c, today, level);
  return {
    id: MAPPA_FORM,
    title: MAPPA_FORM_TITLE,
    submitLabel: 'Record review',
    intro: `Case ${c.key}. ${c.mappaReviewDueOn ? `The MAPPA review is due ${formatDate(c.mappaReviewDueOn)}; recording it closes that deadline.` : 'No MAPPA review is due at the moment.'}`,
    fields: declareMappaForm(today).fields,
    values: values ?? { reviewedOn: today, level: String(level), ...(next ? { nextReviewOn: next } : {}) },
    errors: {},
    context: { caseKey: c.key },
  };
}

async function openMappaForm(req: CoreRequest, key: string): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    // Whoever may record the case's assessments records its MAPPA reviews: its officers and supervisors.
    const c = await loadCaseToRecord(repos, actor, key, 'assessment.record', 'a MAPPA review');
    return { type: 'form', form: mappaForm(actor.team, c, teamToday(req.services, actor.team)) };
  });
}

async function submitMappa(req: CoreRequest, raw: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const existing = await loadCaseToRecord(repos, actor, requireCaseKey(context.caseKey, USAGE), 'assessment.record', 'a MAPPA review');
    const today = teamToday(req.services, actor.team);
    const form = mappaForm(actor.team, existing, today, {});
    const parsed = readForm(form, raw, declareMappaForm(today));
    if (!parsed.ok) return parsed.reply;
    const v = parsed.data;
    const review = await repos.mappaReviews.add({
      caseId: existing.id,
      reviewedOn: v.reviewedOn,
      level: v.level,
      outcome: v.outcome,
      nextReviewOn: v.nextReviewOn ?? nextMappaReviewProposal(actor.team, existing, v.reviewedOn, v.level),
      recordedBy: actor.member.id,
    });
    const later = existing.lastMappaReviewOn === null || v.reviewedOn >= existing.lastMappaReviewOn;
    const updated = later ? await repos.cases.update(existing.id, { mappaLevel: v.level as Case['mappaLevel'], lastMappaReviewOn: v.reviewedOn }) : existing;
    // Met before the refresh, so the refresh opens the next review instead of moving this one.
    await repos.deadlines.markMet(caseDeadlineSubject(existing.id, 'mappa_review'), req.services.clock.now(), v.reviewedOn);
    const after = await refreshCaseDeadlines(repos, actor.team, updated);
    await audit(repos, actor, {
      action: 'mappa.review_recorded',
      entityType: 'mappa_review',
      entityId: review.id,
      caseId: existing.id,
      after: { reviewedOn: v.reviewedOn, level: v.level, nextReviewOn: review.nextReviewOn },
    });
    if (existing.mappaLevel !== after.mappaLevel || existing.lastMappaReviewOn !== after.lastMappaReviewOn) {
      await audit(repos, actor, { action: 'case.updated', entityType: 'case', entityId: existing.id, caseId: existing.id, before: auditableCase(existing), after: auditableCase(after) });
    }
    const next = after.mappaReviewDueOn ? ` Next MAPPA review due ${formatDate(after.mappaReviewDueOn)}.` : ' No further MAPPA review is due at this level.';
    return changedCaseReply(repos, req, actor, after, { tone: 'info', text: `MAPPA review of ${formatDate(v.reviewedOn)} recorded.${next}` });
  });
}

/** The MAPPA review feature. */
export const mappaFeature: Feature = {
  commands: [
    {
      name: 'mappa',
      audience: ['officer', 'supervisor'],
      usage: USAGE,
      summary: 'Record a MAPPA review: its date, the level, the outcome and the next review. The MAPPA review deadline closes.',
      opensForm: () => MAPPA_FORM_TITLE,
      run: (req, cmd) => openMappaForm(req, requireCaseKey(cmd.args[0], USAGE)),
    },
  ],
  actions: [{ id: MAPPA_OPEN_ACTION, opensForm: () => MAPPA_FORM_TITLE, run: (req, value) => openMappaForm(req, requireCaseKey(value.caseKey, USAGE)) }],
  forms: [{ id: MAPPA_FORM, submit: submitMappa }],
};
