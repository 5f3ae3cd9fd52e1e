import { execFile, spawn, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type EngineName = 'podman' | 'docker';

/** What the container tests' global setup publishes to the test files (workers inherit it). */
export const ENV = {
  /** `podman` or `docker`: what the tests drive. */
  engine: 'FEISHU_CONTAINER_ENGINE',
  /** The emulator's image under test; set it to test a given image instead of building one. */
  image: 'FEISHU_CONTAINER_IMAGE',
  /** Why the container tests are skipped, when they are. */
  skipped: 'FEISHU_CONTAINER_TESTS_SKIPPED',
  /** A label value on every container and volume of this run, for the teardown's sweep. */
  runLabel: 'FEISHU_CONTAINER_RUN',
} as const;

export const RUN_LABEL_KEY = 'feishu-attachments.test-run';

/**
 * podman if it works, else docker if its daemon answers; otherwise why neither can run a
 * container here. A docker client without a reachable daemon counts as no engine.
 */
export function findContainerEngine(): { engine: EngineName } | { engine?: undefined; reason: string } {
  const attempt = (command: EngineName, args: string[]) => {
    const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
    if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') return 'not installed';
    if (result.status === 0) return undefined;
    const said = `${result.stderr ?? ''}`.trim().split('\n').pop();
    return `installed, but \`${command} ${args[0]}\` failed${said ? `: ${said}` : ''}`;
  };
  const podman = attempt('podman', ['info', '--format', '{{.Host.OCIRuntime.Name}}']);
  if (podman === undefined) return { engine: 'podman' };
  const docker = attempt('docker', ['info', '--format', '{{.ServerVersion}}']);
  if (docker === undefined) return { engine: 'docker' };
  return {
    reason: `neither podman nor docker can run containers here (podman: ${podman}; docker: ${docker})`,
  };
}

/** The engine and image the global setup chose, or undefined when the tests are skipped. */
export function containerTarget(): { engine: EngineName; image: string; runLabel: string } | undefined {
  const engine = process.env[ENV.engine] as EngineName | undefined;
  const image = process.env[ENV.image];
  const runLabel = process.env[ENV.runLabel];
  if (process.env[ENV.skipped] || !engine || !image || !runLabel) return undefined;
  return { engine, image, runLabel };
}

/** The reason the container tests are skipped, for their titles ('' when they run). */
export function skipNote(): string {
  const reason = process.env[ENV.skipped];
  return reason ? ` [SKIPPED: ${reason}]` : '';
}

/** Runs the engine's CLI; a failure shows what it printed. */
export async function engineCli(
  engine: EngineName,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<string> {
  try {
    const { stdout } = await run(engine, args, {
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const failure = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${engine} ${args.join(' ')}: ${failure.message}\n${failure.stderr ?? ''}`);
  }
}

/**
 * Runs an engine command that streams (`logs --follow`, `events`) until what it printed so far
 * satisfies `done`, then stops it: the test waits on the container's own output, not on a timer.
 * `guardMs` only bounds a failure (the stream ending or never saying it), whatever the machine's speed.
 */
export function followUntil(
  engine: EngineName,
  args: string[],
  done: (output: string) => boolean,
  guardMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(engine, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      child.kill();
      if (error) reject(error);
      else resolve(output);
    };
    const guard = setTimeout(
      () => finish(new Error(`${engine} ${args.join(' ')} did not show it within ${guardMs} ms:\n${output}`)),
      guardMs,
    );
    // The emulator logs to stdout, the engine adds its own lines to stderr: both are read.
    const take = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (done(output)) finish();
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error) => finish(error));
    child.on('close', () => finish(new Error(`${engine} ${args.join(' ')} ended first:\n${output}`)));
  });
}
