/**
 * The assessment form: date, risk level and management mode, plus one rating per ARMS factor
 * only when the team's policy stores them. One field list and one zod schema for both platforms.
 * Ratings are never prefilled from the record, so they never travel out to a chat platform.
 */
import { z } from 'zod';
import { isIsoDate, type IsoDate } from '../calendar/working-calendar.ts';
import type { Case, Team } from '../domain/entities.ts';
import {
  armsPresenceRatingLabels,
  armsPresenceRatings,
  armsProtectiveFactorLabels,
  armsProtectiveFactors,
  armsRiskFactorLabels,
  armsRiskFactors,
  isOneOf,
  managementModeLabels,
  managementModes,
  riskLevelLabels,
  riskLevels,
} from '../domain/vocabulary.ts';
import { blankToUndefined } from '../forms/form-runtime.ts';
import { formatDate } from '../views/format.ts';
import type { FieldValue, FieldView, FormView } from '../views/form-view.ts';

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

const answerOptions = armsAnswers.map((a) => ({ value: a, label: a === NOT_ASSESSED ? 'Not assessed' : armsPresenceRatingLabels[a] }));

/** One rating field: its form field id, and the factor key the rating is stored under. */
interface FactorField {
  id: string;
  factor: string;
  label: string;
}

/** The rating fields, risk factors first; empty unless the team's policy stores ratings. */
export function factorFields(team: Team): FactorField[] {
  if (!team.policy.storeArmsRatings) return [];
  return [
    ...armsRiskFactors.map((f) => ({ id: `arms_risk_${f}`, factor: f, label: `Risk factor: ${armsRiskFactorLabels[f]}` })),
    ...armsProtectiveFactors.map((f) => ({ id: `arms_protective_${f}`, factor: f, label: `Protective factor: ${armsProtectiveFactorLabels[f]}` })),
  ];
}

/** The fields of the assessment form for a team. */
export function assessmentFields(team: Team): FieldView[] {
  const ratings: FieldView[] = factorFields(team).map((f, i) => ({
    id: f.id,
    label: f.label,
    kind: 'select',
    required: false,
    options: answerOptions,
    ...(i === 0 ? { hint: 'Ratings are kept on the server for the record and never shown in chat.' } : {}),
  }));
  return [
    { id: 'assessedOn', label: 'Date of assessment', kind: 'date', required: true },
    { id: 'riskLevel', label: 'Risk level', kind: 'select', required: true, options: riskLevels.map((r) => ({ value: r, label: riskLevelLabels[r] })) },
    {
      id: 'managementMode',
      label: 'Management',
      kind: 'select',
      required: true,
      options: managementModes.map((m) => ({ value: m, label: managementModeLabels[m] })),
      hint: 'Reactive: low risk for three years or more; no routine visits.',
    },
    ...ratings,
  ];
}

/** What the schema checks the date against. */
export interface AssessmentLimits {
  today: IsoDate;
  /** The case's previous assessment, if any. */
  previousOn: IsoDate | null;
  /** The latest significant change still open: the assessment must answer it. */
  latestOpenChangeOn: IsoDate | null;
}

/** The validated assessment form; `ratings` is null when nothing was rated or policy forbids it. */
export interface AssessmentFormValues {
  assessedOn: IsoDate;
  riskLevel: Case['riskLevel'];
  managementMode: Case['managementMode'];
  ratings: Record<string, ArmsAnswer> | null;
}

function answerOf(value: unknown): ArmsAnswer | undefined {
  const answer = blankToUndefined(value) ?? NOT_ASSESSED;
  return isOneOf(armsAnswers, answer) ? answer : undefined;
}

/** The schema for the assessment form, bound to the team's policy and the case's history. */
export function assessmentSchema(team: Team, limits: AssessmentLimits) {
  const fields = factorFields(team);
  const { today, previousOn, latestOpenChangeOn } = limits;
  return z
    .looseObject({
      assessedOn: z
        .string({ message: 'Enter the date of the assessment.' })
        .refine(isIsoDate, { message: 'Enter the date of the assessment.' })
        .refine((d) => d <= today, { message: 'The assessment date cannot be in the future.' })
        .refine((d) => previousOn === null || d >= previousOn, {
          message: `The previous assessment was on ${formatDate(previousOn)}. Enter a date on or after it.`,
        })
        .refine((d) => latestOpenChangeOn === null || d >= latestOpenChangeOn, {
          message: `A significant change was reported on ${formatDate(latestOpenChangeOn)}. The assessment that reviews it must be on or after that date.`,
        }),
      riskLevel: z.enum(riskLevels, { message: 'Choose a risk level from the list.' }),
      managementMode: z.enum(managementModes, { message: 'Choose active or reactive management.' }),
    })
    .superRefine((v, ctx) => {
      if (v.managementMode === 'reactive' && v.riskLevel !== 'low') {
        ctx.addIssue({ code: 'custom', path: ['managementMode'], message: 'Reactive management is only for low-risk cases.' });
      }
      // Only the policy's rating fields are read; anything else in the submission is ignored.
      for (const f of fields) {
        if (!answerOf(v[f.id])) ctx.addIssue({ code: 'custom', path: [f.id], message: 'Choose low, medium, high or not assessed.' });
      }
    })
    .transform((v): AssessmentFormValues => {
      const ratings: Record<string, ArmsAnswer> = {};
      for (const f of fields) ratings[f.factor] = answerOf(v[f.id]) ?? NOT_ASSESSED;
      const anyRated = Object.values(ratings).some((r) => r !== NOT_ASSESSED);
      return { assessedOn: v.assessedOn, riskLevel: v.riskLevel, managementMode: v.managementMode, ratings: anyRated ? ratings : null };
    });
}

/** The assessment form ready to show, prefilled with today and the case's current level and mode. */
export function assessmentForm(team: Team, c: Case, today: IsoDate, values?: Record<string, FieldValue>): FormView {
  const fields = assessmentFields(team);
  const prefill: Record<string, FieldValue> = { assessedOn: today, riskLevel: c.riskLevel, managementMode: c.managementMode };
  for (const f of factorFields(team)) prefill[f.id] = NOT_ASSESSED;
  return {
    id: ASSESSMENT_FORM,
    title: ASSESSMENT_FORM_TITLE,
    submitLabel: 'Record assessment',
    intro: `Case ${c.key}. Recording an assessment recalculates the due dates and closes any early review for a significant change.`,
    fields,
    values: values ?? prefill,
    errors: {},
    context: { caseKey: c.key },
  };
}
