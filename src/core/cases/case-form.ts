/**
 * The case form (add and edit): one field list and one zod schema for both platforms. Choices
 * for people come from the team's roster; the external reference is checked against the team's
 * pattern and never shown back.
 */
import { z } from 'zod';
import { isIsoDate, type IsoDate } from '../calendar/working-calendar.ts';
import type { Case, Member, Team } from '../domain/entities.ts';
import { managementModeLabels, managementModes, riskLevelLabels, riskLevels } from '../domain/vocabulary.ts';
import { blankToUndefined } from '../forms/form-runtime.ts';
import { matchesExternalRefPattern } from '../policy/policy.ts';
import type { FieldValue, FieldView, FormView } from '../views/form-view.ts';

/** Form ids for adding and editing a case. */
export const CASE_ADD_FORM = 'case.add';
export const CASE_EDIT_FORM = 'case.edit';

const NONE = 'none';

function memberOptions(members: readonly Member[], role: 'officer' | 'supervisor') {
  return members.filter((m) => m.active && m.roles.includes(role)).map((m) => ({ value: m.id, label: m.displayName.slice(0, 75) }));
}

const MAPPA_AND_PLAN = 'MAPPA and the individual plan';

/** The fields of the case form for a team's roster. */
export function caseFields(team: Team, members: readonly Member[], mode: 'add' | 'edit'): FieldView[] {
  const levelOptions = [{ value: NONE, label: 'None' }, ...[1, 2, 3].map((n) => ({ value: String(n), label: String(n) }))];
  return [
    { id: 'riskLevel', label: 'Risk level', kind: 'select', required: true, options: riskLevels.map((r) => ({ value: r, label: riskLevelLabels[r] })) },
    {
      id: 'managementMode',
      label: 'Management',
      kind: 'select',
      required: true,
      options: managementModes.map((m) => ({ value: m, label: managementModeLabels[m] })),
      hint: 'Reactive: low risk for three years or more; no routine visits.',
    },
    { id: 'leadOfficerId', label: 'Lead officer', kind: 'select', required: true, options: memberOptions(members, 'officer') },
    { id: 'coworkerIds', label: 'Co-workers', kind: 'multiselect', required: false, options: memberOptions(members, 'officer') },
    { id: 'supervisorId', label: 'Supervisor', kind: 'select', required: false, options: memberOptions(members, 'supervisor') },
    { id: 'lastAssessmentOn', label: 'Last ARMS assessment', kind: 'date', required: false },
    { id: 'lastVisitOn', label: 'Last home visit', kind: 'date', required: false },
    // What only some cases have, one tap away.
    { id: 'mappaCategory', label: 'MAPPA category', kind: 'select', required: false, options: levelOptions, group: MAPPA_AND_PLAN },
    { id: 'mappaLevel', label: 'MAPPA level', kind: 'select', required: false, options: levelOptions, group: MAPPA_AND_PLAN },
    {
      id: 'planVisitIntervalMonths',
      label: 'Plan: visit every (months)',
      kind: 'number',
      required: false,
      min: 1,
      max: 36,
      hint: 'Only if the individual plan sets its own interval.',
      group: MAPPA_AND_PLAN,
    },
    { id: 'planReviewIntervalMonths', label: 'Plan: review every (months)', kind: 'number', required: false, min: 1, max: 36, group: MAPPA_AND_PLAN },
    {
      id: 'externalRef',
      label: 'External reference (kept off chat)',
      kind: 'text',
      required: false,
      maxLength: 64,
      hint:
        mode === 'edit'
          ? 'Leave blank to keep the reference on file. It is stored on the server and never shown in chat.'
          : `Optional. Stored on the server and never shown in chat.${team.policy.externalRefPattern ? ' Must match your team format.' : ''}`,
    },
  ];
}

/** The validated case form. */
export interface CaseFormValues {
  riskLevel: Case['riskLevel'];
  managementMode: Case['managementMode'];
  leadOfficerId: string;
  coworkerIds: string[];
  supervisorId: string | null;
  mappaCategory: number | null;
  mappaLevel: number | null;
  lastAssessmentOn: IsoDate | null;
  lastVisitOn: IsoDate | null;
  planVisitIntervalMonths: number | null;
  planReviewIntervalMonths: number | null;
  externalRef: string | null;
}

function pastDate(today: IsoDate, what: string) {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine(isIsoDate, { message: `Enter the ${what} as a date.` })
      .refine((d) => d <= today, { message: `The ${what} cannot be in the future.` })
      .optional(),
  );
}

const months = z.preprocess(
  blankToUndefined,
  z.coerce
    .number({ message: 'Enter a whole number of months.' })
    .int({ message: 'Enter a whole number of months.' })
    .min(1, { message: 'At least 1 month.' })
    .max(36, { message: 'At most 36 months.' })
    .optional(),
);

