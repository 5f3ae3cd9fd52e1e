/**
 * Jest reads this file through ts-node, here transpiled only (typecheck checks it; that saves about
 * 2 s of CPU per run) and as CommonJS whatever the project's tsconfig says, as Jest runs it.
 * @jest-config-loader ts-node
 * @jest-config-loader-options {"transpileOnly": true, "compilerOptions": {"module": "commonjs", "moduleResolution": "node10", "customConditions": null}}
 */
export default {
  displayName: 'package-check',
  // One cache folder for every project's transformed files (jest.preset.js).
  id: 'feishu-attachments',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  // The outside projects' own test runs and type checks take tens of seconds on a busy machine.
  testTimeout: 120_000,
  // One emulator for the run (the emulator's test-runner entries, by their published names), and
  // the packed packages installed once for every spec that uses them from outside the workspace.
  globalSetup: '<rootDir>/global-setup.ts',
  globalTeardown: '<rootDir>/global-teardown.ts',
  setupFilesAfterEnv: ['@feishu-attachments/mock-feishu/jest/reset-between-files'],
};
