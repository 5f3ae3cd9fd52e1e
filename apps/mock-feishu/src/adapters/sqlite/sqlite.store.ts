import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SqliteAttachmentRepository } from './sqlite-attachment.repository.js';
import { FsBlobStore } from '../files/fs-blob.store.js';
import { SqliteDownloadTokenRepository } from './sqlite-download-token.repository.js';
import { SqliteIdentityRepository } from './sqlite-identity.repository.js';
import { SqliteTaskRepository } from './sqlite-task.repository.js';
import { lockDataDir } from './data-dir.lock.js';
import type { MockFeishuStore } from '../../core/store/mock-feishu.store.js';
import { SqliteClockStateRepository } from './sqlite-clock-state.repository.js';
import { openDatabase } from './sqlite-database.js';
import { sqliteDriver, type SqliteDriver } from './sqlite-driver.js';
import { SnapshotError, exportSnapshot, importSnapshot } from './snapshot.js';

export const DATABASE_FILE = 'mock-feishu.sqlite';
export const BLOB_DIR = 'blobs';

export interface SqliteStoreOptions {
  dataDir: string;
  /** A snapshot to start from; the data dir must hold no state yet. */
  importFile?: string;
  /** The SQLite to run on (the lock, the database, snapshots): by default this process's choice (sqlite-driver.ts). */
  driver?: SqliteDriver;
}

/**
 * The durable store: `<dataDir>/mock-feishu.sqlite` for metadata, `<dataDir>/blobs/` for bytes,
 * `<dataDir>/mock-feishu.lock.db` locked while it runs (see data-dir.lock.ts). Opening takes the
 * lock, then checks the database; `sweep` (started once the server listens) removes blob files no
 * committed row names, what a crash mid-upload leaves.
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<MockFeishuStore> {
  // Without a SQLite driver, a clear refusal before the data dir is made or locked.
  const driver = options.driver ?? sqliteDriver();
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataDir(dataDir, driver);
  try {
    const { db, fresh } = openDatabase(join(dataDir, DATABASE_FILE), driver);
    try {
      const blobDir = join(dataDir, BLOB_DIR);
      const blobs = FsBlobStore.durable(blobDir);
      const attachments = new SqliteAttachmentRepository(db);
      let empty = fresh;
      if (options.importFile) {
        if (!fresh && (await attachments.count()) + countRows(db) > 0) {
          throw new SnapshotError(
            `the data dir ${dataDir} already holds state; import a snapshot into an empty (or new) data dir`,
          );
        }
        await importSnapshot(db, blobDir, resolve(options.importFile), driver);
        empty = false;
      }
      let sweeping: Promise<number> | undefined;
      return {
        kind: 'sqlite',
        fresh: empty,
        identities: new SqliteIdentityRepository(db),
        tasks: new SqliteTaskRepository(db),
        attachments,
        downloadTokens: new SqliteDownloadTokenRepository(db),
        clockState: new SqliteClockStateRepository(db),
        blobs,
        pageTokenSecret: pageTokenSecret(db),
        exportSnapshot: (file) => exportSnapshot(db, blobDir, resolve(file), driver),
        sweep: () =>
          // The index is read at once, before any await, so a close cannot pull the database away.
          (sweeping ??= blobs.sweep(attachments.blobKeys()).then((removed) => removed.length)),
        close: async () => {
          await sweeping?.catch(() => undefined);
          if (db.open) {
            db.pragma('wal_checkpoint(TRUNCATE)');
            db.close();
          }
          await blobs.close();
          lock.release();
        },
      };
    } catch (error) {
      db.close();
      throw error;
    }
  } catch (error) {
    lock.release();
    throw error;
  }
}

function pageTokenSecret(db: ReturnType<typeof openDatabase>['db']): string {
  db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('page_token_secret', ?)`).run(
    randomBytes(32).toString('hex'),
  );
  return db.prepare(`SELECT value FROM meta WHERE key = 'page_token_secret'`).pluck().get() as string;
}

function countRows(db: ReturnType<typeof openDatabase>['db']): number {
  return db
    .prepare(`SELECT (SELECT count(*) FROM tasks) + (SELECT count(*) FROM users)`)
    .pluck()
    .get() as number;
}