const mappa = z.preprocess(
  (v) => (v === NONE || v === '' || v === undefined ? undefined : v),
  z.coerce.number().pipe(z.union([z.literal(1), z.literal(2), z.literal(3)], { message: 'Choose 1, 2, 3 or None.' })).optional(),
);

/** The schema for the case form, bound to a team's roster, pattern and today's date. */
export function caseSchema(team: Team, members: readonly Member[], today: IsoDate) {
  const officerIds = new Set(memberOptions(members, 'officer').map((o) => o.value));
  const supervisorIds = new Set(memberOptions(members, 'supervisor').map((o) => o.value));
  return z
    .object({
      riskLevel: z.enum(riskLevels, { message: 'Choose a risk level from the list.' }),
      managementMode: z.enum(managementModes, { message: 'Choose active or reactive management.' }),
      leadOfficerId: z.string({ message: 'Choose the lead officer.' }).refine((id) => officerIds.has(id), { message: 'Choose an officer from your team.' }),
      coworkerIds: z
        .array(z.string())
        .max(5, { message: 'At most five co-workers.' })
        .refine((ids) => ids.every((id) => officerIds.has(id)), { message: 'Choose co-workers from your team.' }),
      supervisorId: z.preprocess(
        blankToUndefined,
        z.string().refine((id) => supervisorIds.has(id), { message: 'Choose a supervisor from your team.' }).optional(),
      ),
      mappaCategory: mappa,
      mappaLevel: mappa,
      lastAssessmentOn: pastDate(today, 'last assessment date'),
      lastVisitOn: pastDate(today, 'last visit date'),
      planVisitIntervalMonths: months,
      planReviewIntervalMonths: months,
      externalRef: z.preprocess(
        blankToUndefined,
        z
          .string()
          .max(64, { message: 'At most 64 characters.' })
          .refine((ref) => matchesExternalRefPattern(team.policy, ref), { message: "That reference does not match your team's format." })
          .optional(),
      ),
    })
    .refine((v) => !v.coworkerIds.includes(v.leadOfficerId), { message: 'The lead officer cannot also be a co-worker.', path: ['coworkerIds'] })
    .refine((v) => v.managementMode !== 'reactive' || v.riskLevel === 'low', {
      message: 'Reactive management is only for low-risk cases.',
      path: ['managementMode'],
    })
    .transform(
      (v): CaseFormValues => ({
        riskLevel: v.riskLevel,
        managementMode: v.managementMode,
        leadOfficerId: v.leadOfficerId,
        coworkerIds: v.coworkerIds,
        supervisorId: v.supervisorId ?? null,
        mappaCategory: v.mappaCategory ?? null,
        mappaLevel: v.mappaLevel ?? null,
        lastAssessmentOn: v.lastAssessmentOn ?? null,
        lastVisitOn: v.lastVisitOn ?? null,
        planVisitIntervalMonths: v.planVisitIntervalMonths ?? null,
        planReviewIntervalMonths: v.planReviewIntervalMonths ?? null,
        externalRef: v.externalRef ?? null,
      }),
    );
}

/** Form values shown for an existing case (the external reference is never sent back out). */
export function caseFormValues(c: Case): Record<string, FieldValue> {
  return {
    riskLevel: c.riskLevel,
    managementMode: c.managementMode,
    leadOfficerId: c.leadOfficerId ?? '',
    coworkerIds: c.coworkerIds,
    supervisorId: c.supervisorId ?? '',
    mappaCategory: c.mappaCategory ? String(c.mappaCategory) : NONE,
    mappaLevel: c.mappaLevel ? String(c.mappaLevel) : NONE,
    lastAssessmentOn: c.lastAssessmentOn ?? '',
    lastVisitOn: c.lastVisitOn ?? '',
    planVisitIntervalMonths: c.planVisitIntervalMonths ? String(c.planVisitIntervalMonths) : '',
    planReviewIntervalMonths: c.planReviewIntervalMonths ? String(c.planReviewIntervalMonths) : '',
    externalRef: '',
  };
}

/** The case form ready to show. */
export function caseForm(team: Team, members: readonly Member[], mode: 'add' | 'edit', values: Record<string, FieldValue>, context: Record<string, string>): FormView {
  return {
    id: mode === 'add' ? CASE_ADD_FORM : CASE_EDIT_FORM,
    title: mode === 'add' ? 'Add a case' : `Edit ${context.caseKey ?? 'case'}`.slice(0, 24),
    submitLabel: mode === 'add' ? 'Add case' : 'Save changes',
    intro:
      mode === 'add'
        ? 'Casework gives the case an opaque key. Do not enter names, dates of birth, addresses or other personal details.'
        : 'Changes are recorded in the audit trail, and due dates are recalculated.',
    fields: caseFields(team, members, mode),
    values,
    errors: {},
    context,
  };
}
