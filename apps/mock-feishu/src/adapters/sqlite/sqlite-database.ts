import { sqliteDriver, sqliteErrorCode, type SqliteDatabase, type SqliteDriver } from './sqlite-driver.js';
import { canMigrate, migrate } from './sqlite-migrations.js';

/** A connection through the chosen driver (better-sqlite3 or node:sqlite; see sqlite-driver.ts). */
export type Database = SqliteDatabase;

/**
 * Bumped when the schema changes, with a step in sqlite-migrations.ts: a data dir of an earlier
 * version is migrated in place when opened; one of a later version is refused, not guessed at.
 */
export const SCHEMA_VERSION = 3;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS apps (app_id TEXT PRIMARY KEY, app_secret TEXT NOT NULL, scopes TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  open_id TEXT PRIMARY KEY, union_id TEXT NOT NULL, user_id TEXT NOT NULL, name TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS users_by_union_id ON users (union_id);
CREATE INDEX IF NOT EXISTS users_by_user_id ON users (user_id);
CREATE TABLE IF NOT EXISTS access_tokens (
  token TEXT PRIMARY KEY, kind TEXT NOT NULL, app_id TEXT NOT NULL, open_id TEXT, scopes TEXT,
  issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS access_tokens_by_app ON access_tokens (app_id, kind);
CREATE TABLE IF NOT EXISTS refresh_tokens (
  token TEXT PRIMARY KEY, app_id TEXT NOT NULL, open_id TEXT NOT NULL, scopes TEXT NOT NULL,
  expires_at INTEGER NOT NULL, used INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS authorization_codes (
  code TEXT PRIMARY KEY, app_id TEXT NOT NULL, open_id TEXT NOT NULL, scopes TEXT NOT NULL,
  expires_at INTEGER NOT NULL, used INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (
  guid TEXT PRIMARY KEY, task_id TEXT NOT NULL, summary TEXT NOT NULL, description TEXT NOT NULL,
  creator_key TEXT NOT NULL, members TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  seq INTEGER NOT NULL DEFAULT 0, completed_at INTEGER NOT NULL DEFAULT 0, parent_guid TEXT, client_token TEXT,
  fields TEXT NOT NULL DEFAULT '{}');
CREATE INDEX IF NOT EXISTS tasks_by_parent ON tasks (parent_guid, seq);
CREATE INDEX IF NOT EXISTS tasks_by_client_token ON tasks (creator_key, client_token);
CREATE TABLE IF NOT EXISTS attachments (
  guid TEXT PRIMARY KEY, file_token TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL,
  content_type TEXT NOT NULL, resource_type TEXT NOT NULL, resource_id TEXT NOT NULL,
  uploader_key TEXT NOT NULL, is_cover INTEGER NOT NULL, uploaded_at INTEGER NOT NULL,
  seq INTEGER NOT NULL UNIQUE, blob_key TEXT NOT NULL UNIQUE);
CREATE INDEX IF NOT EXISTS attachments_by_resource ON attachments (resource_id, seq);
CREATE TABLE IF NOT EXISTS download_grants (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, attachment_guids TEXT NOT NULL, urls INTEGER NOT NULL,
  issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, whole_code INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS download_uses (seq INTEGER PRIMARY KEY, uses INTEGER NOT NULL);
`;

export class SchemaVersionError extends Error {
  override name = 'SchemaVersionError';
}

export class DamagedDatabaseError extends Error {
  override name = 'DamagedDatabaseError';
}

/**
 * Opens a SQLite file through `driver`, by default the one chosen on first use: an emulator
 * without a data dir never loads one (nor better-sqlite3's native module).
 */
export function openSqlite(
  file: string,
  options?: { readOnly?: boolean; mustExist?: boolean },
  driver: SqliteDriver = sqliteDriver(),
): Database {
  return driver.open(file, options);
}

/**
 * Opens (or creates) the metadata database, refusing a damaged one before anything reads or
 * writes it.
 *
 * WAL with `synchronous = NORMAL`: every commit survives the process being killed (the WAL is
 * in the OS's hands); commits that promise durability to a client (an upload's rows) run with
 * FULL through `durably`, which fsyncs the WAL before the answer is sent.
 */
export function openDatabase(file: string, driver?: SqliteDriver): { db: Database; fresh: boolean } {
  const db = openSqlite(file, undefined, driver);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    checkIntegrity(db, file);
  } catch (error) {
    db.close();
    throw damaged(error, file);
  }
  const fresh = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'meta'`).get() as {
    n: number;
  };
  // An earlier version is migrated before the current schema's indexes name its new columns.
  const version = fresh.n === 0 ? undefined : storedVersion(db);
  if (version !== undefined && version !== SCHEMA_VERSION) {
    if (!canMigrate(version, SCHEMA_VERSION)) {
      db.close();
      throw new SchemaVersionError(
        `${file} has schema version ${version}; this emulator reads version ${SCHEMA_VERSION}`,
      );
    }
    migrate(db, version, SCHEMA_VERSION);
  }
  db.exec(SCHEMA);
  if (version === undefined) {
    db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)`).run(
      String(SCHEMA_VERSION),
    );
  }
  return { db, fresh: fresh.n === 0 };
}

/** The schema version a database records, if it records one. */
export function storedVersion(db: Database): number | undefined {
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as
    { value: string } | undefined;
  return row === undefined ? undefined : Number(row.value);
}

// A damaged page found at start is a clear refusal; found later, it would be a 500 mid-test or a
// write on top of the damage.
function checkIntegrity(db: Database, file: string): void {
  // 10 000 attachment rows (3.9 MB): about 5 ms; 100 000 (38 MB): about 50 ms (2 CPUs, warm cache).
  const problems = db.pragma('quick_check(3)', { simple: false }) as { quick_check: string }[];
  if (problems.length === 1 && problems[0].quick_check === 'ok') return;
  const found = problems.map((row) => row.quick_check.trim().replace(/\s*\n\s*/g, '; ')).join('; ');
  throw damagedError(file, `quick_check: ${found}`);
}

/** SQLite's "malformed" and "not a database" answers say the same as a failed check. */
function damaged(error: unknown, file: string): unknown {
  const code = sqliteErrorCode(error) ?? '';
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB'
    ? damagedError(file, (error as Error).message)
    : error;
}

function damagedError(file: string, detail: string): DamagedDatabaseError {
  return new DamagedDatabaseError(
    `${file} is damaged (${detail}); restore the state from a snapshot into a new data dir ` +
      `(--import <snapshot> --data-dir <new dir>), or move ${file} (with its -wal and -shm files) ` +
      `away to start this data dir empty (its blobs are then swept)`,
  );
}

/** Runs `work` in one transaction whose commit is fsynced before it returns. */
export function durably<T>(db: Database, work: () => T): T {
  db.pragma('synchronous = FULL');
  try {
    return db.transaction(work)();
  } finally {
    db.pragma('synchronous = NORMAL');
  }
}

/** A counter in `counters`: 1, 2, 3, … one statement each, so no two callers get one number. */
export function counter(db: Database, name: string): { next(): number; reset(): void } {
  const next = db.prepare(
    `INSERT INTO counters (name, value) VALUES (?, 1)
     ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
  );
  const reset = db.prepare(`DELETE FROM counters WHERE name = ?`);
  return {
    next: () => (next.get(name) as { value: number }).value,
    reset: () => void reset.run(name),
  };
}
