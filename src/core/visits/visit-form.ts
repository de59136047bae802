/**
 * The visit quick-update form (docs/domain.md, "After a home visit"): declared once, for its
 * fields, its schema and its values, on both platforms. Choices come from the domain vocabulary;
 * free text is limited to short notes that both Slack and Teams accept. What comes back is untrusted and checked here.
 */
import { addCalendarDays, isIsoDate, type IsoDate } from '../calendar/working-calendar.ts';
import type { Member } from '../domain/entities.ts';
import {
  armsProtectiveFactorLabels,
  armsProtectiveFactors,
  armsRiskFactorLabels,
  armsRiskFactors,
  complianceAnswers,
  complianceLabels,
  deviceAnswers,
  deviceLabels,
  presentCategories,
  presentCategoryLabels,
  significantChangeKinds,
  significantChanges,
  urgencyOf,
  visitOutcomeLabels,
  visitOutcomes,
  visitTypeLabels,
  visitTypes,
  type ArmsProtectiveFactor,
  type ComplianceAnswer,
} from '../domain/vocabulary.ts';
import { checkboxes, choices, date, defineForm, multiselect, select, text, time, type FormValues } from '../forms/form-declaration.ts';
import { formatDate } from '../views/format.ts';
import { isFailedEntry } from './visit-rules.ts';

/** The form id of the visit form (new visits and amendments alike). */
export const VISIT_FORM = 'visit.record';
/** The title of the visit form (also what Slack shows while it loads). */
export const VISIT_FORM_TITLE = 'Record visit';
/** The title of the form when it amends a recorded visit. */
export const VISIT_AMEND_TITLE = 'Amend visit';
/** The longest note the form takes (well inside Slack's 3000 and any Teams limit). */
export const VISIT_NOTE_MAX = 500;

/** Answers for notification requirements: the compliance answers less "no order" (notification applies to everyone registered). */
const notificationAnswers = ['compliant', 'concerns', 'not_checked'] as const satisfies readonly ComplianceAnswer[];
/** How far back a visit may be recorded, in calendar days. */
export const VISIT_MAX_DAYS_BACK = 90;

export { complianceAnswers, deviceAnswers, type ComplianceAnswer, type DeviceAnswer } from '../domain/vocabulary.ts';

/** The field id of a protective factor's note. */
export function protectiveFieldId<F extends ArmsProtectiveFactor>(factor: F): `protective_${F}` {
  return `protective_${factor}`;
}

/** The officers who can be listed as attending: active officers and supervisors of the team. */
export function attendingOfficers(members: readonly Member[]): Member[] {
  return members.filter((m) => m.active && (m.roles.includes('officer') || m.roles.includes('supervisor')));
}

/** What the visit form is declared for: the team's roster (who may attend) and today (how far back a visit goes). */
export interface VisitFormContext {
  members: readonly Member[];
  today: IsoDate;
}

const TOO_LONG = `Keep this note to ${VISIT_NOTE_MAX} characters or fewer; the full record belongs in your force system.`;

/** A short optional note, well inside both platforms' limits. */
function note<Id extends string>(id: Id, label: string, o: { hint?: string; group: string }) {
  return text(id, label, { maxLength: VISIT_NOTE_MAX, tooLong: TOO_LONG, ...o });
}

