/**
 * Jest reads this file through ts-node, here transpiled only (typecheck checks it; that saves about
 * 2 s of CPU per run) and as CommonJS whatever the project's tsconfig says, as Jest runs it.
 * @jest-config-loader ts-node
 * @jest-config-loader-options {"transpileOnly": true, "compilerOptions": {"module": "commonjs", "moduleResolution": "node10", "customConditions": null}}
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
