/**
 * Acting on reminders and seeing one's deadlines: the Done, Acknowledge and Snooze buttons (each
 * audited, the digest updated in place), the snooze form, `due` on both platforms, Teams'
 * refreshing `deadlines` card, and the content of Slack's App Home.
 */
import { z } from 'zod';
import type { Actor } from '../access/permissions.ts';
import { ASSESSMENT_FORM_TITLE } from '../cases/assessment-form.ts';
import { VISIT_FORM_TITLE } from '../visits/visit-form.ts';
import { addCalendarDays, todayIn, type WorkingCalendar } from '../calendar/working-calendar.ts';
import type { Feature } from '../commands/registry.ts';
import { validateSnooze } from '../deadlines/reminder-stages.ts';
import { DomainError } from '../errors.ts';
import { completeSupervisionAction } from '../supervision/action-done.ts';
import type { Reply } from '../interaction.ts';
import type { Repositories } from '../ports.ts';
import { asActor, audit, calendarFor, viewAsActor, type CoreRequest } from '../services.ts';
import { pageNumber } from '../commands/parse-command.ts';
import type { FieldOption, FormView } from '../views/form-view.ts';
import { formatDate } from '../views/format.ts';
import type { MessageView } from '../views/message-view.ts';
import { renderOutboxMessage } from './deliver-outbox.ts';
import { myDeadlinesFor } from './reminder-home.ts';
import type { DeadlineItem } from './reminder-ports.ts';
import { deadlineFilter, deadlineKindLabels, REMINDER_ACTIONS, type DeadlineListOptions } from './reminder-views.ts';
import { custom, defineForm } from '../forms/form-declaration.ts';
import { readForm } from '../forms/form-runtime.ts';

/** The snooze form's id and title. */
export const SNOOZE_FORM = 'reminder.snooze';
const SNOOZE_TITLE = 'Snooze reminder';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REVIEW_KINDS = new Set(['assessment_review', 'early_review']);

function actorToday(req: CoreRequest, actor: Actor): string {
  return todayIn(actor.member.timeZone ?? actor.team.timeZone, req.services.clock.now());
}

/** Loads a deadline the actor may act on: their own, or any in their team if they supervise. */
async function loadDeadline(repos: Repositories, actor: Actor, id: string | undefined): Promise<DeadlineItem> {
  const item = id && UUID.test(id) ? await repos.reminders.findDeadline(id) : undefined;
  if (!item || item.teamId !== actor.team.id) throw new DomainError('not_found', 'That deadline no longer exists. Type due to see your deadlines.');
  if (item.ownerMemberId !== actor.member.id && !actor.member.roles.includes('supervisor')) {
    throw new DomainError('not_authorised', 'Only the officer it belongs to, or a supervisor, can act on this deadline.');
  }
  return item;
}

/** The view to put back where the button was: the digest it came from, or the deadlines list. */
async function viewAfterActing(req: CoreRequest, repos: Repositories, actor: Actor, digestId: string | undefined): Promise<MessageView | undefined> {
  const now = req.services.clock.now();
  if (digestId && UUID.test(digestId)) {
    const message = await repos.reminders.findMessage(digestId);
    if (message && message.memberId === actor.member.id) return (await renderOutboxMessage(repos, message, now, true)) ?? undefined;
  }
  return myDeadlinesFor(repos, actor.member.id, now);
}

/** The form Done hands over to, from the button's own value (the same choice `done` makes). */
function doneFormTitle(value: Record<string, string>): string | null {
  if (REVIEW_KINDS.has(value.kind ?? '')) return ASSESSMENT_FORM_TITLE;
  if (value.kind === 'visit' && value.caseKey) return VISIT_FORM_TITLE;
  return null;
}

