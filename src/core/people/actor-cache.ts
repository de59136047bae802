/**
 * Who a chat account acts as, remembered for a few seconds. Every command starts by finding the
 * person's member, team and policy; a person working through a case sends several commands in a
 * minute (the card, a form, its submission), and each look-up is a round trip that makes up a third
 * of a view's database work. The look-up is kept for `ttlMs` and forgotten at once when anything
 * about teams, members or their chat accounts changes: the application forgets after each of its
 * own transactions, and the database notifies every server of other processes' changes (migration
 * 0012). If those notifications stop (the connection that listened was lost), nothing is kept until
 * they are back.
 */
import type { ActorLookup, Store } from '../ports.ts';

/** How long a look-up is kept when nothing says it changed. */
export const ACTOR_LOOKUP_TTL_MS = 30_000;
/** At most this many accounts are remembered; the oldest go first. */
export const ACTOR_LOOKUP_MAX = 5_000;

export interface ActorLookupCache {
  get(key: string, now: number): ActorLookup | undefined;
  /** A token to take before looking someone up, and to give back with what was found. */
  begin(): number;
  /** Keeps a look-up, unless something changed since `token` was taken (it may be out of date). */
  set(key: string, lookup: ActorLookup, now: number, token: number): void;
  /** Forgets everything: something about teams, members or their accounts changed. */
  forget(): void;
  /** While suspended, keeps nothing: changes cannot be heard. */
  suspend(suspended: boolean): void;
}

/** The cache key of a request's look-up: the account and, in a channel, the channel. */
export function actorLookupKey(platform: string, workspaceId: string, userId: string, channelId: string | undefined): string {
  return `${platform}\u0000${workspaceId}\u0000${userId}\u0000${channelId ?? ''}`;
}

export function createActorLookupCache(options: { ttlMs?: number; max?: number } = {}): ActorLookupCache {
  const ttlMs = options.ttlMs ?? ACTOR_LOOKUP_TTL_MS;
  const max = options.max ?? ACTOR_LOOKUP_MAX;
  const entries = new Map<string, { lookup: ActorLookup; until: number }>();
  let generation = 0;
  let suspended = false;
  const forget = () => {
    generation += 1;
    entries.clear();
  };
  return {
    get(key, now) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.until > now) return entry.lookup;
      entries.delete(key);
      return undefined;
    },
    begin: () => generation,
    set(key, lookup, now, token) {
      if (suspended || token !== generation) return;
      entries.delete(key);
      if (entries.size >= max) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      entries.set(key, { lookup, until: now + ttlMs });
    },
    forget,
    suspend(value) {
      suspended = value;
      forget();
    },
  };
}

/**
 * The store, forgetting remembered actors after each of its transactions: a change this process
 * makes to the roster is seen by its very next command, before the database's notice arrives.
 */
export function forgettingActorsOnCommit(store: Store, actors: ActorLookupCache): Store {
  return {
    read: (work) => store.read(work),
    async transaction(work) {
      try {
        return await store.transaction(work);
      } finally {
        actors.forget();
      }
    },
  };
}
