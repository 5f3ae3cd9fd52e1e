/**
 * Jest reads this file through ts-node: transpiled only, not type-checked (typecheck does that), which
 * saves about 2 s of CPU per run.
 * @jest-config-loader-options {"transpileOnly": true}
 */
export default {
  displayName: 'api-client',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // Contract specs write pacts/ and run only through the `pact` target, which sets PACT=1.
  testPathIgnorePatterns:
    process.env.PACT === '1' ? ['/node_modules/'] : ['/node_modules/', '\\.pact\\.spec\\.ts$'],
  // Under PACT=1: removes this consumer's own pact file first, never another consumer's.
  globalSetup: '<rootDir>/test/pact/support/jest-global-setup.ts',
};
