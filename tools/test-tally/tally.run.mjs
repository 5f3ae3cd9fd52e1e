// Runs a command (npm test's `nx run-many …`) with FEISHU_TEST_TALLY_DIR set, then prints the tests
// of every Jest run inside it as the closing line, `N passed, N failed, N skipped` with nothing
// before it: the runner-neutral form that a CI reading closing lines counts, where Jest's own
// per-project summaries (`Tests: N passed, N total`) are not read. The line before says how many
// Jest runs that was, and how many test tasks Nx replayed from its cache instead (their tests ran
// some other time and are not counted). Exits with the command's status; a run that executed no
// test at all, and took none from the cache, fails.
//
// Which tasks came from the cache is read from Nx's profile of the run (NX_PROFILE, a path Nx
// takes relative to its working directory, this one's): tmp/test-tally/nx-profile.json unless
// NX_PROFILE names another file. It stays there; Chrome's Performance panel shows it.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { closingLines, replayedTestTasks } from './tally.summary.mjs';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node tools/test-tally/tally.run.mjs <command> [args…]');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'feishu-test-tally-'));
const profile = process.env.NX_PROFILE || join('tmp', 'test-tally', 'nx-profile.json');
const profilePath = join(process.cwd(), profile); // as Nx resolves it, even an absolute one
if (!process.env.NX_PROFILE) {
  mkdirSync(dirname(profilePath), { recursive: true });
  rmSync(profilePath, { force: true }); // a previous run's must not pass for this one's
}
const child = spawn(command, args, {
  stdio: 'inherit',
  env: { ...process.env, FEISHU_TEST_TALLY_DIR: dir, NX_PROFILE: profile },
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
  const replayed = replayedTestTasksOfThisRun();
  const status = signal ? 1 : (code ?? 1);
  // Before the closing lines, so that the counts stay the last line of the output.
  const noTest = status === 0 && total.passed === 0 && !(replayed?.length > 0);
  if (noTest) console.error('\nno test was executed');
  const [ran, counts] = closingLines({ ...total, replayed: replayed?.length });
  console.log(`\n${ran}`);
  console.log(counts);
  process.exit(noTest ? 1 : status);
});

/** The Jest tasks this run's Nx took from its cache, or undefined if its profile cannot tell. */
function replayedTestTasksOfThisRun() {
  try {
    const events = JSON.parse(readFileSync(profilePath, 'utf8'));
    // Only this run's Nx (the command itself): the file may be another's, written meanwhile.
    if (!events.some((event) => event.pid === child.pid)) return undefined;
    return replayedTestTasks(events, child.pid);
  } catch {
    return undefined;
  }
}
