/**
 * The roster forms (add a person, change a member): one field list and one zod schema each for
 * both platforms. The person comes from the platform's people picker (a Slack user id, a Teams
 * AAD object id); supervisors are chosen from the team's roster.
 */
import { z } from 'zod';
import { ROLES, roleLabels, type Member, type Role } from '../domain/entities.ts';
import { blankToUndefined } from '../forms/form-runtime.ts';
import type { FieldOption, FieldValue, FieldView, FormView } from '../views/form-view.ts';
import { ROSTER_ACTIONS } from './roster-views.ts';

/** Form ids for adding a person and changing a member. */
export const ROSTER_ADD_FORM = 'roster.add';
export const ROSTER_EDIT_FORM = 'roster.edit';

/** The longest display name kept. */
export const MAX_MEMBER_NAME_LENGTH = 80;

const NONE = 'none';

// Slack user ids (U…/W…), Teams AAD object ids (GUIDs) and Bot Framework ids (29:…) all fit.
const PLATFORM_USER_ID = /^[A-Za-z0-9:._@-]{1,128}$/;

function supervisorOptions(members: readonly Member[], excludeId?: string): FieldOption[] {
  const supervisors = members.filter((m) => m.active && m.roles.includes('supervisor') && m.id !== excludeId);
  return [{ value: NONE, label: 'No supervisor' }, ...supervisors.map((m) => ({ value: m.id, label: m.displayName.slice(0, 75) }))];
}

function commonFields(members: readonly Member[], excludeId?: string): FieldView[] {
  return [
    {
      id: 'roles',
      label: 'Roles',
      kind: 'checkboxes',
      required: true,
      options: ROLES.map((r) => ({ value: r, label: roleLabels[r] })),
      hint: 'At least one. One person may be both officer and supervisor.',
    },
    {
      id: 'supervisorId',
      label: 'Their supervisor',
      kind: 'select',
      required: false,
      options: supervisorOptions(members, excludeId),
      hint: 'For officers: the supervisor who holds their supervision sessions.',
    },
  ];
}

/** The fields of the add form. `nameRequired` when the platform cannot tell Casework the name. */
export function rosterAddFields(members: readonly Member[], nameRequired: boolean, peopleFrom?: string): FieldView[] {
  return [
    { id: 'person', label: 'Person', kind: 'user', required: true, hint: 'Search for them by name.', ...(peopleFrom ? { peopleFrom } : {}) },
    {
      id: 'displayName',
      label: 'Name as it should appear',
      kind: 'text',
      required: nameRequired,
      maxLength: MAX_MEMBER_NAME_LENGTH,
      hint: nameRequired ? 'How colleagues know them, e.g. DC Jo Bloggs.' : 'Leave blank to use the name on their chat account.',
    },
    ...commonFields(members),
  ];
}

/** The fields of the change form for one member. */
export function rosterEditFields(members: readonly Member[], member: Member): FieldView[] {
  return [
    { id: 'displayName', label: 'Name as it should appear', kind: 'text', required: true, maxLength: MAX_MEMBER_NAME_LENGTH },
    ...commonFields(members, member.id),
  ];
}

/** A validated roster form. `person` and `displayName` are null where the form had no value. */
export interface RosterFormValues {
  person: string | null;
  displayName: string | null;
  roles: Role[];
  supervisorId: string | null;
}

const roles = z
  .array(z.enum(ROLES as [Role, ...Role[]], { message: 'Choose roles from the list.' }))
  .min(1, { message: 'Tick at least one role.' })
  .transform((list) => ROLES.filter((r) => list.includes(r)));

function supervisor(members: readonly Member[], excludeId?: string) {
  const ids = new Set(supervisorOptions(members, excludeId).map((o) => o.value));
  return z.preprocess(
    (v) => (v === NONE ? undefined : blankToUndefined(v)),
    z
      .string()
      .refine((id) => ids.has(id), { message: excludeId ? 'Choose another supervisor from your team (not the person themselves).' : 'Choose a supervisor from your team.' })
      .optional(),
  );
}

function displayName(required: boolean) {
  const text = z
    .string()
    .max(MAX_MEMBER_NAME_LENGTH, { message: `At most ${MAX_MEMBER_NAME_LENGTH} characters.` })
    .transform((s) => s.replace(/\s+/g, ' '));
  const requiredMessage = 'Enter their name as colleagues should see it.';
  return required
    ? z.preprocess(blankToUndefined, z.string({ message: requiredMessage }).pipe(text))
    : z.preprocess(blankToUndefined, text.optional());
}

/** The schema of the add form, bound to the team's roster. */
export function rosterAddSchema(members: readonly Member[], nameRequired: boolean) {
  return z
    .object({
      person: z.preprocess(
        blankToUndefined,
        z.string({ message: 'Choose the person to add.' }).regex(PLATFORM_USER_ID, { message: 'Choose the person from the list.' }),
      ),
      displayName: displayName(nameRequired),
      roles,
      supervisorId: supervisor(members),
    })
    .transform((v): RosterFormValues => ({ person: v.person, displayName: v.displayName ?? null, roles: v.roles, supervisorId: v.supervisorId ?? null }));
}

/** The schema of the change form for one member. */
export function rosterEditSchema(members: readonly Member[], member: Member) {
  return z
    .object({ displayName: displayName(true), roles, supervisorId: supervisor(members, member.id) })
    .transform((v): RosterFormValues => ({ person: null, displayName: v.displayName ?? null, roles: v.roles, supervisorId: v.supervisorId ?? null }));
}

/** The add form ready to show. */
export function rosterAddForm(
  members: readonly Member[],
  nameRequired: boolean,
  values: Record<string, FieldValue> = { roles: ['officer'], supervisorId: NONE },
  peopleFrom?: string,
): FormView {
  return {
    id: ROSTER_ADD_FORM,
    title: 'Add a person',
    submitLabel: 'Add to roster',
    intro: 'They are linked to Casework the first time they message it. Their roles decide what they can see and do.',
    fields: rosterAddFields(members, nameRequired, peopleFrom),
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
    fields: rosterEditFields(members, member),
    values,
    errors: {},
    context: { memberId: member.id },
    // Removing is kept apart from saving, and asks first (and where the person's cases go).
    secondaryActions: [{ id: ROSTER_ACTIONS.remove, label: 'Remove from roster', value: { memberId: member.id }, style: 'danger' }],
  };
}
