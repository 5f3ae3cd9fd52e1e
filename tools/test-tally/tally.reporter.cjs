// A Jest reporter that leaves one run's totals in the folder named by FEISHU_TEST_TALLY_DIR, for
// tools/test-tally/tally.run.mjs to add up over every Jest run of `npm test` (Nx runs a dozen of them,
// each printing only its own totals). Without that variable it does nothing.
const fs = require('node:fs');
const path = require('node:path');

class TallyReporter {
  onRunComplete(_contexts, results) {
    const dir = process.env.FEISHU_TEST_TALLY_DIR;
    if (!dir) return;
    const tally = {
      cwd: process.cwd(),
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${process.pid}-${Date.now()}.json`), JSON.stringify(tally));
  }
}

module.exports = TallyReporter;
