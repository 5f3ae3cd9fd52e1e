import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MockFeishuStore } from '../../core/store/mock-feishu.store.js';
import { describeStoreContracts } from '../contracts/store-contracts.js';
import { DATABASE_FILE, BLOB_DIR, openSqliteStore } from './sqlite.store.js';
import { SCHEMA_VERSION, SchemaVersionError, openSqlite } from './sqlite-database.js';
import {
  PROCESS_SQLITE_SOURCES,
  SQLITE_DRIVER_ENV,
  SQLITE_DRIVER_NAMES,
  chooseSqliteDriver,
  type SqliteDriver,
} from './sqlite-driver.js';

// Every port's contract (src/adapters/contracts) on the SQLite store, once per SQLite driver that
// loads in this process (as sqlite-driver.spec.ts picks them): better-sqlite3 on the Node it was
// built for, node:sqlite on Node 22.13+. Each store gets a data dir of its own under one temporary
// folder for this file.
const drivers: SqliteDriver[] = SQLITE_DRIVER_NAMES.flatMap((name) => {
  try {
    return [chooseSqliteDriver({ ...PROCESS_SQLITE_SOURCES, env: { [SQLITE_DRIVER_ENV]: name } })];
  } catch {
    return [];
  }
});

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mock-feishu-sqlite-contracts-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('has at least one SQLite driver on this Node', () => {
  expect(drivers.length).toBeGreaterThan(0);
});

for (const driver of drivers) {
  const dataDirs = new WeakMap<MockFeishuStore, string>();
  const openIn = async (dataDir: string, importFile?: string) => {
    const store = await openSqliteStore({ dataDir, importFile, driver });
    dataDirs.set(store, dataDir);
    return store;
  };
  const dataDirOf = (store: MockFeishuStore) => {
    const dataDir = dataDirs.get(store);
    if (!dataDir) throw new Error('not a store this spec opened');
    return dataDir;
  };

  describeStoreContracts(`SQLite on ${driver.name}`, {
    open: () => openIn(mkdtempSync(join(root, 'store-'))),
    blobDir: (store) => join(dataDirOf(store), BLOB_DIR),
    reopen: async (store) => {
      await store.close();
      return openIn(dataDirOf(store));
    },
    openSnapshot: (file) => openIn(mkdtempSync(join(root, 'import-')), file),
  });

  describe(`SQLite store on ${driver.name}: the data dir's schema`, () => {
    it('refuses a data dir of another schema version rather than guess at it, and lets go of the lock', async () => {
      const dataDir = mkdtempSync(join(root, 'schema-'));
      await (await openIn(dataDir)).close();
      const db = openSqlite(join(dataDir, DATABASE_FILE), undefined, driver);
      db.prepare(`UPDATE meta SET value = '999' WHERE key = 'schema_version'`).run();
      db.close();

      await expect(openIn(dataDir)).rejects.toThrow(SchemaVersionError);
      await expect(openIn(dataDir)).rejects.toThrow(
        `has schema version 999; this emulator reads version ${SCHEMA_VERSION}`,
      );
    });
  });
}
