import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grantCode, issueDownloadGrant } from '../../core/downloads/download-token.js';
import type { MockFeishuStore } from '../../core/store/mock-feishu.store.js';
import type { TaskRecord } from '../../core/tasks/task.js';
import { BLOB_DIR, DATABASE_FILE, openSqliteStore } from './sqlite.store.js';
import { SCHEMA_VERSION, openDatabase, openSqlite, storedVersion } from './sqlite-database.js';
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
INSERT INTO download_urls VALUES ('018bcfe57c00Qm-x_Zr8aB3kLp9sTuVwXy', '0c6b1f9e-0000-4000-8000-000000000001',
  1700000000000, 1700000180000, 2);
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
      expect(await store.downloadTokens.find('018bcfe57c00Qm-x_Zr8aB3kLp9sTuVwXy')).toEqual({
        code: '018bcfe57c00Qm-x_Zr8aB3kLp9sTuVwXy',
        attachmentGuid: '0c6b1f9e-0000-4000-8000-000000000001',
        issuedAt: 1700000000000,
        expiresAt: 1700000180000,
        usesLeft: 2,
      });
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

/**
 * The tables as schema version 2 made them (apps/mock-feishu at 6982e6c, sqlite-database.ts), with
 * a download URL per row: what the step to version 3 (a row per grant) has to take as it finds it.
 */
