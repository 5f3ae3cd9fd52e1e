import { execFile } from 'node:child_process';
import { linkSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeOutsideProject } from './outside-project.mjs';

/**
 * The packed packages installed once per package-check run, for the specs that use them from a
 * project outside the workspace (package-check.spec.ts, verify-pacts.spec.ts). Packing and
 * installing are the slow part of both, so the Jest global setup does them once and publishes the
 * result to the test files in this environment variable (as JSON).
 */
export const OUTSIDE_PROJECTS_ENV = 'FEISHU_PACKAGE_CHECK_OUTSIDE';
const PACT = '@pact-foundation/pact';

export interface OutsideProjects {
  /** What `node tools/package-check/pack-packages.mjs <dir>` printed (`npm run pack:packages` after its build). */
  packOutput: string;
  tarballs: { client: string; intake: string; mock: string };
  /** What `npm ci` printed. */
  installOutput: string;
  /** The test runners' project: typescript, @types/node, jest, vitest and Pact beside the tarballs. */
  user: string;
  /** A project of its own with the same install, for the pact checks (they move Pact aside). */
  pactUser: string;
}

const run = promisify(execFile);

/**
 * A copy of `from` whose files are hard links: each project gets folders of its own (moving a
 * package aside in one leaves the other whole) for no second install. Symbolic links (npm's
 * `.bin`) are relative, so they point inside the copy.
 */
function linkTree(from: string, to: string): void {
  mkdirSync(to);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const [source, target] = [join(from, entry.name), join(to, entry.name)];
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else linkSync(source, target);
  }
}

/**
 * Packs the packages with the command `npm run pack:packages` runs, installs the tarballs into one
 * outside project from the npm cache the workspace install filled (no install scripts: none of
 * these packages needs one, and Pact's core is a prebuild), and links a second project from it.
 */
export async function prepareOutsideProjects(root: string): Promise<OutsideProjects> {
  const { stdout: packOutput } = await run(process.execPath, [
    join(__dirname, 'pack-packages.mjs'),
    join(root, 'tarballs'),
  ]);
  const [client, intake, mock] = packOutput.split('\n').filter((line) => /^\/\S+\.tgz$/.test(line));
  const user = join(root, 'outside-user');
  // The test runners come from the workspace's own install (so from the npm cache): Jest and
  // Vitest as a user installs them, with none of this workspace's Jest preset, Babel or SWC config.
  writeOutsideProject(user, [client, intake, mock], ['typescript', '@types/node', 'jest', 'vitest', PACT]);
  const install = await run(
    'npm',
    ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'],
    {
      cwd: user,
      maxBuffer: 16 * 1024 * 1024,
    },
  ).catch((error: { message: string; stdout?: string; stderr?: string }) => {
    throw new Error(`npm ci failed: ${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  });
  const pactUser = join(root, 'my-service');
  linkTree(user, pactUser);
  return {
    packOutput,
    tarballs: { client, intake, mock },
    installOutput: `${install.stdout}${install.stderr}`,
    user,
    pactUser,
  };
}

/** In a test file: the projects the global setup prepared; throws what went wrong if it failed. */
export function outsideProjects(): OutsideProjects {
  const published = process.env[OUTSIDE_PROJECTS_ENV];
  if (!published)
    throw new Error(`${OUTSIDE_PROJECTS_ENV} is not set: run with tools/package-check/jest.config.ts`);
  const projects = JSON.parse(published) as OutsideProjects | { error: string };
  if ('error' in projects) throw new Error(`preparing the outside projects failed:\n${projects.error}`);
  return projects;
}
