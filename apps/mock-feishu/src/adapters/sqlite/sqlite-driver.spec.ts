import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PROCESS_SQLITE_SOURCES,
  SQLITE_DRIVER_NAMES,
  SqliteDriverError,
  chooseSqliteDriver,
  sqliteErrorCode,
  type SqliteDriver,
  type SqliteDriverSources,
} from './sqlite-driver.js';

// What the loaders hand back or throw, as require() does on the machines in question.
class FakeBetterSqlite3 {
  close(): void {}
}
class BetterSqlite3ForAnotherNode {
  constructor() {
    throw Object.assign(
      new Error(
        "The module '/x/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n" +
          'was compiled against a different Node.js version using NODE_MODULE_VERSION 115.',
      ),
      { code: 'ERR_DLOPEN_FAILED' },
    );
  }
}
const fakeNodeSqlite = { DatabaseSync: class {} };
const notInstalled = () => {
  throw Object.assign(
    new Error("Cannot find module 'better-sqlite3'\nRequire stack:\n- /x/sqlite-driver.js"),
    {
      code: 'MODULE_NOT_FOUND',
    },
  );
};
const notBuiltIn = () => {
  throw Object.assign(new Error('No such built-in module: node:sqlite'), {
    code: 'ERR_UNKNOWN_BUILTIN_MODULE',
  });
};

const sources = (overrides: Partial<SqliteDriverSources>): SqliteDriverSources => ({
  env: {},
  nodeVersion: 'v20.20.2',
  loadBetterSqlite3: () => FakeBetterSqlite3,
  loadNodeSqlite: () => fakeNodeSqlite,
  ...overrides,
});
const chosen = (overrides: Partial<SqliteDriverSources>) => chooseSqliteDriver(sources(overrides)).name;
const refusal = (overrides: Partial<SqliteDriverSources>) => {
  try {
    chooseSqliteDriver(sources(overrides));
  } catch (error) {
    expect(error).toBeInstanceOf(SqliteDriverError);
    return (error as Error).message;
  }
  throw new Error('a driver was chosen');
};

describe('chooseSqliteDriver', () => {
  it('takes better-sqlite3 when it is installed and loads, even where node:sqlite exists', () => {
    expect(chosen({})).toBe('better-sqlite3');
  });

  it('takes node:sqlite when better-sqlite3 is not installed', () => {
    expect(chosen({ loadBetterSqlite3: notInstalled })).toBe('node:sqlite');
  });

  it('takes node:sqlite when better-sqlite3 is installed but built for another Node', () => {
    expect(chosen({ loadBetterSqlite3: () => BetterSqlite3ForAnotherNode })).toBe('node:sqlite');
  });

  it('refuses with the package, the install command and the Node to run on when neither loads', () => {
    const message = refusal({ loadBetterSqlite3: notInstalled, loadNodeSqlite: notBuiltIn });
    expect(message).toBe(
      'no SQLite for --data-dir (or --import) on Node v20.20.2: install the optional peer dependency ' +
        'better-sqlite3 (npm install better-sqlite3@12), or run on Node 22.13+, whose built-in node:sqlite ' +
        'needs nothing installed. Tried better-sqlite3 (not installed) and node:sqlite (not in this Node).',
    );
  });

  it('names --experimental-sqlite on a Node 22 that has node:sqlite behind it', () => {
    const message = refusal({
      nodeVersion: 'v22.12.0',
      loadBetterSqlite3: notInstalled,
      loadNodeSqlite: notBuiltIn,
    });
    expect(message).toContain(
      "or run node with --experimental-sqlite (NODE_OPTIONS=--experimental-sqlite) for this Node's built-in " +
        'node:sqlite, or move to Node 22.13+, where it needs no flag.',
    );
  });

  it('says to rebuild better-sqlite3 when it is installed but does not load, and node:sqlite is missing', () => {
    const message = refusal({
      loadBetterSqlite3: () => BetterSqlite3ForAnotherNode,
      loadNodeSqlite: notBuiltIn,
    });
    expect(message).toContain(
      'rebuild better-sqlite3 for this Node (npm rebuild better-sqlite3), or run on Node 22.13+',
    );
    expect(message).toContain(
      "Tried better-sqlite3 (The module '/x/node_modules/better-sqlite3/build/Release/better_sqlite3.node' " +
        'was compiled against a different Node.js version using NODE_MODULE_VERSION 115.)',
    );
  });

  it(`follows MOCK_FEISHU_SQLITE_DRIVER, and refuses when the forced one does not load (no fallback)`, () => {
    expect(chosen({ env: { MOCK_FEISHU_SQLITE_DRIVER: 'node:sqlite' } })).toBe('node:sqlite');
    expect(chosen({ env: { MOCK_FEISHU_SQLITE_DRIVER: 'better-sqlite3' } })).toBe('better-sqlite3');
    expect(refusal({ env: { MOCK_FEISHU_SQLITE_DRIVER: 'node:sqlite' }, loadNodeSqlite: notBuiltIn })).toBe(
      'MOCK_FEISHU_SQLITE_DRIVER=node:sqlite, but node:sqlite does not load on Node v20.20.2 (not in this Node): ' +
        'run on Node 22.13+, whose built-in node:sqlite needs nothing installed, or unset MOCK_FEISHU_SQLITE_DRIVER',
    );
    expect(
      refusal({ env: { MOCK_FEISHU_SQLITE_DRIVER: 'better-sqlite3' }, loadBetterSqlite3: notInstalled }),
    ).toContain('(not installed): npm install better-sqlite3@12, or unset MOCK_FEISHU_SQLITE_DRIVER');
    expect(refusal({ env: { MOCK_FEISHU_SQLITE_DRIVER: 'sqlite3' } })).toBe(
      'MOCK_FEISHU_SQLITE_DRIVER=sqlite3 names no SQLite driver: use better-sqlite3 or node:sqlite, or unset it',
    );
  });

  it('treats an empty MOCK_FEISHU_SQLITE_DRIVER as unset', () => {
    expect(chosen({ env: { MOCK_FEISHU_SQLITE_DRIVER: '' }, loadBetterSqlite3: notInstalled })).toBe(
      'node:sqlite',
    );
  });
});

