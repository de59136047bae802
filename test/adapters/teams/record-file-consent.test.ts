// Teams outside local mode: `record CW-…` offers the record's PDF with a file-consent card in the
// person's own chat. Accepting uploads the PDF to the upload session Teams names and shows it with a
// file info card; declining sends nothing; an unknown or lapsed offer is refused privately. All of
// it goes through the real CloudAdapter against the loopback fake connector, and is audited.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.ts';
import { verifyRecordFile } from '../../../src/renderers/record/record-verify.ts';
import { seedCase, seedTeam, type SeededTeam } from '../../support/factories.ts';
import { fileConsentAnswer, openAndSubmitForm, postActivity, type TeamsUser } from '../../support/teams-activities.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import type { SentActivity } from '../../support/fake-bot-connector.ts';
import { purgeRecordFilesJob } from '../../../src/scheduler/purge-record-files.job.ts';

const clock = fixedClock('2026-11-24T10:00:00Z');
let t: TestApp;
let home: SeededTeam;
const officer: TeamsUser = { aadObjectId: 'aad-fc-off', name: 'Olivia Officer' };
const other: TeamsUser = { aadObjectId: 'aad-fc-other', name: 'Oscar Officer' };
const personal = `a:personal-${officer.aadObjectId}`;

beforeAll(async () => {
  t = await startTestApp({ overrides: { clock, teamsRecords: 'file-consent' } });
  home = await seedTeam(t.database.db, {
    people: [
      { name: 'Olivia Officer', roles: ['officer'], teamsUserId: officer.aadObjectId },
      { name: 'Oscar Officer', roles: ['officer'], teamsUserId: other.aadObjectId },
    ],
  });
});
afterAll(async () => {
  await t?.close();
});

const isConsentCard = (s: SentActivity) => s.activity.attachments?.[0]?.contentType === 'application/vnd.microsoft.teams.card.file.consent';

/** Exports the record from the personal chat; returns the consent card sent and the record's hash. */
async function exportRecord(key: string, caseId: string): Promise<{ card: SentActivity; sha256: string }> {
  const res = await openAndSubmitForm(t, officer, `record ${key}`, { reason: 'Court disclosure request' });
  expect(res.status).toBe(200);
  expect(JSON.stringify(await res.json())).toContain('offered to you in your personal chat');
  const [card] = await t.connector.waitForSent(isConsentCard);
  const exported = await t.database.db.selectFrom('audit_log').select('after').where('case_id', '=', caseId).where('action', '=', 'record.exported').orderBy('id', 'desc').executeTakeFirstOrThrow();
  return { card: card!, sha256: (exported.after as { sha256: string }).sha256 };
}

function offerIdOf(card: SentActivity): string {
  return (card.activity.attachments![0]!.content as { acceptContext: { offerId: string } }).acceptContext.offerId;
}

async function recordActions(caseId: string): Promise<string[]> {
  const rows = await t.database.db.selectFrom('audit_log').select('action').where('case_id', '=', caseId).orderBy('id').execute();
  return rows.map((r) => r.action).filter((a) => a.startsWith('record.'));
}

async function answer(value: Parameters<typeof fileConsentAnswer>[2], user = officer) {
  const res = await postActivity(t.teamsMessagesUrl, fileConsentAnswer(user, t.connector.serviceUrl, value));
  expect(res.status).toBe(200);
}

/** The text of the last plain message sent to a conversation. */
async function lastText(conversationId: string): Promise<string> {
  const [said] = await t.connector.waitForSent((s) => s.conversationId === conversationId && typeof s.activity.text === 'string' && !s.activity.attachments?.length);
  return said!.activity.text!;
}

