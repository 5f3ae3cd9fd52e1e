import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

export const LOCK_FILE = 'mock-feishu.lock';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

interface LockContent {
  pid: number;
  host: string;
  startedAt: string;
}

// Two emulators in one process (tests) share a pid, so the pid alone cannot tell them apart.
const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One emulator per data dir: `mock-feishu.lock` holds the owner's pid. A lock left by a process
 * that is gone (kill -9, a crash, a reboot) is taken over; a live owner makes this start fail
 * with a message naming it.
 */
export function lockDataDir(dir: string): { release(): void } {
  const path = join(resolve(dir), LOCK_FILE);
  const mine: LockContent = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(mine), { flag: 'wx' });
      heldHere.add(path);
      return {
        release: () => {
          heldHere.delete(path);
          try {
            if ((JSON.parse(readFileSync(path, 'utf8')) as LockContent).pid === mine.pid) unlinkSync(path);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner: LockContent | undefined;
    try {
      owner = JSON.parse(readFileSync(path, 'utf8')) as LockContent;
    } catch {
      owner = undefined; // unreadable or half-written: treat as stale
    }
    const ownerIsLive =
      owner !== undefined &&
      owner.host === mine.host &&
      (owner.pid === process.pid ? heldHere.has(path) : alive(owner.pid));
    if (ownerIsLive) {
      throw new DataDirLockedError(
        `the data dir ${resolve(dir)} is in use by another mock-feishu (pid ${owner!.pid}, started ${owner!.startedAt}); ` +
          `stop it, or give this one another --data-dir (lock file: ${path})`,
      );
    }
    if (owner !== undefined && owner.host !== mine.host) {
      throw new DataDirLockedError(
        `the data dir ${resolve(dir)} is locked by mock-feishu pid ${owner.pid} on host ${owner.host}; ` +
          `if that emulator is gone, delete ${path}`,
      );
    }
    try {
      unlinkSync(path);
    } catch {
      // another starter took it over first; the next attempt sees its lock
    }
  }
  throw new DataDirLockedError(`could not take the lock ${path}`);
}
