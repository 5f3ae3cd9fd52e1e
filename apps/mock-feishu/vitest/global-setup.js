// Where '@feishu-attachments/mock-feishu/vitest/global-setup' points for resolvers that read paths, not exports.
module.exports = require('../dist/test-runners/vitest-global-setup.js');
