// The record export: a case with a discussion (replies, an edit, a deletion, a flagged reply),
// a signed note with an action, an addendum, a draft, a closing, a visit and a change event;
// the Markdown and the PDF hold every element, and their hash verifies.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCasework, type Casework } from '../../../src/core/casework.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Case } from '../../../src/core/domain/entities.ts';
import { FEATURES } from '../../../src/core/features.ts';
import type { InboundContext } from '../../../src/core/interaction.ts';
import { buildCaseRecord, verifyRecord, type CaseRecordDocument } from '../../../src/core/supervision/case-record.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createKyselyStore, reposFor } from '../../../src/db/kysely-store.ts';
import { renderRecordPdf } from '../../../src/renderers/record/record-pdf.ts';
import { createFakeNotifier } from '../../support/fake-notifier.ts';
import { coreServices } from '../../support/core-services.ts';
import { seedCase, seedTeam, SLACK_WORKSPACE, type SeededTeam } from '../../support/factories.ts';
import { findInternalCodes } from '../../support/internal-codes.ts';
import { pdfText } from '../../support/pdf-content.ts';
import { createTestDb } from '../../support/test-db.ts';

const clock = fixedClock('2026-11-24T10:00:00Z');
const CHANNEL = 'C0RECORD';
let database: DatabaseHandle;
let casework: Casework;
let home: SeededTeam;
let c: Case;
let doc: CaseRecordDocument;
let notifier: ReturnType<typeof createFakeNotifier>;

const as = (userId: string): InboundContext => ({ user: { platform: 'slack', workspaceId: SLACK_WORKSPACE, userId }, surface: { kind: 'channel', channelId: CHANNEL } });

beforeAll(async () => {
  database = await createTestDb();
  notifier = createFakeNotifier();
  casework = createCasework(coreServices({ store: createKyselyStore(database.db), clock, notifier }).services, FEATURES);
  home = await seedTeam(database.db, {
    people: [
      { name: 'Olivia Officer', roles: ['officer'], slackUserId: 'U0ROFF' },
      { name: 'Oscar Officer', roles: ['officer'], slackUserId: 'U0ROSC' },
      { name: 'Sam Supervisor', roles: ['officer', 'supervisor'], slackUserId: 'U0RSUP' },
    ],
    channel: { platform: 'slack', workspaceId: SLACK_WORKSPACE, channelId: CHANNEL },
  });
  const olivia = home.members['Olivia Officer']!;
  c = await seedCase(database.db, home.team, { riskLevel: 'very_high', leadOfficerId: olivia.id, lastVisitOn: '2026-11-02' });

  await casework.handleText(as('U0ROFF'), `discuss ${c.key} Is a joint visit needed?`);
  const d = await database.db.selectFrom('discussions').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
  const say = (user: string, id: string, text: string, kind: 'new' | 'edited' | 'deleted' = 'new') =>
    casework.threadMessage(as(user), { kind, channelId: CHANNEL, threadRef: d.thread_ref!, messageId: id, text, at: clock.now() });
  await say('U0ROSC', '1.1', 'Yes, with probation.');
  clock.advance(60_000);
  await say('U0ROSC', '1.1', 'Yes, jointly with probation.', 'edited');
  await say('U0RSUP', '1.2', 'Withdrawn remark');
  await say('U0RSUP', '1.2', '', 'deleted');
  await say('U0ROFF', '1.3', 'His email is someone@example.com');

  const note = async (context: Record<string, string>, overrides: Record<string, string> = {}) => {
    const confirm = await casework.submitForm(as('U0RSUP'), 'supervision.note', {
      question: 'Is a joint visit needed?',
      riskView: 'Elevated while the relationship is new.',
      optionsConsidered: 'Single-agency visit; joint visit.',
      decision: 'Joint visit with probation.',
      rationale: 'Probation hold the licence conditions.',
      dissent: 'Oscar preferred waiting.',
      action1Owner: olivia.id,
      action1Due: '2026-12-01',
      action1Description: 'Arrange the joint visit',
      nextReviewOn: '2026-12-20',
      ...overrides,
    }, context);
    if (confirm.type !== 'message') throw new Error('expected the confirmation of signing');
    const sign = confirm.view.actions!.find((a) => a.id === 'supervision.note_sign')!;
    await casework.handleAction(as('U0RSUP'), sign.id, sign.value!);
  };
  await note({ discussionId: d.id });
  await note({ discussionId: d.id, addendumTo: (await database.db.selectFrom('supervision_notes').select('id').executeTakeFirstOrThrow()).id }, { decision: 'Add a MAPPA referral.', action1Owner: '', action1Due: '', action1Description: '' });
  await casework.submitForm(as('U0RSUP'), 'discussion.close', { summary: 'Joint visit agreed.' }, { discussionId: d.id });
  await casework.submitForm(as('U0ROFF'), 'change.record', { kind: 'relationship', noticedOn: '2026-11-20', urgency: '' }, { caseKey: c.key });
  await database.db
    .insertInto('visits')
    .values({ case_id: c.id, visited_at: '2026-11-02T10:30:00Z', visited_on: '2026-11-02', visit_type: 'unannounced', outcome: 'seen_at_home', answers: '{}', recorded_by: olivia.id })
    .execute();

  doc = await buildCaseRecord(reposFor(database.db), home.team, c, { exportedBy: 'Sam Supervisor', exportedAt: clock.now(), reason: 'Court disclosure request' });
});
afterAll(async () => {
  await database?.close();
});

