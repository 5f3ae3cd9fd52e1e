// Every server the bench measures runs as a child process of this one: the node process itself,
// never a wrapper (npx, a shell), so the pid whose memory is read and the process that is killed
// are the server. Each listens on 127.0.0.1 on a port picked free, and counts as started when it
// answers over HTTP, not when it prints something.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childPort } from '@feishu-attachments/prism-referee/child-port';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const HOST = '127.0.0.1';
export const EMULATOR_MAIN = join(ROOT, 'apps/mock-feishu/dist/main.js');
export const ADMIN_API_MAIN = join(ROOT, 'apps/admin-api/dist/main.js');
export const PRISM_MAIN = join(ROOT, 'node_modules/@stoplight/prism-cli/dist/index.js');
export const OPENAPI_DOCUMENT = join(ROOT, 'libs/api-client/openapi/feishu-task-attachments.openapi.yaml');
const BARE_SERVER = fileURLToPath(new URL('./bare-server.mjs', import.meta.url));
const SEEDED_EMULATOR = fileURLToPath(new URL('./seeded-emulator.mjs', import.meta.url));
const NEST_CEILING = fileURLToPath(new URL('./nest-ceiling-server.mjs', import.meta.url));

/** The emulator's default app (mock-feishu.settings.ts). */
export const EMULATOR_APP = { appId: 'cli_mock_app', appSecret: 'mock_app_secret' };

const running = new Set();

/** A port for a child to bind (see child-port.mjs: never one a port-0 bind beside it could take). */
export const freePort = () => childPort(HOST);

/**
 * One HTTP exchange with a fresh connection, for probes and set-up calls (not for load).
 * Resolves with status, headers and the body as text; rejects on a connection error or timeout.
 */
export function httpRequest(url, { method = 'GET', headers = {}, body, timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent: false }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode,
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', reject);
    });
    request.setTimeout(timeoutMs, () =>
      request.destroy(new Error(`${method} ${url}: no answer in ${timeoutMs} ms`)),
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** A JSON call that must answer 2xx; returns the parsed body. */
export async function jsonCall(url, { method = 'GET', headers = {}, json, timeoutMs } = {}) {
  const response = await httpRequest(url, {
    method,
    headers: json === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: json === undefined ? undefined : JSON.stringify(json),
    timeoutMs,
  });
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`${method} ${url} → ${response.status}: ${response.text.slice(0, 300)}`);
  }
  return JSON.parse(response.text);
}

