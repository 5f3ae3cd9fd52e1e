// npm test's closing lines. With a warm Nx cache it used to end on `Jest runs: 1` and
// `9 passed, 0 failed, 0 skipped`, which read as if the whole suite had 9 tests: the tasks Nx
// replayed from its cache ran no test, and nothing said so.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closingLines, replayedTestTasks } from './tally.summary.mjs';

const TALLY_RUN = join(import.meta.dirname, 'tally.run.mjs');
/** What CI reads: the last line, the counts alone (one word and a colon before them at most). */
const COUNTS = /^(\w+: )?\d+ passed, \d+ failed, \d+ skipped$/;

const task = (name, status, pid = 1) => {
  const [project, target] = name.split(':');
  return { name, ph: 'X', pid, tid: 0, ts: 0, dur: 1, args: { target: { project, target }, status } };
};

describe('the closing lines', () => {
  it('end on the bare counts, with the Jest runs on the line before', () => {
    expect(closingLines({ runs: 13, passed: 1200, failed: 1, skipped: 3, replayed: 0 })).toEqual([
      'Jest runs: 13',
      '1200 passed, 1 failed, 3 skipped',
    ]);
  });

  it("say how many test tasks came from Nx's cache, and that their tests are not counted", () => {
    expect(closingLines({ runs: 1, passed: 9, failed: 0, skipped: 0, replayed: 12 })).toEqual([
      "Jest runs: 1 (12 test tasks replayed from Nx's cache: their tests are not counted)",
      '9 passed, 0 failed, 0 skipped',
    ]);
    expect(closingLines({ runs: 13, passed: 900, failed: 0, skipped: 0, replayed: 1 })[0]).toBe(
      "Jest runs: 13 (1 test task replayed from Nx's cache: their tests are not counted)",
    );
  });

  it('say plainly when every test task came from the cache', () => {
    expect(closingLines({ runs: 0, passed: 0, failed: 0, skipped: 0, replayed: 14 })).toEqual([
      "Jest runs: none: every test task (14) was replayed from Nx's cache, so no test ran and none is counted (NX_SKIP_NX_CACHE=true runs them)",
      '0 passed, 0 failed, 0 skipped',
    ]);
  });

  it('claim nothing about the cache when that is unknown', () => {
    expect(closingLines({ runs: 2, passed: 5, failed: 0, skipped: 0, replayed: undefined })[0]).toBe(
      'Jest runs: 2',
    );
  });
});

describe("the replayed test tasks, from Nx's profile of the run", () => {
  it('are the Jest targets taken from a cache, local or remote, of that Nx process only', () => {
    const profile = [
      { name: 'thread_name', ph: 'M', pid: 1, tid: 0, ts: 0, args: { name: 'Group #1' } },
      task('mock-feishu:test', 'success'),
      task('admin-api:test', 'local-cache'),
      task('report-bot:pact', 'local-cache-kept-existing'),
      task('mock-feishu:pact-verify', 'remote-cache'),
      task('mock-feishu:test-browser', 'local-cache'),
      task('api-client:test', 'failure'),
      task('parity:test', 'skipped'),
      task('workspace:lint-all', 'local-cache'),
      task('api-client:build', 'local-cache'),
      task('tools:test', 'local-cache', 2),
    ];
    expect(replayedTestTasks(profile, 1)).toEqual([
      'admin-api:test',
      'mock-feishu:pact-verify',
      'mock-feishu:test-browser',
      'report-bot:pact',
    ]);
  });
});

/**
 * tally.run.mjs around a stand-in for Nx: a node script that leaves what the reporter and Nx
 * would (a tally file per Jest run, the profile at NX_PROFILE) and exits with `code`. Stdout and
 * stderr go to one file, in the order they were written, as a CI log has them.
 */
function runTally({ jestRuns, profile, code = 0, foreignProfile = false }) {
  const cwd = mkdtempSync(join(tmpdir(), 'tally-spec-'));
  try {
    const standIn = join(cwd, 'stand-in-nx.cjs');
    writeFileSync(
      standIn,
      `const fs = require('node:fs');
       const path = require('node:path');
       ${JSON.stringify(jestRuns)}.forEach((run, i) => fs.writeFileSync(
         path.join(process.env.FEISHU_TEST_TALLY_DIR, i + '.json'), JSON.stringify(run)));
       const pid = ${foreignProfile ? 'process.pid + 1' : 'process.pid'};
       const events = ${JSON.stringify(profile)}.map((event) => ({ ...event, pid }));
       fs.writeFileSync(path.join(process.cwd(), process.env.NX_PROFILE), JSON.stringify(events));
       console.log('> nx run …');
       process.exit(${code});`,
    );
    const log = join(cwd, 'log.txt');
    const fd = openSync(log, 'w');
    const env = { ...process.env };
    delete env.NX_PROFILE;
    delete env.FEISHU_TEST_TALLY_DIR;
    const result = spawnSync(process.execPath, [TALLY_RUN, process.execPath, standIn], {
      cwd,
      env,
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    return { status: result.status, lines, last: lines.at(-1), beforeLast: lines.at(-2) };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

const passedRun = (passed) => ({ cwd: '/x', passed, failed: 0, skipped: 0 });
const cached = (count) => Array.from({ length: count }, (_, i) => task(`project-${i}:test`, 'local-cache'));

describe('npm test (tools/test-tally/tally.run.mjs around Nx)', () => {
  it('with a warm cache: counts the one Jest run that ran, and names the tasks replayed from the cache', () => {
    const run = runTally({
      jestRuns: [passedRun(9)],
      profile: [task('mock-feishu:test', 'success'), ...cached(8), task('workspace:lint-all', 'local-cache')],
    });
    expect(run.status).toBe(0);
    expect(run.beforeLast).toBe(
      "Jest runs: 1 (8 test tasks replayed from Nx's cache: their tests are not counted)",
    );
    expect(run.last).toBe('9 passed, 0 failed, 0 skipped');
  });

  it('with every test task from the cache: says so plainly, and passes as Nx did', () => {
    const run = runTally({ jestRuns: [], profile: cached(9) });
    expect(run.beforeLast).toMatch(/^Jest runs: none: every test task \(9\) was replayed from Nx's cache/);
    expect(run.last).toBe('0 passed, 0 failed, 0 skipped');
    expect(run.status).toBe(0);
  });

  it('with no test run and none from the cache: fails, and the counts stay the last line', () => {
    const run = runTally({ jestRuns: [], profile: [task('workspace:lint-all', 'success')] });
    expect(run.status).toBe(1);
    expect(run.lines).toContain('no test was executed');
    expect(run.beforeLast).toBe('Jest runs: none');
    expect(run.last).toMatch(COUNTS);
  });

  it("says nothing of the cache when the profile is another Nx process's", () => {
    const run = runTally({
      jestRuns: [passedRun(4), passedRun(5)],
      profile: cached(3),
      foreignProfile: true,
    });
    expect(run.beforeLast).toBe('Jest runs: 2');
    expect(run.last).toBe('9 passed, 0 failed, 0 skipped');
  });

  it("keeps the command's failure", () => {
    const run = runTally({
      jestRuns: [{ cwd: '/x', passed: 3, failed: 2, skipped: 1 }],
      profile: [],
      code: 1,
    });
    expect(run.status).toBe(1);
    expect(run.last).toBe('3 passed, 2 failed, 1 skipped');
  });
});
