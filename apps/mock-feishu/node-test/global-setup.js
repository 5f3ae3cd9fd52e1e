// Node's --test-global-setup takes a file path, not a package export, so this file sits at
// node_modules/@feishu-attachments/mock-feishu/node-test/global-setup.js.
module.exports = require('../dist/test-runners/node-test-global-setup.js');
