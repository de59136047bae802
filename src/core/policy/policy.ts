/**
 * Owns a team's policy: the intervals, early-review windows, reminder stages and data choices
 * of docs/domain.md, their defaults, and the one zod schema that loads them. Stored policy JSON is
 * merged over the defaults, so a policy saved by an older version (missing newer keys) still loads.
 */
import { z } from 'zod';
import { DomainError } from '../errors.ts';
import type { RiskLevel } from '../domain/vocabulary.ts';

const MAX_PATTERN_LENGTH = 200;

function wholeNumber(min: number, max: number, unit: string, alternative = '') {
  const message = `must be ${alternative}a whole number of ${unit} from ${min} to ${max}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

// Same bounds as the plan override columns on cases (1-36 months).
const months = wholeNumber(1, 36, 'months');

const intervalSchema = z.object(
  { visitMonths: months, reviewMonths: months },
  { error: 'must be an object with visitMonths and reviewMonths' },
);

const reactiveIntervalSchema = z.object(
  {
    visitMonths: wholeNumber(1, 36, 'months', 'null (none) or ').nullable(),
    reviewMonths: wholeNumber(1, 36, 'months', 'null (none) or ').nullable(),
  },
  { error: 'must be an object with visitMonths and reviewMonths (null for none)' },
);

const clockTime = z
  .string({ error: 'must be a time such as 08:30' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time such as 08:30 (24-hour HH:mm)' });

const externalRefPattern = z
  .string({ error: 'must be a regular expression or null' })
  .min(1, { error: 'must not be empty (use null for no pattern)' })
  .max(MAX_PATTERN_LENGTH, { error: `must be at most ${MAX_PATTERN_LENGTH} characters` })
  .superRefine((source, ctx) => {
    try {
      new RegExp(source, 'u');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      ctx.addIssue({ code: 'custom', message: `is not a valid regular expression (${reason})` });
    }
  })
  .nullable();

const beforeWorkingDays = z
  .array(wholeNumber(1, 60, 'working days'), { error: 'must be a list of working-day counts, e.g. [10, 3]' })
  .max(5, { error: 'must have at most 5 early reminders' })
  .refine((days) => new Set(days).size === days.length, { error: 'must not repeat a number' })
  // Earliest reminder first, whatever order the admin typed.
  .transform((days) => [...days].sort((a, b) => b - a));

/** The complete policy shape, without defaults: every key must be present. */
const completePolicySchema = z.object(
  {
    intervals: z.object(
      {
        very_high: intervalSchema,
        high: intervalSchema,
        medium: intervalSchema,
        low: intervalSchema,
        reactive: reactiveIntervalSchema,
      },
      { error: 'must be an object keyed by risk level' },
    ),
    earlyReviewWorkingDays: z.object(
      { urgent: wholeNumber(1, 20, 'working days'), standard: wholeNumber(1, 20, 'working days') },
      { error: 'must be an object with urgent and standard' },
    ),
    mappaReviewWeeks: z.object(
      { level2: wholeNumber(1, 52, 'weeks'), level3: wholeNumber(1, 52, 'weeks') },
      { error: 'must be an object with level2 and level3' },
    ),
    officerSupervisionWeeks: wholeNumber(1, 26, 'weeks'),
    reminders: z.object(
      {
        beforeWorkingDays,
        onDueDate: z.boolean({ error: 'must be true or false' }),
        dailyWhileOverdue: z.boolean({ error: 'must be true or false' }),
        escalateAtWorkingDaysOverdue: wholeNumber(1, 30, 'working days'),
        defaultTime: clockTime,
      },
      { error: 'must be an object' },
    ),
    visitAmendmentWindowDays: wholeNumber(0, 90, 'days'),
    storeArmsRatings: z.boolean({ error: 'must be true or false' }),
    externalRefPattern,
  },
  { error: 'policy must be an object' },
);

/** A team's policy, every value filled in. */
export type TeamPolicy = z.output<typeof completePolicySchema>;

/** Visit and review intervals (months) for a risk level under active management. */
export type RiskInterval = TeamPolicy['intervals'][RiskLevel];

/** The defaults of docs/domain.md: a starting point the team admin can change. */
export function defaultPolicy(): TeamPolicy {
  return {
    intervals: {
      very_high: { visitMonths: 1, reviewMonths: 3 },
      high: { visitMonths: 3, reviewMonths: 6 },
      medium: { visitMonths: 6, reviewMonths: 12 },
      low: { visitMonths: 12, reviewMonths: 12 },
      reactive: { visitMonths: null, reviewMonths: null },
    },
    earlyReviewWorkingDays: { urgent: 1, standard: 5 },
    mappaReviewWeeks: { level2: 16, level3: 8 },
    officerSupervisionWeeks: 4,
    reminders: {
      beforeWorkingDays: [10, 3],
      onDueDate: true,
      dailyWhileOverdue: true,
      escalateAtWorkingDaysOverdue: 2,
      defaultTime: '08:30',
    },
    visitAmendmentWindowDays: 7,
    storeArmsRatings: false,
    externalRefPattern: null,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Objects merge key by key; arrays, primitives and nulls in the input replace the default.
function mergeOver(defaults: unknown, input: unknown): unknown {
  if (input === undefined) return defaults;
  if (!isPlainObject(defaults) || !isPlainObject(input)) return input;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(input)) merged[key] = mergeOver(defaults[key], value);
  return merged;
}

/**
 * The policy schema: accepts any partial policy (or null/undefined for "all defaults"),
 * merges it over {@link defaultPolicy}, and validates the result. Unknown keys are dropped.
 */
export const policySchema = z.preprocess(
  (input) => mergeOver(defaultPolicy(), input ?? {}),
  completePolicySchema,
);

/** Result of {@link safeParsePolicy}. */
export type PolicyParseResult =
  | { success: true; policy: TeamPolicy }
  | { success: false; problems: string[] };

/** Parses stored or submitted policy; on failure lists every problem as "path: message". */
export function safeParsePolicy(input: unknown): PolicyParseResult {
  const result = policySchema.safeParse(input);
  if (result.success) return { success: true, policy: result.data };
  const problems = result.error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  return { success: false, problems };
}

/** Parses policy or throws an `invalid_input` DomainError naming every problem. */
export function parsePolicy(input: unknown): TeamPolicy {
  const result = safeParsePolicy(input);
  if (result.success) return result.policy;
  throw new DomainError('invalid_input', `The team policy is not valid: ${result.problems.join('; ')}`, {
    problems: result.problems,
  });
}

/**
 * True if an external reference fits the team's pattern (matched as a whole), or if the team
 * set no pattern.
 */
export function matchesExternalRefPattern(policy: Pick<TeamPolicy, 'externalRefPattern'>, ref: string): boolean {
  if (policy.externalRefPattern === null) return true;
  return new RegExp(`^(?:${policy.externalRefPattern})$`, 'u').test(ref);
}
