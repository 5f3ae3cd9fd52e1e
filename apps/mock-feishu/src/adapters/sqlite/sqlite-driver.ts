import { existsSync } from 'node:fs';

/**
 * The SQLite the durable store runs on, behind the few calls it makes (better-sqlite3's API, which
 * the repositories were written against): better-sqlite3 itself, or Node's built-in `node:sqlite`
 * wrapped to answer alike. Nothing here is loaded without a data dir (or `--import`).
 *
 * Which one (`chooseSqliteDriver`):
 * 1. `MOCK_FEISHU_SQLITE_DRIVER=better-sqlite3|node:sqlite` forces one, and fails if it does not load;
 * 2. otherwise better-sqlite3 when it is installed and loads on this Node (an optional peer dependency:
 *    a native module, compiled on install where no prebuilt binary is downloaded);
 * 3. otherwise `node:sqlite` when this Node has it (22.13+; 22.12 run with --experimental-sqlite);
 * 4. otherwise a `SqliteDriverError` naming both ways out.
 * Both write the same file format, so a data dir or snapshot moves between them.
 */
export type SqliteDriverName = 'better-sqlite3' | 'node:sqlite';

export const SQLITE_DRIVER_ENV = 'MOCK_FEISHU_SQLITE_DRIVER';
export const SQLITE_DRIVER_NAMES: readonly SqliteDriverName[] = ['better-sqlite3', 'node:sqlite'];
export const BETTER_SQLITE3_INSTALL = 'npm install better-sqlite3@12';

/** A prepared statement, as better-sqlite3 has it. */
export interface SqliteStatement {
  /** Positional values, or one object whose keys name `@name` parameters (keys no parameter names are ignored). */
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
  /** From now on, rows as arrays in column order. */
  raw(): this;
  /** From now on, only each row's first column. */
  pluck(): this;
}

/** A connection, as better-sqlite3 has it. */
export interface SqliteDatabase {
  readonly open: boolean;
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  /** `PRAGMA <source>`: every row, or with `simple` the first row's first column. */
  pragma(source: string, options?: { simple?: boolean }): unknown;
  /** `fn` in a transaction (a savepoint inside another), rolled back if it throws. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  close(): void;
}

export interface SqliteOpenOptions {
  readOnly?: boolean;
  /** Fail rather than create the file. */
  mustExist?: boolean;
}

export interface SqliteDriver {
  readonly name: SqliteDriverName;
  open(file: string, options?: SqliteOpenOptions): SqliteDatabase;
}

export class SqliteDriverError extends Error {
  override name = 'SqliteDriverError';
}

// ---- better-sqlite3: its Database already is a SqliteDatabase, so nothing sits in between. ----

type BetterSqlite3Constructor = new (
  file: string,
  options?: { readonly?: boolean; fileMustExist?: boolean },
) => SqliteDatabase;

export function betterSqlite3Driver(Database: BetterSqlite3Constructor): SqliteDriver {
  return {
    name: 'better-sqlite3',
    open: (file, options = {}) =>
      new Database(file, { readonly: options.readOnly ?? false, fileMustExist: options.mustExist ?? false }),
  };
}

// ---- node:sqlite: the parts of its API used here (typed locally: @types/node 20 has none). ----

interface NodeStatementSync {
  run(...params: unknown[]): { changes: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  // The optional ones are missing from older releases: all three from 22.12, the last two from
  // 22.13 (the oldest with node:sqlite unflagged); 22.23, 24 and 26 have them.
  iterate?(...params: unknown[]): IterableIterator<unknown>;
  setReturnArrays?(enabled: boolean): void;
  setAllowUnknownNamedParameters?(enabled: boolean): void;
}

interface NodeDatabaseSync {
  prepare(sql: string): NodeStatementSync;
  exec(sql: string): void;
  close(): void;
  /** Not in 22.13; in 22.23, 24 and 26. */
  readonly isTransaction?: boolean;
}

export interface NodeSqliteModule {
  DatabaseSync: new (file: string, options?: { readOnly?: boolean }) => NodeDatabaseSync;
}

type Shape = 'objects' | 'arrays' | 'pluck';

class NodeSqliteStatement implements SqliteStatement {
  private shape: Shape = 'objects';
  /** Whether node:sqlite hands out arrays itself (else they are made from its objects). */
  private nativeArrays = false;