/** The visit form, declared once: its fields, the schema that reads them, and so its values. */
export function declareVisitForm({ members, today }: VisitFormContext) {
  const latest = addCalendarDays(today, 1);
  const earliest = addCalendarDays(today, -VISIT_MAX_DAYS_BACK);
  // The essentials of a routine visit first; what is recorded only when seen sits in two groups
  // one tap away, so the form opens with nine inputs in view.
  const STRENGTHS = 'Strengths seen (protective factors)';
  const RISK = 'Risk, compliance and welfare';
  return defineForm(
    [
      date('visitedOn', 'Date of visit', {
        required: 'Enter the date of the visit.',
        check: (d) =>
          d
            .refine((v) => v <= latest, { message: `The visit date cannot be more than a day ahead of today (${formatDate(today)}). Check the date.` })
            .refine((v) => v >= earliest, { message: `Record visits from the last ${VISIT_MAX_DAYS_BACK} days only (on or after ${formatDate(earliest)}). Ask your supervisor about an older visit.` }),
      }),
      time('visitedTime', 'Time of visit', { required: 'Enter the time of the visit.', invalid: 'Enter the time of the visit as HH:MM, for example 14:30.' }),
      select('visitType', 'Visit type', choices(visitTypes, visitTypeLabels), { required: 'Choose the visit type from the list.' }),
      multiselect('officers', 'Officers attending', attendingOfficers(members).map((m) => ({ value: m.id, label: m.displayName })), {
        required: 'Choose at least one officer who attended.',
        invalid: "Choose officers from your team's list.",
      }),
      select('outcome', 'Outcome', choices(visitOutcomes, visitOutcomeLabels), { required: 'Choose the outcome from the list.' }),
      checkboxes('present', 'Who else was present', choices(presentCategories, presentCategoryLabels), { invalid: 'Choose who was present from the list.', hint: 'Categories only: never names.' }),
      multiselect('changes', 'Significant changes observed', choices(significantChangeKinds, (k) => `${significantChanges[k].label}${urgencyOf(k) === 'urgent' ? ' (urgent)' : ''}`), {
        invalid: 'Choose significant changes from the list.',
        hint: 'Each change brings the assessment review forward; an urgent one also tells the supervisor.',
      }),
      date('nextVisitOn', 'Next visit', {
        invalid: 'Enter the next visit as a date.',
        hint: 'Proposed from the policy. An earlier date brings the visit forward; a later one cannot push it past the policy.',
      }),
      checkboxes('discussion', 'Case discussion', [{ value: 'wanted' as const, label: 'Ask for a case discussion about this visit' }], {
        invalid: 'Tick the box to ask for a case discussion, or leave it clear.',
      }),
      ...armsProtectiveFactors.map((f, i) =>
        note(protectiveFieldId(f), `Protective factor seen: ${armsProtectiveFactorLabels[f]}`, {
          ...(i === 0 ? { hint: 'A short note for each strength you saw; leave blank if not seen.' } : {}),
          group: STRENGTHS,
        }),
      ),
      multiselect('riskConcerns', 'Risk concerns, by factor', choices(armsRiskFactors, armsRiskFactorLabels), { invalid: 'Choose risk factors from the list.', group: RISK }),
      note('riskNote', 'Risk concerns: short note', { group: RISK }),
      select('notificationCompliance', 'Notification requirements', choices(notificationAnswers, complianceLabels), {
        invalid: 'Choose an answer for notification requirements from the list.',
        group: RISK,
      }),
      select('orderCompliance', 'Order or licence conditions', choices(complianceAnswers, complianceLabels), { invalid: 'Choose an answer for the order or licence from the list.', group: RISK }),
      select('devices', 'Internet-capable devices', choices(deviceAnswers, deviceLabels), { invalid: 'Choose an answer for devices from the list.', group: RISK }),
      note('welfare', 'Welfare or referral actions', { group: RISK }),
    ],
    {
      check: (v, ctx) => {
        if (v.present.includes('none') && v.present.length > 1) {
          ctx.addIssue({ code: 'custom', path: ['present'], message: '"Nobody else present" cannot be ticked with other categories.' });
        }
        if (isFailedEntry(v.outcome)) {
          // No reply or access refused: nobody was seen inside, so nothing inside can be recorded.
          const why = `Nothing inside can be seen with the outcome "${visitOutcomeLabels[v.outcome]}": clear this, or change the outcome.`;
          if (v.present.some((p) => p !== 'none')) ctx.addIssue({ code: 'custom', path: ['present'], message: why });
          for (const f of armsProtectiveFactors) if (v[protectiveFieldId(f)]) ctx.addIssue({ code: 'custom', path: [protectiveFieldId(f)], message: why });
          if (v.riskConcerns.length > 0) ctx.addIssue({ code: 'custom', path: ['riskConcerns'], message: why });
          if (v.devices === 'seen_checked' || v.devices === 'seen_not_checked') ctx.addIssue({ code: 'custom', path: ['devices'], message: why });
        }
        if (v.nextVisitOn !== null && isIsoDate(v.visitedOn) && v.nextVisitOn <= v.visitedOn) {
          ctx.addIssue({ code: 'custom', path: ['nextVisitOn'], message: `The next visit must be after this visit (${formatDate(v.visitedOn)}).` });
        }
      },
      values: (v) => {
        const protectiveNotes: Partial<Record<ArmsProtectiveFactor, string>> = {};
        for (const f of armsProtectiveFactors) {
          const note = v[protectiveFieldId(f)];
          if (note) protectiveNotes[f] = note;
        }
        return {
          visitedOn: v.visitedOn,
          visitedTime: v.visitedTime,
          visitType: v.visitType,
          officerIds: [...new Set(v.officers)],
          outcome: v.outcome,
          present: v.present,
          changes: [...new Set(v.changes)],
          protectiveNotes,
          riskConcerns: v.riskConcerns,
          riskNote: v.riskNote,
          notificationCompliance: v.notificationCompliance,
          orderCompliance: v.orderCompliance,
          devices: v.devices,
          welfare: v.welfare,
          discussionWanted: v.discussion.includes('wanted'),
          nextVisitOn: v.nextVisitOn,
        };
      },
    },
  );
}

/** The validated visit form: the answers as data, which is the record. */
export type VisitFormValues = FormValues<ReturnType<typeof declareVisitForm>>;
