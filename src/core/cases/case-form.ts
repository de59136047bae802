/**
 * The case form (add and edit): declared once, for its fields, schema and values, on both
 * platforms. Choices for people come from the team's roster; the external reference is checked against the team's
 * pattern and never shown back.
 */
import type { IsoDate } from '../calendar/working-calendar.ts';
import type { Case, Member, Team } from '../domain/entities.ts';
import { managementModeLabels, managementModes, riskLevelLabels, riskLevels } from '../domain/vocabulary.ts';
import { choices, date, defineForm, multiselect, number, select, text, type FormValues } from '../forms/form-declaration.ts';
import { matchesExternalRefPattern } from '../policy/policy.ts';
import type { FieldValue, FormView } from '../views/form-view.ts';

/** Form ids for adding and editing a case. */
export const CASE_ADD_FORM = 'case.add';
export const CASE_EDIT_FORM = 'case.edit';

const NONE = 'none';

function memberOptions(members: readonly Member[], role: 'officer' | 'supervisor') {
  return members.filter((m) => m.active && m.roles.includes(role)).map((m) => ({ value: m.id, label: m.displayName.slice(0, 75) }));
}

const MAPPA_AND_PLAN = 'MAPPA and the individual plan';

/** What the case form is declared for: the team (its reference format), its roster, add or edit, and today. */
export interface CaseFormContext {
  team: Team;
  members: readonly Member[];
  mode: 'add' | 'edit';
  today: IsoDate;
}

const levelOptions = [{ value: NONE, label: 'None' }, ...(['1', '2', '3'] as const).map((n) => ({ value: n, label: n }))];

/** A MAPPA category or level as stored: None is no number. */
function mappaNumber(answer: (typeof levelOptions)[number]['value'] | null): number | null {
  return answer === null || answer === NONE ? null : Number(answer);
}

/** The case form, declared once: its fields, the schema that reads them, and so its values. */
export function declareCaseForm({ team, members, mode, today }: CaseFormContext) {
  const pastDate = <Id extends string>(id: Id, label: string, what: string) =>
    date(id, label, { invalid: `Enter the ${what} as a date.`, check: (d) => d.refine((v) => v <= today, { message: `The ${what} cannot be in the future.` }) });
  const months = <Id extends string>(id: Id, label: string, hint?: string) =>
    number(id, label, {
      min: 1,
      max: 36,
      invalid: 'Enter a whole number of months.',
      tooSmall: 'At least 1 month.',
      tooBig: 'At most 36 months.',
      ...(hint ? { hint } : {}),
      group: MAPPA_AND_PLAN,
    });
  const mappa = <Id extends string>(id: Id, label: string) => select(id, label, levelOptions, { invalid: 'Choose 1, 2, 3 or None.', group: MAPPA_AND_PLAN });
  return defineForm(
    [
      select('riskLevel', 'Risk level', choices(riskLevels, riskLevelLabels), { required: 'Choose a risk level from the list.' }),
      select('managementMode', 'Management', choices(managementModes, managementModeLabels), {
        required: 'Choose active or reactive management.',
        hint: 'Reactive: low risk for three years or more; no routine visits.',
      }),
      select('leadOfficerId', 'Lead officer', memberOptions(members, 'officer'), { required: 'Choose an officer from your team.', keepChecking: true }),
      multiselect('coworkerIds', 'Co-workers', memberOptions(members, 'officer'), { maxItems: 5, tooMany: 'At most five co-workers.', invalid: 'Choose co-workers from your team.' }),
      select('supervisorId', 'Supervisor', memberOptions(members, 'supervisor'), { invalid: 'Choose a supervisor from your team.', keepChecking: true }),
      pastDate('lastAssessmentOn', 'Last ARMS assessment', 'last assessment date'),
      pastDate('lastVisitOn', 'Last home visit', 'last visit date'),
      // What only some cases have, one tap away.
      mappa('mappaCategory', 'MAPPA category'),
      mappa('mappaLevel', 'MAPPA level'),
      months('planVisitIntervalMonths', 'Plan: visit every (months)', 'Only if the individual plan sets its own interval.'),
      months('planReviewIntervalMonths', 'Plan: review every (months)'),
      text('externalRef', 'External reference (kept off chat)', {
        maxLength: 64,
        tooLong: 'At most 64 characters.',
        check: (ref) => ref.refine((r) => matchesExternalRefPattern(team.policy, r), { message: "That reference does not match your team's format." }),
        hint:
          mode === 'edit'
            ? 'Leave blank to keep the reference on file. It is stored on the server and never shown in chat.'
            : `Optional. Stored on the server and never shown in chat.${team.policy.externalRefPattern ? ' Must match your team format.' : ''}`,
      }),
    ],
    {
      check: (v, ctx) => {
        if (v.coworkerIds.includes(v.leadOfficerId)) ctx.addIssue({ code: 'custom', path: ['coworkerIds'], message: 'The lead officer cannot also be a co-worker.' });
        if (v.managementMode === 'reactive' && v.riskLevel !== 'low') {
          ctx.addIssue({ code: 'custom', path: ['managementMode'], message: 'Reactive management is only for low-risk cases.' });
        }
      },
      values: (v) => ({ ...v, mappaCategory: mappaNumber(v.mappaCategory), mappaLevel: mappaNumber(v.mappaLevel) }),
    },
  );
}

/** The validated case form. */
export type CaseFormValues = FormValues<ReturnType<typeof declareCaseForm>>;

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
export function caseForm(form: CaseFormContext, values: Record<string, FieldValue>, context: Record<string, string>): FormView {
  const { mode } = form;
  return {
    id: mode === 'add' ? CASE_ADD_FORM : CASE_EDIT_FORM,
    title: mode === 'add' ? 'Add a case' : `Edit ${context.caseKey ?? 'case'}`.slice(0, 24),
    submitLabel: mode === 'add' ? 'Add case' : 'Save changes',
    intro:
      mode === 'add'
        ? 'Casework gives the case an opaque key. Do not enter names, dates of birth, addresses or other personal details.'
        : 'Changes are recorded in the audit trail, and due dates are recalculated.',
    fields: declareCaseForm(form).fields,
    values,
    errors: {},
    context,
  };
}
