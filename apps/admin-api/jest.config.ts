/**
 * Jest reads this file through ts-node, here transpiled only (typecheck checks it; that saves about
 * 2 s of CPU per run) and as CommonJS whatever the project's tsconfig says, as Jest runs it.
 * @jest-config-loader ts-node
 * @jest-config-loader-options {"transpileOnly": true, "compilerOptions": {"module": "commonjs", "moduleResolution": "node10", "customConditions": null}}
 */
export default {
  displayName: 'admin-api',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // The e2e specs run inside the shard files of test/e2e (see tools/test-support/spec-shards.ts);
  // one spec: `npx nx test admin-api -- -t upload.e2e`.
  testPathIgnorePatterns: ['/node_modules/', '/test/[^/]+\\.e2e\\.spec\\.ts$'],
  testTimeout: 30_000,
};
