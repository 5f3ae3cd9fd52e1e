// Jest looks its globalSetup, globalTeardown and setupFiles modules up as plain file paths,
// without package exports, so this file sits where the path '@feishu-attachments/mock-feishu/jest/reset-between-files' points.
module.exports = require('../dist/test-runners/jest-reset-between-files.js');
