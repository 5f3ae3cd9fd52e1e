/**
 * Jest reads this file through ts-node, here transpiled only (typecheck checks it; that saves about
 * 2 s of CPU per run) and as CommonJS whatever the project's tsconfig says, as Jest runs it.
 * @jest-config-loader ts-node
 * @jest-config-loader-options {"transpileOnly": true, "compilerOptions": {"module": "commonjs", "moduleResolution": "node10", "customConditions": null}}
 */
export default {
  displayName: 'admin-api',
  // One cache folder for every project's transformed files (jest.preset.js).
  id: 'feishu-attachments',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // The e2e specs run inside the shard files of test/e2e (see tools/test-support/spec-shards.ts);
  // an e2e spec named on the command line (`npx jest test/upload.e2e.spec.ts`) runs as a file of its
  // own instead, and the shards stay out.
  testPathIgnorePatterns: [
    '/node_modules/',
    process.argv.some((arg) => /\.e2e\.spec(\.ts)?$/.test(arg))
      ? '/test/e2e/shard-\\d+\\.spec\\.ts$'
      : '/test/[^/]+\\.e2e\\.spec\\.ts$',
  ],
  testTimeout: 30_000,
};
