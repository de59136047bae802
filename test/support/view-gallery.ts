/**
 * The gallery: one real example of every kind of message (`VIEW_KINDS`) and of every registered
 * form, made by driving the core the way people do, on a small team with a history (the oversight
 * fixture: overdue work, discussions, signed notes, supervision). Everyone on the team types
 * every command with every kind of argument, presses every kind of button on what comes back,
 * submits the forms that confirm something, and a morning's reminders are planned and delivered;
 * what was said to others (discussion cards, notices, digests) is taken from the fake notifier.
 * The few kinds no conversation here reaches are made by their own view functions.
 *
 * Used by the renderer tests (test/renderers/parity.test.ts), the size test and `npm run cards`,
 * so a new kind of message or a new form without an example here fails the tests.
 */
import { createCasework } from '../../src/core/casework.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { isDomainError } from '../../src/core/errors.ts';
import { FEATURES } from '../../src/core/features.ts';
import type { InboundContext, Reply } from '../../src/core/interaction.ts';
import { deliverOutbox } from '../../src/core/reminders/deliver-outbox.ts';
import { planReminders } from '../../src/core/reminders/plan-reminders.ts';
import type { FormView } from '../../src/core/views/form-view.ts';
import type { ActionView, MessageView } from '../../src/core/views/message-view.ts';
import { ALL_VIEW_KINDS, type ViewKind } from '../../src/core/views/view-kinds.ts';
import { createKyselyStore, reposFor } from '../../src/db/kysely-store.ts';
import { coreServices } from './core-services.ts';
import { createFakeNotifier } from './fake-notifier.ts';
import { OVERSIGHT_NOW, seedOversightFixture } from './oversight-fixture.ts';
import { seedCase, SLACK_WORKSPACE } from './factories.ts';
import { createTestDb } from './test-db.ts';
import { galleryExtras } from './view-gallery-extras.ts';

/** One example and how it was reached (`sam: due`, `button reminder.snooze`, `delivered`). */
export interface Example<T> {
  value: T;
  from: string;
}

/** A command or button that opens a form: the title Slack was told beforehand, and the form. */
export interface FormOpening {
  from: string;
  predictedTitle: string | null;
  form: FormView;
}

export interface Gallery {
  messages: Map<ViewKind, Example<MessageView>>;
  forms: Map<string, Example<FormView>>;
  /** Every form opened by a command or a button, with what `formTitleFor` said beforehand. */
  openings: FormOpening[];
}

/** Every form id the registry knows. */
export function registeredFormIds(): string[] {
  return [...new Set(FEATURES.flatMap((f) => (f.forms ?? []).map((form) => form.id)))].sort();
}

const CHANNEL = 'C0GALLERY';

/** The kinds of argument commands take, tried for every command. */
function argumentPatterns(key: string): string[][] {
  return [[], [key], ['2'], ['overdue'], ['week'], ['add'], ['edit', key], ['me'], ['discussions'], ['mappa'], [key, 'Should the next visit be joint with probation?']];
}