// The calls the store makes, against each driver that loads in this process: better-sqlite3 on
// the Node it was built for; node:sqlite on Node 22.5+.
const available = SQLITE_DRIVER_NAMES.flatMap((name) => {
  try {
    return [chooseSqliteDriver({ ...PROCESS_SQLITE_SOURCES, env: { MOCK_FEISHU_SQLITE_DRIVER: name } })];
  } catch {
    return [];
  }
});

it('finds at least one SQLite driver on this Node', () => {
  expect(available.length).toBeGreaterThan(0);
});

describe.each(available.map((driver) => [driver.name, driver] as [string, SqliteDriver]))(
  'the %s driver',
  (_name, driver) => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'mock-feishu-sqlite-driver-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const table = () => {
      const db = driver.open(join(dir, 'db.sqlite'));
      db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, bytes BLOB)`);
      return db;
    };

    it('binds named (extra keys ignored) and positional values, and reads objects, arrays and single values', () => {
      const db = table();
      const insert = db.prepare(`INSERT INTO t (id, name) VALUES (@id, @name)`);
      expect(insert.run({ id: 1, name: 'a', unused: true }).changes).toBe(1);
      db.prepare(`INSERT INTO t (id, name, bytes) VALUES (?, ?, ?)`).run(2, 'b', Buffer.from([0, 255]));
      expect(db.prepare(`SELECT id, name FROM t WHERE id = ?`).get(1)).toEqual({ id: 1, name: 'a' });
      expect(db.prepare(`SELECT name, id FROM t ORDER BY id`).raw().all()).toEqual([
        ['a', 1],
        ['b', 2],
      ]);
      expect(db.prepare(`SELECT name, id FROM t WHERE id = ?`).raw().get(2)).toEqual(['b', 2]);
      expect(db.prepare(`SELECT count(*) FROM t`).pluck().get()).toBe(2);
      expect(db.prepare(`SELECT name FROM t ORDER BY id`).pluck().all()).toEqual(['a', 'b']);
      expect(db.prepare(`SELECT name FROM t WHERE id = 3`).get()).toBeUndefined();
      const rows = [...db.prepare(`SELECT id, bytes FROM t WHERE bytes IS NOT NULL`).iterate()] as {
        bytes: Uint8Array;
      }[];
      expect(rows).toHaveLength(1);
      expect(Buffer.from(rows[0].bytes)).toEqual(Buffer.from([0, 255]));
      expect(db.prepare(`DELETE FROM t WHERE id = ? RETURNING name`).pluck().get(1)).toBe('a');
      db.close();
      expect(db.open).toBe(false);
    });

    it('commits a transaction, rolls one back when it throws, and nests one as a savepoint', () => {
      const db = table();
      const insert = db.prepare(`INSERT INTO t (id, name) VALUES (?, ?)`);
      const names = () => db.prepare(`SELECT name FROM t ORDER BY id`).pluck().all();
      const add = db.transaction((id: number, name: string) => {
        insert.run(id, name);
        return id;
      });
      expect(add(1, 'a')).toBe(1);
      expect(() =>
        db.transaction(() => {
          insert.run(2, 'b');
          throw new Error('undo');
        })(),
      ).toThrow('undo');
      expect(names()).toEqual(['a']);
      db.transaction(() => {
        insert.run(3, 'c');
        expect(() =>
          db.transaction(() => {
            insert.run(4, 'd');
            throw new Error('inner');
          })(),
        ).toThrow('inner');
      })();
      expect(names()).toEqual(['a', 'c']);
      // A failing statement inside leaves no transaction open.
      expect(() => add(1, 'again')).toThrow();
      expect(add(5, 'e')).toBe(5);
      expect(names()).toEqual(['a', 'c', 'e']);
      db.close();
    });

    it('answers pragmas as rows, or as one value with simple', () => {
      const db = table();
      expect(db.pragma('journal_mode = WAL')).toEqual([{ journal_mode: 'wal' }]);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('quick_check(3)')).toEqual([{ quick_check: 'ok' }]);
      db.close();
    });

    it('opens read-only, refuses a missing file with mustExist, and names SQLite errors as better-sqlite3 does', () => {
      table().close();
      const file = join(dir, 'db.sqlite');
      const reader = driver.open(file, { readOnly: true, mustExist: true });
      expect(() => reader.exec(`INSERT INTO t (id, name) VALUES (9, 'z')`)).toThrow();
      reader.close();
      expect(() => driver.open(join(dir, 'missing.sqlite'), { mustExist: true })).toThrow();

      const holder = driver.open(join(dir, 'lock.db'));
      holder.pragma('locking_mode = EXCLUSIVE');
      holder.exec('BEGIN EXCLUSIVE');
      const other = driver.open(join(dir, 'lock.db'));
      other.pragma('busy_timeout = 0');
      expect(codeOf(() => other.exec('BEGIN EXCLUSIVE'))).toBe('SQLITE_BUSY');
      other.close();
      holder.close();

      writeFileSync(join(dir, 'junk.db'), 'not a database '.repeat(400));
      const junk = driver.open(join(dir, 'junk.db'));
      expect(codeOf(() => junk.pragma('quick_check'))).toBe('SQLITE_NOTADB');
      junk.close();
    });
  },
);

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return sqliteErrorCode(error);
  }
  throw new Error('did not throw');
}
