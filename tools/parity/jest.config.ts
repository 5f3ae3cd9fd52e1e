export default {
  displayName: 'parity',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  // Each suite starts emulators as child processes; on a busy machine that takes seconds.
  testTimeout: 120_000,
};
