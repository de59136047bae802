/**
 * Officer supervision (supervisors only): `supervision @officer` or `supervision` opens the form
 * (officer, date, the officer's very high and high risk cases to tick off, workload, wellbeing,
 * development, actions, next session). Saving records the session, makes its actions deadlines,
 * and keeps one open 'officer_supervision' deadline per officer for the supervisor. Wellbeing is
 * personal: stored for the officer and their supervisors, never shown in any chat message.
 */
import { authorize, isOwnCase, type Actor } from '../access/permissions.ts';
import { addWeeks, type IsoDate, type WorkingCalendar } from '../calendar/working-calendar.ts';
import type { Feature } from '../commands/registry.ts';
import type { Case, Member } from '../domain/entities.ts';
import { riskLevelLabels } from '../domain/vocabulary.ts';
import { checkboxes, date, defineForm, onlyIf, select, textarea } from '../forms/form-declaration.ts';
import { readForm } from '../forms/form-runtime.ts';
import type { InboundContext, Reply } from '../interaction.ts';
import type { Repositories } from '../ports.ts';
import { asActor, audit, calendarFor, teamToday, type CoreRequest } from '../services.ts';
import { formatDate } from '../views/format.ts';
import type { FieldValue, FormView } from '../views/form-view.ts';
import { actionFields, checkActions, collectActions } from './note-form.ts';
import { strengthsEvidence, strengthsIntro, type StrengthsEvidence } from './supervision-strengths.ts';

/** The form id and title. */
export const SESSION_FORM = 'supervision.session';
export const SESSION_FORM_TITLE = 'Officer supervision';

/** Actions one session can set. */
export const SESSION_ACTIONS = 3;

const TEXT_MAX = 3000;
const USAGE = 'supervision [@officer]';

function officersOf(members: readonly Member[], actor: Actor): Member[] {
  return members.filter((m) => m.active && m.roles.includes('officer') && m.id !== actor.member.id);
}

/** Very high and high risk active cases an officer leads or co-works. */
function casesToReview(cases: readonly Case[], officer: Member | undefined, officers: readonly Member[]): Case[] {
  const ids = new Set(officers.map((o) => o.id));
  return cases.filter(
    (c) =>
      c.status === 'active' &&
      (c.riskLevel === 'very_high' || c.riskLevel === 'high') &&
      (officer ? isOwnCase(officer, c) : (c.leadOfficerId !== null && ids.has(c.leadOfficerId))),
  );
}

/** What the session form is declared for: the roster, the cases to review, today and the team's interval. */
export interface SessionFormContext {
  members: readonly Member[];
  /** The officers the supervisor may record a session with. */
  officers: readonly Member[];
  /** Every case of the team: those to review are picked from it, for the chosen officer. */
  allCases: readonly Case[];
  /** The officer the form opened for, if one was named. */
  officer?: Member;
  /** Cases without strengths lately, marked in the list when known. */
  strengths?: StrengthsEvidence;
  today: IsoDate;
  weeks: number;
  calendar: WorkingCalendar;
}

