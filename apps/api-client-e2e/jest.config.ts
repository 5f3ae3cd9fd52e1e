/**
 * Jest reads this file through ts-node: transpiled only, not type-checked (typecheck does that), which
 * saves about 2 s of CPU per run.
 * @jest-config-loader-options {"transpileOnly": true}
 */
export default {
  displayName: 'api-client-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  testTimeout: 30_000,
  // Under PRISM_REFEREE=1 (the `test` target) one Prism referees every emulator of the run.
  globalSetup: '<rootDir>/../../tools/prism-referee/jest-global-setup.ts',
  globalTeardown: '<rootDir>/../../tools/prism-referee/jest-global-teardown.ts',
};
