/**
 * The team policy form: the team's name and time zone, the intervals, early-review windows,
 * MAPPA and supervision periods, reminder stages, data choices and closure days of docs/domain.md, as
 * flat fields for both platforms. The form's schema checks what a person typed; the result is then
 * validated again, whole, by the policy's own schema before anything is saved.
 */
import { z } from 'zod';
import { isIsoDate, type IsoDate } from '../calendar/working-calendar.ts';
import type { Team } from '../domain/entities.ts';
import { riskLevelLabels, type RiskLevel } from '../domain/vocabulary.ts';
import { custom, defineForm, number, select, text, type FormValues } from '../forms/form-declaration.ts';
import { policySchema, type TeamPolicy } from '../policy/policy.ts';
import type { FieldValue, FormView } from '../views/form-view.ts';
import { MAX_TEAM_NAME_LENGTH } from './team-registration.ts';

/** The form id of the policy form. */
export const POLICY_FORM = 'policy.set';

/** Time zones a team may choose: the UK and Crown Dependencies, Ireland, and UTC. */
export const POLICY_TIME_ZONES = ['Europe/London', 'Europe/Jersey', 'Europe/Guernsey', 'Europe/Isle_of_Man', 'Europe/Dublin', 'UTC'] as const;

const LEVELS: readonly RiskLevel[] = ['very_high', 'high', 'medium', 'low'];
const LEVEL_IDS = { very_high: 'VeryHigh', high: 'High', medium: 'Medium', low: 'Low' } as const satisfies Record<RiskLevel, string>;
const MAX_CLOSURES = 200;

/** A required whole number within limits, with the one message the policy form gives for all of them. */
function whole<Id extends string>(id: Id, label: string, min: number, max: number, unit: string, o: { hint?: string; group: string }) {
  const message = `Enter a whole number of ${unit} from ${min} to ${max}.`;
  return number(id, label, { min, max, required: message, invalid: message, tooSmall: message, tooBig: message, ...o });
}

const INTERVALS = 'Visit and review intervals';
const REMINDERS = 'Reminders, escalation and amendments';
const RECORDS = 'Records and references';
const CALENDAR = 'Closure days';

/** The form values for a team's current settings. */
export function policyFormValues(team: Team): Record<string, FieldValue> {
  const p = team.policy;
  const values: Record<string, FieldValue> = {
    name: team.name,
    timeZone: team.timeZone,
    earlyUrgent: String(p.earlyReviewWorkingDays.urgent),
    earlyStandard: String(p.earlyReviewWorkingDays.standard),
    mappaLevel2: String(p.mappaReviewWeeks.level2),
    mappaLevel3: String(p.mappaReviewWeeks.level3),
    supervisionWeeks: String(p.officerSupervisionWeeks),
    reminderStages: p.reminders.beforeWorkingDays.join(','),
    escalationDays: String(p.reminders.escalateAtWorkingDaysOverdue),
    amendmentDays: String(p.visitAmendmentWindowDays),
    storeArmsRatings: p.storeArmsRatings ? 'yes' : 'no',
    externalRefPattern: p.externalRefPattern ?? '',
    closures: team.closures.join('\n'),
  };
  for (const level of LEVELS) {
    values[`visit${LEVEL_IDS[level]}`] = String(p.intervals[level].visitMonths);
    values[`review${LEVEL_IDS[level]}`] = String(p.intervals[level].reviewMonths);
  }
  return values;
}

const reminderStagesPiece = z.string().transform((text, ctx) => {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const days: number[] = [];
  for (const part of parts) {
    const n = Number(part);
    if (!/^\d+$/.test(part) || n < 1 || n > 60) {
      ctx.addIssue({ code: 'custom', message: `"${part.slice(0, 10)}" is not a number of working days from 1 to 60. Write them like 10,3.` });
      return z.NEVER;
    }
    days.push(n);
  }
  if (days.length > 5) ctx.addIssue({ code: 'custom', message: 'At most 5 reminders before a deadline.' });
  if (new Set(days).size !== days.length) ctx.addIssue({ code: 'custom', message: 'Give each number once.' });
  return [...days].sort((a, b) => b - a);
});

