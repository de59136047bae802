// The record is complete: a case is filled in through every form a person can open about it
// (visit and an amendment of it, assessment with factor ratings, significant change, supervision
// note, officer supervision), each field of each form given a value taken from the form's own
// description, and every value must appear in the Markdown record and in the PDF, in words. A
// field added to a form later gets a value here automatically, so a record that forgets it fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCasework, type Casework } from '../../../src/core/casework.ts';
import { fixedClock } from '../../../src/core/clock.ts';
import type { Case } from '../../../src/core/domain/entities.ts';
import { FEATURES } from '../../../src/core/features.ts';
import type { InboundContext, Reply } from '../../../src/core/interaction.ts';
import { buildCaseRecord, type CaseRecordDocument } from '../../../src/core/supervision/case-record.ts';
import { formatDate } from '../../../src/core/views/format.ts';
import type { FieldValue, FormView } from '../../../src/core/views/form-view.ts';
import type { DatabaseHandle } from '../../../src/db/database.ts';
import { createKyselyStore, reposFor } from '../../../src/db/kysely-store.ts';
import { renderRecordPdf } from '../../../src/renderers/record/record-pdf.ts';
import { coreServices } from '../../support/core-services.ts';
import { createFakeNotifier } from '../../support/fake-notifier.ts';
import { seedCase, seedTeam, SLACK_WORKSPACE, type SeededTeam } from '../../support/factories.ts';
import { findInternalCodes } from '../../support/internal-codes.ts';
import { pdfText as textOfPdf } from '../../support/pdf-content.ts';
import { createTestDb } from '../../support/test-db.ts';

const clock = fixedClock('2026-11-24T10:00:00Z');
const CHANNEL = 'C0COMPLETE';
let database: DatabaseHandle;
let casework: Casework;
let home: SeededTeam;
let c: Case;
let doc: CaseRecordDocument;
let pdfText = '';

const as = (userId: string): InboundContext => ({ user: { platform: 'slack', workspaceId: SLACK_WORKSPACE, userId }, surface: { kind: 'direct' } });

/** What the record must hold, per form: the strings and where they came from (for failures). */
const expected: { form: string; field: string; text: string }[] = [];
/** Values that must never appear in the case's record (personal to the officer). */
const absent: string[] = [];

/** Dates each kind of field can take and still validate; anything else is in the future. */
const DATES: Record<string, string[]> = {
  assessedOn: ['2026-11-10'],
  visitedOn: ['2026-11-20', '2026-11-20'],
  noticedOn: ['2026-11-23'],
  heldOn: ['2026-11-23'],
  reviewedOn: ['2026-11-18'],
  nextVisitOn: ['2026-12-18', '2026-12-17'],
  nextReviewOn: ['2026-12-14'],
  nextSessionOn: ['2026-12-21'],
};

/** An option's words without the hint a form adds to it: " (urgent)", ": review within 1 working day". */
const optionWords = (label: string) => label.split(/ \(|: /)[0]!;

function formOf(reply: Reply): FormView {
  if (reply.type !== 'form') throw new Error(`expected a form, got ${reply.type}`);
  return reply.form;
}

/**
 * Gives every field of a form a value from its own description and notes what the record must
 * then show. `round` varies the choices so an amendment differs from the first version.
 */
function fill(form: FormView, round: number, choose: Record<string, string> = {}): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {};
  form.fields.forEach((field, index) => {
    const expect = (text: string) => expected.push({ form: `${form.id} (round ${round})`, field: field.id, text });
    const labelled = (text: string) => expect(`${field.label}: ${text}`);
    const action = /^action(\d)(Owner|Due|Description)$/.exec(field.id);
    switch (field.kind) {
      case 'text':
      case 'textarea': {
        const text = `${form.id.replace(/\W/g, ' ')} ${field.id.replace(/_/g, ' ')} answer ${round}`;
        values[field.id] = text;
        if (action) expect(text);
        else labelled(text);
        return;
      }
      case 'date': {
        const n = Number(action?.[1] ?? 0);
        const day = action ? `2026-12-0${n + 1}` : (DATES[field.id]?.[round - 1] ?? DATES[field.id]?.[0] ?? '2026-12-15');
        values[field.id] = day;
        if (action) expect(formatDate(day));
        else labelled(formatDate(day));
        return;
      }
      case 'time': {
        values[field.id] = round === 1 ? '14:35' : '15:40';
        labelled(values[field.id] as string);
        return;
      }
      case 'select': {
        const options = field.options ?? [];
        const picked = options.find((o) => o.value === choose[field.id]) ?? options[(index + round) % options.length]!;
        values[field.id] = picked.value;
        if (action) expect(picked.label);
        else labelled(optionWords(picked.label));
        return;
      }
      case 'multiselect':
      case 'checkboxes': {
        // Every choice at once, except "nobody else present", which stands alone.
        const picked = (field.options ?? []).filter((o) => o.value !== 'none');
        values[field.id] = picked.map((o) => o.value);
        if (picked[0]) labelled(optionWords(picked[0].label));
        for (const o of picked) expect(optionWords(o.label));
        return;
      }
      default:
        throw new Error(`The completeness test cannot yet fill a ${field.kind} field (${form.id} ${field.id}): teach it, and the record, how.`);
    }
  });
  return values;
}

async function submit(userId: string, form: FormView, values: Record<string, FieldValue>, context = form.context): Promise<Reply> {
  const reply = await casework.submitForm(as(userId), form.id, values, context);
  if (reply.type === 'form-invalid') throw new Error(`${form.id} refused the test's values: ${JSON.stringify(reply.form.errors)}`);
  return reply;
}