async function done(req: CoreRequest, value: Record<string, string>): Promise<Reply> {
  const item = await asActor(req, async (repos, actor) => {
    const found = await loadDeadline(repos, actor, value.deadlineId);
    await audit(repos, actor, { action: 'reminder.done_pressed', entityType: 'deadline', entityId: found.deadlineId, after: { kind: found.kind } });
    return found;
  });
  if (item.status !== 'open') return { type: 'message', view: { kind: 'reminder-done', title: 'Already done', paragraphs: ['This deadline has already been met.'] } };
  const caseKey = item.caseKey ?? '';
  const handOver = (actionId: string) => req.lookupAction?.(actionId);
  if (REVIEW_KINDS.has(item.kind) && caseKey) {
    const assessment = handOver('assessment.open');
    if (assessment) return assessment.run(req, { caseKey });
  }
  if (item.kind === 'supervision_action') {
    // The owner saying it is done is the evidence: there is no other record to make.
    return completeSupervisionAction(req, item);
  }
  if (item.kind === 'mappa_review' && caseKey) {
    const mappa = handOver('mappa.open');
    if (mappa) return mappa.run(req, { caseKey });
  }
  if (item.kind === 'officer_supervision') {
    const session = handOver('supervision.session.open');
    if (session) return session.run(req, { officerId: item.subjectKey.replace(/^supervision:/, '') });
    return {
      type: 'message',
      view: { kind: 'reminder-done', title: 'Record the session', paragraphs: ['Record the supervision session with: supervision (then choose the officer). The reminder closes once the session is recorded.'] },
    };
  }
  if (item.kind === 'visit' && caseKey) {
    const visit = handOver('visit.open');
    if (visit) return visit.run(req, { caseKey });
    return { type: 'message', view: { kind: 'reminder-done', title: 'Record the visit', paragraphs: [`Record the home visit with: visit ${caseKey}. The reminder closes once the visit is recorded.`] } };
  }
  return {
    type: 'message',
    view: {
      kind: 'reminder-done',
      title: `Record the ${deadlineKindLabels[item.kind].replace(/^[A-Z][a-z]/, (m) => m.toLowerCase())}`,
      paragraphs: [caseKey ? `Record it with: mappa ${caseKey}. The reminder closes once the review is recorded.` : 'This deadline closes when its record is made in Casework. The reminder stays until then.'],
    },
  };
}

async function acknowledge(req: CoreRequest, value: Record<string, string>): Promise<Reply> {
  const { view, update } = await asActor(req, async (repos, actor, effects) => {
    const item = await loadDeadline(repos, actor, value.deadlineId);
    if (item.status === 'open' && !item.acknowledged) {
      await repos.reminders.acknowledge(item.deadlineId, req.services.clock.now());
      await audit(repos, actor, { action: 'reminder.acknowledged', entityType: 'deadline', entityId: item.deadlineId, after: { kind: item.kind, dueOn: item.dueOn } });
    }
    const message = value.digestId && UUID.test(value.digestId) ? await repos.reminders.findMessage(value.digestId) : undefined;
    const digestRef = message && message.memberId === actor.member.id ? (message.platformRef ?? undefined) : undefined;
    const view = await viewAfterActing(req, repos, actor, value.digestId);
    effects.add({ kind: 'home', memberId: actor.member.id });
    // The digest the button was on is updated in place through its stored reference (chat.update,
    // updateActivity), which works however late the button is pressed; if that fails, the reply
    // replaces it where the platform allows.
    const update = view && digestRef ? effects.add({ kind: 'message-update', ref: digestRef, view, memberId: actor.member.id }, { await: true }) : undefined;
    return { view, update };
  });
  if (!view) return { type: 'none' };
  if (update?.outcome?.status === 'sent') return { type: 'none' };
  return { type: 'update', view };
}

/** The snooze form's quick choice that leaves the day to the date field. */
export const SNOOZE_PICK_A_DAY = 'pick';

/**
 * The quick choices of the snooze form: tomorrow (the next working day) and next week (five
 * working days on), each only when it is a day this reminder may be snoozed to, then "pick a day".
 * A quick choice's value is its date, so what is submitted is what was shown.
 */