/** Builds the gallery on a fresh embedded database (a few seconds). */
export async function buildGallery(): Promise<Gallery> {
  const database = await createTestDb();
  try {
    const clock = fixedClock(OVERSIGHT_NOW);
    const notifier = createFakeNotifier();
    const store = createKyselyStore(database.db);
    const { services, delivery } = coreServices({ store, clock, notifier });
    const casework = createCasework(services, FEATURES);
    const ids = { sam: 'U0GSAM', olivia: 'U0GOLI', ada: 'U0GADA', owen: 'U0GOWE' } as const;
    const fixture = await seedOversightFixture(database.db, {
      prefix: 'G',
      people: { sam: { slackUserId: ids.sam }, olivia: { slackUserId: ids.olivia }, ada: { slackUserId: ids.ada }, owen: { slackUserId: ids.owen } },
    });
    await reposFor(database.db).teams.update(fixture.team.id, { channel: { platform: 'slack', workspaceId: SLACK_WORKSPACE, channelId: CHANNEL, ref: null } });

    const messages = new Map<ViewKind, Example<MessageView>>();
    const forms = new Map<string, Example<FormView>>();
    const openings: FormOpening[] = [];
    const buttons = new Map<string, { action: ActionView; who: InboundContext }>();
    const openedBy = new Map<string, InboundContext>();
    const keep = (view: MessageView, from: string) => {
      if (!messages.has(view.kind)) messages.set(view.kind, { value: view, from });
    };

    const record = (from: string, reply: Reply, who: InboundContext, predictedTitle: string | null) => {
      if (reply.type === 'message' || reply.type === 'update') {
        keep(reply.view, from);
        for (const a of [...(reply.view.actions ?? []), ...(reply.view.restrictedActions ?? []), ...(reply.view.sections ?? []).flatMap((s) => s.actions ?? [])]) {
          const key = `${a.id} ${a.value?.filter ?? ''} ${a.value?.list ?? ''}`;
          if (!a.url && !buttons.has(key)) buttons.set(key, { action: a, who });
        }
      } else if (reply.type === 'form' || reply.type === 'form-invalid') {
        if (!forms.has(reply.form.id)) {
          forms.set(reply.form.id, { value: reply.form, from });
          openedBy.set(reply.form.id, who);
        }
        if (reply.type === 'form') openings.push({ from, predictedTitle, form: reply.form });
      }
    };
    const attempt = async (from: string, who: InboundContext, call: () => Promise<Reply>, predictedTitle: string | null = null) => {
      try {
        record(from, await call(), who, predictedTitle);
      } catch (error) {
        // A refusal (no such case, not allowed) is an answer too; anything else is a fault.
        if (!isDomainError(error)) throw new Error(`gallery: ${from} failed: ${(error as Error).message}`, { cause: error });
      }
    };
    const as = (userId: string, inChannel = false): InboundContext => ({
      user: { platform: 'slack', workspaceId: SLACK_WORKSPACE, userId },
      surface: inChannel ? { kind: 'channel', channelId: CHANNEL } : { kind: 'direct' },
    });

    const ownKey = fixture.cases.A1!.key;
    const commands = [...new Set(FEATURES.flatMap((f) => (f.commands ?? []).map((c) => c.name))), 'help'];
    for (const [name, userId] of Object.entries(ids)) {
      const who = as(userId);
      for (const command of commands) {
        for (const args of argumentPatterns(ownKey)) {
          const text = [command, ...args].join(' ');
          await attempt(`${name}: ${text}`, who, () => casework.handleText(who, text), casework.formTitleFor({ text }));
        }
      }
      for (const text of ['hello', 'thanks', 'frobnicate']) await attempt(`${name}: ${text}`, who, () => casework.handleText(who, text));
      await attempt(`${name}: App Home`, who, () => casework.handleAction(who, 'reminder.home', {}));
    }
    // Every kind of button once, pressed by whoever was shown it.
    for (const [key, { action, who }] of buttons) {
      const value = action.value ?? {};
      await attempt(`button ${key.trim()}`, who, () => casework.handleAction(who, action.id, value), casework.formTitleFor({ actionId: action.id, value }));
    }
    await attempt('setup in a channel already registered', as(ids.ada, true), () => casework.handleText(as(ids.ada, true), 'setup'));
    await attempt('welcome', as(ids.olivia), () => casework.welcome(as(ids.olivia)));

    // Forms that confirm something when submitted.
    const olivia = as(ids.olivia);
    // A case of its own: the fixture's rows are written directly and are for reading, not changing.
    const fresh = await seedCase(database.db, fixture.team, { riskLevel: 'high', leadOfficerId: fixture.people.olivia.id, supervisorId: fixture.people.sam.id, lastVisitOn: '2026-09-01', lastAssessmentOn: '2026-10-01', createdOn: '2026-06-01' });
    const submit = (from: string, who: InboundContext, formId: string, values: Record<string, unknown>, context: Record<string, string>) =>
      attempt(`submit ${formId}: ${from}`, who, () => casework.submitForm(who, formId, values, context));
    await submit('a visit with an urgent change', olivia, 'visit.record', {
      visitedOn: '2026-11-27', visitedTime: '10:00', visitType: 'scheduled', officers: [fixture.people.olivia.id], outcome: 'seen_at_home',
      significantChanges: ['new_relationship'], changeUrgency: 'urgent', notes: 'Seen at home; new partner mentioned.',
    }, { caseKey: fresh.key });
    // The case card to show is that case's: its fields and visit history were made by the core
    // (the fixture writes its rows directly and does not keep the case's last-visit date).
    const card = await casework.handleText(olivia, `case ${fresh.key}`);
    if (card.type === 'message') messages.set(card.view.kind, { value: card.view, from: `olivia: case ${fresh.key}, after the visit` });
    await attempt('visit form closed unfinished', olivia, () => casework.formClosed(olivia, 'visit.record', { visitedOn: '2026-11-30', notes: 'Half written' }, { caseKey: fresh.key }));
    await submit('a record export', olivia, 'record.export', { reason: 'Court request' }, { caseKey: fresh.key });
    // Forms opened from buttons, submitted by whoever opened them, with the context they came with.
    const submitOpened = async (formId: string, values: Record<string, unknown>) => {
      const opened = forms.get(formId);
      const who = openedBy.get(formId);
      if (opened && who) await submit('as opened', who, formId, { ...opened.value.values, ...values }, opened.value.context);
    };
    await submitOpened('reminder.snooze', { until: '2026-12-04' });
    // A supervision note: "Save draft" (a button carrying the answers), then "Sign and lock" and
    // the confirmation's own "Sign and lock".
    const note = forms.get('supervision.note');
    const noteWriter = openedBy.get('supervision.note');
    if (note && noteWriter) {
      const answers = { ...note.value.values, question: 'Joint visit?', riskView: 'Stable', decision: 'Joint visit with probation', rationale: 'Shared concerns' };
      await attempt('button supervision.note_save_draft', noteWriter, () => casework.handleAction(noteWriter, 'supervision.note_save_draft', { ...answers, ...note.value.context } as Record<string, string>));
      let confirm: Reply | undefined;
      await attempt('submit supervision.note: sign', noteWriter, async () => (confirm = await casework.submitForm(noteWriter, 'supervision.note', answers, note.value.context)));
      const sign = confirm?.type === 'message' ? confirm.view.actions?.find((a) => a.id === 'supervision.note_sign') : undefined;
      if (sign) await attempt('button supervision.note_sign', noteWriter, () => casework.handleAction(noteWriter, sign.id, sign.value ?? {}));
    }
    // Someone leaving who still leads cases: where do they go, all at once or case by case.
    for (const id of ['roster.move_all', 'roster.move_each']) {
      const admin = as(ids.ada);
      await attempt(`button ${id}`, admin, () => casework.handleAction(admin, id, { memberId: fixture.people.olivia.id }), casework.formTitleFor({ actionId: id, value: { memberId: fixture.people.olivia.id } }));
    }
    await submitOpened('discussion.close', { summary: 'Joint visit agreed with probation.' });

    // A morning's reminders (Monday: the weekly oversight digest too), delivered to the fake.
    await planReminders(delivery, new Date(OVERSIGHT_NOW));
    await deliverOutbox(delivery, new Date(OVERSIGHT_NOW), { workerId: 'gallery', maxBatches: 20 });
    for (const d of notifier.deliveries) keep(d.view, `delivered (${d.op})`);

    for (const view of Object.values(galleryExtras())) keep(view, 'made by its view function');
    return { messages, forms, openings };
  } finally {
    await database.close();
  }
}

/** What the gallery lacks: kinds of message and registered forms with no example. */
export function galleryGaps(gallery: Gallery): { kinds: ViewKind[]; forms: string[] } {
  return {
    kinds: ALL_VIEW_KINDS.filter((k) => !gallery.messages.has(k)),
    forms: registeredFormIds().filter((id) => !gallery.forms.has(id)),
  };
}
