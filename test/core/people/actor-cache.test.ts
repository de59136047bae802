// The remembered look-up of who a chat account acts as: kept for a while, forgotten on any change,
// never kept when it was read before a change it may have missed, and not kept at all while
// changes cannot be heard.
import { describe, expect, it } from 'vitest';
import { actorLookupKey, createActorLookupCache, forgettingActorsOnCommit } from '../../../src/core/people/actor-cache.ts';
import type { ActorLookup, Repositories, Store } from '../../../src/core/ports.ts';

const lookup = (channelTeamId: string): ActorLookup => ({ candidates: [], channelTeamId });
const key = actorLookupKey('slack', 'T1', 'U1', undefined);

describe('remembered actors', () => {
  it('keeps a look-up until it is too old', () => {
    const cache = createActorLookupCache({ ttlMs: 1000 });
    cache.set(key, lookup('a'), 0, cache.begin());
    expect(cache.get(key, 999)?.channelTeamId).toBe('a');
    expect(cache.get(key, 1000)).toBeUndefined();
  });

  it('tells accounts, workspaces and channels apart', () => {
    const cache = createActorLookupCache();
    cache.set(key, lookup('a'), 0, cache.begin());
    expect(cache.get(actorLookupKey('slack', 'T1', 'U2', undefined), 1)).toBeUndefined();
    expect(cache.get(actorLookupKey('teams', 'T1', 'U1', undefined), 1)).toBeUndefined();
    expect(cache.get(actorLookupKey('slack', 'T1', 'U1', 'C1'), 1)).toBeUndefined();
  });

  it('forgets everything on a change, and does not keep a look-up that began before it', () => {
    const cache = createActorLookupCache();
    cache.set(key, lookup('a'), 0, cache.begin());
    const token = cache.begin();
    cache.forget();
    expect(cache.get(key, 1)).toBeUndefined();
    cache.set(key, lookup('stale'), 2, token);
    expect(cache.get(key, 3)).toBeUndefined();
    cache.set(key, lookup('fresh'), 4, cache.begin());
    expect(cache.get(key, 5)?.channelTeamId).toBe('fresh');
  });

  it('keeps nothing while suspended (changes cannot be heard), and keeps again after', () => {
    const cache = createActorLookupCache();
    cache.set(key, lookup('a'), 0, cache.begin());
    cache.suspend(true);
    expect(cache.get(key, 1)).toBeUndefined();
    cache.set(key, lookup('b'), 2, cache.begin());
    expect(cache.get(key, 3)).toBeUndefined();
    cache.suspend(false);
    cache.set(key, lookup('c'), 4, cache.begin());
    expect(cache.get(key, 5)?.channelTeamId).toBe('c');
  });

  it('holds at most its limit, dropping the oldest', () => {
    const cache = createActorLookupCache({ max: 2 });
    for (const user of ['U1', 'U2', 'U3']) cache.set(actorLookupKey('slack', 'T1', user, undefined), lookup(user), 0, cache.begin());
    expect(cache.get(actorLookupKey('slack', 'T1', 'U1', undefined), 1)).toBeUndefined();
    expect(cache.get(actorLookupKey('slack', 'T1', 'U3', undefined), 1)?.channelTeamId).toBe('U3');
  });

  it('is forgotten after every transaction of the store it wraps, committed or not', async () => {
    const cache = createActorLookupCache();
    const inner: Store = { read: (work) => work({} as Repositories), transaction: (work) => work({} as Repositories) };
    const store = forgettingActorsOnCommit(inner, cache);
    cache.set(key, lookup('a'), 0, cache.begin());
    await store.read(async () => undefined);
    expect(cache.get(key, 1)).toBeDefined();
    await store.transaction(async () => undefined);
    expect(cache.get(key, 1)).toBeUndefined();
    cache.set(key, lookup('b'), 0, cache.begin());
    await expect(store.transaction(async () => Promise.reject(new Error('rolled back')))).rejects.toThrow('rolled back');
    expect(cache.get(key, 1)).toBeUndefined();
  });
});
