import type { SqliteDatabase } from './sqlite-driver.js';

/**
 * How a data dir (or a snapshot) of an earlier schema version becomes the current one, in place and
 * losing nothing: `STEPS[v]` takes version v − 1 to v. Each step only adds, so rows written by the
 * old version read as they did, with the new fields at their defaults. A fresh database gets the
 * current schema directly (sqlite-database.ts), with its columns in the order the steps add them,
 * so a migrated table and a fresh one are alike column for column (snapshots copy rows by position).
 */
const STEPS: Record<number, string> = {
  // 2: the whole task surface (issue 25). The task number in `task_id` ("t100001") is the
  // creation order the counter gave, which `seq` now keeps; the other new fields are unset.
  2: `
    ALTER TABLE tasks ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE tasks ADD COLUMN completed_at INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE tasks ADD COLUMN parent_guid TEXT;
    ALTER TABLE tasks ADD COLUMN client_token TEXT;
    ALTER TABLE tasks ADD COLUMN fields TEXT NOT NULL DEFAULT '{}';
    UPDATE tasks SET seq = CAST(substr(task_id, 2) AS INTEGER) - 100000;
  `,
  // 3: download URLs stored as the grants they are minted in, one row per list page instead of one
  // per URL (sqlite-download-token.repository.ts). A URL lives 3 minutes, so one issued just
  // before the upgrade may still be in a client's hands: each old row becomes a grant of its one
  // URL, in the same place in issue order and with the uses it had taken of its 3. Its code is the
  // grant id itself (whole_code): the old table kept codes, not the grants they came from, and
  // codes minted before there were grants have no index to split off.
  3: `
    CREATE TABLE download_grants (
      seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, attachment_guids TEXT NOT NULL, urls INTEGER NOT NULL,
      issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, whole_code INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE download_uses (seq INTEGER PRIMARY KEY, uses INTEGER NOT NULL);
    INSERT INTO download_grants (seq, id, attachment_guids, urls, issued_at, expires_at, whole_code)
      SELECT rowid, code, json_array(attachment_guid), 1, issued_at, expires_at, 1 FROM download_urls;
    INSERT INTO download_uses (seq, uses)
      SELECT rowid, 3 - max(uses_left, 0) FROM download_urls WHERE uses_left < 3;
    DROP TABLE download_urls;
  `,
};

/** The oldest version a step leads from: anything older (or newer than `to`) is refused. */
export const OLDEST_MIGRATABLE_VERSION = 1;

export const canMigrate = (from: number, to: number): boolean =>
  Number.isInteger(from) && from >= OLDEST_MIGRATABLE_VERSION && from < to;

/** Runs the steps from `from` to `to` and records `to`, in one transaction: all of them or none. */
export function migrate(db: SqliteDatabase, from: number, to: number): void {
  db.transaction(() => {
    for (let version = from + 1; version <= to; version++) db.exec(STEPS[version]);
    db.prepare(`UPDATE meta SET value = ? WHERE key = 'schema_version'`).run(String(to));
  })();
}
