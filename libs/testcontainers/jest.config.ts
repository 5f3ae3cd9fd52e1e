/**
 * Jest reads this file through ts-node, here transpiled only (typecheck checks it; that saves about
 * 2 s of CPU per run) and as CommonJS whatever the project's tsconfig says, as Jest runs it.
 * @jest-config-loader ts-node
 * @jest-config-loader-options {"transpileOnly": true, "compilerOptions": {"module": "commonjs", "moduleResolution": "node10", "customConditions": null}}
 */
export default {
  displayName: 'testcontainers',
  // One cache folder for every project's transformed files (jest.preset.js).
  id: 'feishu-attachments',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  // Finds podman or docker (or says why the tests skip), makes sure of the image, and serves podman's
  // Docker-compatible API for Testcontainers; the teardown stops that and sweeps this run's containers.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // A failure guard only: each test waits on the emulator's own signals (its banner, its answers).
  testTimeout: 180_000,
};