  /** The statement's named parameters, where node:sqlite cannot be told to ignore other keys. */
  private readonly names: Set<string> | undefined;

  constructor(
    private readonly statement: NodeStatementSync,
    sql: string,
  ) {
    // better-sqlite3 ignores the keys of a parameter object that no parameter names.
    if (statement.setAllowUnknownNamedParameters) statement.setAllowUnknownNamedParameters(true);
    else {
      const named = sql.match(/[@:$][A-Za-z_]\w*/g);
      this.names = named ? new Set(named.map((name) => name.slice(1))) : undefined;
    }
  }

  raw(): this {
    this.useArrays();
    this.shape = 'arrays';
    return this;
  }

  pluck(): this {
    this.useArrays();
    this.shape = 'pluck';
    return this;
  }

  run(...params: unknown[]): { changes: number } {
    const result = this.statement.run(...this.bind(params));
    return { changes: Number(result.changes) };
  }

  get(...params: unknown[]): unknown {
    const row = this.statement.get(...this.bind(params));
    return row === undefined ? undefined : this.reshape(row);
  }

  all(...params: unknown[]): unknown[] {
    const rows = this.statement.all(...this.bind(params));
    return this.shape === 'objects' ? rows : rows.map((row) => this.reshape(row));
  }

  *iterate(...params: unknown[]): IterableIterator<unknown> {
    // Without iterate() (22.12) the rows are read at once.
    const bound = this.bind(params);
    const rows = this.statement.iterate ? this.statement.iterate(...bound) : this.statement.all(...bound);
    for (const row of rows) yield this.reshape(row);
  }

  private bind(params: unknown[]): unknown[] {
    const [first] = params;
    if (!this.names || first === null || typeof first !== 'object' || ArrayBuffer.isView(first))
      return params;
    const named: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(first)) if (this.names.has(key)) named[key] = value;
    return [named, ...params.slice(1)];
  }

  private useArrays(): void {
    if (this.nativeArrays || !this.statement.setReturnArrays) return;
    this.statement.setReturnArrays(true);
    this.nativeArrays = true;
  }

  private reshape(row: unknown): unknown {
    if (this.shape === 'objects') return row;
    // Object.values keeps column order for the column names used here (none looks like an index).
    const values = this.nativeArrays ? (row as unknown[]) : Object.values(row as object);
    return this.shape === 'pluck' ? values[0] : values;
  }
}

class NodeSqliteDatabase implements SqliteDatabase {
  private depth = 0;
  private isOpen = true;

  constructor(private readonly db: NodeDatabaseSync) {}

  get open(): boolean {
    return this.isOpen;
  }

  prepare(sql: string): SqliteStatement {
    return new NodeSqliteStatement(this.db.prepare(sql), sql);
  }

  exec(sql: string): this {
    this.db.exec(sql);
    return this;
  }

  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    const statement = this.prepare(`PRAGMA ${source}`);
    return options.simple ? statement.pluck().get() : statement.all();
  }

  // As better-sqlite3's: BEGIN … COMMIT, a savepoint when already in one, undone if `fn` throws.
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    const statements = new Map<string, NodeStatementSync>();
    const run = (sql: string) => {
      let statement = statements.get(sql);
      if (!statement) statements.set(sql, (statement = this.db.prepare(sql)));
      statement.run();
    };
    return (...args: A): R => {
      const nested = this.depth > 0 || this.db.isTransaction === true;
      run(nested ? 'SAVEPOINT mock_feishu_tx' : 'BEGIN');
      this.depth++;
      try {
        const result = fn(...args);
        if (result && typeof (result as { then?: unknown }).then === 'function') {
          throw new TypeError('Transaction function cannot return a promise');
        }
        run(nested ? 'RELEASE mock_feishu_tx' : 'COMMIT');
        return result;
      } catch (error) {
        // SQLite may have rolled back already (a failed COMMIT, SQLITE_FULL, …).
        if (this.db.isTransaction !== false) {
          try {
            if (nested) {
              run('ROLLBACK TO mock_feishu_tx');
              run('RELEASE mock_feishu_tx');
            } else run('ROLLBACK');
          } catch {
            // no transaction left to undo
          }
        }
        throw error;
      } finally {
        this.depth--;
      }
    };
  }

  close(): void {
    if (!this.isOpen) return;
    this.db.close();
    this.isOpen = false;
  }
}

