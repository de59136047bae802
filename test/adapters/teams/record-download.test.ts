// Teams in local mode (the Agents Playground cannot take files): `record CW-…` gives the person a
// private card with a one-time link to the record's PDF on Casework's own server. The link works
// once, is refused after 10 minutes, and every use or refusal is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import { verifyRecordFile } from '../../../src/renderers/record/record-verify.ts';
import { adaptiveCardProblems } from '../../support/adaptive-card-validation.ts';
import { seedCase, seedTeam, type SeededTeam } from '../../support/factories.ts';
import { openAndSubmitForm, type TeamsUser } from '../../support/teams-activities.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

const clock = fixedClock('2026-11-24T10:00:00Z');
let t: TestApp;
let home: SeededTeam;
const officer: TeamsUser = { aadObjectId: 'aad-rd-off', name: 'Olivia Officer' };

beforeAll(async () => {
  t = await startTestApp({ overrides: { clock } });
  home = await seedTeam(t.database.db, { people: [{ name: 'Olivia Officer', roles: ['officer'], teamsUserId: officer.aadObjectId }] });
});
afterAll(async () => {
  await t?.close();
});

/** Exports the record from the personal chat and returns the link on the private card. */
async function exportRecord(key: string): Promise<string> {
  const res = await openAndSubmitForm(t, officer, `record ${key}`, { reason: 'Court disclosure request' });
  expect(res.status).toBe(200);
  const [sent] = await t.connector.waitForSent((s) => JSON.stringify(s.activity).includes('/records/'));
  expect(sent!.conversationId).toBe(`a:personal-${officer.aadObjectId}`);
  const card = sent!.activity.attachments![0]!.content;
  expect(adaptiveCardProblems(card)).toEqual([]);
  const url = /"(http:\/\/127\.0\.0\.1:\d+\/records\/[A-Za-z0-9_-]+)"/.exec(JSON.stringify(card))?.[1];
  expect(url).toBeDefined();
  expect(JSON.stringify(card)).toContain('This link works once');
  return url!;
}

describe('Teams (local mode): the record as a one-time download link', () => {
  it('serves the PDF once, then refuses the link; an expired link is refused; all audited', async () => {
    const c = await seedCase(t.database.db, home.team, { leadOfficerId: home.members['Olivia Officer']!.id });
    const url = await exportRecord(c.key);

    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('application/pdf');
    expect(first.headers.get('content-disposition')).toContain(`${c.key}-record.pdf`);
    const pdf = Buffer.from(await first.arrayBuffer());
    expect(await verifyRecordFile(pdf)).toMatchObject({ format: 'pdf', intact: true, caseKey: c.key });

    const again = await fetch(url);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('already been used');

    const late = await exportRecord(c.key);
    clock.advance(10 * 60_000 + 1000);
    const expired = await fetch(late);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('expired');

    const unknown = await fetch(url.replace(/[^/]+$/, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'));
    expect(unknown.status).toBe(404);

    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'actor_member_id']).where('case_id', '=', c.id).orderBy('id').execute();
    const actions = audit.map((a) => a.action).filter((a) => a.startsWith('record.'));
    expect(actions).toEqual(['record.exported', 'record.download_issued', 'record.downloaded', 'record.download_refused', 'record.exported', 'record.download_issued', 'record.download_refused']);
    expect(audit.filter((a) => a.action.startsWith('record.download')).every((a) => a.actor_member_id === home.members['Olivia Officer']!.id)).toBe(true);
    // The file is not kept once the link is used or expired.
    const kept = await t.database.db.selectFrom('record_downloads').select('content').where('case_id', '=', c.id).execute();
    expect(kept.every((k) => k.content === null)).toBe(true);
  });
});
