/**
 * One process at a time on an embedded database. PGlite assumes it is the only PostgreSQL
 * running on its files; two processes on one data directory corrupt it (lost writes, duplicate
 * keys, broken indexes). The first to open the directory writes a lock file naming its process;
 * everyone else is refused until it closes, and a lock whose process has gone is taken over.
 *
 * Hand-written because nothing maintained fits: `proper-lockfile` judges staleness by a timer
 * refreshing the file's mtime (a PGlite query that blocks the event loop long enough lets a
 * second process in, and a restart after kill -9 is refused until the lock ages), and `flock`
 * needs a native add-on (`fs-ext`) that must compile on install. A pid lock needs only `fs`.
 */
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** The lock file's name inside the data directory. */
export const LOCK_FILE = 'casework.lock';

/** Who holds a data directory: written as JSON into the lock file. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** Linux's boot id: a lock written before the machine restarted is stale whatever its pid. */
  bootId?: string;
  /** Unique per acquisition, so a process never mistakes another's lock for its own. */
  token: string;
  since: string;
}

/** A held lock; `release` is safe to call twice. */
export interface DataDirLock {
  owner: LockOwner;
  release(): void;
}

/** Refused: another live process has the data directory. The message is meant for an operator. */
export class DatabaseInUseError extends Error {
  override readonly name = 'DatabaseInUseError';
  constructor(
    readonly shownDir: string,
    readonly holder: Pick<LockOwner, 'pid' | 'hostname'> | undefined,
    lockPath: string,
  ) {
    const who = holder ? `process ${holder.pid}` : 'another process';
    const elsewhere = holder !== undefined && holder.hostname !== hostname();
    super(
      elsewhere
        ? `The embedded database in ${shownDir} is in use by ${who} on ${holder.hostname}: stop it, or set DATABASE_URL. ` +
            `If nothing runs there any more, delete ${lockPath}.`
        : `The embedded database in ${shownDir} is in use by ${who}: stop it, or set DATABASE_URL.`,
    );
  }
}

/** Tokens of the locks this process holds: a lock naming our pid but another token is a predecessor's. */
const heldHere = new Set<string>();

function currentBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** The owner written in a lock file; 'gone' when there is no file, undefined when it is unreadable. */
function readOwner(path: string): LockOwner | 'gone' | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string' || typeof parsed.token !== 'string') return undefined;
    return parsed as LockOwner;
  } catch {
    return undefined;
  }
}

/** Whether the process named by a lock may still be running. Unknown means yes. */
function isAlive(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return true;
  const boot = currentBootId();
  if (owner.bootId && boot && owner.bootId !== boot) return false;
  // Containers restart with the same pid: a lock with our pid that we did not take is a predecessor's.
  if (owner.pid === process.pid) return heldHere.has(owner.token);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/**
 * Puts a stale lock aside. It is renamed first (atomic) and then checked: if another process took
 * it over between our read and the rename, theirs is put back rather than deleted.
 */
function removeStale(path: string, seen: LockOwner | undefined): void {
  const aside = `${path}.stale-${process.pid}-${randomUUID()}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  const moved = readOwner(aside);
  const movedToken = moved === 'gone' ? undefined : moved?.token;
  if (movedToken !== seen?.token) {
    try {
      linkSync(aside, path);
    } catch {
      // A third process locked the directory meanwhile; its lock stands.
    }
  }
  rmSync(aside, { force: true });
}

/** Creates `path` with `content` only if it does not exist; the file never appears half-written. */
function createExclusive(path: string, draft: string): boolean {
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
  }
  // A file system without hard links: exclusive create, then write.
  try {
    writeFileSync(path, readFileSync(draft), { flag: 'wx' });
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Takes the data directory for this process or throws a DatabaseInUseError naming the holder.
 * `shownDir` is how the operator wrote the directory (for the message).
 */
export function lockDataDir(dir: string, shownDir: string): DataDirLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), token: randomUUID(), since: new Date().toISOString() };
  const boot = currentBootId();
  if (boot) owner.bootId = boot;
  const draft = `${path}.new-${process.pid}-${owner.token}`;
  writeFileSync(draft, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
  try {
    // Three rounds: a stale lock is cleared in one, and a lock released meanwhile costs another.
    for (let round = 0; round < 3; round += 1) {
      if (createExclusive(path, draft)) return held(path, owner);
      const holder = readOwner(path);
      if (holder === 'gone') continue;
      if (holder && isAlive(holder)) throw new DatabaseInUseError(shownDir, holder, path);
      removeStale(path, holder);
    }
    const holder = readOwner(path);
    throw new DatabaseInUseError(shownDir, holder === 'gone' ? undefined : holder, path);
  } finally {
    rmSync(draft, { force: true });
  }
}

function held(path: string, owner: LockOwner): DataDirLock {
  heldHere.add(owner.token);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    heldHere.delete(owner.token);
    // Only our own lock is removed: never one that replaced it.
    const current = readOwner(path);
    if (current !== 'gone' && current?.token === owner.token) {
      try {
        unlinkSync(path);
      } catch {
        // Already gone.
      }
    }
  };
  // A process that exits without closing (a signal handler's process.exit) leaves no lock behind.
  process.on('exit', release);
  return { owner, release };
}