beforeAll(async () => {
  database = await createTestDb();
  casework = createCasework(coreServices({ store: createKyselyStore(database.db), clock, notifier: createFakeNotifier() }).services, FEATURES);
  home = await seedTeam(database.db, {
    people: [
      { name: 'Olivia Officer', roles: ['officer'], slackUserId: 'U0COFF' },
      { name: 'Oscar Officer', roles: ['officer'], slackUserId: 'U0COSC' },
      { name: 'Sam Supervisor', roles: ['officer', 'supervisor'], slackUserId: 'U0CSUP' },
    ],
    policy: { storeArmsRatings: true },
    channel: { platform: 'slack', workspaceId: SLACK_WORKSPACE, channelId: CHANNEL },
  });
  const olivia = home.members['Olivia Officer']!;
  const sam = home.members['Sam Supervisor']!;
  c = await seedCase(database.db, home.team, { riskLevel: 'very_high', leadOfficerId: olivia.id, supervisorId: sam.id, lastVisitOn: '2026-11-02' });

  // The assessment first: a later change would ask the assessment to answer it.
  const assessment = formOf(await casework.handleText(as('U0COFF'), `assessment ${c.key}`));
  await submit('U0COFF', assessment, fill(assessment, 1, { riskLevel: 'very_high', managementMode: 'active' }));

  // A visit, then an amendment of it: both versions belong to the record.
  const visit = formOf(await casework.handleText(as('U0COFF'), `visit ${c.key}`));
  await submit('U0COFF', visit, fill(visit, 1));
  const first = await database.db.selectFrom('visits').select('id').where('case_id', '=', c.id).executeTakeFirstOrThrow();
  const amend = formOf(await casework.handleAction(as('U0COFF'), 'visit.amend', { visitId: first.id }));
  await submit('U0COFF', amend, fill(amend, 2));

  const mappa = formOf(await casework.handleText(as('U0COFF'), `mappa ${c.key}`));
  await submit('U0COFF', mappa, fill(mappa, 1, { level: '3' }));

  const change = formOf(await casework.handleText(as('U0COFF'), `change ${c.key}`));
  await submit('U0COFF', change, fill(change, 1, { kind: 'foreign_travel', urgency: 'urgent' }));

  await casework.handleText(as('U0COFF'), `discuss ${c.key} Is a joint visit needed?`);
  const discussion = await database.db.selectFrom('discussions').select('id').where('case_id', '=', c.id).executeTakeFirstOrThrow();
  const note = formOf(await casework.handleAction(as('U0CSUP'), 'supervision.note', { discussionId: discussion.id }));
  const noteValues = fill(note, 1, { intent: 'sign' });
  // "On submit" is what to do, not an answer: a signed note says so.
  expected.splice(expected.findIndex((e) => e.field === 'intent'), 1, { form: note.id, field: 'intent', text: 'signed' });
  await submit('U0CSUP', note, noteValues);

  // Officer supervision belongs to the officer; the case's record shows that, when and by whom
  // the case was reviewed, and never the officer's workload, wellbeing or development.
  const session = formOf(await casework.handleText(as('U0CSUP'), 'supervision'));
  const before = expected.length;
  const sessionValues = fill(session, 1, { officerId: olivia.id });
  expected.splice(before);
  for (const id of ['workload', 'wellbeing', 'development']) absent.push(sessionValues[id] as string);
  expected.push(
    { form: session.id, field: 'officerId', text: `reviewed this case in supervision with Olivia Officer` },
    { form: session.id, field: 'heldOn', text: formatDate(sessionValues.heldOn as string) },
    { form: session.id, field: 'nextSessionOn', text: `next session ${formatDate(sessionValues.nextSessionOn as string)}` },
  );
  await submit('U0CSUP', session, sessionValues);

  doc = await buildCaseRecord(reposFor(database.db), home.team, c, { exportedBy: 'Sam Supervisor', exportedAt: clock.now(), reason: 'Court disclosure request' });
  pdfText = textOfPdf(await renderRecordPdf(doc, { compress: false })).replace(/\s+/g, ' ');
}, 120_000);
afterAll(async () => {
  await database?.close();
});

describe('the case record is complete', () => {
  it('walked every form a case has', () => {
    const forms = new Set(expected.map((e) => e.form.replace(/ \(round \d\)$/, '')));
    expect([...forms].sort()).toEqual(['assessment.record', 'change.record', 'mappa.review', 'supervision.note', 'supervision.session', 'visit.record']);
    // The assessment form carried its factor ratings (policy allows storing them).
    expect(expected.filter((e) => e.form.startsWith('assessment.record') && e.text.startsWith('Protective factor:')).length).toBe(5);
  });

  it('holds every value of every field, in words, in the Markdown', () => {
    const missing = expected.filter((e) => !doc.markdown.toLowerCase().includes(e.text.toLowerCase()));
    expect(missing).toEqual([]);
    for (const text of absent) expect(doc.markdown).not.toContain(text);
  });

  it('holds every value of every field in the PDF', () => {
    const missing = expected.filter((e) => !pdfText.toLowerCase().includes(e.text.replace(/\s+/g, ' ').toLowerCase()));
    expect(missing).toEqual([]);
    for (const text of absent) expect(pdfText).not.toContain(text);
  });

  it('shows no stored code where words belong', () => {
    expect(findInternalCodes(doc.body)).toEqual([]);
  });
});
