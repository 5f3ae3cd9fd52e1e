/**
 * Jest reads this file through ts-node, here transpiled only (typecheck checks it; that saves about
 * 2 s of CPU per run) and as CommonJS whatever the project's tsconfig says, as Jest runs it.
 * @jest-config-loader ts-node
 * @jest-config-loader-options {"transpileOnly": true, "compilerOptions": {"module": "commonjs", "moduleResolution": "node10", "customConditions": null}}
 */
export default {
  displayName: 'report-bot',
  // One cache folder for every project's transformed files (jest.preset.js).
  id: 'feishu-attachments',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // Contract specs write pacts/ and run only through the `pact` target, which sets PACT=1.
  testPathIgnorePatterns:
    process.env.PACT === '1' ? ['/node_modules/'] : ['/node_modules/', '\\.pact\\.spec\\.ts$'],
  testTimeout: 30_000,
  // One emulator for the run (`test`), or removal of this app's own pact (`pact`).
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};
