#!/usr/bin/env node
// Benchmarks of the emulator and the client against Prism, a bare node:http server and this
// machine's limits (issue 6). Not a test: timings never fail anything. Needs the built dists:
//
//   npm run bench                      # builds, runs every pair, writes BENCHMARKS.md
//   node tools/bench/run.mjs --smoke   # a few seconds per pair, to keep the harness working (CI)
//   node tools/bench/run.mjs --only metadata,cold-start [--out file.md] [--rounds 3] [--seconds 3]
//   npm run bench -- --runs 3          # three full runs in a row; the report gives each target's
//                                      # median over the runs, and every run's figure
//   node tools/bench/run.mjs --only soak --soak-seconds 120   # the memory soak, longer
//
// A full run (no --smoke, no --only) writes BENCHMARKS.md unless --out says otherwise; a smoke
// or partial run writes only with --out. The exit code is 1 only when a pair could not run.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  combineRuns,
  machine,
  printSummary,
  readFindings,
  renderReport,
  writeReport,
} from './lib/report.mjs';
import { ADMIN_API_MAIN, EMULATOR_MAIN, ROOT, killAllNow, stopAll } from './lib/servers.mjs';
import adminApi from './pairs/admin-api-download.mjs';
import clientOverhead from './pairs/client-overhead.mjs';
import coldStart from './pairs/cold-start.mjs';
import listSize from './pairs/list-size.mjs';
import metadata from './pairs/metadata.mjs';
import outsideInstall from './pairs/outside-install.mjs';
import sandboxes from './pairs/sandboxes.mjs';
import store from './pairs/store.mjs';
import soak from './pairs/soak.mjs';
import transfer from './pairs/transfer.mjs';

const PAIRS = [
  metadata,
  coldStart,
  transfer,
  listSize,
  clientOverhead,
  adminApi,
  store,
  soak,
  outsideInstall,
  sandboxes,
];

// Full: about ten minutes on 2 cores (the soak alone takes one, the sandboxes pair about three:
// 34 runs of Jest and Vitest in a project outside the workspace). Smoke: every code path once (the
// sandboxes pair's test-runner runs excepted), with tiny loads and files: npm test runs it beside
// everything else, so its figures mean nothing; each load only has to run (20 ms of it still sends
// requests on every route), and the large task only needs pages past the one measured.
const FULL = {
  rounds: 3,
  seconds: 3,
  warmSeconds: 1,
  coldRounds: 5,
  files: 5,
  fileMiB: 50,
  listSizes: [100, 100_000],
  soakSeconds: 60,
  soakWarmSeconds: 10,
};
const SMOKE = {
  rounds: 1,
  seconds: 0.02,
  warmSeconds: 0.01,
  coldRounds: 1,
  files: 5,
  fileMiB: 1,
  listSizes: [100, 200],
  soakSeconds: 1,
  soakWarmSeconds: 0.25,
};

const { values: flags } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    runs: { type: 'string' },
    'soak-seconds': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (flags.help) {
  console.log(
    'node tools/bench/run.mjs [--smoke] [--only <pair,…>] [--out <file>] [--rounds N] [--seconds S] [--runs N]\n' +
      '                         [--soak-seconds S]  (the soak; its warm-up stays 1/6 of it, at most 10 s)\n' +
      `pairs: ${PAIRS.map((pair) => pair.name).join(', ')}`,
  );
  process.exit(0);
}

const settings = { ...(flags.smoke ? SMOKE : FULL) };
if (flags.rounds) settings.rounds = positive('--rounds', flags.rounds, true);
if (flags.seconds) settings.seconds = positive('--seconds', flags.seconds, false);
if (flags['soak-seconds']) {
  settings.soakSeconds = positive('--soak-seconds', flags['soak-seconds'], false);
  settings.soakWarmSeconds = Math.min(10, settings.soakSeconds / 6);
}
const runs = flags.runs ? positive('--runs', flags.runs, true) : 1;
const selected = flags.only
  ? flags.only.split(',').map((name) => {
      const pair = PAIRS.find((candidate) => candidate.name === name.trim());
      if (!pair) usage(`unknown pair ${JSON.stringify(name)}; pairs: ${PAIRS.map((p) => p.name).join(', ')}`);
      return pair;
    })
  : PAIRS;