function validPattern(source: z.ZodString): z.ZodString {
  return source.superRefine((text, ctx) => {
    try {
      new RegExp(text, 'u');
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
      ctx.addIssue({ code: 'custom', message: `That is not a valid regular expression (${reason.slice(0, 80)}). Fix it or leave the field blank.` });
    }
  });
}

const closuresPiece = z.string().transform((text, ctx) => {
  const dates: IsoDate[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const shown = line.slice(0, 20);
    if (!isIsoDate(line)) {
      ctx.addIssue({ code: 'custom', message: `Line ${index + 1} ("${shown}") is not a date. Write one date per line as YYYY-MM-DD, e.g. 2026-12-24.` });
      return z.NEVER;
    }
    dates.push(line);
  }
  const unique = [...new Set(dates)].sort();
  if (unique.length > MAX_CLOSURES) ctx.addIssue({ code: 'custom', message: `At most ${MAX_CLOSURES} closure days.` });
  return unique;
});

// Where each policy path is entered on the form, to put the policy schema's messages under it.
const FIELD_FOR_PATH: Record<string, string> = {
  'earlyReviewWorkingDays.urgent': 'earlyUrgent',
  'earlyReviewWorkingDays.standard': 'earlyStandard',
  'mappaReviewWeeks.level2': 'mappaLevel2',
  'mappaReviewWeeks.level3': 'mappaLevel3',
  officerSupervisionWeeks: 'supervisionWeeks',
  'reminders.beforeWorkingDays': 'reminderStages',
  'reminders.escalateAtWorkingDaysOverdue': 'escalationDays',
  visitAmendmentWindowDays: 'amendmentDays',
  storeArmsRatings: 'storeArmsRatings',
  externalRefPattern: 'externalRefPattern',
  ...Object.fromEntries(LEVELS.flatMap((l) => [[`intervals.${l}.visitMonths`, `visit${LEVEL_IDS[l]}`], [`intervals.${l}.reviewMonths`, `review${LEVEL_IDS[l]}`]])),
};

function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * The policy form, declared once: the team's name and zone in view, each part of the policy one
 * tap away. Each answer is checked by its field; the result is then validated again, whole, by the
 * policy's own schema against the team's current policy (keys the form does not show are kept),
 * with its messages put under the fields they came from (`_form` for the rest).
 */
