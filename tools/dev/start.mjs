#!/usr/bin/env node
// `npm start`: builds the Feishu emulator and admin-api (Nx, as a child process), then serves
// both, admin-api pointed at the emulator, with a demo task to look at.
//
// SIGINT or SIGTERM, to this process or to the npm that runs it (package.json runs it with `exec`,
// so npm's own process forwards the signal straight here), stops the build or both servers and
// exits 0 (1 if a server fails to close). A second signal within a second counts as the same
// request (Ctrl+C reaches npm and this process alike, and npm forwards it too); a later one exits
// at once, with 1. If the parent process goes away (npm killed with -9), it stops as well.
//
//   MOCK_FEISHU_PORT     emulator port (default 3100; 0 = any free port)
//   ADMIN_API_PORT       admin-api port (default 3200), and every other ADMIN_API_* setting
//   ADMIN_API_TOKENS     admin tokens (default: a fixed demo token, printed below)
//   MOCK_FEISHU_QUIET    true = no line per emulator request
//   MOCK_FEISHU_DATA_DIR where the emulator keeps its state (default .mock-feishu/ in the workspace,
//                        git-ignored): tasks, attachments and tokens survive restarts and crashes
//
//   NPM_START_SKIP_BUILD true = serve the dists as they are when both exist (tests that start
//                        it many times; the build is then the caller's business)
//
//   npm start -- --fresh   deletes that folder first, to start from an empty store
//
// FEISHU_BASE_URL, FEISHU_APP_ID and FEISHU_APP_SECRET are always the emulator's here; point
// admin-api at real Feishu with `npx nx serve admin-api` and a .env instead.
// The dists are imported (below) only once the build has written them.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';

const DEMO_ADMIN_TOKEN = 'demo-admin-token-change-me';
const DEFAULT_MOCK_PORT = 3100;
const WORKSPACE = resolve(import.meta.dirname, '..', '..');
const dataDir = resolve(WORKSPACE, process.env.MOCK_FEISHU_DATA_DIR?.trim() || '.mock-feishu');
// Not the emulator's: it never touches files it did not write, so this note can live beside its state.
const demoNote = join(dataDir, 'npm-start-demo.json');

function fail(message, exitCode) {
  console.error(`npm start: ${message}`);
  process.exit(exitCode);
}

const truthy = (value) => ['1', 'true', 'yes', 'on'].includes(value?.trim().toLowerCase() ?? '');

// What needs no build is checked before it.
const unknownArgs = process.argv.slice(2).filter((arg) => arg !== '--fresh');
if (unknownArgs.length > 0) fail(`unknown argument ${unknownArgs[0]} (the only one is --fresh)`, 2);
const mockPortText = process.env.MOCK_FEISHU_PORT?.trim() || String(DEFAULT_MOCK_PORT);
const mockPort = Number(mockPortText);
if (!/^\d+$/.test(mockPortText) || mockPort > 65535) {
  fail(`MOCK_FEISHU_PORT must be a port number 0–65535 (got ${JSON.stringify(mockPortText)})`, 2);
}

// Stopping: the build child gets the signal; servers are closed, admin-api first, so nothing in
// flight finds the emulator gone; a start-up under way finishes first (a second or two).
let build; // the Nx build while it runs
let feishu;
let api;
let serving = false;
let stopRequest; // { reason, at }
let closing = false;

function requestStop(reason, signal = 'SIGTERM') {
  if (stopRequest) {
    if (Date.now() - stopRequest.at < 1000) return;
    console.error(`npm start: ${reason} again, exiting now`);
    build?.kill('SIGKILL');
    process.exit(1);
  }
  stopRequest = { reason, at: Date.now() };
  if (build) build.kill(signal);
  else if (serving) closeServers();
}

function closeServers() {
  if (closing) return;
  closing = true;
  console.log(`\nnpm start: ${stopRequest.reason}, stopping admin-api and mock-feishu`);
  Promise.resolve(api?.close())
    .then(() => feishu?.close())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => requestStop(signal, signal));

// The parent (npm) gone means no one can stop this process any more: stop now. Linux reads the
// live parent from /proc (process.ppid is fixed at start); elsewhere, whether the first one lives.
const parent = process.ppid;
const parentGone = () => {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== parent;
  } catch {
    try {
      process.kill(parent, 0);
      return false;
    } catch (error) {
      return error.code === 'ESRCH';
    }
  }
};
const parentWatch = setInterval(() => {
  if (!parentGone()) return;
  clearInterval(parentWatch);
  requestStop('parent process gone');
}, 500);
parentWatch.unref();

// The build, as a child of this process (never through a shell), so a signal reaches it.
const DISTS = ['apps/mock-feishu/dist/index.js', 'apps/admin-api/dist/index.js'];
if (!(truthy(process.env.NPM_START_SKIP_BUILD) && DISTS.every((dist) => existsSync(join(WORKSPACE, dist))))) {
  const nx = createRequire(import.meta.url).resolve('nx/bin/nx');
  build = spawn(
    process.execPath,
    [nx, 'run-many', '-t', 'build', '-p', 'mock-feishu', 'admin-api', '--output-style=static'],
    { cwd: WORKSPACE, stdio: 'inherit' },
  );
  const [code] = await once(build, 'exit');
  build = undefined;
  if (stopRequest) {
    console.log(`\nnpm start: ${stopRequest.reason}, build stopped`);
    process.exit(0);
  }
  if (code !== 0) fail('the build failed (above); nothing started', 1);
}

