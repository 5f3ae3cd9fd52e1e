// Jest looks its globalSetup, globalTeardown and setupFiles modules up as plain file paths,
// without package exports, so this file sits where the path '@feishu-attachments/mock-feishu/jest/sandbox-per-file' points.
module.exports = require('../dist/test-runners/jest-sandbox-per-file.js');
