// The provider verification reads pacts/ and runs only through `pact-verify`, which sets PACT=1.
const ignored = process.env.PACT === '1' ? ['/node_modules/'] : ['/node_modules/', '\\.pact\\.spec\\.ts$'];

const base = {
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testPathIgnorePatterns: ignored,
};

// The emulator's end-to-end suite runs once per store adapter, as fake-gcs-server runs its tests
// against each backend: in memory (the default) and SQLite in a temporary data dir per emulator
// (test/support/mock-feishu.fixture.ts reads the MOCK_FEISHU_TEST_STORE global). Contract runs
// (PACT=1, PRISM_REFEREE=1) check the wire, which both adapters share, so they run only the first.
const contractRun = process.env.PACT === '1' || process.env.PRISM_REFEREE === '1';

export default {
  // A global option: Jest ignores it inside a project.
  testTimeout: 30_000,
  projects: [
    {
      ...base,
      displayName: 'mock-feishu',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
      globals: { MOCK_FEISHU_TEST_STORE: 'memory' },
    },
    ...(contractRun
      ? []
      : [
          {
            ...base,
            displayName: 'mock-feishu:sqlite',
            testMatch: ['<rootDir>/test/**/*.e2e.spec.ts'],
            globals: { MOCK_FEISHU_TEST_STORE: 'sqlite' },
          },
        ]),
  ],
};
