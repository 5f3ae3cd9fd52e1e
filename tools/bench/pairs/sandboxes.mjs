// 10. Sandboxes: isolated Feishu tenants in one emulator. In process (`startMockFeishu` in this
// process): the time to create and to delete one sandbox, `count` of each per round, with the
// two folder operations each one does on disk beside them for reference; the memory an idle
// sandbox keeps (a child run with --expose-gc, figures after full collections). Then, with the
// packed packages installed into a project outside the workspace as tools/package-check does it,
// a user's suite of 16 files (each freezing and advancing its clock, arming a fault, resetting
// and asserting its exact state) run by Jest in 4 workers on one emulator with a sandbox per file,
// against the same files and config with --runInBand (wall time, and the CPU time of the run's
// processes, which on few cores bounds what workers can gain); and the 8-file suite run 10 times
// each by Jest (4 workers) and Vitest (threads), counting the runs that pass. The smoke pass runs
// the in-process part with a few sandboxes and leaves the suites out: the install alone takes
// longer than a smoke pass may.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSandboxSuite } from '../../package-check/fixtures/sandbox-suite.mjs';
import { writeOutsideProject } from '../../package-check/outside-project.mjs';
import { packPackages } from '../../package-check/pack-packages.mjs';
import { endedChildrenCpuMicros } from '../lib/memory.mjs';
import { alternate, pick, row, target } from '../lib/rounds.mjs';
import { HOST, ROOT, spawnNode } from '../lib/servers.mjs';
import { formatNumber, median, percentile } from '../lib/stats.mjs';

const MEMORY_SCRIPT = fileURLToPath(new URL('../lib/sandbox-memory.mjs', import.meta.url));
const LIMIT_MS = 1;
const SUITE_FILES = 16;
const WORKERS = 4;
// Fewer than 5 timed runs of a suite tell little on a shared machine: in one run of this pair, the
// same side's runs took from 3 to 23 s as other work came and went.
const MIN_SUITE_ROUNDS = 5;
const PASS_FILES = 8;
const PASS_RUNS = 10;
// A runner that hangs (an open handle, an emulator that never stops) fails its run instead of the bench.
const RUN_TIMEOUT_MS = 5 * 60 * 1000;
// Failed runs' output, kept after the run's scratch folder is gone (tmp/ is ignored by git).
const FAILURES_DIR = join(ROOT, 'tmp', 'bench', 'sandboxes');

const IN_PROCESS = 'in process';
const PARALLEL = `${WORKERS} workers`;
const IN_BAND = '--runInBand';
const RUNNERS = {
  Jest: {
    runner: 'jest',
    command: (project) => [join(project, 'node_modules', '.bin', 'jest'), ['--ci']],
    passed: (output, files) => new RegExp(`Tests:\\s+${files} passed, ${files} total`).test(output),
  },
  Vitest: {
    runner: 'vitest',
    command: (project) => [join(project, 'node_modules', '.bin', 'vitest'), ['run']],
    passed: (output, files) => new RegExp(`Tests\\s+${files} passed \\(${files}\\)`).test(output),
  },
};

const ms = (value) => (Number.isFinite(value) ? `${formatNumber(value)} ms` : 'n/a');
const toKiB = (bytes) => bytes / 1024;

/** Timings in ms of `count` sandboxes created one after another, then of their deletes, in the same order. */
async function createAndDelete(feishu, count) {
  const creates = [];
  const ids = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    const sandbox = await feishu.sandboxes.create();
    creates.push(performance.now() - started);
    ids.push(sandbox.id);
  }
  const deletes = [];
  for (const id of ids) {
    const started = performance.now();
    const deleted = await feishu.sandboxes.delete(id);
    deletes.push(performance.now() - started);
    if (!deleted) throw new Error(`sandbox ${id} was not there to delete`);
  }
  return { creates, deletes };
}

/** What a create and a delete do on disk in memory mode: make, then remove, an empty temporary folder. */
async function folderOperations(count) {
  const makes = [];
  const removes = [];
  for (let index = 0; index < count; index++) {
    let started = performance.now();
    const dir = mkdtempSync(join(tmpdir(), 'mock-feishu-'));
    makes.push(performance.now() - started);
    started = performance.now();
    await rm(dir, { recursive: true, force: true });
    removes.push(performance.now() - started);
  }
  return { makes, removes };
}

const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: median(sorted), p95: percentile(sorted, 95) };
};