export function nodeSqliteDriver(sqlite: NodeSqliteModule): SqliteDriver {
  return {
    name: 'node:sqlite',
    open: (file, options = {}) => {
      // node:sqlite has no such option (and before 22.12 ignores readOnly): checked here.
      if (options.mustExist && !existsSync(file)) {
        throw Object.assign(new Error(`unable to open database file ${file}: no such file`), {
          code: 'SQLITE_CANTOPEN',
        });
      }
      // An explicit `undefined` for the options is refused ("must be an object").
      const { DatabaseSync } = sqlite;
      return new NodeSqliteDatabase(
        options.readOnly ? new DatabaseSync(file, { readOnly: true }) : new DatabaseSync(file),
      );
    },
  };
}

// SQLite's primary result codes, for naming node:sqlite's numeric `errcode` as better-sqlite3 does.
const RESULT_CODES = [
  'OK', 'ERROR', 'INTERNAL', 'PERM', 'ABORT', 'BUSY', 'LOCKED', 'NOMEM', 'READONLY', 'INTERRUPT',
  'IOERR', 'CORRUPT', 'NOTFOUND', 'FULL', 'CANTOPEN', 'PROTOCOL', 'EMPTY', 'SCHEMA', 'TOOBIG',
  'CONSTRAINT', 'MISMATCH', 'MISUSE', 'NOLFS', 'AUTH', 'FORMAT', 'RANGE', 'NOTADB',
]; // prettier-ignore

/**
 * The SQLite result code an error carries, named as better-sqlite3 names it (`SQLITE_BUSY`,
 * `SQLITE_CORRUPT_INDEX`, …); for node:sqlite's errors (`code: 'ERR_SQLITE_ERROR'` and a numeric
 * `errcode`) the primary code only (`SQLITE_CORRUPT`).
 */
export function sqliteErrorCode(error: unknown): string | undefined {
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  if (code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number') {
    const name = RESULT_CODES[errcode & 0xff];
    return name === undefined ? undefined : `SQLITE_${name}`;
  }
  return undefined;
}

// ---- The choice. ----

export interface SqliteDriverSources {
  env: Record<string, string | undefined>;
  /** `process.version`, for the messages. */
  nodeVersion: string;
  /** `require('better-sqlite3')`: throws when it is not installed. */
  loadBetterSqlite3(): unknown;
  /** `require('node:sqlite')`: throws when this Node has none. */
  loadNodeSqlite(): unknown;
}

/** This process: its environment, and the real loaders. */
export const PROCESS_SQLITE_SOURCES: SqliteDriverSources = {
  env: process.env,
  nodeVersion: process.version,
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: only data-dir starts load a database module
  loadBetterSqlite3: () => require('better-sqlite3'),
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, and absent before Node 22.13 (unflagged)
  loadNodeSqlite: () => require('node:sqlite'),
};

type Attempt = { driver: SqliteDriver } | { installed: boolean; reason: string };

/** An error's message on one line, without Node's require stack. */
const reasonOf = (error: unknown) =>
  String((error as Error)?.message ?? error)
    .split('\nRequire stack:')[0]
    .replace(/\s*\n\s*/g, ' ')
    .trim();