export function declarePolicyForm(team: Team) {
  const zones: string[] = [...POLICY_TIME_ZONES];
  if (!zones.includes(team.timeZone)) zones.unshift(team.timeZone);
  const intervals = LEVELS.flatMap((level) => [
    whole(`visit${LEVEL_IDS[level]}`, `${riskLevelLabels[level]} risk: visit every (months)`, 1, 36, 'months', { group: INTERVALS }),
    whole(`review${LEVEL_IDS[level]}`, `${riskLevelLabels[level]} risk: review every (months)`, 1, 36, 'months', { group: INTERVALS }),
  ]);
  return defineForm(
    [
      text('name', 'Team name', { required: "Enter the team's name.", maxLength: MAX_TEAM_NAME_LENGTH, tooLong: `At most ${MAX_TEAM_NAME_LENGTH} characters.` }),
      select('timeZone', 'Time zone', zones.map((z) => ({ value: z, label: z })), { required: 'Choose a time zone.', invalid: 'Choose a time zone from the list.' }),
      ...intervals,
      whole('earlyUrgent', 'Early review after an urgent change (working days)', 1, 20, 'working days', { hint: 'Further offence, breach, missing, new access to a child.', group: INTERVALS }),
      whole('earlyStandard', 'Early review after a standard change (working days)', 1, 20, 'working days', { group: INTERVALS }),
      whole('mappaLevel2', 'MAPPA level 2 review every (weeks)', 1, 52, 'weeks', { group: INTERVALS }),
      whole('mappaLevel3', 'MAPPA level 3 review every (weeks)', 1, 52, 'weeks', { group: INTERVALS }),
      whole('supervisionWeeks', 'Officer supervision every (weeks)', 1, 26, 'weeks', { group: INTERVALS }),
      // Parsed into the list of days, so its piece is the parser (the platforms limit its length).
      custom(
        'reminderStages',
        {
          label: 'Reminders before a deadline (working days)',
          kind: 'text',
          required: false,
          maxLength: 40,
          hint: 'Numbers separated by commas, e.g. 10,3. Leave blank for no reminders before the due day.',
          group: REMINDERS,
        },
        reminderStagesPiece,
      ),
      whole('escalationDays', 'Tell the supervisor when overdue by (working days)', 1, 30, 'working days', { group: REMINDERS }),
      whole('amendmentDays', 'Visit records can be amended for (days)', 0, 90, 'days', { group: REMINDERS }),
      select(
        'storeArmsRatings',
        'Store ARMS factor ratings',
        [
          { value: 'no' as const, label: 'No: record only the risk level' },
          { value: 'yes' as const, label: 'Yes: store ratings (never shown in chat)' },
        ],
        { required: 'Choose yes or no.', group: RECORDS },
      ),
      text('externalRefPattern', 'External reference format (regular expression)', {
        maxLength: 200,
        tooLong: 'At most 200 characters.',
        check: validPattern,
        hint: 'The whole reference must match, e.g. [A-Z]{2}\\d{6}. Leave blank to accept any reference.',
        group: RECORDS,
      }),
      // Parsed into the list of dates, so its piece is the parser.
      custom(
        'closures',
        {
          label: 'Team closure days',
          kind: 'textarea',
          required: false,
          maxLength: 3000,
          hint: 'One date per line as YYYY-MM-DD. Bank holidays in England and Wales are already known.',
          group: CALENDAR,
        },
        closuresPiece,
      ),
    ],
    {
      values: (v, ctx) => {
        const current = team.policy;
        const level = (l: RiskLevel) => ({ visitMonths: v[`visit${LEVEL_IDS[l]}`], reviewMonths: v[`review${LEVEL_IDS[l]}`] });
        const candidate: TeamPolicy = {
          ...current,
          intervals: { ...current.intervals, very_high: level('very_high'), high: level('high'), medium: level('medium'), low: level('low') },
          earlyReviewWorkingDays: { urgent: v.earlyUrgent, standard: v.earlyStandard },
          mappaReviewWeeks: { level2: v.mappaLevel2, level3: v.mappaLevel3 },
          officerSupervisionWeeks: v.supervisionWeeks,
          reminders: { ...current.reminders, beforeWorkingDays: v.reminderStages, escalateAtWorkingDaysOverdue: v.escalationDays },
          visitAmendmentWindowDays: v.amendmentDays,
          storeArmsRatings: v.storeArmsRatings === 'yes',
          externalRefPattern: v.externalRefPattern,
        };
        const checked = policySchema.safeParse(candidate);
        if (!checked.success) {
          for (const issue of checked.error.issues) {
            const path = issue.path.join('.');
            const field = FIELD_FOR_PATH[path];
            const message = field ? sentence(issue.message) : `The policy is not valid: ${path ? `${path}: ` : ''}${issue.message}.`;
            ctx.addIssue({ code: 'custom', path: field ? [field] : [], message });
          }
          return z.NEVER;
        }
        return { name: v.name.replace(/\s+/g, ' '), timeZone: v.timeZone, policy: checked.data, closures: v.closures };
      },
    },
  );
}

/** A validated policy form: the team's settings to save. */
export type PolicySettings = FormValues<ReturnType<typeof declarePolicyForm>>;

/** The policy form ready to show. */
export function policyForm(team: Team, values: Record<string, FieldValue> = policyFormValues(team)): FormView {
  return {
    id: POLICY_FORM,
    title: 'Team policy',
    submitLabel: 'Save policy',
    intro: 'These start at the usual MOSOVO defaults. Saving recalculates the due dates of every active case, and the change is recorded in the audit trail.',
    fields: declarePolicyForm(team).fields,
    values,
    errors: {},
    context: {},
  };
}
