/**
 * Jest reads this file through ts-node: transpiled only, not type-checked (typecheck does that), which
 * saves about 2 s of CPU per run.
 * @jest-config-loader-options {"transpileOnly": true}
 */
export default {
  displayName: 'admin-api',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testTimeout: 30_000,
};
