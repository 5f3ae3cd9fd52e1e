import { readFileSync, renameSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { openSqlite, type Database } from './sqlite-database.js';
import { sqliteErrorCode, type SqliteDriver } from './sqlite-driver.js';

/**
 * Who holds the data dir, as JSON `{ pid, host, startedAt }`: written once the lock is taken,
 * removed on a clean stop. It only words a refusal (and tells tools/dev/start.mjs who runs);
 * it never decides who holds the dir, so a stale one (kill -9, a reused pid) blocks nothing.
 */
export const LOCK_FILE = 'mock-feishu.lock';

/**
 * What holds the data dir: an empty SQLite database kept exclusively locked by a connection that
 * stays open while the emulator runs. The lock is the kernel's (fcntl), dropped the moment its
 * holder dies, even while it lingers unreaped; SQLite also sees a second connection in the same
 * process as busy. The file stays in the dir: deleting a lock file races with the next starter.
 */
export const LOCK_DATABASE = 'mock-feishu.lock.db';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

interface Owner {
  pid: number;
  host: string;
  startedAt: string;
}

/** One emulator per data dir; a second one fails at once with a message naming the first. */
export function lockDataDir(dir: string, driver?: SqliteDriver): { release(): void } {
  const root = resolve(dir);
  const lock = hold(join(root, LOCK_DATABASE), driver);
  if (!lock) throw new DataDirLockedError(refusal(root));
  const ownerFile = join(root, LOCK_FILE);
  try {
    const owner: Owner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
    // Renamed into place, so a refused starter never reads it half-written.
    writeFileSync(`${ownerFile}.tmp`, JSON.stringify(owner));
    renameSync(`${ownerFile}.tmp`, ownerFile);
  } catch (error) {
    lock.close();
    throw error;
  }
  return {
    release: () => {
      if (!lock.open) return;
      // Removed while the lock is still held: a next owner writes its own only after taking it.
      try {
        unlinkSync(ownerFile);
      } catch {
        // already gone
      }
      lock.close();
    },
  };
}

/** The locked connection, or undefined when another connection (here or elsewhere) holds it. */
function hold(file: string, driver: SqliteDriver | undefined, retried = false): Database | undefined {
  const db = openSqlite(file, undefined, driver);
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    return db;
  } catch (error) {
    db.close();
    const code = sqliteErrorCode(error);
    if (code === 'SQLITE_BUSY') return undefined;
    // Not a database: nobody can hold it (a holder would have made this BUSY first), and the lock
    // database is always empty, so emptying it harms no one, even a starter that just took it.
    if (code === 'SQLITE_NOTADB' && !retried) {
      truncateSync(file, 0);
      return hold(file, driver, true);
    }
    throw error;
  }
}

function refusal(root: string): string {
  const ownerFile = join(root, LOCK_FILE);
  let owner: Partial<Owner> = {};
  try {
    owner = JSON.parse(readFileSync(ownerFile, 'utf8')) as Owner;
  } catch {
    // the holder has not written it yet, or someone deleted it
  }
  const where = owner.host && owner.host !== hostname() ? ` on host ${owner.host}` : '';
  return (
    `the data dir ${root} is in use by another mock-feishu ` +
    `(pid ${owner.pid ?? 'unknown'}${where}, started ${owner.startedAt ?? 'at an unknown time'}); ` +
    `stop it, or give this one another --data-dir (lock: ${join(root, LOCK_DATABASE)})`
  );
}
