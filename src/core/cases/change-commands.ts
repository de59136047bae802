/**
 * Reporting a significant change in chat: `change CW-7K3P`, the card's "Report a change" button,
 * and the form (kind, date noticed, urgency). One transaction stores the change, brings the early
 * review forward and writes the audit. Chat never names the kind of change: only its urgency.
 */

import { addCalendarDays, type IsoDate } from '../calendar/working-calendar.ts';
import type { Feature } from '../commands/registry.ts';
import type { Case, Team } from '../domain/entities.ts';
import {
  changeUrgencies,
  changeUrgencyLabels,
  isOneOf,
  significantChangeKinds,
  significantChanges,
  urgencyOf,
  type ChangeUrgency,
  type SignificantChangeKind,
} from '../domain/vocabulary.ts';
import { choices, date, defineForm, select, type FormValues } from '../forms/form-declaration.ts';
import { readForm } from '../forms/form-runtime.ts';
import type { Reply } from '../interaction.ts';
import { asActor, audit, teamToday, type CoreRequest } from '../services.ts';
import { formatDate } from '../views/format.ts';
import type { FieldValue, FormView } from '../views/form-view.ts';
import { changedCaseReply, loadCaseToRecord } from './case-commands.ts';
import { refreshCaseDeadlines } from './case-deadlines-sync.ts';
import { requireCaseKey } from './case-key.ts';

/** The form id of the significant-change form. */
export const CHANGE_FORM = 'change.record';

/** The title of the significant-change form (also what Slack shows while it loads). */
export const CHANGE_FORM_TITLE = 'Report a change';

/** How far back a change may be reported as noticed, in calendar days. */
export const CHANGE_MAX_DAYS_BACK = 90;

const USAGE = 'change CW-7K3P';

// Why a kind cannot be downgraded, in the words an officer would use.
const ALWAYS_URGENT: Partial<Record<SignificantChangeKind, string>> = {
  further_offence: 'A further offence, arrest or charge is always urgent.',
  breach: 'A breach of an order, licence or notification requirement is always urgent.',
  missing: 'A person going missing is always urgent.',
  child_access: 'New access to a child, or a child in the household, is always urgent.',
};

/** The change form, declared once: its fields (review windows from the team's policy), the schema bound to today, and so its values. */
export function declareChangeForm(team: Team, today: IsoDate) {
  const earliest = addCalendarDays(today, -CHANGE_MAX_DAYS_BACK);
  const days = (u: ChangeUrgency) => team.policy.earlyReviewWorkingDays[u];
  const within = (u: ChangeUrgency) => `${changeUrgencyLabels[u]}: review within ${days(u)} working day${days(u) === 1 ? '' : 's'}`;
  return defineForm(
    [
      select('kind', 'What has changed', choices(significantChangeKinds, (k) => `${significantChanges[k].label}${urgencyOf(k) === 'urgent' ? ' (urgent)' : ''}`), {
        required: 'Choose what has changed from the list.',
      }),
      date('noticedOn', 'Date noticed', {
        required: 'Enter the date the change was noticed.',
        check: (d) =>
          d
            .refine((v) => v <= today, { message: 'The date noticed cannot be in the future.' })
            .refine((v) => v >= earliest, {
              message: `The date noticed must be within the last ${CHANGE_MAX_DAYS_BACK} days (on or after ${formatDate(earliest)}). Raise an older change with your supervisor.`,
            }),
      }),
      select('urgency', 'Urgency', choices(changeUrgencies, within), {
        invalid: 'Choose urgent or standard.',
        hint: 'Leave blank for the usual urgency (marked in the list). A change marked urgent cannot be made standard.',
      }),
    ],
    {
      check: (v, ctx) => {
        if (v.urgency === 'standard' && urgencyOf(v.kind) === 'urgent') {
          ctx.addIssue({ code: 'custom', path: ['urgency'], message: ALWAYS_URGENT[v.kind] ?? 'This kind of change is always urgent.' });
        }
      },
      values: (v) => ({ kind: v.kind, noticedOn: v.noticedOn, urgency: v.urgency ?? urgencyOf(v.kind) }),
    },
  );
}

