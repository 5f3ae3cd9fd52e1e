import { rmSync } from 'node:fs';
import emulatorGlobalTeardown from '@feishu-attachments/mock-feishu/jest/global-teardown';
import { OUTSIDE_PROJECTS_ENV } from './outside-projects';

/** Stops the run's emulator and removes the outside projects. */
export default async function globalTeardown(): Promise<void> {
  await emulatorGlobalTeardown();
  const { root } = JSON.parse(process.env[OUTSIDE_PROJECTS_ENV] ?? '{}') as { root?: string };
  if (root) rmSync(root, { recursive: true, force: true });
}
