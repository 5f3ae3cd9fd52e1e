/**
 * Jest reads this file through ts-node: transpiled only, not type-checked (typecheck does that), which
 * saves about 2 s of CPU per run.
 * @jest-config-loader-options {"transpileOnly": true}
 */
export default {
  displayName: 'prism-referee',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testTimeout: 60_000,
};
