export default {
  displayName: 'mock-feishu',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: [
    '/node_modules/',
    // The provider verification reads pacts/ and runs only through `pact-verify`, which sets PACT=1.
    ...(process.env.PACT === '1' ? [] : ['\\.pact\\.spec\\.ts$']),
    // Browser tests need Chromium and the built page: `test-browser` runs them, with BROWSER=1.
    ...(process.env.BROWSER === '1' ? [] : ['\\.browser\\.spec\\.ts$']),
  ],
  testTimeout: 30_000,
  // Under PRISM_REFEREE=1 (the `test` target) one Prism referees every emulator of the run.
  globalSetup: '<rootDir>/../../tools/prism-referee/jest-global-setup.ts',
  globalTeardown: '<rootDir>/../../tools/prism-referee/jest-global-teardown.ts',
};
