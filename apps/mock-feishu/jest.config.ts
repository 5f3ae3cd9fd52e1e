/**
 * Jest reads this file through ts-node, here transpiled only (typecheck checks it; that saves about
 * 2 s of CPU per run) and as CommonJS whatever the project's tsconfig says, as Jest runs it.
 * @jest-config-loader ts-node
 * @jest-config-loader-options {"transpileOnly": true, "compilerOptions": {"module": "commonjs", "moduleResolution": "node10", "customConditions": null}}
 */
// The workspace's Jest preset is configuration, not a project's code, and CommonJS as Jest reads it.
// eslint-disable-next-line @typescript-eslint/no-require-imports, @nx/enforce-module-boundaries
const preset = require('../../jest.preset.js') as { maxWorkers: number; reporters: string[] };

// The e2e specs run inside the shard files of test/e2e (see tools/test-support/spec-shards.ts),
// which load Nest once for many specs. An e2e spec named on the command line
// (`npx jest test/upload.e2e.spec.ts`) runs as a file of its own instead, and the shards stay out.
const namesAnE2eSpec = process.argv.some((arg) => /\.e2e\.spec(\.ts)?$/.test(arg));

const base = {
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

// The emulator's end-to-end suite (test/*.e2e.spec.ts, run through the shard files in test/e2e)
// runs once per store adapter, as fake-gcs-server runs its tests against each backend: in memory
// (the default) and SQLite in a temporary data dir per emulator (test/support/mock-feishu.fixture.ts
// reads the MOCK_FEISHU_TEST_STORE global). Prism referees the in-memory run only (PRISM_REFEREE=1,
// set by the `test` target): the wire is the same. One spec: `npx jest test/upload.e2e.spec.ts`
// (in memory) or `npx jest -t upload.e2e` (inside the shards, on both stores).
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
      globals: { MOCK_FEISHU_TEST_STORE: 'memory' },
    },
    ...(process.env.PACT === '1'
      ? []
      : [
          {
            ...base,
            displayName: 'mock-feishu:sqlite',
            testMatch: ['<rootDir>/test/e2e/*.spec.ts'],
            globals: { MOCK_FEISHU_TEST_STORE: 'sqlite' },
          },
        ]),
  ],
};
