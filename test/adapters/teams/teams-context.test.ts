// A Teams activity naming no user (empty or blank AAD object id and channel account id) is
// refused before the core could look anyone up; a blank AAD id falls back to the account id.
import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { teamsContext } from '../../../src/adapters/teams/teams-context.ts';

const activity = (from: Record<string, unknown>) =>
  ({ type: 'message', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1/', from, recipient: { id: '28:bot' }, conversation: { id: 'a:1', conversationType: 'personal', tenantId: 't' } }) as unknown as Activity;

describe('the Teams context', () => {
  it.each([{ id: '' }, { id: '  ', aadObjectId: ' ' }, { id: '', aadObjectId: '' }, {}])('refuses an activity from %j', (from) => {
    expect(() => teamsContext(activity(from))).toThrow(expect.objectContaining({ name: 'DomainError', code: 'invalid_input' }));
  });

  it('takes the AAD object id, or the account id when the AAD id is blank', () => {
    expect(teamsContext(activity({ id: '29:abc', aadObjectId: 'aad-1' })).user.userId).toBe('aad-1');
    expect(teamsContext(activity({ id: '29:abc', aadObjectId: '' })).user.userId).toBe('29:abc');
  });
});
