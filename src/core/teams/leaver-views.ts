/**
 * The leaver flow's messages and forms: the question asked before removing someone who still
 * leads or supervises active cases, the "all to one person" form, the case-by-case form (ten cases
 * a page, so a caseload of any size fits a Slack modal and a Teams card), and the outcome.
 */
import type { Member } from '../domain/entities.ts';
import { riskLevelLabels } from '../domain/vocabulary.ts';
import { defineForm, onlyIf, select } from '../forms/form-declaration.ts';
import type { FieldOption, FieldValue, FormView } from '../views/form-view.ts';
import { FORM_LIMITS } from '../views/form-view.ts';
import type { MessageView } from '../views/message-view.ts';
import { casesText, HOLD_ROLE } from './case-moves.ts';
import type { CaseHold, CaseHolds, HeldCase } from './reassignment-ports.ts';
import { lineManagedText, ROSTER_ACTIONS } from './roster-views.ts';

/** Action and form ids of the leaver flow. */
export const LEAVER_ACTIONS = { moveAll: 'roster.move_all', moveEach: 'roster.move_each' } as const;
export const MOVE_ALL_FORM = 'roster.move_all';
export const MOVE_EACH_FORM = 'roster.move_each';
export const MOVE_ALL_TITLE = 'Move their cases';
export const MOVE_EACH_TITLE = 'Move case by case';

/** Cases per page of the case-by-case form: ten selects keep a modal and a card small. */
export const MOVE_PAGE_SIZE = 10;

/** The choice on the case-by-case form that leaves a case where it is for now. */
export const DECIDE_LATER = 'later';

const FIELD_BY_HOLD = { lead: 'officer', supervisor: 'supervisor' } as const satisfies Record<CaseHold, string>;

/** Who can take a hold: active members of the team with the role, other than the leaver. */
export function candidates(members: readonly Member[], leaver: Member, hold: CaseHold): Member[] {
  return members.filter((m) => m.active && m.id !== leaver.id && m.roles.includes(HOLD_ROLE[hold]));
}

function options(people: readonly Member[]): FieldOption[] {
  return people.slice(0, FORM_LIMITS.optionsPerSelect - 1).map((m) => ({ value: m.id, label: m.displayName.slice(0, FORM_LIMITS.optionLabelLength) }));
}

function holdsText(h: CaseHolds): string {
  const parts = [];
  if (h.leads > 0) parts.push(`lead ${casesText(h.leads)}`);
  if (h.supervises > 0) parts.push(`supervise ${casesText(h.supervises)}`);
  return parts.join(' and ');
}

/** Asked before removing someone who still leads or supervises active cases. */
export function leaverQuestionView(member: Member, holds: CaseHolds, lineManaged = 0): MessageView {
  const view: MessageView = {
    kind: 'roster-leaver',
    title: `Remove ${member.displayName}?`,
    notice: { tone: 'warning', text: `They still ${holdsText(holds)}. Choose where the cases go first.` },
    paragraphs: [
      'Move them all to one person, or choose case by case. Open due dates and pending reminders go with each case, and whoever receives cases is told privately.',
      `${member.displayName} is removed from the roster once no active case is left with them. Their past work stays in the record under their name.`,
    ],
    actions: [
      { id: LEAVER_ACTIONS.moveAll, label: 'All to one person', value: { memberId: member.id }, style: 'primary' },
      { id: LEAVER_ACTIONS.moveEach, label: 'Case by case', value: { memberId: member.id } },
      { id: ROSTER_ACTIONS.show, label: 'Keep them' },
    ],
  };
  if (lineManaged > 0) view.paragraphs!.push(lineManagedText(lineManaged));
  return view;
}


