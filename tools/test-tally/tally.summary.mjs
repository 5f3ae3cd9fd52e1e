// The closing lines of `npm test` (tools/test-tally/tally.run.mjs), kept apart so their wording is
// tested (tally.spec.mjs): the tests of the Jest runs that ran, and the test tasks Nx replayed
// from its cache instead, whose tests ran some other time and are not counted.

/**
 * The targets of `npm test` that run Jest: `test` (inferred by @nx/jest/plugin), and `pact`,
 * `pact-verify` and `test-browser` (a `jest` command in their project.json). A replayed task of
 * any other target (lint, build, …) has no tests to leave out.
 */
export const JEST_TARGETS = new Set(['test', 'pact', 'pact-verify', 'test-browser']);

/** How Nx marks a task it did not run but took from a cache (its TaskStatus). */
const FROM_CACHE = new Set(['local-cache', 'local-cache-kept-existing', 'remote-cache']);

/**
 * The ids of the Jest tasks Nx replayed from its cache, from the profile it writes at the end of
 * a run when NX_PROFILE names a file (Chrome's trace format: one `X` event per task, with
 * `args.target` and `args.status`). `nxPid`, when given, keeps only the events of that Nx process.
 */
export function replayedTestTasks(profile, nxPid) {
  return profile
    .filter((event) => event.ph === 'X' && (nxPid === undefined || event.pid === nxPid))
    .filter((event) => FROM_CACHE.has(event.args?.status) && JEST_TARGETS.has(event.args?.target?.target))
    .map((event) => event.name)
    .sort();
}

const tasks = (count) => `${count} test task${count === 1 ? '' : 's'}`;

/**
 * The last two lines: what ran and what came from Nx's cache, then the counts alone, as
 * `N passed, N failed, N skipped` (what a CI reads; nothing may follow it or precede it on its
 * line). `replayed` is the number of Jest tasks taken from the cache, or undefined when unknown.
 */
export function closingLines({ runs, passed, failed, skipped, replayed }) {
  let ran;
  if (runs === 0 && replayed > 0) {
    ran =
      `Jest runs: none: every test task (${replayed}) was replayed from Nx's cache, so no test ran and ` +
      'none is counted (NX_SKIP_NX_CACHE=true runs them)';
  } else if (replayed > 0) {
    ran = `Jest runs: ${runs} (${tasks(replayed)} replayed from Nx's cache: their tests are not counted)`;
  } else {
    ran = `Jest runs: ${runs === 0 ? 'none' : runs}`;
  }
  return [ran, `${passed} passed, ${failed} failed, ${skipped} skipped`];
}
