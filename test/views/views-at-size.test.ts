// Every view fits both platforms at the size real teams work at. A 1,000-case team (the scale
// fixture) is driven through the core as an officer and as a supervisor who is also the admin:
// every registered command with every kind of argument it takes, then every button on what came
// back. Each message must fit Slack (50 blocks, 100 in a home tab or modal, texts inside their
// limits) and Teams (28 KB a card) without the renderers cutting anything: long lists are paged
// or summarised in the core. A new command or view is covered without touching this test; every
// kind of message and every form is also checked from the gallery (test/support/view-gallery.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCasework, type Casework } from '../../src/core/casework.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { FEATURES } from '../../src/core/features.ts';
import { tourEveryCommand } from '../support/command-tour.ts';
import type { InboundContext } from '../../src/core/interaction.ts';
import { FORM_LIMITS, inputsInViewOnOpen, type FormView } from '../../src/core/views/form-view.ts';
import type { MessageView } from '../../src/core/views/message-view.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { createKyselyStore } from '../../src/db/kysely-store.ts';
import { createScaleTeam, type ScaleTeam } from '../../src/local/scale-team.ts';
import { renderFormCard } from '../../src/renderers/adaptive-cards/form-card.ts';
import { cardBytes, renderMessageCardChecked, TEAMS_CARD_MAX_BYTES } from '../../src/renderers/adaptive-cards/message-card.ts';
import { renderFormModal } from '../../src/renderers/block-kit/form-modal.ts';
import { BLOCK_KIT_LIMITS, renderMessageBlocks } from '../../src/renderers/block-kit/message-blocks.ts';
import { coreServices } from '../support/core-services.ts';
import { createFakeNotifier } from '../support/fake-notifier.ts';
import { createTestDb } from '../support/test-db.ts';
import { planReminders } from '../../src/core/reminders/plan-reminders.ts';
import { ALL_VIEW_KINDS } from '../../src/core/views/view-kinds.ts';
import { buildGallery, registeredFormIds, type Gallery } from '../support/view-gallery.ts';
import { deliverOutbox } from '../../src/core/reminders/deliver-outbox.ts';

const WORKSPACE = 'T0SIZE';
const CHANNEL = 'C0SIZE';

/** Problems with a message at size, empty when it fits everywhere without cutting. */
export function messageProblems(view: MessageView, maxBlocks: number = BLOCK_KIT_LIMITS.blocksPerMessage): string[] {
  const problems: string[] = [];
  const slack = renderMessageBlocks(view, maxBlocks);
  if (slack.truncated) problems.push(`Slack: cut to fit ${maxBlocks} blocks`);
  if (view.title.length > BLOCK_KIT_LIMITS.headerText) problems.push(`title is ${view.title.length} characters`);
  for (const p of view.paragraphs ?? []) if (p.length > BLOCK_KIT_LIMITS.sectionText) problems.push(`a paragraph is ${p.length} characters`);
  for (const s of view.sections ?? []) {
    const text = [s.heading ?? '', s.text ?? ''].join('\n');
    if (text.length > BLOCK_KIT_LIMITS.sectionText) problems.push(`a section's text is ${text.length} characters`);
    if ((s.actions?.length ?? 0) > BLOCK_KIT_LIMITS.elementsPerActions) problems.push(`a section has ${s.actions!.length} buttons`);
  }
  for (const f of [...(view.facts ?? []), ...(view.sections ?? []).flatMap((s) => s.facts ?? [])]) {
    if (f.label.length + f.value.length > BLOCK_KIT_LIMITS.fieldText) problems.push(`a fact is ${f.label.length + f.value.length} characters`);
  }
  const teams = renderMessageCardChecked(view);
  if (teams.truncated) problems.push(`Teams: cut to fit ${TEAMS_CARD_MAX_BYTES} bytes (was over)`);
  return problems;
}

function formProblems(form: FormView): string[] {
  const problems: string[] = [];
  const modal = renderFormModal(form);
  const blocks = (modal as unknown as { blocks: unknown[] }).blocks;
  if (blocks.length > BLOCK_KIT_LIMITS.blocksPerHomeOrModal) problems.push(`Slack modal has ${blocks.length} blocks`);
  const bytes = cardBytes(renderFormCard(form));
  if (bytes > TEAMS_CARD_MAX_BYTES) problems.push(`Teams form card is ${bytes} bytes`);
  // A form opens with its essentials: at most 10 inputs in view, the rest in groups one tap away.
  const inView = inputsInViewOnOpen(form);
  if (Object.keys(form.errors).length === 0 && inView > FORM_LIMITS.inputsInView) problems.push(`opens with ${inView} inputs in view`);
  return problems;
}