/** The memory child: heap and RSS per idle sandbox, and what is left after deleting them. */
async function idleMemory(count) {
  const entry = spawnNode('sandbox memory', [
    '--expose-gc',
    MEMORY_SCRIPT,
    JSON.stringify({ host: HOST, count }),
  ]);
  const [code] = await once(entry.child, 'exit');
  const line = entry
    .output()
    .split('\n')
    .findLast((text) => text.startsWith('{'));
  if (code !== 0 || !line) throw new Error(`sandbox-memory exited ${code}:\n${entry.output()}`);
  const { before, idle, deleted } = JSON.parse(line);
  return {
    heapPerSandbox: toKiB(idle.heapUsed - before.heapUsed) / count,
    rssPerSandbox: toKiB(idle.rss - before.rss) / count,
    heapLeft: toKiB(deleted.heapUsed - before.heapUsed),
  };
}

/**
 * The environment of a process a user starts in the outside project: none of this run's own
 * (Jest's or Vitest's variables, an emulator's settings, Nx's colour switch), as package-check's
 * userEnv(); summaries are read as text, so no colour codes either.
 */
function userEnv() {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(MOCK_FEISHU_|JEST_|NODE_OPTIONS$|NODE_ENV$|VITEST|FORCE_COLOR$)/.test(name)) delete env[name];
  }
  return { ...env, NO_COLOR: '1' };
}

/**
 * One run of a runner in `dir`: its wall time (spawn to exit), the CPU time of its processes (the
 * runner, its workers, the emulator its global setup starts), whether every test passed, and all
 * it printed.
 */
function runSuite(file, args, dir, isPassed) {
  return new Promise((resolve) => {
    const cpuBefore = endedChildrenCpuMicros();
    const started = performance.now();
    execFile(
      file,
      args,
      { cwd: dir, env: userEnv(), timeout: RUN_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const seconds = (performance.now() - started) / 1000;
        const cpuSeconds = (endedChildrenCpuMicros() - cpuBefore) / 1e6;
        const output = `$ ${[file, ...args].join(' ')}\n(in ${dir})\n--- exit: ${
          error ? (error.killed ? `killed after ${RUN_TIMEOUT_MS} ms` : (error.code ?? error.message)) : 0
        }\n--- stdout\n${stdout}\n--- stderr\n${stderr}`;
        resolve({ seconds, cpuSeconds, passed: !error && isPassed(`${stdout}\n${stderr}`), output });
      },
    );
  });
}

