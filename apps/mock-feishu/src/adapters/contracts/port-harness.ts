/**
 * The contract suites in this folder state what the core's ports promise (src/core/**), once, and
 * every adapter's spec runs them on its own store (memory/in-memory.store.contract.spec.ts,
 * sqlite/sqlite.store.contract.spec.ts). A suite gets its adapter through a factory that opens a
 * fresh one per test; it never looks inside an adapter.
 *
 * They are test code, on Jest's globals: the build leaves this folder out (tsconfig.app.json).
 */

/** A port's adapter as a contract suite gets it, fresh and empty, for one test. */
export interface Opened<T> {
  repo: T;
  close(): Promise<void>;
}

/** Opens a fresh, empty adapter of a port. */
export type OpenPort<T> = () => Promise<Opened<T>>;

/**
 * A fresh adapter for each test of the calling `describe`, closed after it whatever the test did.
 * Read `repo` inside a test (not while the suite is being declared).
 */
export function freshEach<T>(open: OpenPort<T>): { readonly repo: T } {
  let current: Opened<T> | undefined;
  beforeEach(async () => {
    current = await open();
  });
  afterEach(async () => {
    const closing = current;
    current = undefined;
    await closing?.close();
  });
  return {
    get repo(): T {
      if (!current) throw new Error('the adapter is opened for a test: read `repo` inside one');
      return current.repo;
    },
  };
}

/** Fixed instants: no outcome of a contract test depends on the real clock or on speed. */
export const T0 = 1_700_000_000_000;

/** Runs `calls` started together (none awaited before the next begins), as concurrent requests do. */
export function together<R>(count: number, call: (index: number) => Promise<R>): Promise<R[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => call(index)));
}
