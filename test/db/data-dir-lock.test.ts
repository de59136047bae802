// The embedded database's single-writer lock, in one process: who may take a data directory,
// when a lock is stale, and that releasing never removes someone else's lock. The two-process
// case (a server and the command line) is in test/cli/single-writer.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseInUseError, LOCK_FILE, lockDataDir, type LockOwner } from '../../src/db/data-dir-lock.ts';
import { openDatabase } from '../../src/db/database.ts';
import { copyMigratedDataDir } from '../support/cli-process.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'casework-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lockPath = () => join(dir, LOCK_FILE);
const writeLock = (owner: Partial<LockOwner>) =>
  writeFileSync(lockPath(), JSON.stringify({ hostname: hostname(), token: 'someone-else', since: new Date().toISOString(), ...owner }));
/** The pid of a process that has run and exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('the data directory lock', () => {
  it('names the holding process and refuses a second holder until it is released', () => {
    const first = lockDataDir(dir, './data');
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toMatchObject({ pid: process.pid, hostname: hostname(), token: first.owner.token });
    let refusal: unknown;
    try {
      lockDataDir(dir, './data');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DatabaseInUseError);
    expect((refusal as Error).message).toBe(`The embedded database in ./data is in use by process ${process.pid}: stop it, or set DATABASE_URL.`);
    first.release();
    expect(existsSync(lockPath())).toBe(false);
    lockDataDir(dir, './data').release();
  });

  it('refuses while a live process of this machine holds it', () => {
    writeLock({ pid: process.ppid });
    expect(() => lockDataDir(dir, './data')).toThrow(`in use by process ${process.ppid}: stop it, or set DATABASE_URL`);
    expect(JSON.parse(readFileSync(lockPath(), 'utf8')).token).toBe('someone-else');
  });

  it('takes over a lock whose process has exited (kill -9, a crash)', () => {
    const pid = deadPid();
    writeLock({ pid });
    const lock = lockDataDir(dir, './data');
    expect(lock.owner.pid).toBe(process.pid);
    lock.release();
  });

  it("takes over a lock that names this process's pid but was not taken by it (a restarted container)", () => {
    writeLock({ pid: process.pid, token: 'previous-incarnation' });
    lockDataDir(dir, './data').release();
  });

  it('takes over a lock written before the machine restarted, and an unreadable one', () => {
    writeLock({ pid: process.ppid, bootId: 'an-earlier-boot' });
    const bootIdKnown = existsSync('/proc/sys/kernel/random/boot_id');
    if (bootIdKnown) lockDataDir(dir, './data').release();
    writeFileSync(lockPath(), '');
    lockDataDir(dir, './data').release();
  });

  it('refuses a lock held from another machine, saying how to clear it', () => {
    writeLock({ pid: 4242, hostname: 'elsewhere.example' });
    expect(() => lockDataDir(dir, './data')).toThrow(
      `The embedded database in ./data is in use by process 4242 on elsewhere.example: stop it, or set DATABASE_URL. If nothing runs there any more, delete ${lockPath()}.`,
    );
  });

  it('never removes a lock that replaced its own, and leaves no stray files', () => {
    const lock = lockDataDir(dir, './data');
    writeLock({ pid: process.ppid, token: 'replacement' });
    lock.release();
    lock.release();
    expect(JSON.parse(readFileSync(lockPath(), 'utf8')).token).toBe('replacement');
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  });

  it('is taken by openDatabase for a data directory and given back on close', async () => {
    // A database to open, copied: creating one here would take longer than everything else.
    await copyMigratedDataDir(dir);
    const database = await openDatabase({ dataDir: dir });
    try {
      await expect(openDatabase({ dataDir: dir })).rejects.toBeInstanceOf(DatabaseInUseError);
    } finally {
      await database.close();
    }
    expect(existsSync(lockPath())).toBe(false);
  });
});