/** Starts `node <args>`; its output is kept (the last few kB) for error messages. */
export function spawnNode(name, args, { env, cwd } = {}) {
  const child = spawn(process.execPath, args, {
    cwd: cwd ?? ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const entry = { name, child, output: () => output };
  running.add(entry);
  child.once('exit', () => running.delete(entry));
  return entry;
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns true, the child exits, or the time is up. */
export async function waitUntilReady(entry, probe, { timeoutMs = 30_000, intervalMs = 5 } = {}) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (entry.child.exitCode !== null || entry.child.signalCode !== null) {
      throw new Error(
        `${entry.name} exited (${entry.child.exitCode ?? entry.child.signalCode}):\n${entry.output()}`,
      );
    }
    if (await probe().catch(() => false)) return;
    if (performance.now() > deadline) {
      throw new Error(`${entry.name} did not answer within ${timeoutMs} ms:\n${entry.output()}`);
    }
    await pause(intervalMs);
  }
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
export async function stopProcess(entry, graceMs = 3000) {
  const { child } = entry;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Stops every child still running (after a failure, or at the end). */
export async function stopAll() {
  await Promise.all([...running].map((entry) => stopProcess(entry)));
}

/** Last resort when this process exits: no child may outlive the bench. */
export function killAllNow() {
  for (const { child } of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

const server = (entry, port, extra = {}) => ({
  name: entry.name,
  url: `http://${HOST}:${port}`,
  port,
  pid: entry.child.pid,
  entry,
  stop: () => stopProcess(entry),
  ...extra,
});

/** The tenant token endpoint answers 200 with a body on both the emulator and Prism. */
export const tokenProbe = (url) => async () =>
  (
    await httpRequest(`${url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: EMULATOR_APP.appId, app_secret: EMULATOR_APP.appSecret }),
      timeoutMs: 1000,
    })
  ).status === 200;

/**
 * The built emulator CLI, rate limits off (unless `rateLimits`), no request log. `store: 'memory'`
 * (the default) keeps state in memory with the bytes in a temporary folder under `dataDir`;
 * `store: 'sqlite'` makes `dataDir` its durable data dir. `nodeArgs` go to node before the script.
 */
export async function startEmulator({
  dataDir,
  port,
  probe,
  store = 'memory',
  rateLimits = false,
  nodeArgs = [],
  main = EMULATOR_MAIN,
} = {}) {
  port ??= await freePort();
  mkdirSync(dataDir, { recursive: true });
  const entry = spawnNode(
    'mock-feishu',
    [
      ...nodeArgs,
      main,
      '--port',
      String(port),
      '--host',
      HOST,
      '--quiet',
      ...(rateLimits ? [] : ['--no-rate-limits']),
      ...(store === 'sqlite' ? ['--data-dir', dataDir] : []),
    ],
    { env: store === 'sqlite' ? {} : { TMPDIR: dataDir } },
  );
  const url = `http://${HOST}:${port}`;
  await waitUntilReady(
    entry,
    probe ?? (async () => (await httpRequest(`${url}/__mock/health`, { timeoutMs: 1000 })).status === 200),
  );
  return server(entry, port);
}

/** Prism's mock server on an OpenAPI document, logging errors only (the emulator runs quiet too). */
export async function startPrism({ document = OPENAPI_DOCUMENT, port, probe } = {}) {
  port ??= await freePort();
  const entry = spawnNode('prism', [
    PRISM_MAIN,
    'mock',
    '--host',
    HOST,
    '--port',
    String(port),
    '--verboseLevel',
    'error',
    document,
  ]);
  const url = `http://${HOST}:${port}`;
  await waitUntilReady(entry, probe ?? tokenProbe(url), { timeoutMs: 60_000 });
  return server(entry, port);
}

/**
 * A bare `node:http` server (bare-server.mjs): fixed JSON bodies on given routes, a stream-to-disk
 * upload and a stream-from-disk download. The ceiling the others are held against.
 */
export async function startBare({ work, routes = [], uploadDir, downloadFile } = {}) {
  const port = await freePort();
  mkdirSync(work, { recursive: true });
  const configPath = join(work, `bare-${port}.json`);
  writeFileSync(configPath, JSON.stringify({ host: HOST, port, routes, uploadDir, downloadFile }));
  const entry = spawnNode('bare node:http', [BARE_SERVER, configPath]);
  const url = `http://${HOST}:${port}`;
  await waitUntilReady(entry, async () => (await httpRequest(`${url}/__bare/health`)).status === 200);
  return server(entry, port);
}

/**
 * A one-route-per-answer NestJS app on Express (nest-ceiling-server.mjs), the emulator's versions:
 * the framework's ceiling. `routes`: `[{ method: 'GET', path, body, headers }]`.
 */
export async function startNestCeiling({ work, routes }) {
  const port = await freePort();
  mkdirSync(work, { recursive: true });
  const configPath = join(work, `nest-ceiling-${port}.json`);
  writeFileSync(configPath, JSON.stringify({ host: HOST, port, routes }));
  const entry = spawnNode('Nest on Express', [NEST_CEILING, configPath]);
  const url = `http://${HOST}:${port}`;
  await waitUntilReady(entry, async () => (await httpRequest(`${url}/__ceiling/health`)).status === 200);
  return server(entry, port);
}

/** The built admin-api, pointed at an emulator; run in `cwd` so no stray .env is read. */
export async function startAdminApi({ feishuUrl, adminToken, cwd, uploadDir }) {
  const port = await freePort();
  mkdirSync(cwd, { recursive: true });
  const entry = spawnNode('admin-api', [ADMIN_API_MAIN], {
    cwd,
    env: {
      FEISHU_BASE_URL: feishuUrl,
      FEISHU_APP_ID: EMULATOR_APP.appId,
      FEISHU_APP_SECRET: EMULATOR_APP.appSecret,
      ADMIN_API_TOKENS: adminToken,
      ADMIN_API_PORT: String(port),
      ADMIN_API_HOST: HOST,
      ADMIN_API_UPLOAD_DIR: uploadDir,
      ADMIN_API_LOG_LEVEL: 'warn',
    },
  });
  const url = `http://${HOST}:${port}`;
  await waitUntilReady(entry, async () => (await httpRequest(`${url}/health`)).status === 200);
  return server(entry, port);
}

/**
 * An emulator started programmatically in a child (seeded-emulator.mjs), with tasks seeded through
 * its seeder before it listens: `tasks` is `{ key: attachmentCount }`; resolves with the guids.
 */
export async function startSeededEmulator({ dataDir, tasks, timeoutMs = 300_000 }) {
  const port = await freePort();
  mkdirSync(dataDir, { recursive: true });
  // In memory, with the bytes in a temporary folder under `dataDir`.
  const entry = spawnNode(
    'mock-feishu (seeded)',
    [SEEDED_EMULATOR, JSON.stringify({ host: HOST, port, tasks })],
    {
      env: { TMPDIR: dataDir },
    },
  );
  const seeded = await new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`seeding took over ${timeoutMs} ms`)), timeoutMs);
    entry.child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const match = /^seeded (.+)$/m.exec(buffer);
      if (match) {
        clearTimeout(timer);
        resolve(JSON.parse(match[1]));
      }
    });
    entry.child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`seeded emulator exited (${code}):\n${entry.output()}`));
    });
  });
  const url = `http://${HOST}:${port}`;
  await waitUntilReady(entry, async () => (await httpRequest(`${url}/__mock/health`)).status === 200);
  return server(entry, port, { seeded });
}