describe('Teams: the record through the file-consent flow', () => {
  it('offers the PDF with a consent card holding no record content, uploads it on accept, shows it, and audits it', async () => {
    const c = await seedCase(t.database.db, home.team, { leadOfficerId: home.members['Olivia Officer']!.id });
    const { card, sha256 } = await exportRecord(c.key, c.id);
    expect(card.conversationId).toBe(personal);
    const attachment = card.activity.attachments![0]!;
    expect(attachment.name).toBe(`${c.key}-record.pdf`);
    const content = attachment.content as { description: string; sizeInBytes: number; acceptContext: unknown; declineContext: unknown };
    expect(content.sizeInBytes).toBeGreaterThan(1000);
    expect(Object.keys(content.acceptContext as object)).toEqual(['offerId']);
    expect(content.declineContext).toEqual(content.acceptContext);
    // Nothing of the record itself: not its hash, not the case's details.
    const json = JSON.stringify(card.activity);
    expect(json).not.toContain(sha256);
    expect(json).not.toContain('Court disclosure request');
    expect(json).not.toContain(c.id);
    // The offer id is stored only as its hash.
    const stored = await t.database.db.selectFrom('record_downloads').select(['token_sha256']).where('case_id', '=', c.id).execute();
    expect(stored.map((s) => s.token_sha256)).not.toContain(offerIdOf(card));

    t.connector.reset();
    const uploadUrl = t.connector.uploadUrl(`${c.key}-record.pdf`);
    await answer({
      action: 'accept',
      context: { offerId: offerIdOf(card) },
      uploadInfo: { name: `${c.key}-record.pdf`, uploadUrl, contentUrl: `https://contoso-my.sharepoint.com/personal/olivia/Documents/Applications/Casework/${c.key}-record.pdf`, uniqueId: 'file-unique-1', fileType: 'pdf' },
    });
    const [upload] = t.connector.uploads();
    expect(upload).toBeDefined();
    const bytes = upload!.bytes;
    expect(bytes.length).toBe(content.sizeInBytes);
    expect(upload!.headers['content-range']).toBe(`bytes 0-${bytes.length - 1}/${bytes.length}`);
    expect(upload!.headers['content-length']).toBe(String(bytes.length));
    const verified = await verifyRecordFile(bytes);
    expect(verified).toMatchObject({ format: 'pdf', intact: true, caseKey: c.key });
    // The PDF carries the record whose SHA-256 the export audited.
    expect(JSON.stringify(verified)).toContain(sha256);

    const [info] = await t.connector.waitForSent((s) => s.activity.attachments?.[0]?.contentType === 'application/vnd.microsoft.teams.card.file.info');
    expect(info!.conversationId).toBe(personal);
    expect(info!.activity.attachments![0]).toMatchObject({ name: `${c.key}-record.pdf`, contentUrl: expect.stringContaining('sharepoint.com'), content: { uniqueId: 'file-unique-1', fileType: 'pdf' } });

    expect(await recordActions(c.id)).toEqual(['record.exported', 'record.file_offered', 'record.file_sent']);
    const sent = await t.database.db.selectFrom('audit_log').select(['after', 'actor_member_id']).where('case_id', '=', c.id).where('action', '=', 'record.file_sent').executeTakeFirstOrThrow();
    expect(sent.actor_member_id).toBe(home.members['Olivia Officer']!.id);
    expect(sent.after).toMatchObject({ sha256, pdfSha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
    // The file is not kept once handed over.
    const kept = await t.database.db.selectFrom('record_downloads').select('content').where('case_id', '=', c.id).execute();
    expect(kept.every((k) => k.content === null)).toBe(true);
    // Nothing of the record in the log.
    expect(t.log.raw()).not.toContain(sha256);

    // Accepting the same offer again is refused privately, and nothing more is uploaded.
    t.connector.reset();
    await answer({ action: 'accept', context: { offerId: offerIdOf(card) }, uploadInfo: { name: 'x.pdf', uploadUrl, contentUrl: 'https://contoso-my.sharepoint.com/x.pdf', uniqueId: 'file-unique-2', fileType: 'pdf' } });
    expect(await lastText(personal)).toContain('already been answered');
    expect(t.connector.uploads()).toEqual([]);
  });

  it('sends nothing when the person declines, tells them so privately, and audits it', async () => {
    const c = await seedCase(t.database.db, home.team, { leadOfficerId: home.members['Olivia Officer']!.id });
    const { card } = await exportRecord(c.key, c.id);
    t.connector.reset();
    await answer({ action: 'decline', context: { offerId: offerIdOf(card) } });
    expect(await lastText(personal)).toContain('nothing was sent');
    expect(t.connector.uploads()).toEqual([]);
    expect(t.connector.sent().every((s) => s.conversationId === personal)).toBe(true);
    expect(await recordActions(c.id)).toEqual(['record.exported', 'record.file_offered', 'record.file_declined']);
    const kept = await t.database.db.selectFrom('record_downloads').select('content').where('case_id', '=', c.id).execute();
    expect(kept.every((k) => k.content === null)).toBe(true);
  });

  it('refuses an unknown, expired, someone else\'s or unreadable answer privately, uploading nothing', async () => {
    const c = await seedCase(t.database.db, home.team, { leadOfficerId: home.members['Olivia Officer']!.id });
    const { card } = await exportRecord(c.key, c.id);
    const info = { name: 'r.pdf', uploadUrl: t.connector.uploadUrl('r.pdf'), contentUrl: 'https://contoso-my.sharepoint.com/r.pdf', uniqueId: 'u-3', fileType: 'pdf' };

    t.connector.reset();
    await answer({ action: 'accept', context: { offerId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, uploadInfo: info });
    expect(await lastText(personal)).toContain('does not know this file offer');

    // Someone else cannot take Olivia's offer, and hers still stands afterwards.
    t.connector.reset();
    await answer({ action: 'accept', context: { offerId: offerIdOf(card) }, uploadInfo: info }, other);
    expect(await lastText(`a:personal-${other.aadObjectId}`)).toContain('made to someone else');

    // An upload place that is not https (nor this machine) is not used, and the offer still stands.
    t.connector.reset();
    await answer({ action: 'accept', context: { offerId: offerIdOf(card) }, uploadInfo: { ...info, uploadUrl: 'http://files.example.com/session' } });
    expect(await lastText(personal)).toContain('did not say where to save the file');

    t.connector.reset();
    await answer({ action: 'accept', context: 'not an object', uploadInfo: info });
    expect(await lastText(personal)).toContain('could not read this answer');

    t.connector.reset();
    await answer(undefined);
    expect(await lastText(personal)).toContain('could not read this answer');

    t.connector.reset();
    clock.advance(10 * 60_000 + 1000);
    await answer({ action: 'accept', context: { offerId: offerIdOf(card) }, uploadInfo: info });
    expect(await lastText(personal)).toContain('expired');
    expect(t.connector.uploads()).toEqual([]);

    expect(await recordActions(c.id)).toEqual(['record.exported', 'record.file_offered', 'record.file_refused', 'record.file_refused']);
    const kept = await t.database.db.selectFrom('record_downloads').select('content').where('case_id', '=', c.id).execute();
    expect(kept.every((k) => k.content === null)).toBe(true);
  });

  it('tells the person privately and audits it when OneDrive refuses the upload', async () => {
    const c = await seedCase(t.database.db, home.team, { leadOfficerId: home.members['Olivia Officer']!.id });
    const { card } = await exportRecord(c.key, c.id);
    t.connector.reset();
    t.connector.respondWith({ operation: 'uploadSession' }, { status: 507, body: { error: { code: 'insufficientStorage', message: 'Quota exceeded' } } });
    await answer({ action: 'accept', context: { offerId: offerIdOf(card) }, uploadInfo: { name: 'r.pdf', uploadUrl: t.connector.uploadUrl('r.pdf'), contentUrl: 'https://contoso-my.sharepoint.com/r.pdf', uniqueId: 'u-4', fileType: 'pdf' } });
    expect(await lastText(personal)).toContain('could not save the file to your OneDrive');
    expect(t.connector.uploads()).toHaveLength(1);
    expect(t.connector.sent().some((s) => s.activity.attachments?.[0]?.contentType === 'application/vnd.microsoft.teams.card.file.info')).toBe(false);
    expect(await recordActions(c.id)).toEqual(['record.exported', 'record.file_offered', 'record.file_failed']);
    const failed = await t.database.db.selectFrom('audit_log').select('after').where('case_id', '=', c.id).where('action', '=', 'record.file_failed').executeTakeFirstOrThrow();
    expect(failed.after).toMatchObject({ failed: 'http_507' });
  });

  it('clears an offer nobody answered once its 10 minutes are up', async () => {
    const c = await seedCase(t.database.db, home.team, { leadOfficerId: home.members['Olivia Officer']!.id });
    await exportRecord(c.key, c.id);
    const held = () => t.database.db.selectFrom('record_downloads').select('content').where('case_id', '=', c.id).executeTakeFirstOrThrow();
    const job = purgeRecordFilesJob(t.app.delivery);
    await job.run(clock.now());
    expect((await held()).content).not.toBeNull();
    clock.advance(10 * 60_000);
    expect((await job.run(clock.now())).cleared).toBeGreaterThanOrEqual(1);
    expect((await held()).content).toBeNull();
  });
});
