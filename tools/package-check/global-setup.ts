import { mkdtempSync, readFileSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import emulatorGlobalSetup from '@feishu-attachments/mock-feishu/jest/global-setup';
import { OUTSIDE_PROJECTS_ENV, prepareOutsideProjects } from './outside-projects';

const SHM = '/dev/shm';

/**
 * Where the outside projects go: memory-backed /dev/shm when it has room and runs programs (the
 * install holds native modules), else the system's temporary folder. npm ci writes some 18 000
 * files and the teardown removes them; on a disk, that file-system work was most of the install's
 * CPU time, twice what it takes in memory.
 */
function scratchParent(): string {
  try {
    const { bavail, bsize } = statfsSync(SHM);
    const mount = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .find(([, point]) => point === SHM);
    if (bavail * bsize >= 2 ** 30 && mount && !mount[3].split(',').includes('noexec')) return SHM;
  } catch {
    // No /dev/shm (macOS, Windows): the temporary folder.
  }
  return tmpdir();
}

/**
 * The run's emulator, from the emulator's Jest entry by its published name, and meanwhile the
 * packed packages installed once into the projects outside the workspace. A failed install is
 * published rather than thrown, so only the specs that need the projects fail, with its output.
 */
export default async function globalSetup(): Promise<void> {
  const root = mkdtempSync(join(scratchParent(), 'feishu-package-check-'));
  const [projects] = await Promise.all([
    prepareOutsideProjects(root).catch((error: Error) => ({ error: String(error.stack ?? error) })),
    emulatorGlobalSetup(),
  ]);
  process.env[OUTSIDE_PROJECTS_ENV] = JSON.stringify({ root, ...projects });
}