/** Keeps a failed run's output where it outlives the run; returns the file's path. */
function saveFailure(label, output) {
  mkdirSync(FAILURES_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const path = join(FAILURES_DIR, `${stamp}-${label.replace(/[^\w.-]+/g, '_')}.log`);
  writeFileSync(path, output);
  return path;
}

/** The packed packages and both runners in a project outside the workspace, from the npm cache. */
async function installOutsideProject(work) {
  const tarballs = packPackages(join(work, 'tarballs'));
  const project = join(work, 'outside-user');
  writeOutsideProject(project, tarballs, ['jest', 'vitest']);
  const result = await runSuite(
    'npm',
    ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'],
    project,
    () => true,
  );
  if (!result.passed) throw new Error(`npm ci in the outside project failed:\n${result.output.slice(-4000)}`);
  return { project, installSeconds: result.seconds };
}

async function suites({ work, rounds, log }) {
  const { project, installSeconds } = await installOutsideProject(work);
  log(`packed and installed into ${project} (npm ci ${installSeconds.toFixed(1)} s)`);
  const failures = [];
  const record = (label, result) => {
    if (result.passed) return;
    const path = saveFailure(label, result.output);
    failures.push(`${label}: ${path}`);
    log(`FAILED ${label}, output in ${path}`);
  };
  try {
    // Wall time: the same 16 files and config, 4 workers or one.
    const suiteDir = join(project, `jest-${SUITE_FILES}`);
    writeSandboxSuite(suiteDir, { runner: 'jest', files: SUITE_FILES, workers: WORKERS });
    const [jest, jestArgs] = RUNNERS.Jest.command(project);
    const suiteArgs = { [PARALLEL]: jestArgs, [IN_BAND]: [...jestArgs, '--runInBand'] };
    const isPassed = (output) => RUNNERS.Jest.passed(output, SUITE_FILES);
    const suiteRounds = Math.max(MIN_SUITE_ROUNDS, rounds);
    const suiteRuns = { passed: 0, total: 0 };
    const timed = await alternate({
      sides: [{ name: PARALLEL }, { name: IN_BAND }],
      rounds: suiteRounds,
      log,
      label: `jest ${SUITE_FILES} files `,
      // One untimed run per side: the first fills Jest's transform cache for this project.
      warmUp: async (side) =>
        record(`warm-up ${side.name}`, await runSuite(jest, suiteArgs[side.name], suiteDir, isPassed)),
      measure: async (side, round) => {
        const result = await runSuite(jest, suiteArgs[side.name], suiteDir, isPassed);
        suiteRuns.total++;
        if (result.passed) suiteRuns.passed++;
        record(`jest-${SUITE_FILES}-files ${side.name} round ${round + 1}`, result);
        return { wall: result.seconds, cpu: result.cpuSeconds };
      },
    });

    // Passes: the 8-file suite, 10 runs per runner, alternated.
    const passDirs = {};
    for (const [name, { runner }] of Object.entries(RUNNERS)) {
      passDirs[name] = join(project, `${runner}-${PASS_FILES}`);
      writeSandboxSuite(passDirs[name], { runner, files: PASS_FILES, workers: WORKERS });
    }
    const passes = { Jest: 0, Vitest: 0 };
    const passTimes = await alternate({
      sides: Object.keys(RUNNERS).map((name) => ({ name })),
      rounds: PASS_RUNS,
      log,
      label: `${PASS_FILES} files, pass count `,
      warmUp: async (side) => {
        const [file, args] = RUNNERS[side.name].command(project);
        const result = await runSuite(file, args, passDirs[side.name], (output) =>
          RUNNERS[side.name].passed(output, PASS_FILES),
        );
        record(`warm-up ${side.name} ${PASS_FILES} files`, result);
      },
      measure: async (side, round) => {
        const [file, args] = RUNNERS[side.name].command(project);
        const result = await runSuite(file, args, passDirs[side.name], (output) =>
          RUNNERS[side.name].passed(output, PASS_FILES),
        );
        if (result.passed) passes[side.name]++;
        record(`${side.name}-${PASS_FILES}-files run ${round + 1}`, result);
        return result.seconds;
      },
    });
    return { timed, suiteRounds, suiteRuns, passes, passTimes, installSeconds, failures };
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

export default {
  name: 'sandboxes',
  title: 'Sandboxes: create, delete, idle memory, and a parallel suite on one emulator',
  async run({ work, rounds, smoke, log }) {
    const count = smoke ? 20 : 200;
    // Loaded here, not at the top: a bench run without this pair never loads the emulator into
    // its own process.
    const { startMockFeishu } = await import('@feishu-attachments/mock-feishu');
    const feishu = await startMockFeishu({ host: HOST, port: 0, maxSandboxes: count });
    const timings = { create: [], createP95: [], delete: [], deleteP95: [], mkdtemp: [], rm: [] };
    try {
      // Compiles what creation and deletion run before anything is timed.
      await createAndDelete(feishu, Math.min(count, 20));
      for (let round = 0; round < rounds; round++) {
        const { creates, deletes } = await createAndDelete(feishu, count);
        const { makes, removes } = await folderOperations(count);
        const [create, remove] = [summary(creates), summary(deletes)];
        timings.create.push(create.median);
        timings.createP95.push(create.p95);
        timings.delete.push(remove.median);
        timings.deleteP95.push(remove.p95);
        timings.mkdtemp.push(summary(makes).median);
        timings.rm.push(summary(removes).median);
        log(
          `round ${round + 1}/${rounds}: create ${ms(create.median)} (p95 ${ms(create.p95)}), ` +
            `delete ${ms(remove.median)} (p95 ${ms(remove.p95)}), empty folder: make ` +
            `${ms(timings.mkdtemp.at(-1))}, remove ${ms(timings.rm.at(-1))}`,
        );
      }
    } finally {
      await feishu.close();
    }

    const memory = { heapPerSandbox: [], rssPerSandbox: [], heapLeft: [] };
    for (let round = 0; round < rounds; round++) {
      const figures = await idleMemory(count);
      for (const key of Object.keys(memory)) memory[key].push(figures[key]);
      log(
        `memory round ${round + 1}/${rounds}: per idle sandbox heap ${formatNumber(figures.heapPerSandbox)} KiB, ` +
          `RSS ${formatNumber(figures.rssPerSandbox)} KiB; heap left after deleting all ${formatNumber(figures.heapLeft)} KiB`,
      );
    }

    const one = (values) => ({ [IN_PROCESS]: values });
    const rows = [
      row(`create one sandbox (${count} in a row): median`, 'ms', one(timings.create)),
      row(`create one sandbox (${count} in a row): p95`, 'ms', one(timings.createP95)),
      row(`delete one sandbox (the ${count}, in order): median`, 'ms', one(timings.delete)),
      row(`delete one sandbox (the ${count}, in order): p95`, 'ms', one(timings.deleteP95)),
      row(
        'for reference: make an empty temporary folder (each create does), median',
        'ms',
        one(timings.mkdtemp),
      ),
      row('for reference: remove an empty folder (each delete does), median', 'ms', one(timings.rm)),
      row(`V8 heap per idle sandbox (${count}, after GC)`, 'KiB', one(memory.heapPerSandbox)),
      row(`RSS per idle sandbox (${count}, after GC)`, 'KiB', one(memory.rssPerSandbox)),
      row(`V8 heap left after deleting the ${count} (after GC)`, 'KiB', one(memory.heapLeft)),
    ];
    const createMedian = median(timings.create);
    const deleteMedian = median(timings.delete);
    const targets = [
      target(
        `Sandbox create ≤ ${LIMIT_MS} ms (median, in process)`,
        createMedian,
        '<=',
        LIMIT_MS,
        ms,
        `p95 ${ms(median(timings.createP95))}`,
      ),
      target(
        `Sandbox delete ≤ ${LIMIT_MS} ms (median, in process)`,
        deleteMedian,
        '<=',
        LIMIT_MS,
        ms,
        `p95 ${ms(median(timings.deleteP95))}`,
      ),
    ];
    const notes = [
      `In this process: ${count} sandboxes created one after another (so each create finds 0 – ${count - 1} ` +
        `already live), then deleted in the same order, ${rounds} round${rounds === 1 ? '' : 's'} after ` +
        "an untimed warm-up; a figure is the median over rounds of each round's median or p95. In memory " +
        'mode a sandbox is a store of its own whose bytes go to a temporary folder, made at create and ' +
        'removed at delete: the reference rows time those two folder operations alone.',
      `Memory: a child process run with --expose-gc starts the emulator, makes and deletes 20 sandboxes ` +
        `untimed, then makes ${count} and leaves them idle; heap and RSS are read after full collections ` +
        `before, with them, and after deleting them (${rounds} child${rounds === 1 ? '' : 'ren'}).`,
    ];

    if (smoke) {
      notes.push('Smoke pass: the suites are left out (they need the outside install).');
      return { rows, targets, notes };
    }

    const suite = await suites({ work, rounds, log });
    const ratio = [[PARALLEL, IN_BAND]];
    rows.push(
      row(`Jest, ${SUITE_FILES} files, a sandbox each: wall time`, 's', pick(suite.timed, 'wall'), ratio),
      row(
        `Jest, ${SUITE_FILES} files: CPU time of the run's processes`,
        's',
        pick(suite.timed, 'cpu'),
        ratio,
      ),
      row(`${PASS_FILES} files, ${WORKERS} workers (Vitest: threads): wall time`, 's', suite.passTimes),
    );
    const passed = (runs) => (Number.isFinite(runs) ? `${runs}/${PASS_RUNS} passed` : 'n/a');
    targets.push(
      target(
        `Sandbox suite, ${PASS_FILES} files in ${WORKERS} Jest workers: every run passes`,
        suite.passes.Jest,
        '>=',
        PASS_RUNS,
        passed,
      ),
      target(
        `Sandbox suite, ${PASS_FILES} files in ${WORKERS} Vitest threads: every run passes`,
        suite.passes.Vitest,
        '>=',
        PASS_RUNS,
        passed,
      ),
    );
    notes.push(
      `Suites: the packed packages and Jest and Vitest installed into a project outside the workspace ` +
        `(\`npm ci --prefer-offline\` from the npm cache, ${suite.installSeconds.toFixed(0)} s), as ` +
        'tools/package-check does; the suite is tools/package-check/fixtures/sandbox-suite.mjs (each file ' +
        'freezes and advances its clock, arms a fault, resets and asserts the exact state of its sandbox), ' +
        `run by the runner's own binary, one emulator per run (global setup), a sandbox per file ` +
        `(sandbox-per-file). Wall time is spawn to exit, ${suite.suiteRounds} runs per side alternated after ` +
        `one untimed run each; the ${IN_BAND} side runs the same files and config in one process. CPU ` +
        "time is the kernel's count for the run's ended processes (the runner, its workers, and the " +
        "emulator in the runner's own process). " +
        `${suite.suiteRuns.passed}/${suite.suiteRuns.total} of these timed runs passed. Pass count: ` +
        `${PASS_RUNS} runs per runner, alternated, after one untimed run each; Jest ${passed(suite.passes.Jest)}, ` +
        `Vitest ${passed(suite.passes.Vitest)}; the row "${PASS_FILES} files, ${WORKERS} workers" is their wall time.`,
    );
    if (suite.failures.length > 0) notes.push(`Failed runs (output kept): ${suite.failures.join('; ')}.`);
    notes.push(
      `The ratio ${PARALLEL} / ${IN_BAND} is reported, not targeted: it is bound by the cores the ` +
        `runner's workers and the emulator share (this report's machine section says how many).`,
    );
    return { rows, targets, notes };
  },
};
