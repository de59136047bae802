/**
 * The assessment form: date, risk level and management mode, plus one rating per ARMS factor
 * only when the team's policy stores them. Declared once, for its fields, schema and values.
 * Ratings are never prefilled from the record, so they never travel out to a chat platform.
 */
import type { IsoDate } from '../calendar/working-calendar.ts';
import type { Case, Team } from '../domain/entities.ts';
import {
  armsPresenceRatingLabels,
  armsPresenceRatings,
  armsProtectiveFactorLabels,
  armsProtectiveFactors,
  armsRiskFactorLabels,
  armsRiskFactors,
  managementModeLabels,
  managementModes,
  riskLevelLabels,
  riskLevels,
  type ArmsProtectiveFactor,
  type ArmsRiskFactor,
} from '../domain/vocabulary.ts';
import { choices, date, defineForm, select, type Choice, type FormValues } from '../forms/form-declaration.ts';
import { formatDate } from '../views/format.ts';
import type { FieldValue, FormView } from '../views/form-view.ts';

/** The form id of the assessment form. */
export const ASSESSMENT_FORM = 'assessment.record';

/** The title of the assessment form (also what Slack shows while it loads). */
export const ASSESSMENT_FORM_TITLE = 'Record assessment';

/** The answer for a factor left unrated. */
export const NOT_ASSESSED = 'not_assessed';

/** What an officer may answer for one ARMS factor. */
export const armsAnswers = [...armsPresenceRatings, NOT_ASSESSED] as const;
/** One of {@link armsAnswers}. */
export type ArmsAnswer = (typeof armsAnswers)[number];

const answerOptions = armsAnswers.map((a): Choice<ArmsAnswer> => ({ value: a, label: a === NOT_ASSESSED ? 'Not assessed' : armsPresenceRatingLabels[a] }));

/** One rating field: its form field id, and the factor key the rating is stored under. */
interface FactorField {
  id: `arms_risk_${ArmsRiskFactor}` | `arms_protective_${ArmsProtectiveFactor}`;
  factor: string;
  label: string;
}

/** The rating fields, risk factors first; empty unless the team's policy stores ratings. */
export function factorFields(team: Team): FactorField[] {
  if (!team.policy.storeArmsRatings) return [];
  return [
    ...armsRiskFactors.map((f): FactorField => ({ id: `arms_risk_${f}`, factor: f, label: `Risk factor: ${armsRiskFactorLabels[f]}` })),
    ...armsProtectiveFactors.map((f): FactorField => ({ id: `arms_protective_${f}`, factor: f, label: `Protective factor: ${armsProtectiveFactorLabels[f]}` })),
  ];
}

/** What the assessment form is declared for: the team (whether it stores ratings), today and the case's history. */
export interface AssessmentFormContext {
  team: Team;
  today: IsoDate;
  /** The case's previous assessment, if any. */
  previousOn: IsoDate | null;
  /** The latest significant change still open: the assessment must answer it. */
  latestOpenChangeOn: IsoDate | null;
}

/** The assessment form, declared once: its fields, the schema that reads them, and so its values. */
export function declareAssessmentForm({ team, today, previousOn, latestOpenChangeOn }: AssessmentFormContext) {
  const ratings = factorFields(team);
  return defineForm(
    [
      date('assessedOn', 'Date of assessment', {
        required: 'Enter the date of the assessment.',
        check: (d) =>
          d
            .refine((v) => v <= today, { message: 'The assessment date cannot be in the future.' })
            .refine((v) => previousOn === null || v >= previousOn, {
              message: `The previous assessment was on ${formatDate(previousOn)}. Enter a date on or after it.`,
            })
            .refine((v) => latestOpenChangeOn === null || v >= latestOpenChangeOn, {
              message: `A significant change was reported on ${formatDate(latestOpenChangeOn)}. The assessment that reviews it must be on or after that date.`,
            }),
      }),
      select('riskLevel', 'Risk level', choices(riskLevels, riskLevelLabels), { required: 'Choose a risk level from the list.' }),
      select('managementMode', 'Management', choices(managementModes, managementModeLabels), {
        required: 'Choose active or reactive management.',
        hint: 'Reactive: low risk for three years or more; no routine visits.',
      }),
      // Only the policy's rating fields are read; anything else in the submission is ignored.
      ...ratings.map((f, i) =>
        select(f.id, f.label, answerOptions, {
          invalid: 'Choose low, medium, high or not assessed.',
          keepChecking: true,
          ...(i === 0 ? { hint: 'Ratings are kept on the server for the record and never shown in chat.' } : {}),
        }),
      ),
    ],
    {
      check: (v, ctx) => {
        if (v.managementMode === 'reactive' && v.riskLevel !== 'low') {
          ctx.addIssue({ code: 'custom', path: ['managementMode'], message: 'Reactive management is only for low-risk cases.' });
        }
      },
      values: (v) => {
        // `ratings` is null when nothing was rated or the policy keeps no ratings.
        const rated: Record<string, ArmsAnswer> = {};
        for (const f of ratings) rated[f.factor] = v[f.id] ?? NOT_ASSESSED;
        const anyRated = Object.values(rated).some((r) => r !== NOT_ASSESSED);
        return { assessedOn: v.assessedOn, riskLevel: v.riskLevel, managementMode: v.managementMode, ratings: anyRated ? rated : null };
      },
    },
  );
}

/** The validated assessment form. */
export type AssessmentFormValues = FormValues<ReturnType<typeof declareAssessmentForm>>;

/** The assessment form ready to show, prefilled with today and the case's current level and mode. */
export function assessmentForm(form: AssessmentFormContext, c: Case, values?: Record<string, FieldValue>): FormView {
  const prefill: Record<string, FieldValue> = { assessedOn: form.today, riskLevel: c.riskLevel, managementMode: c.managementMode };
  for (const f of factorFields(form.team)) prefill[f.id] = NOT_ASSESSED;
  return {
    id: ASSESSMENT_FORM,
    title: ASSESSMENT_FORM_TITLE,
    submitLabel: 'Record assessment',
    intro: `Case ${c.key}. Recording an assessment recalculates the due dates and closes any early review for a significant change.`,
    fields: declareAssessmentForm(form).fields,
    values: values ?? prefill,
    errors: {},
    context: { caseKey: c.key },
  };
}
