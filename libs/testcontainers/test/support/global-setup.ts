import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ENV, findContainerEngine, type EngineName } from './container-engine';

const ROOT = resolve(__dirname, '../../../..');
/** Failure guard for the engine's API socket to answer; it usually takes well under a second. */
const SERVICE_START_TIMEOUT_MS = 60_000;

/** Shared with the global teardown, which Jest runs in this same process. */
export interface ContainerRunState {
  engine?: EngineName;
  service?: { pid: number; dir: string };
}
const state = globalThis as { __feishuContainerRun?: ContainerRunState };

const ciRun = () => !!process.env.CI && !/^(false|0)$/i.test(process.env.CI);

/**
 * Before the container tests: finds podman or docker (or says why the tests skip: never under CI),
 * makes sure of the image (the one FEISHU_CONTAINER_IMAGE names, else one built from the
 * Containerfile now), and, with podman, serves its Docker-compatible API on a socket of this run
 * for Testcontainers (which speaks Docker's API).
 */
export default async function globalSetup(): Promise<void> {
  state.__feishuContainerRun = {};
  const found = findContainerEngine();
  if (!found.engine) {
    if (ciRun()) {
      throw new Error(`The container tests must run in CI (CI=${process.env.CI}), but ${found.reason}.`);
    }
    process.env[ENV.skipped] = found.reason;
    console.warn(
      `\nContainer tests SKIPPED: ${found.reason}. Install podman (or docker, with its daemon running) to run ` +
        'them; under CI=true they fail instead of skipping.\n',
    );
    return;
  }
  const { engine } = found;
  state.__feishuContainerRun.engine = engine;
  process.env[ENV.engine] = engine;
  process.env[ENV.runLabel] = randomBytes(6).toString('hex');

  const named = process.env[ENV.image];
  if (named) {
    if (spawnSync(engine, ['image', 'inspect', named], { stdio: 'ignore' }).status !== 0) {
      throw new Error(
        `${ENV.image}=${named}, but ${engine} has no such image (build it: npm run container:build)`,
      );
    }
  } else {
    // No image named: build the workspace's own, so the tests check this checkout.
    const build = spawnSync(
      process.execPath,
      [join(ROOT, 'tools/container/build-image.mjs'), '--engine', engine],
      {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    if (build.status !== 0) throw new Error(`Building the emulator's image failed (exit ${build.status})`);
    process.env[ENV.image] = build.stdout.trim().split('\n').pop();
  }

  if (engine === 'podman' && !process.env.DOCKER_HOST) {
    const service = await startPodmanService();
    state.__feishuContainerRun.service = service.process;
    process.env.DOCKER_HOST = service.dockerHost;
    // Ryuk (Testcontainers' reaper) is a container from Docker Hub; the tests stop their own
    // containers, and the teardown removes any this run's label finds.
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  }
}

/** `podman system service` on a socket of its own, answering Docker's API once `/_ping` says OK. */
async function startPodmanService(): Promise<{ dockerHost: string; process: { pid: number; dir: string } }> {
  const dir = mkdtempSync(join(tmpdir(), 'feishu-podman-'));
  const socket = join(dir, 'podman.sock');
  const log = join(dir, 'service.log');
  const output = openSync(log, 'a');
  // Its own process group, so the teardown stops it and whatever it started.
  const child = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], {
    detached: true,
    stdio: ['ignore', output, output],
  });
  child.unref();
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + SERVICE_START_TIMEOUT_MS;
  while (!(await pings(socket))) {
    if (exited !== undefined || Date.now() > deadline) {
      try {
        if (exited === undefined) process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
      throw new Error(
        `podman system service did not answer on ${socket} (${exited !== undefined ? `exited ${exited}` : 'timed out'}):\n` +
          readFileSync(log, 'utf8'),
      );
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  return { dockerHost: `unix://${socket}`, process: { pid: child.pid!, dir } };
}

function pings(socketPath: string): Promise<boolean> {
  return new Promise((done) => {
    const req = request({ socketPath, path: '/_ping', timeout: 5_000 }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode === 200));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(false));
    req.end();
  });
}
