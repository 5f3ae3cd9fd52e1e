import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskRecord } from '../../core/tasks/task.js';
import { BLOB_DIR, DATABASE_FILE, openSqliteStore } from './sqlite.store.js';
import { SCHEMA_VERSION, openSqlite, storedVersion } from './sqlite-database.js';
import { sqliteDriver } from './sqlite-driver.js';

/**
 * The tables as schema version 1 made them (apps/mock-feishu at f181560, sqlite-database.ts), the
 * ones a v1 data dir or snapshot holds: what the migration has to take as it finds it.
 */
const V1_SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE apps (app_id TEXT PRIMARY KEY, app_secret TEXT NOT NULL, scopes TEXT NOT NULL);
CREATE TABLE users (open_id TEXT PRIMARY KEY, union_id TEXT NOT NULL, user_id TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE access_tokens (
  token TEXT PRIMARY KEY, kind TEXT NOT NULL, app_id TEXT NOT NULL, open_id TEXT, scopes TEXT,
  issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE refresh_tokens (
  token TEXT PRIMARY KEY, app_id TEXT NOT NULL, open_id TEXT NOT NULL, scopes TEXT NOT NULL,
  expires_at INTEGER NOT NULL, used INTEGER NOT NULL);
CREATE TABLE authorization_codes (
  code TEXT PRIMARY KEY, app_id TEXT NOT NULL, open_id TEXT NOT NULL, scopes TEXT NOT NULL,
  expires_at INTEGER NOT NULL, used INTEGER NOT NULL);
CREATE TABLE tasks (
  guid TEXT PRIMARY KEY, task_id TEXT NOT NULL, summary TEXT NOT NULL, description TEXT NOT NULL,
  creator_key TEXT NOT NULL, members TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE attachments (
  guid TEXT PRIMARY KEY, file_token TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL,
  content_type TEXT NOT NULL, resource_type TEXT NOT NULL, resource_id TEXT NOT NULL,
  uploader_key TEXT NOT NULL, is_cover INTEGER NOT NULL, uploaded_at INTEGER NOT NULL,
  seq INTEGER NOT NULL UNIQUE, blob_key TEXT NOT NULL UNIQUE);
CREATE TABLE download_urls (
  code TEXT PRIMARY KEY, attachment_guid TEXT NOT NULL, issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL, uses_left INTEGER NOT NULL);
INSERT INTO meta (key, value) VALUES ('schema_version', '1');
INSERT INTO counters (name, value) VALUES ('task_number', 2), ('attachment_seq', 1);
INSERT INTO users (open_id, union_id, user_id, name) VALUES ('ou_alice', 'on_alice', 'u_alice', 'Alice');
INSERT INTO tasks VALUES ('0a6ab4c1-0000-4000-8000-000000000001', 't100001', 'Old report', 'from v1',
  'app:cli_mock_app', '[{"key":"user:ou_alice","role":"assignee"}]', 1700000000000, 1700000000500);
INSERT INTO tasks VALUES ('0a6ab4c1-0000-4000-8000-000000000002', 't100002', 'Old plan', '',
  'user:ou_alice', '[]', 1700000001000, 1700000001000);
INSERT INTO attachments VALUES ('0c6b1f9e-0000-4000-8000-000000000001', 'boxcnOLD', 'old.txt', 3,
  'text/plain', 'task', '0a6ab4c1-0000-4000-8000-000000000001', 'app:cli_mock_app', 0, 1700000000100,
  1, 'blob-old');
`;

const FIRST = '0a6ab4c1-0000-4000-8000-000000000001';
const SECOND = '0a6ab4c1-0000-4000-8000-000000000002';

/** What version 2 reads back of the first v1 task: every new field at its default. */
const firstTask: TaskRecord = {
  guid: FIRST,
  taskId: 't100001',
  seq: 1,
  summary: 'Old report',
  description: 'from v1',
  completedAt: 0,
  creatorKey: 'app:cli_mock_app',
  members: [{ key: 'user:ou_alice', role: 'assignee' }],
  reminders: [],
  tasklists: [],
  customFields: [],
  createdAt: 1700000000000,
  updatedAt: 1700000000500,
};

describe('a data dir or snapshot of schema version 1', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'mock-feishu-migration-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A v1 database file, made by the v1 schema SQL; with `snapshot`, as v1 exported one. */
  function v1File(path: string, { snapshot = false } = {}): string {
    const db = openSqlite(path, undefined, sqliteDriver());
    db.exec(V1_SCHEMA);
    if (snapshot) {
      db.exec(`CREATE TABLE snapshot_blobs (key TEXT PRIMARY KEY, bytes BLOB NOT NULL)`);
      db.exec(`INSERT INTO meta (key, value) VALUES ('snapshot_format', '1')`);
      db.prepare(`INSERT INTO snapshot_blobs (key, bytes) VALUES ('blob-old', ?)`).run(Buffer.from('old'));
    }
    db.close();
    return path;
  }

  it('is upgraded in place when opened: its tasks read back whole, every new field at its default', async () => {
    const dataDir = join(root, 'data');
    mkdirSync(join(dataDir, BLOB_DIR), { recursive: true });
    v1File(join(dataDir, DATABASE_FILE));

    const store = await openSqliteStore({ dataDir });
    try {
      expect(store.fresh).toBe(false);
      expect(await store.tasks.find(FIRST)).toEqual(firstTask);
      expect(await store.tasks.find(SECOND)).toMatchObject({
        seq: 2,
        creatorKey: 'user:ou_alice',
        members: [],
      });
      expect((await store.tasks.list()).map((task) => task.guid)).toEqual([FIRST, SECOND]);
      // The migrated rows answer the new queries: Alice's assigned tasks, and no subtasks yet.
      expect(await store.tasks.listAfter({ assigneeKey: 'user:ou_alice' }, 0, 10)).toEqual([firstTask]);
      expect(await store.tasks.countSubtasks([FIRST])).toEqual(new Map([[FIRST, 0]]));
      // Nothing else was lost, and the task numbering goes on where v1 left it.
      expect(await store.attachments.find('0c6b1f9e-0000-4000-8000-000000000001')).toMatchObject({
        name: 'old.txt',
        resourceId: FIRST,
      });
      expect(await store.identities.findUserBy('open_id', 'ou_alice')).toMatchObject({ name: 'Alice' });
      expect(await store.tasks.nextTaskNumber()).toBe(3);
    } finally {
      await store.close();
    }
    const db = openSqlite(join(dataDir, DATABASE_FILE), { readOnly: true }, sqliteDriver());
    try {
      expect(storedVersion(db)).toBe(SCHEMA_VERSION);
    } finally {
      db.close();
    }
    // Opened again, the upgraded data dir is simply the current version.
    const again = await openSqliteStore({ dataDir });
    try {
      expect(await again.tasks.find(FIRST)).toEqual(firstTask);
    } finally {
      await again.close();
    }
  });

  it('keeps a v1 task that is then changed and saved with the new fields', async () => {
    const dataDir = join(root, 'data');
    mkdirSync(dataDir, { recursive: true });
    v1File(join(dataDir, DATABASE_FILE));

    const store = await openSqliteStore({ dataDir });
    try {
      const changed: TaskRecord = {
        ...firstTask,
        completedAt: 1700000009000,
        due: { timestamp: '1700000900000', is_all_day: false },
        reminders: [{ id: '11', relativeFireMinute: 15 }],
      };
      await store.tasks.save(changed);

      expect(await store.tasks.find(FIRST)).toEqual(changed);
      expect(await store.tasks.listAfter({ assigneeKey: 'user:ou_alice', completed: true }, 0, 10)).toEqual([
        changed,
      ]);
    } finally {
      await store.close();
    }
  });

  it('is imported from a snapshot v1 exported: its tasks, attachments and bytes, the snapshot file untouched', async () => {
    const snapshot = v1File(join(root, 'v1.snapshot'), { snapshot: true });
    const before = readFileSync(snapshot);

    const store = await openSqliteStore({ dataDir: join(root, 'imported'), importFile: snapshot });
    try {
      expect(await store.tasks.find(FIRST)).toEqual(firstTask);
      expect(await store.tasks.count()).toBe(2);
      const attachment = await store.attachments.find('0c6b1f9e-0000-4000-8000-000000000001');
      expect(attachment).toMatchObject({ name: 'old.txt', blobKey: 'blob-old' });
      expect(readFileSync(join(root, 'imported', BLOB_DIR, 'blob-old'), 'utf8')).toBe('old');
    } finally {
      await store.close();
    }
    expect(readFileSync(snapshot).equals(before)).toBe(true);
  });
});