const V2_SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE apps (app_id TEXT PRIMARY KEY, app_secret TEXT NOT NULL, scopes TEXT NOT NULL);
CREATE TABLE users (open_id TEXT PRIMARY KEY, union_id TEXT NOT NULL, user_id TEXT NOT NULL, name TEXT NOT NULL);
CREATE INDEX users_by_union_id ON users (union_id);
CREATE INDEX users_by_user_id ON users (user_id);
CREATE TABLE access_tokens (
  token TEXT PRIMARY KEY, kind TEXT NOT NULL, app_id TEXT NOT NULL, open_id TEXT, scopes TEXT,
  issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
CREATE INDEX access_tokens_by_app ON access_tokens (app_id, kind);
CREATE TABLE refresh_tokens (
  token TEXT PRIMARY KEY, app_id TEXT NOT NULL, open_id TEXT NOT NULL, scopes TEXT NOT NULL,
  expires_at INTEGER NOT NULL, used INTEGER NOT NULL);
CREATE TABLE authorization_codes (
  code TEXT PRIMARY KEY, app_id TEXT NOT NULL, open_id TEXT NOT NULL, scopes TEXT NOT NULL,
  expires_at INTEGER NOT NULL, used INTEGER NOT NULL);
CREATE TABLE tasks (
  guid TEXT PRIMARY KEY, task_id TEXT NOT NULL, summary TEXT NOT NULL, description TEXT NOT NULL,
  creator_key TEXT NOT NULL, members TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  seq INTEGER NOT NULL DEFAULT 0, completed_at INTEGER NOT NULL DEFAULT 0, parent_guid TEXT, client_token TEXT,
  fields TEXT NOT NULL DEFAULT '{}');
CREATE INDEX tasks_by_parent ON tasks (parent_guid, seq);
CREATE INDEX tasks_by_client_token ON tasks (creator_key, client_token);
CREATE TABLE attachments (
  guid TEXT PRIMARY KEY, file_token TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL,
  content_type TEXT NOT NULL, resource_type TEXT NOT NULL, resource_id TEXT NOT NULL,
  uploader_key TEXT NOT NULL, is_cover INTEGER NOT NULL, uploaded_at INTEGER NOT NULL,
  seq INTEGER NOT NULL UNIQUE, blob_key TEXT NOT NULL UNIQUE);
CREATE INDEX attachments_by_resource ON attachments (resource_id, seq);
CREATE TABLE download_urls (
  code TEXT PRIMARY KEY, attachment_guid TEXT NOT NULL, issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL, uses_left INTEGER NOT NULL);
INSERT INTO meta (key, value) VALUES ('schema_version', '2');
INSERT INTO counters (name, value) VALUES ('task_number', 1), ('attachment_seq', 1);
INSERT INTO tasks VALUES ('0a6ab4c1-0000-4000-8000-000000000003', 't100001', 'Plan', '', 'app:cli_mock_app',
  '[]', 1700000000000, 1700000000000, 1, 0, NULL, NULL, '{}');
INSERT INTO attachments VALUES ('0c6b1f9e-0000-4000-8000-000000000002', 'boxcnV2', 'v2.txt', 2,
  'text/plain', 'task', '0a6ab4c1-0000-4000-8000-000000000003', 'app:cli_mock_app', 0, 1700000000100,
  1, 'blob-v2');
`;

const T = 1_700_000_000_000;
const TTL = 3 * 60_000;
/** A code minted before grants: its last two characters are no grant index. */
const BEFORE_GRANTS = '018bcfe57c00Qm-x_Zr8aB3kLp9sTuVwXy';
/** A grant's id, and two of its URLs as version 2 kept them, each on a row of its own. */
const GRANT = '018bcfe57c01AbCdEfGhIjKlMnOpQrStUvWx';
const EXPIRED = '018bcfe57a00Zz9-Yy8_Xx7Ww6Vv5Uu4Tt3s';

/** The download URLs of the v2 fixture, one row each, in the order they were issued. */
const V2_URLS: [code: string, guid: string, issuedAt: number, usesLeft: number][] = [
  [BEFORE_GRANTS, 'guid-a', T, 3],
  [`${GRANT}01`, 'guid-b', T, 1],
  [`${GRANT}02`, 'guid-c', T, 0],
  [EXPIRED, 'guid-d', T - TTL - 20_000, 2],
];

describe('a data dir or snapshot of schema version 2 holding download URLs', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'mock-feishu-migration-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function v2File(path: string, { snapshot = false } = {}): string {
    const db = openSqlite(path, undefined, sqliteDriver());
    db.exec(V2_SCHEMA);
    const insert = db.prepare(`INSERT INTO download_urls VALUES (?, ?, ?, ?, ?)`);
    for (const [code, guid, issuedAt, usesLeft] of V2_URLS)
      insert.run(code, guid, issuedAt, issuedAt + TTL, usesLeft);
    if (snapshot) {
      db.exec(`CREATE TABLE snapshot_blobs (key TEXT PRIMARY KEY, bytes BLOB NOT NULL)`);
      db.exec(`INSERT INTO meta (key, value) VALUES ('snapshot_format', '1')`);
      db.prepare(`INSERT INTO snapshot_blobs (key, bytes) VALUES ('blob-v2', ?)`).run(Buffer.from('v2'));
    }
    db.close();
    return path;
  }

  /** Every URL of the fixture as the store lists it, oldest first: code and uses left. */
  const listed = async (store: MockFeishuStore, newestFirst = false) =>
    (await store.downloadTokens.page({ afterSeq: 0, limit: 100, newestFirst })).items.map(({ token }) => [
      token.code,
      token.usesLeft,
    ]);

  /** What the migrated URLs answer, before any of them is used again. */
  async function expectMigratedUrls(store: MockFeishuStore): Promise<void> {
    for (const [code, attachmentGuid, issuedAt, usesLeft] of V2_URLS) {
      expect(await store.downloadTokens.find(code)).toEqual({
        code,
        attachmentGuid,
        issuedAt,
        expiresAt: issuedAt + TTL,
        usesLeft,
      });
    }
    expect(await listed(store)).toEqual(V2_URLS.map(([code, , , usesLeft]) => [code, usesLeft]));
    // A URL is known by its own code only: not by another index of its old grant, nor by its
    // code with an index added.
    for (const code of [`${GRANT}00`, GRANT, `${BEFORE_GRANTS}00`, `${GRANT}0100`]) {
      expect(await store.downloadTokens.find(code)).toBeUndefined();
    }
  }

  it('is upgraded in place: each URL still answers to its code, with the uses it had left, in its place', async () => {
    const dataDir = join(root, 'data');
    mkdirSync(join(dataDir, BLOB_DIR), { recursive: true });
    v2File(join(dataDir, DATABASE_FILE));

    const store = await openSqliteStore({ dataDir });
    try {
      await expectMigratedUrls(store);
      const take = (code: string, now = T + 1) => store.downloadTokens.takeDownloadUse(code, now);
      expect(await take(`${GRANT}01`)).toEqual({
        ok: true,
        token: expect.objectContaining({ code: `${GRANT}01`, attachmentGuid: 'guid-b', usesLeft: 0 }),
      });
      expect(await take(`${GRANT}01`)).toEqual({ ok: false, reason: 'used_up' });
      expect(await take(`${GRANT}02`)).toEqual({ ok: false, reason: 'used_up' });
      expect(await take(EXPIRED)).toEqual({ ok: false, reason: 'expired' });
      expect(await take(BEFORE_GRANTS, T + TTL - 1)).toMatchObject({ ok: true, token: { usesLeft: 2 } });
      expect(await take(BEFORE_GRANTS, T + TTL)).toEqual({ ok: false, reason: 'expired' });
      // URLs minted after the upgrade come after the migrated ones.
      await store.downloadTokens.saveGrant(issueDownloadGrant('gnew', ['guid-e', 'guid-f'], T + 2));
      expect(await listed(store, true)).toEqual([
        [grantCode('gnew', 1), 3],
        [grantCode('gnew', 0), 3],
        [EXPIRED, 2],
        [`${GRANT}02`, 0],
        [`${GRANT}01`, 0],
        [BEFORE_GRANTS, 2],
      ]);
    } finally {
      await store.close();
    }
    const db = openSqlite(join(dataDir, DATABASE_FILE), { readOnly: true }, sqliteDriver());
    try {
      expect(storedVersion(db)).toBe(SCHEMA_VERSION);
      expect(SCHEMA_VERSION).toBe(3);
      expect(
        db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'download_urls'`).pluck().get(),
      ).toBe(0);
    } finally {
      db.close();
    }
    // Opened again, the uses taken since the upgrade are still taken.
    const again = await openSqliteStore({ dataDir });
    try {
      expect(await again.downloadTokens.takeDownloadUse(`${GRANT}01`, T + 3)).toEqual({
        ok: false,
        reason: 'used_up',
      });
      expect(await again.downloadTokens.find(BEFORE_GRANTS)).toMatchObject({ usesLeft: 2 });
      expect(await again.downloadTokens.find(grantCode('gnew', 1))).toMatchObject({
        attachmentGuid: 'guid-f',
      });
    } finally {
      await again.close();
    }
  });

  it('is imported from a snapshot v2 exported: its URLs and uses, the snapshot file untouched', async () => {
    const snapshot = v2File(join(root, 'v2.snapshot'), { snapshot: true });
    const before = readFileSync(snapshot);

    const store = await openSqliteStore({ dataDir: join(root, 'imported'), importFile: snapshot });
    try {
      await expectMigratedUrls(store);
      expect(await store.attachments.find('0c6b1f9e-0000-4000-8000-000000000002')).toMatchObject({
        name: 'v2.txt',
      });
      expect(readFileSync(join(root, 'imported', BLOB_DIR, 'blob-v2'), 'utf8')).toBe('v2');
      expect(await store.downloadTokens.takeDownloadUse(`${GRANT}01`, T + 1)).toMatchObject({
        ok: true,
        token: { usesLeft: 0 },
      });
    } finally {
      await store.close();
    }
    expect(readFileSync(snapshot).equals(before)).toBe(true);
  });
});

