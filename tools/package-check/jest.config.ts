/**
 * Jest reads this file through ts-node: transpiled only, not type-checked (typecheck does that), which
 * saves about 2 s of CPU per run.
 * @jest-config-loader-options {"transpileOnly": true}
 */
export default {
  displayName: 'package-check',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  // One offline install of the packed tarballs (tens of seconds on a busy machine) feeds every check.
  testTimeout: 120_000,
  // The emulator's test-runner entries, by their published names: one emulator for the run.
  globalSetup: '@feishu-attachments/mock-feishu/jest/global-setup',
  globalTeardown: '@feishu-attachments/mock-feishu/jest/global-teardown',
  setupFilesAfterEnv: ['@feishu-attachments/mock-feishu/jest/reset-between-files'],
};