/** The session form, declared once: its fields, the schema that reads them, and so its values. */
export function declareSessionForm({ members, officers, allCases, officer, strengths, today, weeks, calendar }: SessionFormContext) {
  const cases = casesToReview(allCases, officer, officers);
  const name = new Map(members.map((m) => [m.id, m.displayName]));
  const noStrengths = new Set(strengths?.withoutStrengths.map((c) => c.caseId) ?? []);
  const TOO_LONG = `Keep this to ${TEXT_MAX} characters or fewer.`;
  const note = <Id extends string>(id: Id, label: string, hint?: string) => textarea(id, label, { maxLength: TEXT_MAX, tooLong: TOO_LONG, ...(hint ? { hint } : {}) });
  const NOT_THEIRS = "Tick only this officer's very high and high risk cases.";
  return defineForm(
    [
      select('officerId', 'Officer', officers.map((o) => ({ value: o.id, label: o.displayName.slice(0, 75) })), { required: 'Choose an officer from your team.', keepChecking: true }),
      date('heldOn', 'Date of session', {
        required: 'Enter the date of the session.',
        check: (d) => d.refine((v) => v <= today, { message: 'The session cannot be in the future.' }),
      }),
      ...onlyIf(
        cases.length > 0,
        checkboxes(
          'casesReviewed',
          'Very high and high risk cases reviewed',
          cases.slice(0, 100).map((c) => ({
            value: c.id,
            label: `${c.key} (${riskLevelLabels[c.riskLevel]})${noStrengths.has(c.id) ? ' · no strengths lately' : ''}${officer ? '' : ` · ${name.get(c.leadOfficerId ?? '') ?? ''}`}`.slice(0, 75),
          })),
          // Checked by the form's rule against the chosen officer's cases, not the list shown when it opened.
          {},
        ),
      ),
      note('workload', 'Workload'),
      note('wellbeing', 'Wellbeing', 'Personal: seen only by the officer and their supervisors, never posted to a channel.'),
      note('development', 'Development'),
      ...actionFields(members, SESSION_ACTIONS, today),
      date('nextSessionOn', 'Next session', {
        invalid: 'Enter the next session as a date.',
        check: (d) => d.refine((v) => v > today, { message: 'The next session must be after today.' }),
        hint: 'Leave blank for the team default.',
      }),
    ],
    {
      check: (v, ctx) => {
        const chosen = officers.find((o) => o.id === v.officerId);
        const allowed = new Set(casesToReview(allCases, chosen, officers).map((c) => c.id));
        if ((v.casesReviewed ?? []).some((id) => !allowed.has(id))) ctx.addIssue({ code: 'custom', path: ['casesReviewed'], message: NOT_THEIRS });
        checkActions(v, SESSION_ACTIONS, ctx);
      },
      values: (v) => ({
        officerId: v.officerId,
        heldOn: v.heldOn,
        casesReviewed: v.casesReviewed ?? [],
        workload: v.workload,
        wellbeing: v.wellbeing,
        development: v.development,
        nextSessionOn: v.nextSessionOn ?? nextSessionProposal(v.heldOn, weeks, calendar),
        actions: collectActions(v, SESSION_ACTIONS),
      }),
    },
  );
}

function sessionForm(declared: SessionFormContext, values: Record<string, FieldValue>): FormView {
  const { officer, strengths, officers } = declared;
  const cases = casesToReview(declared.allCases, officer, officers);
  return {
    id: SESSION_FORM,
    title: SESSION_FORM_TITLE,
    submitLabel: 'Record session',
    intro: [
      cases.length
        ? `${officer ? `${officer.displayName} has` : 'Your officers have'} ${cases.length} very high or high risk case${cases.length === 1 ? '' : 's'}: review each and tick it off below.`
        : 'No very high or high risk cases to review.',
      ...(strengths ? [strengthsIntro(strengths, officers, officer)] : []),
    ].join(' '),
    fields: declareSessionForm(declared).fields,
    values,
    errors: {},
    context: {},
  };
}

/**
 * The next session Casework proposes: the team's interval after this one, on a working day (the
 * previous one when the interval ends on a weekend, bank holiday or closure day).
 */
export function nextSessionProposal(heldOn: IsoDate, weeks: number, calendar: WorkingCalendar): IsoDate {
  return calendar.onOrBeforeWorkingDay(addWeeks(heldOn, weeks));
}

/** The officer named by a Slack mention (`<@U123|name>`) or a user id, if on the team. */
async function mentionedOfficer(repos: Repositories, ctx: InboundContext, arg: string | undefined, officers: readonly Member[]): Promise<Member | undefined> {
  const userId = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/i.exec(arg ?? '')?.[1];
  if (!userId) return undefined;
  const identities = await repos.members.findIdentities(ctx.user.platform, ctx.user.workspaceId, userId);
  return officers.find((o) => identities.some((i) => i.memberId === o.id));
}

/** Opens the session form from a button (the officer-supervision reminder's Done): `officerId` chosen. */
export const SESSION_OPEN_ACTION = 'supervision.session.open';