export function snoozeChoices(item: Pick<DeadlineItem, 'dueOn'>, today: string, calendar: WorkingCalendar): FieldOption[] {
  const nextDay = calendar.nextWorkingDay(today);
  const candidates = [
    { value: nextDay, label: `${nextDay === addCalendarDays(today, 1) ? 'Tomorrow' : 'Next working day'}, ${formatDate(nextDay)}` },
    { value: calendar.addWorkingDays(today, 5), label: `Next week, ${formatDate(calendar.addWorkingDays(today, 5))}` },
  ];
  const allowed = candidates.filter((c) => validateSnooze(item.dueOn, today, c.value, calendar).ok);
  return [...allowed, { value: SNOOZE_PICK_A_DAY, label: 'Pick a day' }];
}

/**
 * The snooze form, declared once. A quick choice's value is its date, and the day asked for (the
 * quick choice, or the picked day) is checked by the snooze rules rather than by the list shown:
 * a quick choice from a form opened yesterday is still taken if the day is still allowed.
 */
function declareSnoozeForm(item: DeadlineItem, today: string, calendar: WorkingCalendar) {
  return defineForm(
    [
      custom('when', { label: 'Remind me again', kind: 'select', required: true, options: snoozeChoices(item, today, calendar) }, z.string()),
      custom('until', { label: 'The day, if you pick one', kind: 'date', required: false, hint: 'Only for “Pick a day”.' }, z.string()),
    ],
    {
      check: (v, ctx) => {
        const check = validateSnooze(item.dueOn, today, chosenDay(v), calendar);
        // Under the date when the day was picked; under the choice when a quick choice no longer fits.
        if (!check.ok) ctx.addIssue({ code: 'custom', path: [pickedADay(v) ? 'until' : 'when'], message: check.reason });
      },
      values: (v) => chosenDay(v),
    },
  );
}

function pickedADay(v: { when: string }): boolean {
  return v.when === '' || v.when === SNOOZE_PICK_A_DAY;
}

/** The day a submission asks for: a quick choice's date, or the picked day (also when no choice came back). */
function chosenDay(v: { when: string; until: string }): string {
  return pickedADay(v) ? v.until : v.when;
}

function snoozeForm(item: DeadlineItem, value: Record<string, string>, today: string, calendar: WorkingCalendar): FormView {
  const fields = declareSnoozeForm(item, today, calendar).fields;
  return {
    id: SNOOZE_FORM,
    title: SNOOZE_TITLE,
    submitLabel: 'Snooze',
    intro: `${item.caseKey ?? 'Task'} · ${deadlineKindLabels[item.kind]}, due ${formatDate(item.dueOn)}. Choose a working day: no later than the due date, or the next working day if it is already due.`,
    fields,
    values: { when: fields[0]!.options![0]!.value },
    errors: {},
    context: { deadlineId: item.deadlineId, ...(value.digestId ? { digestId: value.digestId } : {}), today },
  };
}

async function openSnooze(req: CoreRequest, value: Record<string, string>): Promise<Reply> {
  return asActor(req, async (repos, actor) => {
    const item = await loadDeadline(repos, actor, value.deadlineId);
    if (item.status !== 'open') throw new DomainError('conflict', 'This deadline has already been met.');
    return { type: 'form', form: snoozeForm(item, value, actorToday(req, actor), calendarFor(actor.team)) };
  });
}

