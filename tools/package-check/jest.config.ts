export default {
  displayName: 'package-check',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  // One offline install of the packed tarballs (tens of seconds on a busy machine) feeds every check.
  testTimeout: 120_000,
};