describe('every view fits both platforms with a 1,000-case team', () => {
  let database: DatabaseHandle;
  let scale: ScaleTeam;
  let casework: Casework;
  const clock = fixedClock('2026-11-24T10:00:00Z');

  beforeAll(async () => {
    database = await createTestDb();
    scale = await createScaleTeam(database.db, {
      today: '2026-11-24',
      slack: { workspaceId: WORKSPACE, userIdPrefix: 'U0SZ' },
      channel: { platform: 'slack', workspaceId: WORKSPACE, channelId: CHANNEL, ref: null },
    });
    casework = createCasework(coreServices({ store: createKyselyStore(database.db), clock, notifier: createFakeNotifier() }).services, FEATURES);
  });
  afterAll(async () => {
    await database?.close();
  });

  const as = (slackUserId: string): InboundContext => ({ user: { platform: 'slack', workspaceId: WORKSPACE, userId: slackUserId }, surface: { kind: 'direct' } });

  it.each([
    ['an officer with about 85 cases', 0],
    ['a supervisor who is also the admin', 12],
  ])('%s: every command and every button on what it shows', { timeout: 300_000 }, async (_who, position) => {
    const person = scale.people[position]!;
    const ctx = as(person.slackUserId!);
    const ownKey = (await database.db.selectFrom('cases').select('case_key').where('lead_officer_id', '=', person.member.id).orderBy('case_key').executeTakeFirst())?.case_key ?? scale.caseKeys[0]!;
    const problems: string[] = [];
    const kinds = new Set<string>();
    await tourEveryCommand(casework, ctx, ownKey, (stop) => {
      if (!('reply' in stop)) return; // a refusal is an answer too
      const { where, reply, maxBlocks } = stop;
      if (reply.type === 'message' || reply.type === 'update') {
        kinds.add(reply.view.kind);
        problems.push(...messageProblems(reply.view, maxBlocks).map((p) => `${where} (${reply.view.kind}): ${p}`));
      } else if (reply.type === 'form' || reply.type === 'form-invalid') {
        kinds.add(`form:${reply.form.id}`);
        problems.push(...formProblems(reply.form).map((p) => `${where} (form ${reply.form.id}): ${p}`));
      }
    });

    expect(problems).toEqual([]);
    // The lists that grow with a team were all reached.
    for (const kind of ['my-deadlines', 'case-list', 'case-card', 'discussion-list', 'help']) expect(kinds).toContain(kind);
    if (position === 12) expect(kinds).toContain('roster');
  });

  it('every reminder message (digests, supervisor digests, escalations) fits, for every person', { timeout: 120_000 }, async () => {
    const notifier = createFakeNotifier();
    const { delivery } = coreServices({ store: createKyselyStore(database.db), clock, notifier });
    // Tuesday morning, after everyone's reminder time: a day's planning and delivery for the whole team.
    const at = new Date('2026-11-24T09:00:00Z');
    const planned = await planReminders(delivery, at);
    expect(planned.failures).toEqual([]);
    const delivered = await deliverOutbox(delivery, at, { workerId: 'size-test', maxBatches: 100 });
    expect(delivered.failures).toEqual([]);
    const kinds = new Set(notifier.deliveries.map((d) => d.view.kind));
    expect(kinds).toContain('reminder-digest');
    expect(kinds).toContain('reminder-supervisor-digest');
    const problems = notifier.deliveries.flatMap((d) => messageProblems(d.view).map((p) => `${d.view.kind} to ${d.to}: ${p}`));
    expect(problems).toEqual([]);
  });
});

// Every kind of message in the catalogue and every registered form, as the gallery shows them (a
// small team with a history), fits both platforms without cutting; a kind or form the gallery has
// no example of fails here too.
describe('every kind of message and every form fits both platforms', () => {
  let gallery: Gallery;
  beforeAll(async () => {
    gallery = await buildGallery();
  }, 120_000);

  it.each(ALL_VIEW_KINDS)('message %s', (kind) => {
    const found = gallery.messages.get(kind);
    expect(found, `no example of the "${kind}" message in test/support/view-gallery.ts`).toBeDefined();
    expect(messageProblems(found!.value, kind === 'my-deadlines' ? BLOCK_KIT_LIMITS.blocksPerHomeOrModal : undefined)).toEqual([]);
  });

  it.each(registeredFormIds())('form %s', (id) => {
    const found = gallery.forms.get(id);
    expect(found, `no example of the "${id}" form in test/support/view-gallery.ts`).toBeDefined();
    expect(formProblems(found!.value)).toEqual([]);
  });
});