/** The "all to one person" form, declared once: a new lead officer and/or a new supervisor, asked only for the holds they have. */
export function declareMoveAllForm(member: Member, holds: CaseHolds, members: readonly Member[]) {
  const pick = <Id extends string>(id: Id, hold: CaseHold, n: number) => {
    const who = hold === 'lead' ? 'an officer' : 'a supervisor';
    return select(id, hold === 'lead' ? `New lead officer for ${casesText(n)}` : `New supervisor for ${casesText(n)}`, options(candidates(members, member, hold)), {
      required: `Choose ${who} for the ${casesText(n)}.`,
      invalid: `Choose ${who} on your team from the list (not ${member.displayName}).`,
      keepChecking: true,
      hint: hold === 'lead' ? 'An officer on the team. Their open due dates and reminders go too.' : 'A supervisor on the team.',
    });
  };
  return defineForm([
    ...onlyIf(holds.leads > 0, pick(FIELD_BY_HOLD.lead, 'lead', holds.leads)),
    ...onlyIf(holds.supervises > 0, pick(FIELD_BY_HOLD.supervisor, 'supervisor', holds.supervises)),
  ]);
}

/** The "all to one person" form ready to show. */
export function moveAllForm(member: Member, holds: CaseHolds, members: readonly Member[], values: Record<string, FieldValue> = {}): FormView {
  return {
    id: MOVE_ALL_FORM,
    title: MOVE_ALL_TITLE,
    submitLabel: 'Move and remove',
    intro: `Every active case ${member.displayName} holds moves, then they are removed from the roster. Each move is recorded in the audit trail.`,
    fields: declareMoveAllForm(member, holds, members).fields,
    values,
    errors: {},
    context: { memberId: member.id },
  };
}

/** The field id for one case on the case-by-case form. */
export function caseField(c: Pick<HeldCase, 'id'>): `case_${string}` {
  return `case_${c.id}`;
}

/** One page of the case-by-case form, declared once: a choice per case, Decide later among them. */
export function declareMoveEachForm(member: Member, hold: CaseHold, items: readonly HeldCase[], members: readonly Member[]) {
  const people: FieldOption[] = [{ value: DECIDE_LATER, label: 'Decide later' }, ...options(candidates(members, member, hold))];
  const invalid = `Choose ${hold === 'lead' ? 'an officer' : 'a supervisor'} on your team from the list, or Decide later.`;
  return defineForm(items.map((c) => select(caseField(c), `${c.key} (${riskLevelLabels[c.riskLevel]} risk)`, people, { invalid, keepChecking: true })));
}

/** One page of the case-by-case form. `afterKey` is where the page starts (for the submission). */
export function moveEachForm(
  member: Member,
  hold: CaseHold,
  page: { items: readonly HeldCase[]; total: number; afterKey: string },
  members: readonly Member[],
  extra: { values?: Record<string, FieldValue>; notice?: FormView['notice'] } = {},
): FormView {
  const verb = hold === 'lead' ? 'led' : 'supervised';
  const form: FormView = {
    id: MOVE_EACH_FORM,
    title: MOVE_EACH_TITLE,
    submitLabel: 'Move these',
    intro: `${casesText(page.total)} still ${verb} by ${member.displayName}, ten at a time. Choose ${hold === 'lead' ? 'a new lead officer' : 'a new supervisor'} for each or decide later; ${member.displayName} is removed from the roster once none are left.`,
    fields: declareMoveEachForm(member, hold, page.items, members).fields,
    values: extra.values ?? Object.fromEntries(page.items.map((c) => [caseField(c), DECIDE_LATER])),
    errors: {},
    context: { memberId: member.id, hold, after: page.afterKey },
  };
  if (extra.notice) form.notice = extra.notice;
  return form;
}

/** After the last case moved: the person is off the roster. */
export function leaverDoneView(member: Member, summary: string[], removed: boolean): MessageView {
  return {
    kind: 'roster-leaver-done',
    title: removed ? `${member.displayName} removed` : 'Cases moved',
    notice: {
      tone: 'info',
      text: removed
        ? `${member.displayName} was removed from the roster. Their past work stays in the record under their name.`
        : `${member.displayName} stays on the roster.`,
    },
    paragraphs: [...summary, 'Whoever received cases has been told privately. Every move is in the audit trail.'],
  };
}