const out = flags.out
  ? resolve(flags.out)
  : flags.smoke || flags.only
    ? undefined
    : join(ROOT, 'BENCHMARKS.md');

for (const main of [EMULATOR_MAIN, ADMIN_API_MAIN]) {
  if (!existsSync(main))
    usage(`${main} is missing: build first (npx nx run-many -t build -p mock-feishu admin-api)`);
}

function positive(name, text, integer) {
  const value = Number(text);
  if (!(value > 0) || (integer && !Number.isInteger(value))) usage(`${name} must be a positive number`);
  return value;
}
function usage(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}

// Scratch space for this run; seeding 100 000 blob files goes to memory-backed /dev/shm when the
// machine has it, which halves the seeding time and spares the disk.
const work = mkdtempSync(join(tmpdir(), 'feishu-bench-'));
const fastDir = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/feishu-bench-') : join(work, 'fast');
const filesDir = join(work, 'files');
mkdirSync(filesDir, { recursive: true });
const removeScratch = () => {
  for (const dir of [work, fastDir]) rmSync(dir, { recursive: true, force: true });
};
process.on('exit', () => {
  killAllNow();
  removeScratch();
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\nbench: ${signal}, stopping servers`);
    stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

const log = (line) => console.log(`  ${line}`);
const started = performance.now();
console.log(
  `bench${flags.smoke ? ' (smoke)' : ''}: ${selected.map((pair) => pair.name).join(', ')}; ` +
    `${settings.rounds} round(s), ${settings.seconds} s per side per round` +
    (runs > 1 ? `; ${runs} runs` : ''),
);

async function runOnce(run) {
  const results = [];
  for (const pair of selected) {
    console.log(`\n== ${pair.title}${runs > 1 ? ` (run ${run}/${runs})` : ''}`);
    const pairStarted = performance.now();
    const pairWork = join(work, `${pair.name}-${run}`);
    mkdirSync(pairWork, { recursive: true });
    try {
      const result = await pair.run({
        ...settings,
        smoke: flags.smoke,
        work: pairWork,
        fastDir,
        filesDir,
        log,
      });
      results.push({ name: pair.name, title: pair.title, notes: [], ...result });
    } catch (error) {
      console.error(`  ${pair.name} failed: ${error.stack ?? error}`);
      results.push({
        name: pair.name,
        title: pair.title,
        rows: [],
        targets: [],
        notes: [],
        error: String(error.message ?? error),
      });
    } finally {
      await stopAll();
      rmSync(pairWork, { recursive: true, force: true });
    }
    console.log(`  (${((performance.now() - pairStarted) / 1000).toFixed(1)} s)`);
  }
  return results;
}

const perRun = [];
for (let run = 1; run <= runs; run++) {
  const results = await runOnce(run);
  perRun.push(results);
  if (runs > 1) {
    console.log(`\nrun ${run}/${runs}`);
    printSummary(results);
  }
}
const results = runs > 1 ? combineRuns(perRun) : perRun[0];
const wallSeconds = (performance.now() - started) / 1000;

printSummary(results);
console.log(`\nwall time ${wallSeconds.toFixed(1)} s`);
if (out) {
  const path = out;
  const argv = process.argv
    .slice(2)
    .filter((arg, index, all) => arg !== '--out' && all[index - 1] !== '--out');
  const command = argv.length === 0 ? 'npm run bench' : `npm run bench -- ${argv.join(' ')}`;
  await writeReport(
    path,
    renderReport({
      results,
      settings: { ...settings, runs },
      wallSeconds,
      command,
      info: machine(),
      findings: readFindings(new URL('./findings.md', import.meta.url)),
    }),
  );
  console.log(`wrote ${path}`);
}
process.exitCode = results.some((pair) => pair.error) ? 1 : 0;
