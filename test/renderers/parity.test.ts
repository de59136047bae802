// Every kind of message (the catalogue in src/core/views/view-kinds.ts) and every registered form,
// as the gallery shows them (test/support/view-gallery.ts), renders on both platforms with the same
// buttons and inputs, inside both platforms' limits. A kind or form without an example fails.
import { beforeAll, describe, expect, it } from 'vitest';
import { caseCardView } from '../../src/core/cases/case-card.ts';
import { caseForm } from '../../src/core/cases/case-form.ts';
import { createWorkingCalendar } from '../../src/core/calendar/working-calendar.ts';
import type { Case, Member, Team } from '../../src/core/domain/entities.ts';
import { helpView } from '../../src/core/help/help-view.ts';
import { defaultPolicy } from '../../src/core/policy/policy.ts';
import { domainErrorView, unexpectedErrorView } from '../../src/core/views/error-view.ts';
import { FORM_LIMITS, type FormView } from '../../src/core/views/form-view.ts';
import type { ActionView, MessageView } from '../../src/core/views/message-view.ts';
import { DomainError } from '../../src/core/errors.ts';
import { withErrors } from '../../src/core/forms/form-runtime.ts';
import { visitForm } from '../../src/core/visits/visit-views.ts';
import { FORM_SUBMIT_VERB, renderFormCard } from '../../src/renderers/adaptive-cards/form-card.ts';
import { messageCardData, renderMessageCard } from '../../src/renderers/adaptive-cards/message-card.ts';
import { expandTemplate } from '../support/card-template.ts';
import { renderFormModal, renderMessageModal } from '../../src/renderers/block-kit/form-modal.ts';
import { BLOCK_KIT_LIMITS, renderMessageBlocks } from '../../src/renderers/block-kit/message-blocks.ts';
import { ALL_VIEW_KINDS } from '../../src/core/views/view-kinds.ts';
import { adaptiveCardProblems, cardIds } from '../support/adaptive-card-validation.ts';
import { buildGallery, registeredFormIds, type Gallery } from '../support/view-gallery.ts';

let gallery: Gallery;
beforeAll(async () => {
  gallery = await buildGallery();
}, 120_000);

function example(kind: (typeof ALL_VIEW_KINDS)[number]): MessageView {
  const found = gallery.messages.get(kind);
  if (!found) throw new Error(`no example of the "${kind}" message: add one to test/support/view-gallery.ts (or its extras)`);
  return found.value;
}

function exampleForm(id: string): FormView {
  const found = gallery.forms.get(id);
  if (!found) throw new Error(`no example of the "${id}" form: make the gallery open it (test/support/view-gallery.ts)`);
  return found.value;
}

const team: Team = { id: 't', key: 'TEAM1', name: 'North MOSOVO', timeZone: 'Europe/London', policy: defaultPolicy(), closures: [], channel: null, isDemo: false };
const member = (id: string, name: string, roles: Member['roles']): Member => ({ id, teamId: 't', displayName: name, roles, supervisorMemberId: null, reminderTime: '08:30', timeZone: null, active: true, undeliverable: false });
const members = [member('m1', 'Olivia Officer', ['officer']), member('m2', 'Sam Supervisor', ['officer', 'supervisor'])];
const aCase: Case = {
  id: 'c', teamId: 't', key: 'CW-7K3P', externalRef: 'SECRET-REF-123', riskLevel: 'high', managementMode: 'active', leadOfficerId: 'm1', supervisorId: 'm2', coworkerIds: ['m2'],
  mappaCategory: 1, mappaLevel: 2, lastAssessmentOn: '2026-10-01', lastVisitOn: '2026-11-02', lastMappaReviewOn: null, planVisitIntervalMonths: null, planReviewIntervalMonths: null,
  visitDueOn: '2027-02-02', assessmentReviewDueOn: '2027-04-01', earlyReviewDueOn: '2026-12-01', mappaReviewDueOn: '2027-02-19', status: 'active', isDemo: false, createdOn: '2026-01-05',
};

const handMade: Record<string, MessageView> = {
  help: helpView([{ name: 'case', usage: 'case CW-7K3P', summary: 'See a case' }], { notUnderstood: 'frob' }),
  caseCard: caseCardView(aCase, new Map(members.map((m) => [m.id, m])), '2026-11-27', createWorkingCalendar(), {
    actions: [
      { id: 'case.edit', label: 'Edit case', value: { caseKey: 'CW-7K3P' } },
      { id: 'assessment.open', label: 'Record assessment', value: { caseKey: 'CW-7K3P' } },
    ],
  }),
  refusal: domainErrorView(new DomainError('not_authorised', 'Only team admins can change the roster.')),
  unexpected: unexpectedErrorView('ERR-ABC234'),
};

