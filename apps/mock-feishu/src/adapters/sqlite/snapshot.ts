import { createWriteStream } from 'node:fs';
import { copyFile, mkdtemp, open, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { SCHEMA_VERSION, durably, openSqlite, type Database } from './sqlite-database.js';
import type { SqliteDriver } from './sqlite-driver.js';
import { canMigrate, migrate } from './sqlite-migrations.js';

/**
 * A snapshot is one SQLite file: a consistent copy of the metadata (`VACUUM INTO`) plus a
 * `snapshot_blobs` table holding every indexed blob's bytes. One file, readable with any
 * SQLite tool, and no archive format or new dependency to trust.
 */
export const SNAPSHOT_FORMAT = 1;

const TABLES = [
  'counters',
  'apps',
  'users',
  'access_tokens',
  'refresh_tokens',
  'authorization_codes',
  'tasks',
  'attachments',
  'download_grants',
  'download_uses',
] as const;

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

/** Writes the store's state to `file` (replacing it only once complete). */
export async function exportSnapshot(
  db: Database,
  blobDir: string,
  file: string,
  driver?: SqliteDriver,
): Promise<{ attachments: number; bytes: number }> {
  const partial = `${file}.${process.pid}.partial`;
  await rm(partial, { force: true });
  db.prepare('VACUUM INTO ?').run(partial);
  const copy = openSqlite(partial, undefined, driver);
  try {
    copy.exec(`CREATE TABLE snapshot_blobs (key TEXT PRIMARY KEY, bytes BLOB NOT NULL)`);
    copy
      .prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('snapshot_format', ?)`)
      .run(String(SNAPSHOT_FORMAT));
    const keys = copy.prepare(`SELECT blob_key FROM attachments`).pluck().all() as string[];
    const insert = copy.prepare(`INSERT INTO snapshot_blobs (key, bytes) VALUES (?, ?)`);
    const dropRow = copy.prepare(`DELETE FROM attachments WHERE blob_key = ?`);
    let bytes = 0;
    for (const key of keys) {
      // One blob (at most 50 MiB) in memory at a time.
      const content = await readFile(join(blobDir, key)).catch(() => undefined);
      // Deleted between the copy and now: the snapshot holds the state without it.
      if (content === undefined) dropRow.run(key);
      else {
        insert.run(key, content);
        bytes += content.length;
      }
    }
    const attachments = (copy.prepare(`SELECT count(*) FROM attachments`).pluck().get() as number) ?? 0;
    copy.close();
    await rename(partial, file);
    return { attachments, bytes };
  } catch (error) {
    if (copy.open) copy.close();
    await rm(partial, { force: true });
    throw error;
  }
}

/**
 * Loads a snapshot into an empty store: the blobs first (fsynced), then every row in one
 * transaction, so a crash part-way leaves an empty store and orphan files the next start sweeps.
 */
export async function importSnapshot(
  db: Database,
  blobDir: string,
  file: string,
  driver?: SqliteDriver,
): Promise<number> {
  const upgraded = await upgradedCopy(file, driver).catch((error: unknown) => {
    throw new SnapshotError(`cannot upgrade snapshot ${file}: ${(error as Error).message}`);
  });
  try {
    return await importCurrent(db, blobDir, upgraded?.file ?? file, file, driver);
  } finally {
    if (upgraded) await rm(upgraded.dir, { recursive: true, force: true });
  }
}

/**
 * A snapshot an earlier version exported, migrated in a temporary copy (its file is never written
 * to), or nothing when the snapshot is of the current version (or not readable: the import says why).
 */
async function upgradedCopy(
  file: string,
  driver?: SqliteDriver,
): Promise<{ dir: string; file: string } | undefined> {
  let version: number;
  try {
    const source = openSqlite(file, { readOnly: true, mustExist: true }, driver);
    try {
      const row = source.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as
        { value: string } | undefined;
      version = Number(row?.value);
    } finally {
      source.close();
    }
  } catch {
    return undefined;
  }
  if (!canMigrate(version, SCHEMA_VERSION)) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'mock-feishu-snapshot-'));
  const copy = join(dir, 'snapshot.sqlite');
  await copyFile(file, copy);
  const db = openSqlite(copy, undefined, driver);
  try {
    migrate(db, version, SCHEMA_VERSION);
  } finally {
    db.close();
  }
  return { dir, file: copy };
}

/** Imports a snapshot of the current version from `file`; messages name it `shownAs`. */
async function importCurrent(
  db: Database,
  blobDir: string,
  file: string,
  shownAs: string,
  driver?: SqliteDriver,
): Promise<number> {
  let source: Database;
  try {
    source = openSqlite(file, { readOnly: true, mustExist: true }, driver);
  } catch (error) {
    throw new SnapshotError(`cannot read snapshot ${shownAs}: ${(error as Error).message}`);
  }
  try {
    const meta = new Map(
      (source.prepare(`SELECT key, value FROM meta`).all() as { key: string; value: string }[]).map((row) => [
        row.key,
        row.value,
      ]),
    );
    if (meta.get('snapshot_format') !== String(SNAPSHOT_FORMAT)) {
      throw new SnapshotError(`${shownAs} is not a mock-feishu snapshot (format ${SNAPSHOT_FORMAT})`);
    }
    if (meta.get('schema_version') !== String(SCHEMA_VERSION)) {
      throw new SnapshotError(
        `${shownAs} has schema version ${meta.get('schema_version')}; this emulator reads ${SCHEMA_VERSION}`,
      );
    }
    for (const row of source.prepare(`SELECT key, bytes FROM snapshot_blobs`).iterate() as Iterable<{
      key: string;
      // A Buffer from better-sqlite3, a Uint8Array from node:sqlite.
      bytes: Uint8Array;
    }>) {
      await writeDurably(join(blobDir, row.key), row.bytes);
    }
    const clock = meta.get('clock');
    source.close();
    db.prepare('ATTACH DATABASE ? AS snapshot').run(file);
    try {
      durably(db, () => {
        for (const table of TABLES)
          db.exec(`INSERT OR REPLACE INTO main.${table} SELECT * FROM snapshot.${table}`);
        if (clock !== undefined) {
          db.prepare(
            `INSERT INTO meta (key, value) VALUES ('clock', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
          ).run(clock);
        }
      });
    } finally {
      db.exec('DETACH DATABASE snapshot');
    }
    return db.prepare(`SELECT count(*) FROM attachments`).pluck().get() as number;
  } catch (error) {
    if (source.open) source.close();
    if (error instanceof SnapshotError) throw error;
    throw new SnapshotError(`cannot import snapshot ${shownAs}: ${(error as Error).message}`);
  }
}

async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  await pipeline(Readable.from([bytes]), createWriteStream(path));
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
