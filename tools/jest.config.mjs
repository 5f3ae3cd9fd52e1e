// Jest for the tools project's own scripts: `npm start` (tools/dev), `npm test`'s closing
// tally (tools/test-tally), the shared transform and the root Jest config (tools/jest-workspace).
// The tools with a project of their own (package-check, parity, prism-referee, test-support,
// workspace-plugin) have their own configs; `roots` keeps this one out of their folders.
export default {
  displayName: 'tools',
  // One cache folder for every project's transformed files (jest.preset.js).
  id: 'feishu-attachments',
  preset: '../jest.preset.js',
  rootDir: import.meta.dirname,
  roots: ['<rootDir>/dev', '<rootDir>/test-tally', '<rootDir>/jest-transform', '<rootDir>/jest-workspace'],
  testMatch: ['**/*.spec.mjs'],
  // npm start runs two servers and stops them per case.
  testTimeout: 60_000,
};