async function submitSnooze(req: CoreRequest, raw: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  return asActor(req, async (repos, actor, effects): Promise<Reply> => {
    const item = await loadDeadline(repos, actor, context.deadlineId);
    const today = actorToday(req, actor);
    const calendar = calendarFor(actor.team);
    const form = snoozeForm(item, context, today, calendar);
    const parsed = readForm(form, raw, declareSnoozeForm(item, today, calendar));
    if (!parsed.ok) {
      // The choice is shown again only if the form still offers it; otherwise "Pick a day".
      const { values, reply } = parsed;
      const shown = form.fields[0]!.options!.some((o) => o.value === values.when) ? values.when! : SNOOZE_PICK_A_DAY;
      return { ...reply, form: { ...reply.form, values: { ...values, when: shown } } };
    }
    const chosen = parsed.data;
    await repos.reminders.snooze(item.deadlineId, chosen);
    await audit(repos, actor, { action: 'reminder.snoozed', entityType: 'deadline', entityId: item.deadlineId, before: { snoozedUntil: item.snoozedUntil }, after: { snoozedUntil: chosen } });
    const reply: Reply = { type: 'message', view: { kind: 'reminder-snoozed', title: 'Snoozed', paragraphs: [`You will be reminded again on ${formatDate(chosen)}.`] } };
    effects.add({ kind: 'home', memberId: actor.member.id });
    const message = context.digestId && UUID.test(context.digestId) ? await repos.reminders.findMessage(context.digestId) : undefined;
    if (!message || message.memberId !== actor.member.id || !message.platformRef) return reply;
    // The digest the button was on is updated in place after commit.
    const view = await renderOutboxMessage(repos, message, req.services.clock.now(), true);
    if (view) effects.add({ kind: 'message-update', ref: message.platformRef, view, memberId: actor.member.id });
    return reply;
  });
}

async function myDeadlines(req: CoreRequest, options: DeadlineListOptions): Promise<MessageView> {
  return viewAsActor(req, async (repos, actor) => {
    const view = await myDeadlinesFor(repos, actor.member.id, req.services.clock.now(), options);
    if (!view) throw new DomainError('member_not_found', 'Your roster entry could not be found.');
    return view;
  });
}

/** `due`, `due overdue`, `due week 2`: a filter word and a page number, in any order. */
function listOptions(args: readonly string[]): DeadlineListOptions {
  const filter = deadlineFilter(args.find((a) => !/^\d+$/.test(a)));
  return { filter, page: pageNumber(args.find((a) => /^\d+$/.test(a))) };
}

/** The list options a button carries. */
function buttonOptions(value: Record<string, string>): DeadlineListOptions {
  return { filter: deadlineFilter(value.filter), page: pageNumber(value.page) };
}

/** The reminders feature. */
export const reminderFeature: Feature = {
  commands: [
    {
      name: 'due', menu: 2,
      usage: 'due [overdue | week] [page]',
      summary: 'Your open deadlines, most urgent first, with buttons to act on them.',
      run: async (req, cmd) => ({ type: 'message', view: await myDeadlines(req, listOptions(cmd.args)) }),
    },
    {
      name: 'deadlines', menu: 10,
      usage: 'deadlines',
      summary: 'Your deadlines as a card that stays current whenever you open it.',
      run: async (req, cmd) => ({ type: 'message', view: await myDeadlines(req, { ...listOptions(cmd.args), refreshable: true }) }),
    },
  ],
  actions: [
    { id: REMINDER_ACTIONS.done, opensForm: doneFormTitle, run: done },
    { id: REMINDER_ACTIONS.ack, run: acknowledge },
    { id: REMINDER_ACTIONS.snooze, opensForm: () => SNOOZE_TITLE, run: openSnooze },
    { id: REMINDER_ACTIONS.refresh, run: async (req, value) => ({ type: 'update', view: await myDeadlines(req, { ...buttonOptions(value), refreshable: true }) }) },
    // A page or filter of the list replaces the list where it is (a message, a card, a home tab).
    { id: REMINDER_ACTIONS.page, run: async (req, value) => ({ type: 'update', view: await myDeadlines(req, { ...buttonOptions(value), refreshable: value.refreshable === 'yes' }) }) },
    { id: 'reminder.home', run: async (req, value) => ({ type: 'message', view: await myDeadlines(req, buttonOptions(value)) }) },
  ],
  forms: [{ id: SNOOZE_FORM, submit: submitSnooze }],
};
