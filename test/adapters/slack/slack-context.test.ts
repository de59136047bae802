// A Slack request naming no user (an empty or blank id) is refused before the core could look
// anyone up: it could otherwise link an identity with no one behind it, even as a team's admin.
import { describe, expect, it } from 'vitest';
import { slackContext } from '../../../src/adapters/slack/slack-context.ts';

describe('the Slack context', () => {
  it.each(['', ' ', '\t\n'])('refuses the user id %j', (userId) => {
    expect(() => slackContext({ teamId: 'T0TEAM', userId, channelId: 'C1' })).toThrow(expect.objectContaining({ name: 'DomainError', code: 'invalid_input' }));
  });

  it('keeps a real user id as it is', () => {
    expect(slackContext({ teamId: 'T0TEAM', userId: 'U0OFF', channelId: 'D1' }).user).toEqual({ platform: 'slack', workspaceId: 'T0TEAM', userId: 'U0OFF' });
  });
});
