// Words, not codes: a small team (the scale fixture, 60 cases with a year of history) is driven
// through the core as an officer and as a supervisor who is also the admin, every registered
// command with every kind of argument and then every button on what came back, and every reminder
// message of a day is delivered. No text a person reads (titles, paragraphs, sections, facts,
// button labels, form labels, hints and choices) may hold a snake_case or dotted internal code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCasework, type Casework } from '../../src/core/casework.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { FEATURES } from '../../src/core/features.ts';
import { tourEveryCommand } from '../support/command-tour.ts';
import type { InboundContext } from '../../src/core/interaction.ts';
import { deliverOutbox } from '../../src/core/reminders/deliver-outbox.ts';
import { planReminders } from '../../src/core/reminders/plan-reminders.ts';
import type { FormView } from '../../src/core/views/form-view.ts';
import type { ActionView, MessageView } from '../../src/core/views/message-view.ts';
import type { DatabaseHandle } from '../../src/db/database.ts';
import { createKyselyStore } from '../../src/db/kysely-store.ts';
import { createScaleTeam, type ScaleTeam } from '../../src/local/scale-team.ts';
import { coreServices } from '../support/core-services.ts';
import { createFakeNotifier } from '../support/fake-notifier.ts';
import { findInternalCodes } from '../support/internal-codes.ts';
import { createTestDb } from '../support/test-db.ts';

const WORKSPACE = 'T0WORD';

/** Every string of a message a person reads. */
export function messageTexts(view: MessageView): string[] {
  const actions = (list: readonly ActionView[] | undefined) => (list ?? []).map((a) => a.label);
  return [
    view.title,
    view.subtitle ?? '',
    view.notice?.text ?? '',
    view.footer ?? '',
    ...(view.paragraphs ?? []),
    ...(view.facts ?? []).flatMap((f) => [f.label, f.value]),
    ...(view.sections ?? []).flatMap((s) => [s.heading ?? '', s.text ?? '', ...(s.facts ?? []).flatMap((f) => [f.label, f.value]), ...actions(s.actions)]),
    ...actions(view.actions),
    ...actions(view.restrictedActions),
  ];
}

/** Every string of a form a person reads. */
export function formTexts(form: FormView): string[] {
  return [form.title, form.submitLabel ?? '', form.intro ?? '', ...Object.values(form.errors), ...form.fields.flatMap((f) => [f.label, f.hint ?? '', f.placeholder ?? '', ...(f.options ?? []).map((o) => o.label)])];
}

describe('words, not codes, wherever a person reads', () => {
  let database: DatabaseHandle;
  let scale: ScaleTeam;
  let casework: Casework;
  const clock = fixedClock('2026-11-24T10:00:00Z');

  beforeAll(async () => {
    database = await createTestDb();
    scale = await createScaleTeam(database.db, { today: '2026-11-24', cases: 60, officers: 4, supervisors: 1, slack: { workspaceId: WORKSPACE, userIdPrefix: 'U0WD' } });
    casework = createCasework(coreServices({ store: createKyselyStore(database.db), clock, notifier: createFakeNotifier() }).services, FEATURES);
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });

  const as = (slackUserId: string): InboundContext => ({ user: { platform: 'slack', workspaceId: WORKSPACE, userId: slackUserId }, surface: { kind: 'direct' } });

  it.each([
    ['an officer', 0],
    ['a supervisor who is also the admin', 4],
  ])('%s: every command and every button', { timeout: 300_000 }, async (_who, position) => {
    const person = scale.people[position]!;
    const ctx = as(person.slackUserId!);
    const ownKey = (await database.db.selectFrom('cases').select('case_key').where('lead_officer_id', '=', person.member.id).orderBy('case_key').executeTakeFirst())?.case_key ?? scale.caseKeys[0]!;
    const found: string[] = [];
    let replies = 0;
    await tourEveryCommand(casework, ctx, ownKey, (stop) => {
      if ('refusal' in stop) {
        for (const code of findInternalCodes(stop.refusal.message)) found.push(`${stop.where} (refusal): ${code}`);
        return;
      }
      const { reply } = stop;
      const texts = reply.type === 'message' || reply.type === 'update' ? messageTexts(reply.view) : reply.type === 'form' || reply.type === 'form-invalid' ? formTexts(reply.form) : [];
      if (texts.length) replies += 1;
      for (const code of findInternalCodes(texts.join('\n'))) found.push(`${stop.where}: ${code}`);
    });
    expect(found).toEqual([]);
    // The walk reached plenty of views (and the detector itself finds a code when there is one).
    expect(replies).toBeGreaterThan(40);
    expect(findInternalCodes('Outcome: seen_at_home; visit.draft_saved')).toEqual(['seen_at_home', 'visit.draft_saved']);
  });

  it('every reminder message of a day', { timeout: 120_000 }, async () => {
    const notifier = createFakeNotifier();
    const { delivery } = coreServices({ store: createKyselyStore(database.db), clock, notifier });
    const at = new Date('2026-11-24T09:00:00Z');
    await planReminders(delivery, at);
    await deliverOutbox(delivery, at, { workerId: 'words-test', maxBatches: 100 });
    expect(notifier.deliveries.length).toBeGreaterThan(0);
    const found = notifier.deliveries.flatMap((d) => findInternalCodes(messageTexts(d.view).join('\n')).map((code) => `${d.view.kind}: ${code}`));
    expect(found).toEqual([]);
  });
});
