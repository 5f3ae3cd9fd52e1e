export default {
  displayName: 'mock-feishu',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // The provider verification reads pacts/ and runs only through `pact-verify`, which sets PACT=1.
  testPathIgnorePatterns:
    process.env.PACT === '1' ? ['/node_modules/'] : ['/node_modules/', '\\.pact\\.spec\\.ts$'],
  testTimeout: 30_000,
  // Under PRISM_REFEREE=1 (the `test` target) one Prism referees every emulator of the run.
  globalSetup: '<rootDir>/../../tools/prism-referee/jest-global-setup.ts',
  globalTeardown: '<rootDir>/../../tools/prism-referee/jest-global-teardown.ts',
};
