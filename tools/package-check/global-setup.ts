import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import emulatorGlobalSetup from '@feishu-attachments/mock-feishu/jest/global-setup';
import { OUTSIDE_PROJECTS_ENV, prepareOutsideProjects } from './outside-projects';

/**
 * The run's emulator, from the emulator's Jest entry by its published name, and meanwhile the
 * packed packages installed once into the projects outside the workspace. A failed install is
 * published rather than thrown, so only the specs that need the projects fail, with its output.
 */
export default async function globalSetup(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'feishu-package-check-'));
  const [projects] = await Promise.all([
    prepareOutsideProjects(root).catch((error: Error) => ({ error: String(error.stack ?? error) })),
    emulatorGlobalSetup(),
  ]);
  process.env[OUTSIDE_PROJECTS_ENV] = JSON.stringify({ root, ...projects });
}
