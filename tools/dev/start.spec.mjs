// `npm start` as a process manager runs it: npm's pid is the one that gets the signal, and both
// servers must stop with it. Used to be `nx … && node tools/dev/start.mjs`, which npm ran through
// `sh -c`: npm passed SIGTERM or SIGINT to the shell only, and start.mjs kept serving.
import { describe, expect, it } from '@jest/globals';
import { childPort } from '@feishu-attachments/prism-referee/child-port';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const WORKSPACE = resolve(import.meta.dirname, '..', '..');
const pause = (ms) => new Promise((done) => setTimeout(done, ms));

/** Whether something accepts a TCP connection on 127.0.0.1:port. */
const listening = (port) =>
  new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });

const answers = async (url) => {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).status === 200;
  } catch {
    return false;
  }
};

/** `pid` and every process below it, from ps. */
function processTree(pid) {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of rows) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

/** The pids still running (a zombie, exited but not yet reaped by whoever adopted it, is not). */
function running(pids) {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=,stat=', '-p', pids.join(',')], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when none of them exists
  }
  return out
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, stat]) => stat && !stat.startsWith('Z'))
    .map(([pid]) => Number(pid));
}

async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await pause(100);
  }
}

/** `npm start` on free ports with its own data dir; resolves once both servers answer. */
async function npmStart() {
  const mockPort = await childPort();
  let apiPort = await childPort();
  while (apiPort === mockPort) apiPort = await childPort();
  const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-spec-'));
  const npm = spawn('npm', ['start'], {
    cwd: WORKSPACE,
    env: {
      ...process.env,
      MOCK_FEISHU_PORT: String(mockPort),
      ADMIN_API_PORT: String(apiPort),
      MOCK_FEISHU_DATA_DIR: dataDir,
      MOCK_FEISHU_QUIET: 'true',
      // The dists are built before this spec runs (the tools project's test target depends on
      // their builds); building again inside every start would add an Nx run of 10 s or more per
      // case, nested in the Nx task that runs this spec. The build step itself is what npm start
      // does first when this is unset.
      NPM_START_SKIP_BUILD: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stdout.on('data', (chunk) => (output += chunk));
  npm.stderr.on('data', (chunk) => (output += chunk));
  const exited = once(npm, 'exit').then(([code, signal]) => ({ code, signal }));
  const mockUrl = `http://127.0.0.1:${mockPort}/__mock/health`;
  const apiUrl = `http://127.0.0.1:${apiPort}/health`;
  let ended = false;
  void exited.then(() => (ended = true));
  await until(
    'both servers answering',
    async () => {
      if (ended) throw new Error(`npm start ended before both servers answered:\n${output}`);
      return (await answers(mockUrl)) && (await answers(apiUrl));
    },
    45_000,
  );
  return {
    npm,
    ports: [mockPort, apiPort],
    tree: processTree(npm.pid),
    exited,
    output: () => output,
    cleanUp: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

describe('npm start, stopped through the npm process', () => {
  it.each(['SIGTERM', 'SIGINT'])(
    '%s to npm stops both servers, leaves no process behind, and npm exits 0',
    async (signal) => {
      const started = await npmStart();
      try {
        expect(started.tree.length).toBeGreaterThan(1); // npm and start.mjs at least
        started.npm.kill(signal);
        let timer;
        const { code } = await Promise.race([
          started.exited,
          new Promise((done) => {
            timer = setTimeout(() => done({ code: 'npm still running 15 s after the signal' }), 15_000);
          }),
        ]).finally(() => clearTimeout(timer));
        expect(code).toBe(0);
        // npm waits for start.mjs, which exits once both servers closed: nothing is left now.
        expect(await Promise.all(started.ports.map(listening))).toEqual([false, false]);
        expect(running(started.tree)).toEqual([]);
        expect(started.output()).toContain(`npm start: ${signal}, stopping admin-api and mock-feishu`);
      } finally {
        for (const pid of running(started.tree)) process.kill(pid, 'SIGKILL');
        started.cleanUp();
      }
    },
  );

  it('stops both servers when npm itself is killed (kill -9): the parent gone, no one could stop them', async () => {
    const started = await npmStart();
    try {
      started.npm.kill('SIGKILL');
      await started.exited;
      await until(
        'ports closed and processes gone after npm was killed',
        async () =>
          running(started.tree).length === 0 &&
          (await Promise.all(started.ports.map(listening))).every((open) => !open),
        10_000,
      );
    } finally {
      for (const pid of running(started.tree)) process.kill(pid, 'SIGKILL');
      started.cleanUp();
    }
  });
});
