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
import { blankToUndefined } from '../forms/form-runtime.ts';
import { policySchema, type TeamPolicy } from '../policy/policy.ts';
import type { FieldValue, FieldView, FormView } from '../views/form-view.ts';
import { MAX_TEAM_NAME_LENGTH } from './team-registration.ts';

/** The form id of the policy form. */
export const POLICY_FORM = 'policy.set';

/** Time zones a team may choose: the UK and Crown Dependencies, Ireland, and UTC. */
export const POLICY_TIME_ZONES = ['Europe/London', 'Europe/Jersey', 'Europe/Guernsey', 'Europe/Isle_of_Man', 'Europe/Dublin', 'UTC'] as const;

const LEVELS: readonly RiskLevel[] = ['very_high', 'high', 'medium', 'low'];
const LEVEL_IDS: Record<RiskLevel, string> = { very_high: 'VeryHigh', high: 'High', medium: 'Medium', low: 'Low' };
const MAX_CLOSURES = 200;

function wholeNumberField(id: string, label: string, min: number, max: number, hint?: string): FieldView {
  return { id, label, kind: 'number', required: true, min, max, ...(hint ? { hint } : {}) };
}

const INTERVALS = 'Visit and review intervals';
const REMINDERS = 'Reminders, escalation and amendments';
const RECORDS = 'Records and references';
const CALENDAR = 'Closure days';

/** The fields of the policy form: the team's name and zone in view, each part of the policy one tap away. */
export function policyFields(team: Team): FieldView[] {
  const zones: string[] = [...POLICY_TIME_ZONES];
  if (!zones.includes(team.timeZone)) zones.unshift(team.timeZone);
  return [
    { id: 'name', label: 'Team name', kind: 'text', required: true, maxLength: MAX_TEAM_NAME_LENGTH },
    { id: 'timeZone', label: 'Time zone', kind: 'select', required: true, options: zones.map((z) => ({ value: z, label: z })) },
    ...LEVELS.flatMap((level) => [
      { ...wholeNumberField(`visit${LEVEL_IDS[level]}`, `${riskLevelLabels[level]} risk: visit every (months)`, 1, 36), group: INTERVALS },
      { ...wholeNumberField(`review${LEVEL_IDS[level]}`, `${riskLevelLabels[level]} risk: review every (months)`, 1, 36), group: INTERVALS },
    ]),
    { ...wholeNumberField('earlyUrgent', 'Early review after an urgent change (working days)', 1, 20, 'Further offence, breach, missing, new access to a child.'), group: INTERVALS },
    { ...wholeNumberField('earlyStandard', 'Early review after a standard change (working days)', 1, 20), group: INTERVALS },
    { ...wholeNumberField('mappaLevel2', 'MAPPA level 2 review every (weeks)', 1, 52), group: INTERVALS },
    { ...wholeNumberField('mappaLevel3', 'MAPPA level 3 review every (weeks)', 1, 52), group: INTERVALS },
    { ...wholeNumberField('supervisionWeeks', 'Officer supervision every (weeks)', 1, 26), group: INTERVALS },
    {
      id: 'reminderStages',
      label: 'Reminders before a deadline (working days)',
      kind: 'text',
      required: false,
      maxLength: 40,
      hint: 'Numbers separated by commas, e.g. 10,3. Leave blank for no reminders before the due day.',
      group: REMINDERS,
    },
    { ...wholeNumberField('escalationDays', 'Tell the supervisor when overdue by (working days)', 1, 30), group: REMINDERS },
    { ...wholeNumberField('amendmentDays', 'Visit records can be amended for (days)', 0, 90), group: REMINDERS },
    {
      id: 'storeArmsRatings',
      label: 'Store ARMS factor ratings',
      kind: 'select',
      required: true,
      options: [
        { value: 'no', label: 'No: record only the risk level' },
        { value: 'yes', label: 'Yes: store ratings (never shown in chat)' },
      ],
      group: RECORDS,
    },
    {
      id: 'externalRefPattern',
      label: 'External reference format (regular expression)',
      kind: 'text',
      required: false,
      maxLength: 200,
      hint: 'The whole reference must match, e.g. [A-Z]{2}\\d{6}. Leave blank to accept any reference.',
      group: RECORDS,
    },
    {
      id: 'closures',
      label: 'Team closure days',
      kind: 'textarea',
      required: false,
      maxLength: 3000,
      hint: 'One date per line as YYYY-MM-DD. Bank holidays in England and Wales are already known.',
      group: CALENDAR,
    },
  ];
}

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

function whole(min: number, max: number, unit: string) {
  const message = `Enter a whole number of ${unit} from ${min} to ${max}.`;
  return z.preprocess(blankToUndefined, z.coerce.number({ message }).int({ message }).min(min, { message }).max(max, { message }));
}