const [{ CONFIG_USAGE, ConfigError, loadAdminApiConfig, startAdminApi }, mockFeishu] = await Promise.all([
  import('@feishu-attachments/admin-api'),
  import('@feishu-attachments/mock-feishu'),
]);
const { DEFAULT_APP_ID, DEFAULT_APP_SECRET, startMockFeishu } = mockFeishu;

// The admin-api loader checks its settings, so a bad ADMIN_API_* fails here as it would in production.
const usesDemoToken = !process.env.ADMIN_API_TOKENS?.trim();
let config;
try {
  config = loadAdminApiConfig({
    ADMIN_API_LOG_LEVEL: 'warn',
    ...process.env,
    ...(usesDemoToken ? { ADMIN_API_TOKENS: DEMO_ADMIN_TOKEN } : {}),
    FEISHU_BASE_URL: `http://127.0.0.1:${mockPort || DEFAULT_MOCK_PORT}`,
    FEISHU_APP_ID: DEFAULT_APP_ID,
    FEISHU_APP_SECRET: DEFAULT_APP_SECRET,
  });
} catch (error) {
  if (error instanceof ConfigError) fail(`${error.message}\n\n${CONFIG_USAGE}`, 2);
  throw error;
}

if (process.argv.includes('--fresh') && existsSync(dataDir)) {
  if (existsSync(join(dataDir, 'mock-feishu.lock'))) {
    // Deleting a running emulator's folder would pull its state out from under it.
    const lock = readFileSync(join(dataDir, 'mock-feishu.lock'), 'utf8');
    const pid = JSON.parse(lock).pid;
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (alive) fail(`--fresh: ${dataDir} is in use by mock-feishu pid ${pid}; stop it first`, 1);
  }
  rmSync(dataDir, { recursive: true, force: true });
}

const quiet = truthy(process.env.MOCK_FEISHU_QUIET);
const cannotStart = (what, port, error) =>
  error?.code === 'EADDRINUSE'
    ? `${what} could not start: port ${port} is already in use (set ${what === 'mock-feishu' ? 'MOCK_FEISHU_PORT' : 'ADMIN_API_PORT'} to another port, or 0)`
    : `${what} could not start: ${error?.message ?? error}`;

feishu = await startMockFeishu({
  port: mockPort,
  dataDir,
  logRequests: !quiet,
  log: (line) => console.log(`  feishu  ${line}`),
}).catch((error) => fail(cannotStart('mock-feishu', mockPort, error), 1));

api = await startAdminApi({ ...config, feishu: { ...config.feishu, baseUrl: feishu.url } }).catch(
  async (error) => {
    await feishu.close();
    fail(cannotStart('admin-api', config.port, error), 1);
  },
);

// The demo task goes only into an empty store; a restart finds it (and everything else) kept.
let demo;
if (feishu.store.fresh) {
  const seeded = await feishu.seeder.createTaskWithAttachments({
    summary: 'Demo task',
    description: 'Seeded by npm start, with two attachments to list, download and delete.',
    attachments: [
      {
        name: 'hello.txt',
        content: 'Hello from the Feishu emulator!\n',
        contentType: 'text/plain; charset=utf-8',
      },
      {
        name: '季度报告.md',
        content: '# 季度报告 (quarterly report)\n\nA UTF-8 name, to show Content-Disposition at work.\n',
        contentType: 'text/markdown; charset=utf-8',
      },
    ],
  });
  demo = {
    taskGuid: seeded.taskGuid,
    attachments: seeded.attachments.map(({ guid, name }) => ({ guid, name })),
  };
  writeFileSync(demoNote, JSON.stringify(demo, null, 2));
} else {
  try {
    demo = JSON.parse(readFileSync(demoNote, 'utf8'));
  } catch {
    demo = undefined;
  }
}

// One listing through admin-api, so the inspector opens on the demo's own calls and on URLs counting down.
if (usesDemoToken) {
  await fetch(`${api.url}/tasks/${demo.taskGuid}/attachments`, {
    headers: { authorization: `Bearer ${DEMO_ADMIN_TOKEN}` },
  }).then((response) => response.arrayBuffer());
}

const token = usesDemoToken ? DEMO_ADMIN_TOKEN : '<one of your ADMIN_API_TOKENS>';
const auth = `-H 'Authorization: Bearer ${token}'`;
const shownDir = relative(process.cwd(), dataDir) || '.';
console.log(
  [
    '',
    `mock-feishu  ${feishu.url}   (the Feishu emulator; control plane at ${feishu.url}/__mock)`,
    `  inspector  ${feishu.inspectorUrl}   (state, download URLs, journal, faults, clock)`,
    `  state      ${shownDir}/ ${feishu.store.fresh ? '(new)' : '(restored from the last run)'}; kept across restarts and crashes`,
    `             start fresh: npm start -- --fresh   snapshot: curl -o fixture.sqlite ${feishu.url}/__mock/snapshot`,
    `admin-api    ${api.url}`,
    `  API docs   ${api.url}/docs`,
    `  token      ${token}${usesDemoToken ? '   (demo token; set ADMIN_API_TOKENS for your own)' : ''}`,
    ...(demo
      ? [
          `  demo task  ${demo.taskGuid} with ${demo.attachments.map((attachment) => attachment.name).join(', ')}`,
          '',
          'Try:',
          `  curl -s ${auth} ${api.url}/tasks/${demo.taskGuid}/attachments`,
          `  curl -s ${auth} ${api.url}/attachments/${demo.attachments[0].guid}/content`,
          `  curl -s ${auth} -F file=@README.md ${api.url}/tasks/${demo.taskGuid}/attachments`,
        ]
      : []),
    '',
    'Press Ctrl+C to stop both.',
  ].join('\n'),
);

serving = true;
if (stopRequest) closeServers();
