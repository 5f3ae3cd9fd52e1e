// Runs a command (npm test's `nx run-many …`) with FEISHU_TEST_TALLY_DIR set, then prints the tests
// of every Jest run inside it as the closing line, `N passed, N failed, N skipped` with nothing
// before it: the runner-neutral form that a CI reading closing lines counts, where Jest's own
// per-project summaries (`Tests: N passed, N total`) are not read. Exits with the command's
// status; a run that executed no test at all fails.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node tools/test-tally/tally.run.mjs <command> [args…]');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'feishu-test-tally-'));
const child = spawn(command, args, {
  stdio: 'inherit',
  env: { ...process.env, FEISHU_TEST_TALLY_DIR: dir },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));

child.on('exit', (code, signal) => {
  const total = { passed: 0, failed: 0, skipped: 0, runs: 0 };
  for (const file of readdirSync(dir)) {
    const run = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    total.passed += run.passed;
    total.failed += run.failed;
    total.skipped += run.skipped;
    total.runs += 1;
  }
  rmSync(dir, { recursive: true, force: true });
  const status = signal ? 1 : (code ?? 1);
  console.log(`\nJest runs: ${total.runs}`);
  console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  if (status === 0 && total.passed === 0) {
    console.error('no test was executed');
    process.exit(1);
  }
  process.exit(status);
});
