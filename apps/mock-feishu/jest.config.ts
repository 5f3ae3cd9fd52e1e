/**
 * Jest reads this file through ts-node, here transpiled only (typecheck checks it; that saves about
 * 2 s of CPU per run) and as CommonJS whatever the project's tsconfig says, as Jest runs it.
 * @jest-config-loader ts-node
 * @jest-config-loader-options {"transpileOnly": true, "compilerOptions": {"module": "commonjs", "moduleResolution": "node10", "customConditions": null}}
 */
// The workspace's Jest preset is configuration, not a project's code, and CommonJS as Jest reads it.
// eslint-disable-next-line @typescript-eslint/no-require-imports, @nx/enforce-module-boundaries
const preset = require('../../jest.preset.js') as { maxWorkers: number; reporters: string[] };

// End-to-end specs are named *.e2e.spec.ts. Those directly in test/ load the emulator in this
// process: they run inside the shard files of test/e2e (see tools/test-support/spec-shards.ts),
// which load Nest once for many specs. An e2e spec named on the command line
// (`npx jest test/upload.e2e.spec.ts`) runs as a file of its own instead, and the shards stay out.
// Those in a folder of test/ run as files of their own, always: test/cli/ spawns the emulator's
// CLI as a child process, and test/durable/ (the mock-feishu:sqlite project, below) restarts,
// kills and locks emulators on data dirs; in a shard they would only queue behind one another.
const namesAnE2eSpec = process.argv.some((arg) => /\.e2e\.spec(\.ts)?$/.test(arg));

// Which store the e2e specs' emulators run on when they name no data dir
// (test/support/mock-feishu.fixture.ts reads it as the MOCK_FEISHU_TEST_STORE global): memory,
// unless MOCK_FEISHU_TEST_STORE=sqlite replays them on SQLite in a temporary data dir each, a
// check worth running by hand after changing how the SQLite store is wired in:
// `MOCK_FEISHU_TEST_STORE=sqlite npx jest test/upload.e2e.spec.ts`, or every e2e spec with
// `MOCK_FEISHU_TEST_STORE=sqlite npx jest --selectProjects mock-feishu --testPathPatterns test/e2e/`.
const e2eStore = process.env.MOCK_FEISHU_TEST_STORE || 'memory';
if (e2eStore !== 'memory' && e2eStore !== 'sqlite') {
  throw new Error(`MOCK_FEISHU_TEST_STORE=${e2eStore}: use memory (the default) or sqlite`);
}

const base = {
  // One cache folder for every project's transformed files (jest.preset.js).
  id: 'feishu-attachments',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testPathIgnorePatterns: [
    '/node_modules/',
    namesAnE2eSpec ? '/test/e2e/shard-\\d+\\.spec\\.ts$' : '/test/[^/]+\\.e2e\\.spec\\.ts$',
    // The provider verification reads pacts/ and runs only through `pact-verify`, which sets PACT=1.
    ...(process.env.PACT === '1' ? [] : ['\\.pact\\.spec\\.ts$']),
    // Browser tests need Chromium and the built page: `test-browser` runs them, with BROWSER=1.
    ...(process.env.BROWSER === '1' ? [] : ['\\.browser\\.spec\\.ts$']),
  ],
};

// What the SQLite store is checked by (the mock-feishu:sqlite project): its adapter's specs
// (src/adapters/sqlite: every port's contract of src/adapters/contracts, the driver, the lock) and
// the end-to-end specs that only a durable store can pass (test/durable: restarts and crashes,
// snapshots, the data dir and its lock). Those specs name their data dirs themselves.
//
// The whole e2e suite no longer runs a second time on SQLite: what it showed about the store, the
// port contracts now show on both adapters at unit speed, and the e2e specs never see the store
// but through the ports. What a port cannot show is in test/durable, and test/upload.e2e.spec.ts
// and test/get-delete.e2e.spec.ts keep their data-dir cases (blob files on disk) on SQLite.
// Prism referees the emulators of every project under PRISM_REFEREE=1 (set by the `test` target),
// except those an e2e spec runs on SQLite through MOCK_FEISHU_TEST_STORE: the wire is the same.
const SQLITE_SPECS = ['<rootDir>/src/adapters/sqlite/**/*.spec.ts', '<rootDir>/test/durable/**/*.spec.ts'];

export default {
  // Global options: Jest ignores them inside a project, the preset's worker count included.
  maxWorkers: preset.maxWorkers,
  reporters: preset.reporters,
  testTimeout: 30_000,
  // Under PRISM_REFEREE=1 one Prism referees every emulator of the run.
  globalSetup: '<rootDir>/../../tools/prism-referee/jest-global-setup.ts',
  globalTeardown: '<rootDir>/../../tools/prism-referee/jest-global-teardown.ts',
  rootDir: __dirname,
  projects: [
    {
      ...base,
      displayName: 'mock-feishu',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
      testPathIgnorePatterns: [...base.testPathIgnorePatterns, '/src/adapters/sqlite/', '/test/durable/'],
      globals: { MOCK_FEISHU_TEST_STORE: e2eStore },
    },
    ...(process.env.PACT === '1'
      ? []
      : [{ ...base, displayName: 'mock-feishu:sqlite', testMatch: SQLITE_SPECS }]),
  ],
};
