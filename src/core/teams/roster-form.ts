/**
 * The roster forms (add a person, change a member): each declared once, for its fields, schema
 * and values, on both platforms. The person comes from the platform's people picker (a Slack user id, a Teams
 * AAD object id); supervisors are chosen from the team's roster.
 */
import { ROLES, roleLabels, type Member, type Role } from '../domain/entities.ts';
import { checkboxes, choices, defineForm, select, text, user, type FormValues } from '../forms/form-declaration.ts';
import type { FieldOption, FieldValue, FormView } from '../views/form-view.ts';
import { ROSTER_ACTIONS } from './roster-views.ts';

/** Form ids for adding a person and changing a member. */
export const ROSTER_ADD_FORM = 'roster.add';
export const ROSTER_EDIT_FORM = 'roster.edit';

/** The longest display name kept. */
export const MAX_MEMBER_NAME_LENGTH = 80;

const NONE = 'none';

function supervisorOptions(members: readonly Member[], excludeId?: string): FieldOption[] {
  const supervisors = members.filter((m) => m.active && m.roles.includes('supervisor') && m.id !== excludeId);
  return [{ value: NONE, label: 'No supervisor' }, ...supervisors.map((m) => ({ value: m.id, label: m.displayName.slice(0, 75) }))];
}

/** The fields both forms end with: roles, and the supervisor (never the member themselves). */
function commonFields(members: readonly Member[], excludeId?: string) {
  return [
    checkboxes('roles', 'Roles', choices(ROLES, roleLabels), {
      required: 'Tick at least one role.',
      invalid: 'Choose roles from the list.',
      hint: 'At least one. One person may be both officer and supervisor.',
    }),
    select('supervisorId', 'Their supervisor', supervisorOptions(members, excludeId), {
      invalid: excludeId ? 'Choose another supervisor from your team (not the person themselves).' : 'Choose a supervisor from your team.',
      keepChecking: true,
      hint: 'For officers: the supervisor who holds their supervision sessions.',
    }),
  ] as const;
}

function displayName(required: boolean, hint?: string) {
  const o = { maxLength: MAX_MEMBER_NAME_LENGTH, tooLong: `At most ${MAX_MEMBER_NAME_LENGTH} characters.`, ...(hint ? { hint } : {}) };
  return required ? text('displayName', 'Name as it should appear', { ...o, required: 'Enter their name as colleagues should see it.' }) : text('displayName', 'Name as it should appear', o);
}

/** What a roster form yields: `person` and `displayName` are null where the form had no value; roles in their usual order. */
function rosterValues(v: { person?: string; displayName: string | null; roles: Role[]; supervisorId: string | null }) {
  return {
    person: v.person ?? null,
    displayName: v.displayName === null ? null : v.displayName.replace(/\s+/g, ' '),
    roles: ROLES.filter((r) => v.roles.includes(r)),
    supervisorId: v.supervisorId === NONE ? null : v.supervisorId,
  };
}

/** What the add form is declared for: the roster, whether the platform can tell Casework names, and where to pick people from. */
export interface RosterAddContext {
  members: readonly Member[];
  nameRequired: boolean;
  peopleFrom?: string;
}

/** The add form, declared once: its fields, schema and values. */
export function declareRosterAddForm({ members, nameRequired, peopleFrom }: RosterAddContext) {
  return defineForm(
    [
      user('person', 'Person', { required: 'Choose the person to add.', invalid: 'Choose the person from the list.', hint: 'Search for them by name.', ...(peopleFrom ? { peopleFrom } : {}) }),
      displayName(nameRequired, nameRequired ? 'How colleagues know them, e.g. DC Jo Bloggs.' : 'Leave blank to use the name on their chat account.'),
      ...commonFields(members),
    ],
    { values: rosterValues },
  );
}

/** The change form for one member, declared once: its fields, schema and values. */
export function declareRosterEditForm(members: readonly Member[], member: Member) {
  return defineForm([displayName(true), ...commonFields(members, member.id)], { values: rosterValues });
}

/** A validated roster form. */
export type RosterFormValues = FormValues<ReturnType<typeof declareRosterAddForm>>;

/** The add form ready to show. */
export function rosterAddForm(declared: RosterAddContext, values: Record<string, FieldValue> = { roles: ['officer'], supervisorId: NONE }): FormView {
  return {
    id: ROSTER_ADD_FORM,
    title: 'Add a person',
    submitLabel: 'Add to roster',
    intro: 'They are linked to Casework the first time they message it. Their roles decide what they can see and do.',
    fields: declareRosterAddForm(declared).fields,
    values,
    errors: {},
    context: {},
  };
}

/** Form values shown for an existing member. */
export function rosterEditValues(member: Member): Record<string, FieldValue> {
  return { displayName: member.displayName, roles: member.roles, supervisorId: member.supervisorMemberId ?? NONE };
}

/** The change form for one member, ready to show. */
export function rosterEditForm(members: readonly Member[], member: Member, values: Record<string, FieldValue> = rosterEditValues(member)): FormView {
  return {
    id: ROSTER_EDIT_FORM,
    title: 'Change member',
    submitLabel: 'Save changes',
    intro: `Changes to ${member.displayName} are recorded in the audit trail.`,
    fields: declareRosterEditForm(members, member).fields,
    values,
    errors: {},
    context: { memberId: member.id },
    // Removing is kept apart from saving, and asks first (and where the person's cases go).
    secondaryActions: [{ id: ROSTER_ACTIONS.remove, label: 'Remove from roster', value: { memberId: member.id }, style: 'danger' }],
  };
}