const handMadeForms: Record<string, FormView> = {
  caseAdd: caseForm({ team, members, mode: 'add', today: '2026-11-27' }, { riskLevel: 'high', coworkerIds: ['m2'] }, {}),
  caseEditWithErrors: { ...caseForm({ team, members, mode: 'edit', today: '2026-11-27' }, { riskLevel: 'bogus' }, { caseKey: 'CW-7K3P' }), errors: { riskLevel: 'Choose a risk level from the list.' } },
};

function slackActionIds(blocks: any[]): string[] {
  return blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e: any) => String(e.action_id).split('#')[0]) : []));
}

function checkMessage(view: MessageView): void {
  const slack = renderMessageBlocks(view);
  const card = renderMessageCard(view);
  expect(adaptiveCardProblems(card)).toEqual([]);
  const all = [...(view.actions ?? []), ...(view.sections ?? []).flatMap((s) => s.actions ?? [])];
  // A link button (a thread, a one-time download) opens its address on both platforms: Teams
  // draws it as Action.OpenUrl, which comes back to no one, so it has no verb.
  for (const link of all.filter((a) => a.url)) {
    expect(JSON.stringify(card)).toMatch(new RegExp(`"type":"Action.OpenUrl","title":${JSON.stringify(link.label).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^}]*"url":${JSON.stringify(link.url).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(JSON.stringify(slack.blocks)).toContain(JSON.stringify(link.url));
  }
  const expected = all.filter((a) => !a.url).map((a) => a.id).sort();
  // Buttons only some may use: Slack shows them to all; Teams draws them only in those people's
  // own copy of the card (the adapter adds them through refresh), never in the shared card.
  const restricted = (view.restrictedActions ?? []).map((a) => a.id);
  expect(slackActionIds(slack.blocks).sort()).toEqual([...expected, ...all.filter((a) => a.url).map((a) => a.id), ...restricted].sort());
  // Teams also runs the card's refresh (Slack has none).
  expect(cardIds(card).verbs.sort()).toEqual([...expected, ...(view.refresh ? [view.refresh.id] : [])].sort());
  expect(slack.blocks.length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.blocksPerMessage);
  expect(JSON.stringify(card).length).toBeLessThan(80_000);
  expect(JSON.stringify(slack.blocks).length).toBeLessThan(12_000);
}

describe('every message renders on both platforms with the same actions', () => {
  it.each(ALL_VIEW_KINDS)('%s', (kind) => {
    const view = example(kind);
    expect(view.kind).toBe(kind);
    checkMessage(view);
  });

  it.each(Object.entries(handMade))('hand-made: %s', (_name, view) => checkMessage(view));
});

describe('a Teams message card is its template in adaptive-cards/, filled', () => {
  // The renderer fills adaptive-cards/message.json in code; the official templating library,
  // filling the template with the same data, must give the same card for every kind of message.
  const notice = { tone: 'warning' as const, text: 'A *notice* with ${marks}' };
  const withEverything = (view: MessageView): MessageView => ({
    ...view,
    subtitle: view.subtitle ?? 'A subtitle',
    notice: view.notice ?? notice,
    footer: view.footer ?? 'A footer',
    actions: [...(view.actions ?? []), { id: 'record.download', label: 'Open the file', url: 'https://example.invalid/f' }],
  });
  it.each(ALL_VIEW_KINDS)('%s', (kind) => {
    const view = example(kind);
    const { refresh: _refresh, ...card } = renderMessageCard(view);
    expect(card).toEqual(expandTemplate('message', messageCardData(view)));
    const { refresh: _again, ...full } = renderMessageCard(withEverything(view));
    expect(full).toEqual(expandTemplate('message', messageCardData(withEverything(view))));
  });

  it('never shows an external reference', () => {
    expect(JSON.stringify(renderMessageBlocks(handMade.caseCard!))).not.toContain('SECRET-REF');
    expect(JSON.stringify(renderMessageCard(handMade.caseCard!))).not.toContain('SECRET-REF');
  });
});

/**
 * The parser's problems with a form card, less one it reports wrongly: a people picker filled by
 * Teams' own search (`choices.data`, graph users) needs no fixed choices.
 */
function formCardProblems(card: unknown): string[] {
  const dynamicPickers = JSON.stringify(card).includes('"choices.data"');
  return adaptiveCardProblems(card).filter((p) => !(dynamicPickers && p === 'An Input.ChoiceSet must have at least one choice defined.'));
}

function checkForm(form: FormView): void {
  const modal = renderFormModal(form);
  const card = renderFormCard(form);
  expect(formCardProblems(card)).toEqual([]);
  const fieldIds = form.fields.map((f) => f.id).sort();
  const slackInputs = (modal.blocks as any[]).filter((b) => b.type === 'input').map((b) => b.block_id).sort();
  expect(slackInputs).toEqual(fieldIds);
  expect(cardIds(card).inputs.sort()).toEqual(fieldIds);
  expect(cardIds(card).verbs).toContain(FORM_SUBMIT_VERB);
  // Limits of the stricter platform.
  expect(form.title.length).toBeLessThanOrEqual(FORM_LIMITS.titleLength);
  expect(form.submitLabel.length).toBeLessThanOrEqual(FORM_LIMITS.submitLabelLength);
  expect(modal.private_metadata.length).toBeLessThanOrEqual(3000);
  expect((modal.blocks as any[]).length).toBeLessThanOrEqual(100);
  for (const field of form.fields) {
    expect(field.label.length).toBeLessThanOrEqual(FORM_LIMITS.fieldLabelLength);
    expect((field.options ?? []).length).toBeLessThanOrEqual(FORM_LIMITS.optionsPerSelect);
  }
}

describe('every form renders on both platforms with the same inputs', () => {
  it('the registry has forms, and the gallery one of each', () => {
    expect(registeredFormIds().length).toBeGreaterThanOrEqual(14);
    expect([...gallery.forms.keys()].sort()).toEqual(registeredFormIds());
  });

  it.each(registeredFormIds())('%s', (id) => {
    const form = exampleForm(id);
    expect(form.id).toBe(id);
    checkForm(form);
  });

  it.each(Object.entries(handMadeForms))('hand-made: %s', (_name, form) => checkForm(form));

  it('keeps the user’s answers and shows errors under the field on Teams', () => {
    const card = renderFormCard(handMadeForms.caseEditWithErrors!);
    const json = JSON.stringify(card);
    expect(json).toContain('Choose a risk level from the list.');
    expect(json).toContain('"id":"riskLevel__error"');
  });

  it('prefills multi-select values on both platforms', () => {
    const modal = renderFormModal(handMadeForms.caseAdd!);
    const coworkers = (modal.blocks as any[]).find((b) => b.block_id === 'coworkerIds');
    expect(coworkers.element.initial_options.map((o: any) => o.value)).toEqual(['m2']);
    const card = renderFormCard(handMadeForms.caseAdd!) as any;
    expect(card.body.find((e: any) => e.id === 'coworkerIds').value).toBe('m2');
  });
});

describe('Slack message modals', () => {
  it('show a title too long for the title bar whole, as the header', () => {
    const long = renderMessageModal({ kind: 'visit-confirmation', title: 'Visit recorded: CW-7K3P2A4' });
    expect((long.title as any).text).toBe('Casework');
    expect(JSON.stringify(long.blocks)).toContain('Visit recorded: CW-7K3P2A4');
    const short = renderMessageModal({ kind: 'visit-confirmation', title: 'Visit recorded: CW-7K3P' });
    expect((short.title as any).text).toBe('Visit recorded: CW-7K3P');
  });
});

describe('the title Slack is told before a form is made', () => {
  // Slack opens a modal with the title `formTitleFor` gives, inside the 3-second window, and the
  // form replaces it: a different title would flicker, and no title means no modal in time.
  it('agrees with the form the command or button opens, for every opening in the gallery', () => {
    const wrong = gallery.openings
      .filter((o) => o.predictedTitle !== o.form.title)
      .map((o) => `${o.from}: told "${String(o.predictedTitle)}", the form says "${o.form.title}"`);
    expect(wrong).toEqual([]);
    expect(gallery.openings.some((o) => o.from.startsWith('button reminder.done'))).toBe(true);
  });

  it('is known beforehand for every registered form, from some command or button', () => {
    const predicted = new Set(gallery.openings.filter((o) => o.predictedTitle === o.form.title).map((o) => o.form.id));
    expect(registeredFormIds().filter((id) => !predicted.has(id))).toEqual([]);
  });
});

describe('what a message says, it says once', () => {
  /** The title's own words, before any case key (`Visit recorded` of `Visit recorded: CW-7K3P`). */
  const head = (title: string) => title.split(':')[0]!.trim().toLowerCase();
  const count = (text: string, phrase: string) => text.toLowerCase().split(phrase).length - 1;

  it.each(ALL_VIEW_KINDS)('%s: the notice does not repeat the title', (kind) => {
    const view = example(kind);
    if (view.notice) expect(view.notice.text.toLowerCase()).not.toContain(head(view.title));
  });

  it('a visit confirmation says "Visit recorded" once, on Slack and on Teams', () => {
    const view = example('visit-confirmation');
    expect(head(view.title)).toBe('visit recorded');
    // Slack's fallback notification text is not drawn in the message, so only the blocks count.
    expect(count(JSON.stringify(renderMessageBlocks(view).blocks), 'visit recorded')).toBe(1);
    expect(count(JSON.stringify(renderMessageCard(view)), 'visit recorded')).toBe(1);
  });
});

describe('a form notice is drawn by its tone', () => {
  const resumed = visitForm(aCase, members, { values: { notes: 'Half written' }, draftSavedAt: new Date('2026-11-27T09:00:00Z'), timeZone: 'Europe/London', today: '2026-11-27' });
  const failed = withErrors(resumed, resumed.values, { _form: 'The visit could not be saved: try again.' });
  const slackNotice = (form: FormView) => String((renderFormModal(form).blocks as any[])[0].text.text);
  const cardNotice = (form: FormView) => (renderFormCard(form) as any).body.find((e: any) => e.type === 'Container' && JSON.stringify(e).includes(form.notice!.text.slice(0, 20)));

  it('a resumed draft is news, not an error, on Slack and on Teams', () => {
    expect(resumed.notice?.tone).toBe('info');
    expect(slackNotice(resumed)).toMatch(/^:information_source: Your draft saved/);
    const container = cardNotice(resumed);
    expect(container.style).toBe('accent');
    expect(container.items[0].weight).toBeUndefined();
  });

  it('a problem with the whole form still stands out, in words and weight as well as colour', () => {
    expect(slackNotice(failed)).toMatch(/^:warning: \*Not saved yet\.\* The visit could not be saved/);
    expect(cardNotice(failed).items[0].text).toMatch(/^Not saved yet\. The visit could not be saved/);
    const container = cardNotice(failed);
    expect(container.style).toBe('attention');
    expect(container.items[0].weight).toBe('Bolder');
  });
});

describe('snooze offers quick choices on both platforms', () => {
  it('tomorrow, next week and pick a day, tomorrow chosen, with the date field for a picked day', () => {
    const form = exampleForm('reminder.snooze');
    const labels = form.fields.find((f) => f.id === 'when')!.options!.map((o) => o.label);
    expect(labels[0]).toMatch(/^(Tomorrow|Next working day), /);
    expect(labels.at(-1)).toBe('Pick a day');
    const slack = (renderFormModal(form).blocks as any[]).find((b) => b.block_id === 'when');
    expect(slack.element.options.map((o: any) => o.text.text)).toEqual(labels);
    expect(slack.element.initial_option.text.text).toBe(labels[0]);
    const card = (renderFormCard(form) as any).body.find((e: any) => e.id === 'when');
    expect(card.choices.map((c: any) => c.title)).toEqual(labels);
    expect(card.value).toBe(form.values.when);
    expect(cardIds(renderFormCard(form)).inputs).toContain('until');
  });

  it('the quick choice as shown snoozes the reminder (the gallery submits the form as it opened)', () => {
    const snoozed = gallery.messages.get('reminder-snoozed')!;
    expect(snoozed.from).toMatch(/^submit reminder\.snooze/);
    const tomorrow = exampleForm('reminder.snooze').fields[0]!.options![0]!.label.split(', ')[1]!;
    expect(snoozed.value.paragraphs!.join(' ')).toContain(tomorrow);
  });
});

// Every card leads with one thing to do: at most one primary button among a message's own
// buttons and at most one in each item of a list (a deadline's Done), and a destructive button
// never shares a row with the primary one.
/** The rows of buttons a message shows: its own, and each section's. */
function rows(view: MessageView): ActionView[][] {
  return [[...(view.actions ?? []), ...(view.restrictedActions ?? [])], ...(view.sections ?? []).map((s) => s.actions ?? [])];
}

describe('cards lead with what matters', () => {
  it('has at most one primary button in each row of every kind of message, never beside a destructive one', () => {
    const problems = ALL_VIEW_KINDS.flatMap((kind) => {
      const example = gallery.messages.get(kind);
      if (!example) return [`${kind}: no example`];
      return rows(example.value).flatMap((row) => {
        const primaries = row.filter((a) => a.style === 'primary');
        const found: string[] = [];
        if (primaries.length > 1) found.push(`${kind}: ${primaries.map((a) => a.label).join(', ')} are all primary`);
        if (primaries.length > 0 && row.some((a) => a.style === 'danger')) found.push(`${kind}: a destructive button beside the primary one`);
        return found;
      });
    });
    expect(problems).toEqual([]);
  });
});