function tryBetterSqlite3(sources: SqliteDriverSources): Attempt {
  let Database: BetterSqlite3Constructor;
  try {
    Database = sources.loadBetterSqlite3() as BetterSqlite3Constructor;
  } catch (error) {
    const missing =
      (error as { code?: string }).code === 'MODULE_NOT_FOUND' &&
      reasonOf(error).includes(`'better-sqlite3'`);
    return { installed: !missing, reason: missing ? 'not installed' : reasonOf(error) };
  }
  const driver = betterSqlite3Driver(Database);
  try {
    // The native module loads on the first open: built for another Node, or never built, it fails here.
    driver.open(':memory:').close();
  } catch (error) {
    return { installed: true, reason: reasonOf(error) };
  }
  return { driver };
}

function tryNodeSqlite(sources: SqliteDriverSources): Attempt {
  try {
    return { driver: nodeSqliteDriver(sources.loadNodeSqlite() as NodeSqliteModule) };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const absent = code === 'ERR_UNKNOWN_BUILTIN_MODULE' || code === 'MODULE_NOT_FOUND';
    return { installed: !absent, reason: absent ? 'not in this Node' : reasonOf(error) };
  }
}

/**
 * Where to find node:sqlite. It came with Node 22.5 behind --experimental-sqlite, unflagged in
 * 22.13; the emulator itself needs 22.12+ on Node 22 (Nest 12 is ESM-only: require(esm)).
 */
function nodeSqliteHint(nodeVersion: string): string {
  const [major, minor] = nodeVersion.replace(/^v/, '').split('.').map(Number);
  return major === 22 && minor >= 5 && minor < 13
    ? `run node with --experimental-sqlite (NODE_OPTIONS=--experimental-sqlite) for this Node's built-in ` +
        `node:sqlite, or move to Node 22.13+, where it needs no flag`
    : 'run on Node 22.13+, whose built-in node:sqlite needs nothing installed';
}

/** Picks the SQLite driver by the rule at the top of this file; throws a `SqliteDriverError` if none loads. */
export function chooseSqliteDriver(sources: SqliteDriverSources = PROCESS_SQLITE_SOURCES): SqliteDriver {
  const forced = sources.env[SQLITE_DRIVER_ENV]?.trim();
  if (forced) {
    if (!SQLITE_DRIVER_NAMES.includes(forced as SqliteDriverName)) {
      throw new SqliteDriverError(
        `${SQLITE_DRIVER_ENV}=${forced} names no SQLite driver: use ${SQLITE_DRIVER_NAMES.join(' or ')}, or unset it`,
      );
    }
    const attempt = forced === 'better-sqlite3' ? tryBetterSqlite3(sources) : tryNodeSqlite(sources);
    if ('driver' in attempt) return attempt.driver;
    const fix =
      forced === 'node:sqlite'
        ? nodeSqliteHint(sources.nodeVersion)
        : attempt.installed
          ? 'rebuild it for this Node (npm rebuild better-sqlite3)'
          : BETTER_SQLITE3_INSTALL;
    throw new SqliteDriverError(
      `${SQLITE_DRIVER_ENV}=${forced}, but ${forced} does not load on Node ${sources.nodeVersion} ` +
        `(${attempt.reason}): ${fix}, or unset ${SQLITE_DRIVER_ENV}`,
    );
  }
  const better = tryBetterSqlite3(sources);
  if ('driver' in better) return better.driver;
  const builtIn = tryNodeSqlite(sources);
  if ('driver' in builtIn) return builtIn.driver;
  const betterFix = better.installed
    ? 'rebuild better-sqlite3 for this Node (npm rebuild better-sqlite3)'
    : `install the optional peer dependency better-sqlite3 (${BETTER_SQLITE3_INSTALL})`;
  throw new SqliteDriverError(
    `no SQLite for --data-dir (or --import) on Node ${sources.nodeVersion}: ${betterFix}, ` +
      `or ${nodeSqliteHint(sources.nodeVersion)}. ` +
      `Tried better-sqlite3 (${better.reason}) and node:sqlite (${builtIn.reason}).`,
  );
}

let chosen: SqliteDriver | undefined;

/** The driver for this process, chosen on first use (a failed choice is retried next time). */
export function sqliteDriver(): SqliteDriver {
  return (chosen ??= chooseSqliteDriver());
}