const reminderStages = z.string().transform((text, ctx) => {
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

const externalRefPattern = z.preprocess(
  blankToUndefined,
  z
    .string()
    .max(200, { message: 'At most 200 characters.' })
    .superRefine((source, ctx) => {
      try {
        new RegExp(source, 'u');
      } catch (error) {
        const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
        ctx.addIssue({ code: 'custom', message: `That is not a valid regular expression (${reason.slice(0, 80)}). Fix it or leave the field blank.` });
      }
    })
    .optional(),
);

const closures = z.string().transform((text, ctx) => {
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

/** What the form's own schema returns: the fields, typed. */
const formSchema = z.object({
  name: z.string().transform((s) => s.replace(/\s+/g, ' ').trim()).pipe(z.string().min(1, { message: "Enter the team's name." }).max(MAX_TEAM_NAME_LENGTH, { message: `At most ${MAX_TEAM_NAME_LENGTH} characters.` })),
  timeZone: z.string().refine((zone) => zone !== '', { message: 'Choose a time zone.' }),
  visitVeryHigh: whole(1, 36, 'months'),
  reviewVeryHigh: whole(1, 36, 'months'),
  visitHigh: whole(1, 36, 'months'),
  reviewHigh: whole(1, 36, 'months'),
  visitMedium: whole(1, 36, 'months'),
  reviewMedium: whole(1, 36, 'months'),
  visitLow: whole(1, 36, 'months'),
  reviewLow: whole(1, 36, 'months'),
  earlyUrgent: whole(1, 20, 'working days'),
  earlyStandard: whole(1, 20, 'working days'),
  mappaLevel2: whole(1, 52, 'weeks'),
  mappaLevel3: whole(1, 52, 'weeks'),
  supervisionWeeks: whole(1, 26, 'weeks'),
  reminderStages,
  escalationDays: whole(1, 30, 'working days'),
  amendmentDays: whole(0, 90, 'days'),
  storeArmsRatings: z.enum(['yes', 'no'], { message: 'Choose yes or no.' }),
  externalRefPattern,
  closures,
});

/** A validated policy form: the team's settings to save. */
export interface PolicySettings {
  name: string;
  timeZone: string;
  policy: TeamPolicy;
  closures: IsoDate[];
}

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
 * Validates a normalised submission against the team's current policy (keys the form does not
 * show are kept). Returns the settings, or messages by field id (`_form` for the rest).
 */
export function parsePolicyForm(team: Team, values: Record<string, FieldValue>): { success: true; settings: PolicySettings } | { success: false; errors: Record<string, string> } {
  const zones = new Set(policyFields(team).find((f) => f.id === 'timeZone')?.options?.map((o) => o.value));
  const parsed = formSchema.refine((v) => zones.has(v.timeZone), { message: 'Choose a time zone from the list.', path: ['timeZone'] }).safeParse(values);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const head = issue.path[0];
      errors[typeof head === 'string' ? head : '_form'] ??= issue.message;
    }
    return { success: false, errors };
  }
  const v = parsed.data;
  const current = team.policy;
  const candidate: TeamPolicy = {
    ...current,
    intervals: {
      ...current.intervals,
      very_high: { visitMonths: v.visitVeryHigh, reviewMonths: v.reviewVeryHigh },
      high: { visitMonths: v.visitHigh, reviewMonths: v.reviewHigh },
      medium: { visitMonths: v.visitMedium, reviewMonths: v.reviewMedium },
      low: { visitMonths: v.visitLow, reviewMonths: v.reviewLow },
    },
    earlyReviewWorkingDays: { urgent: v.earlyUrgent, standard: v.earlyStandard },
    mappaReviewWeeks: { level2: v.mappaLevel2, level3: v.mappaLevel3 },
    officerSupervisionWeeks: v.supervisionWeeks,
    reminders: { ...current.reminders, beforeWorkingDays: v.reminderStages, escalateAtWorkingDaysOverdue: v.escalationDays },
    visitAmendmentWindowDays: v.amendmentDays,
    storeArmsRatings: v.storeArmsRatings === 'yes',
    externalRefPattern: v.externalRefPattern ?? null,
  };
  const checked = policySchema.safeParse(candidate);
  if (!checked.success) {
    const errors: Record<string, string> = {};
    for (const issue of checked.error.issues) {
      const path = issue.path.join('.');
      const field = FIELD_FOR_PATH[path] ?? '_form';
      errors[field] ??= field === '_form' ? `The policy is not valid: ${path ? `${path}: ` : ''}${issue.message}.` : sentence(issue.message);
    }
    return { success: false, errors };
  }
  return { success: true, settings: { name: v.name, timeZone: v.timeZone, policy: checked.data, closures: v.closures } };
}

/** The policy form ready to show. */
export function policyForm(team: Team, values: Record<string, FieldValue> = policyFormValues(team)): FormView {
  return {
    id: POLICY_FORM,
    title: 'Team policy',
    submitLabel: 'Save policy',
    intro: 'These start at the usual MOSOVO defaults. Saving recalculates the due dates of every active case, and the change is recorded in the audit trail.',
    fields: policyFields(team),
    values,
    errors: {},
    context: {},
  };
}
