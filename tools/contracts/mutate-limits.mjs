#!/usr/bin/env node
// Proves the emulator's tests state Feishu's numbers rather than reuse them: for each number
// exported by libs/api-client/src/wire/limits.ts it writes a wrong value (one more, or the value
// given by --delta), runs the emulator's Jest suite, and reports whether any test failed. The file
// is restored after every run, also on Ctrl-C. A mutation that leaves the suite green "survived".
//
//   node tools/contracts/mutate-limits.mjs                   # whole mock-feishu suite per mutation
//   node tools/contracts/mutate-limits.mjs --delta -1        # one less instead of one more
//   node tools/contracts/mutate-limits.mjs -- apps/mock-feishu/test/feishu-numbers.e2e.spec.ts
//
// Exit code 1 when a mutation survived.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const limitsPath = join(root, 'libs', 'api-client', 'src', 'wire', 'limits.ts');
const args = process.argv.slice(2);
const deltaAt = args.indexOf('--delta');
const delta = deltaAt >= 0 ? Number(args[deltaAt + 1]) : 1;
const specs = args.includes('--') ? args.slice(args.indexOf('--') + 1) : [];

const original = readFileSync(limitsPath, 'utf8');
const restore = () => writeFileSync(limitsPath, original);
process.on('SIGINT', () => {
  restore();
  process.exit(130);
});

// `export const NAME = <arithmetic>;` — the only form limits.ts uses for numbers.
const declaration = /^export const (\w+) = ([\d\s*+\-/_().]+);$/gm;
const constants = [...original.matchAll(declaration)].map((match) => ({
  name: match[1],
  text: match[0],
  value: Function(`return (${match[2].replace(/_/g, '')});`)(),
}));

const reportDir = mkdtempSync(join(tmpdir(), 'mutate-limits-'));
const reportFile = join(reportDir, 'report.json');

/** Runs the suite on the current limits.ts and names the tests that failed. */
function failingTests() {
  rmSync(reportFile, { force: true });
  const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
  const run = spawnSync(
    process.execPath,
    [jest, '--config', 'apps/mock-feishu/jest.config.ts', '--json', '--outputFile', reportFile, ...specs],
    { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: '0' } },
  );
  let report;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8'));
  } catch {
    return [`jest exited ${run.status} without a report: ${run.stderr.slice(-500)}`];
  }
  const failed = report.testResults.flatMap((file) =>
    file.assertionResults.filter((test) => test.status === 'failed').map((test) => test.fullName),
  );
  // A suite that crashed (e.g. a syntax error) also fails, but names no test.
  for (const file of report.testResults) {
    if (file.status === 'failed' && file.assertionResults.every((test) => test.status !== 'failed')) {
      failed.push(`${file.name}: ${file.message.split('\n')[0]}`);
    }
  }
  return failed;
}

const rows = [];
try {
  const baseline = failingTests();
  if (baseline.length > 0) {
    console.error(`The suite fails without any mutation:\n  ${baseline.join('\n  ')}`);
    process.exit(2);
  }
  for (const constant of constants) {
    const wrong = constant.value + delta;
    writeFileSync(limitsPath, original.replace(constant.text, `export const ${constant.name} = ${wrong};`));
    const failed = failingTests();
    rows.push({ ...constant, wrong, failed });
    console.error(
      `${constant.name} ${constant.value} → ${wrong}: ${failed.length ? `${failed.length} failing` : 'SURVIVED'}`,
    );
  }
} finally {
  restore();
  rmSync(reportDir, { recursive: true, force: true });
}

console.log('| constant | Feishu | mutated to | failing tests | e.g. |');
console.log('| --- | --- | --- | --- | --- |');
for (const row of rows) {
  console.log(
    `| \`${row.name}\` | ${row.value} | ${row.wrong} | ${row.failed.length || '**none: survived**'} | ${row.failed[0] ?? ''} |`,
  );
}
process.exit(rows.some((row) => row.failed.length === 0) ? 1 : 0);