async function openSession(req: CoreRequest, arg: string | undefined, officerId?: string): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    authorize(actor, 'supervision.write');
    const members = await repos.members.listByTeam(actor.team.id);
    const officers = officersOf(members, actor);
    const byName = arg ? officers.find((o) => o.displayName.toLowerCase() === arg.replace(/^@/, '').toLowerCase()) : undefined;
    const officer = (await mentionedOfficer(repos, req.ctx, arg, officers)) ?? byName ?? officers.find((o) => o.id === officerId);
    const allCases = await repos.cases.listAll(actor.team.id);
    const today = teamToday(req.services, actor.team);
    const weeks = actor.team.policy.officerSupervisionWeeks;
    const calendar = calendarFor(actor.team);
    const values = { heldOn: today, nextSessionOn: nextSessionProposal(today, weeks, calendar), ...(officer ? { officerId: officer.id } : {}) };
    const strengths = await strengthsEvidence(repos, actor.team, today);
    const declared = { members, officers, allCases, today, weeks, calendar, strengths, ...(officer ? { officer } : {}) };
    return { type: 'form', form: sessionForm(declared, values) };
  });
}

async function submitSession(req: CoreRequest, raw: Record<string, unknown>): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    authorize(actor, 'supervision.write');
    const members = await repos.members.listByTeam(actor.team.id);
    const officers = officersOf(members, actor);
    const allCases = await repos.cases.listAll(actor.team.id);
    const today = teamToday(req.services, actor.team);
    const declared = { members, officers, allCases, today, weeks: actor.team.policy.officerSupervisionWeeks, calendar: calendarFor(actor.team) };
    const form = sessionForm(declared, {});
    const parsed = readForm(form, raw, declareSessionForm(declared));
    if (!parsed.ok) return parsed.reply;
    const v = parsed.data;
    const session = await repos.supervision.createSession({
      teamId: actor.team.id,
      supervisorId: actor.member.id,
      officerId: v.officerId,
      heldOn: v.heldOn,
      casesReviewed: v.casesReviewed,
      workload: v.workload ?? '',
      wellbeing: v.wellbeing ?? '',
      development: v.development ?? '',
      nextSessionOn: v.nextSessionOn,
    });
    const actions = await repos.supervision.setActions({ sessionId: session.id }, v.actions);
    for (const a of actions) {
      await repos.deadlines.syncOpen({ teamId: actor.team.id, kind: 'supervision_action', subjectKey: `action:${a.id}`, caseId: null, ownerMemberId: a.ownerMemberId, dueOn: a.dueOn });
    }
    // The previous session's deadline is met by this one; the next is owed by the supervisor.
    await repos.deadlines.markMet(`supervision:${v.officerId}`, req.services.clock.now(), v.heldOn);
    await repos.deadlines.syncOpen({ teamId: actor.team.id, kind: 'officer_supervision', subjectKey: `supervision:${v.officerId}`, caseId: null, ownerMemberId: actor.member.id, dueOn: calendarFor(actor.team).onOrBeforeWorkingDay(v.nextSessionOn) });
    await audit(repos, actor, {
      action: 'supervision.session_recorded',
      entityType: 'supervision_session',
      entityId: session.id,
      after: { officerId: v.officerId, heldOn: v.heldOn, casesReviewed: v.casesReviewed.length, actions: actions.length, nextSessionOn: v.nextSessionOn },
    });
    const officer = officers.find((o) => o.id === v.officerId)!;
    return {
      type: 'message',
      view: {
        kind: 'supervision-session',
        title: `Supervision recorded: ${officer.displayName}`,
        notice: { tone: 'info', text: 'Saved. Wellbeing notes are kept privately for the officer and their supervisors.' },
        facts: [
          { label: 'Date', value: formatDate(v.heldOn) },
          { label: 'Cases reviewed', value: String(v.casesReviewed.length) },
          { label: 'Actions', value: String(actions.length) },
          { label: 'Next session', value: formatDate(calendarFor(actor.team).onOrBeforeWorkingDay(v.nextSessionOn)) },
        ],
      },
    };
  });
}

/** The officer supervision feature. */
export const officerSupervisionFeature: Feature = {
  commands: [
    {
      name: 'supervision',
      audience: ['supervisor'],
      usage: USAGE,
      summary: 'Record a one-to-one supervision session with an officer (supervisors).',
      opensForm: () => SESSION_FORM_TITLE,
      run: (req, cmd) => openSession(req, cmd.rest || undefined),
    },
  ],
  actions: [{ id: SESSION_OPEN_ACTION, opensForm: () => SESSION_FORM_TITLE, run: (req, value) => openSession(req, undefined, value.officerId) }],
  forms: [{ id: SESSION_FORM, submit: (req, raw) => submitSession(req, raw) }],
};
