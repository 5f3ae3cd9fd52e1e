import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { ENV, RUN_LABEL_KEY } from './container-engine';
import type { ContainerRunState } from './global-setup';

/** Failure guard for the podman service to stop once signalled. */
const SERVICE_STOP_TIMEOUT_MS = 30_000;

/**
 * After the container tests: removes whatever container or volume of this run is left (a test that
 * failed half-way), then stops the podman API service the setup started.
 */
export default async function globalTeardown(): Promise<void> {
  const run = (globalThis as { __feishuContainerRun?: ContainerRunState }).__feishuContainerRun;
  const label = process.env[ENV.runLabel];
  if (run?.engine && label) {
    const filter = `label=${RUN_LABEL_KEY}=${label}`;
    const left = spawnSync(run.engine, ['ps', '--all', '--quiet', '--filter', filter], { encoding: 'utf8' })
      .stdout?.split('\n')
      .filter(Boolean);
    if (left?.length) spawnSync(run.engine, ['rm', '--force', '--volumes', ...left], { stdio: 'ignore' });
    const volumes = spawnSync(run.engine, ['volume', 'ls', '--quiet', '--filter', filter], {
      encoding: 'utf8',
    })
      .stdout?.split('\n')
      .filter(Boolean);
    if (volumes?.length) spawnSync(run.engine, ['volume', 'rm', '--force', ...volumes], { stdio: 'ignore' });
  }
  if (run?.service) {
    const { pid, dir } = run.service;
    try {
      process.kill(-pid, 'SIGTERM');
      const deadline = Date.now() + SERVICE_STOP_TIMEOUT_MS;
      while (alive(pid) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
      if (alive(pid)) process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