/** Every element item 7 of the issue lists, as it must appear in the export. */
function expectedElements(): string[] {
  return [
    `Case record: ${c.key}`,
    'Reason for export: Court disclosure request',
    'Discussion 1: Is a joint visit needed?',
    'Olivia Officer, 24 Nov 2026, 10:00',
    'Oscar Officer: Yes, jointly with probation.',
    'Text before the edit: Yes, with probation.',
    'Text when deleted: Withdrawn remark',
    'flagged: may hold an email address',
    'Note 1: signed',
    'Note 2 (addendum to note 1): signed',
    'Rationale: Probation hold the licence conditions.',
    'Dissent: Oscar preferred waiting.',
    'Decisions',
    'Add a MAPPA referral.',
    'Arrange the joint visit',
    'open, reminders on',
    'Closed by Sam Supervisor',
    'Joint visit agreed.',
    'Visits',
    'Visit type: Unannounced visit',
    'Outcome: Seen at home',
    'Significant changes',
    'What has changed: New or ended relationship',
    'Urgency: Standard',
    'Audit trail',
    'Supervision note signed',
    'Discussion reply recorded',
  ];
}

describe('the case record export', () => {
  it('shows the record inline in words and sections, never raw Markdown, where no file can be sent', async () => {
    await casework.submitForm(as('U0RSUP'), 'record.export', { reason: 'Supervision review' }, { caseKey: c.key });
    const inline = notifier.deliveries.find((d) => d.view.kind === 'case-record')!.view;
    const texts = [inline.title, ...(inline.paragraphs ?? []), ...(inline.sections ?? []).flatMap((s) => [s.heading ?? '', s.text ?? ''])];
    expect(texts.join('\n')).not.toMatch(/^#/m);
    expect((inline.sections ?? []).map((s) => s.heading)).toContain('Discussions');
    expect(findInternalCodes(texts.join('\n').replace(/someone@example\.com/g, ''))).toEqual([]);
    for (const s of inline.sections ?? []) expect((s.text ?? '').length).toBeLessThanOrEqual(3000);
  });

  it('holds every element in Markdown, in Europe/London time, with a footer hash that verifies', () => {
    for (const element of expectedElements()) expect(doc.markdown).toContain(element);
    const check = verifyRecord(doc.markdown);
    expect(check.valid).toBe(true);
    expect(check.stated).toBe(createHash('sha256').update(doc.body).digest('hex'));
    // Tampering with any character breaks it.
    expect(verifyRecord(doc.markdown.replace('Joint visit agreed.', 'Joint visit refused.')).valid).toBe(false);
  });

  it('holds every element in the PDF, with the same hash in its footer', async () => {
    const pdf = await renderRecordPdf(doc, { title: `Case record ${c.key}` });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    for (const element of expectedElements()) expect(text).toContain(element.replace(/\s+/g, ' '));
    expect(text).toContain(doc.sha256);
    expect(createHash('sha256').update(doc.body).digest('hex')).toBe(doc.sha256);
  });
});