/** The validated change form. */
export type ChangeFormValues = FormValues<ReturnType<typeof declareChangeForm>>;

/** The change form ready to show, dated today unless answers are given. */
export function changeForm(team: Team, c: Case, today: IsoDate, values?: Record<string, FieldValue>): FormView {
  return {
    id: CHANGE_FORM,
    title: CHANGE_FORM_TITLE,
    submitLabel: 'Report change',
    intro: `Case ${c.key}. A significant change brings the assessment review forward. Do not add names or details: choose the kind of change only.`,
    fields: declareChangeForm(team, today).fields,
    values: values ?? { noticedOn: today },
    errors: {},
    context: { caseKey: c.key },
  };
}

async function openChangeForm(req: CoreRequest, key: string): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const c = await loadCaseToRecord(repos, actor, key, 'change.record', 'a change');
    return { type: 'form', form: changeForm(actor.team, c, teamToday(req.services, actor.team)) };
  });
}

function earlyReviewNotice(before: Case, after: Case, urgency: ChangeUrgency): string {
  const recorded = `${changeUrgencyLabels[urgency]} change recorded.`;
  if (!after.earlyReviewDueOn) return `${recorded} No early review is scheduled.`;
  if (before.earlyReviewDueOn === after.earlyReviewDueOn) {
    return `${recorded} Early review still due ${formatDate(after.earlyReviewDueOn)}: an earlier reported change already brings it forward.`;
  }
  return `${recorded} Early review now due ${formatDate(after.earlyReviewDueOn)}.`;
}

async function submitChange(req: CoreRequest, raw: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const existing = await loadCaseToRecord(repos, actor, requireCaseKey(context.caseKey, USAGE), 'change.record', 'a change');
    const today = teamToday(req.services, actor.team);
    const form = changeForm(actor.team, existing, today);
    const parsed = readForm(form, raw, declareChangeForm(actor.team, today));
    if (!parsed.ok) {
      // Shown again (Teams), the urgency is filled in from the chosen kind if left blank.
      const { values, reply } = parsed;
      const kind = values.kind;
      const shown = !values.urgency && isOneOf(significantChangeKinds, kind) ? { ...values, urgency: urgencyOf(kind) } : values;
      return { ...reply, form: { ...reply.form, values: shown } };
    }
    const v = parsed.data;
    const event = await repos.cases.addChangeEvent({
      caseId: existing.id,
      kind: v.kind,
      urgency: v.urgency,
      reportedOn: v.noticedOn,
      source: 'manual',
      reportedBy: actor.member.id,
    });
    const after = await refreshCaseDeadlines(repos, actor.team, existing);
    await audit(repos, actor, {
      action: 'change.recorded',
      entityType: 'change_event',
      entityId: event.id,
      caseId: existing.id,
      before: { earlyReviewDueOn: existing.earlyReviewDueOn },
      after: { kind: v.kind, urgency: v.urgency, reportedOn: v.noticedOn, source: 'manual', earlyReviewDueOn: after.earlyReviewDueOn },
    });
    return changedCaseReply(repos, req, actor, after, { tone: 'info', text: earlyReviewNotice(existing, after, v.urgency) });
  });
}

/** The significant-change feature. */
export const changeFeature: Feature = {
  commands: [
    {
      name: 'change', menu: 7,
      audience: ['officer', 'supervisor'],
      usage: USAGE,
      summary: 'Report a significant change (urgent or standard); the early review comes forward.',
      opensForm: () => CHANGE_FORM_TITLE,
      run: (req, cmd) => openChangeForm(req, requireCaseKey(cmd.args[0], USAGE)),
    },
  ],
  actions: [
    {
      id: 'change.open',
      opensForm: () => CHANGE_FORM_TITLE,
      run: (req, value) => openChangeForm(req, requireCaseKey(value.caseKey, USAGE)),
    },
  ],
  forms: [{ id: CHANGE_FORM, submit: submitChange }],
};