describe('the migrations', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'mock-feishu-migration-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** Every table and index of the database at `file` once opened, with its columns in order. */
  function shapeOf(file: string): Record<string, unknown> {
    const { db } = openDatabase(file, sqliteDriver());
    try {
      const names = db
        .prepare(`SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`)
        .pluck()
        .all() as string[];
      return Object.fromEntries(
        names.map((name) => [
          name,
          name.startsWith('table ')
            ? db
                .prepare(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)`)
                .all(name.slice(6))
            : true,
        ]),
      );
    } finally {
      db.close();
    }
  }

  it('lead from versions 1 and 2 to the tables a fresh data dir gets, column for column (snapshots copy rows by position)', () => {
    const fresh = shapeOf(join(root, 'fresh.sqlite'));
    for (const [version, schema] of [
      [1, V1_SCHEMA],
      [2, V2_SCHEMA],
    ] as const) {
      const file = join(root, `v${version}.sqlite`);
      const db = openSqlite(file, undefined, sqliteDriver());
      db.exec(schema);
      db.close();
      expect({ version, shape: shapeOf(file) }).toEqual({ version, shape: fresh });
    }
    expect(Object.keys(fresh)).toEqual(
      expect.arrayContaining(['table download_grants', 'table download_uses']),
    );
  });
});
