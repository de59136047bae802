import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptiveCardProblems } from '../../support/adaptive-card-validation.ts';
import { channelMention, personalMessage, postActivity } from '../../support/teams-activities.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const user = { aadObjectId: 'aad-help-user', name: 'Olivia' };

function card(activity: any): any {
  return activity.attachments?.[0]?.content;
}

describe('Teams: help', () => {
  it('answers "help" in personal chat with the help card (Adaptive Card 1.5)', async () => {
    t.connector.reset();
    const res = await postActivity(t.teamsMessagesUrl, personalMessage(user, t.connector.serviceUrl, 'help'));
    expect(res.status).toBe(200);
    const [sent] = await t.connector.waitForSent(() => true);
    const content = card(sent!.activity);
    expect(sent!.activity.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(content.version).toBe('1.5');
    expect(content.body[0].text).toBe('Casework help');
    expect(adaptiveCardProblems(content)).toEqual([]);
  });

  it('answers an @mention in a channel, with the mention removed', async () => {
    t.connector.reset();
    await postActivity(t.teamsMessagesUrl, channelMention(user, t.connector.serviceUrl, 'help', { teamId: '19:team@thread.tacv2', channelId: '19:general@thread.tacv2' }));
    const [sent] = await t.connector.waitForSent(() => true);
    expect(sent!.conversationId).toBe('19:general@thread.tacv2');
    expect(card(sent!.activity).body[0].text).toBe('Casework help');
    expect(JSON.stringify(card(sent!.activity))).not.toContain('not a command');
  });

  it('answers an unknown command with the help and a note', async () => {
    t.connector.reset();
    await postActivity(t.teamsMessagesUrl, personalMessage(user, t.connector.serviceUrl, 'frobnicate now'));
    const [sent] = await t.connector.waitForSent(() => true);
    const json = JSON.stringify(card(sent!.activity));
    expect(json).toContain('frobnicate');
    expect(json).toContain('not a command Casework knows');
  });
});

describe('Teams: authentication', () => {
  it('rejects an activity without a valid token when MICROSOFT_APP_ID is set', async () => {
    const secured = await startTestApp({ env: { MICROSOFT_APP_ID: '6f1d3a52-8c4e-4b7a-9e21-5d0c7b3f9a14', MICROSOFT_APP_PASSWORD: 'test-password' } });
    try {
      const activity = personalMessage(user, secured.connector.serviceUrl, 'help');
      expect((await postActivity(secured.teamsMessagesUrl, activity)).status).toBe(401);
      expect((await postActivity(secured.teamsMessagesUrl, activity, 'not-a-jwt')).status).toBe(401);
      expect(secured.connector.sent()).toEqual([]);
      expect(secured.log.raw()).not.toContain('test-password');
    } finally {
      await secured.close();
    }
  });
});
