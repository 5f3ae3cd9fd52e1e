import {
  formatFiles,
  generateFiles,
  logger,
  names,
  readJson,
  updateJson,
  type GeneratorCallback,
  type Tree,
} from '@nx/devkit';
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import type { ConsumerGeneratorSchema } from './schema';

/**
 * `nx g @feishu-attachments/workspace:consumer <name>`: apps/<name>, a small app on the client
 * with build, typecheck, lint, test (against one emulator for the run) and a `pact` target whose
 * contract `mock-feishu:pact-verify` picks up through the `pact-consumer` tag. Its tsconfig and its
 * build config also join the solution file, which `workspace:compile-all` (what `npm test` runs)
 * builds. Once the files are written, package-lock.json gets the new app (see updateLockFile).
 */
export async function consumerGenerator(
  tree: Tree,
  options: ConsumerGeneratorSchema,
): Promise<GeneratorCallback> {
  const name = options.name;
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
    throw new Error(`"${name}" is not a kebab-case project name (e.g. report-bot)`);
  }
  const projectRoot = `apps/${name}`;
  if (tree.exists(projectRoot)) throw new Error(`${projectRoot} already exists`);
  const clientVersion = readJson<{ version: string }>(tree, 'libs/api-client/package.json').version;

  generateFiles(tree, join(__dirname, 'files'), projectRoot, {
    ...names(name),
    name,
    projectRoot,
    clientVersion,
    // Template files end in `__tpl__` so that neither tsc nor Jest nor ESLint reads them as code.
    tpl: '',
  });
  if (tree.exists('tsconfig.json')) {
    updateJson<{ references?: { path: string }[] }>(tree, 'tsconfig.json', (solution) => {
      const references = [
        ...(solution.references ?? []),
        { path: `./${projectRoot}` },
        { path: `./${projectRoot}/tsconfig.app.json` },
      ];
      return { ...solution, references: references.sort((a, b) => a.path.localeCompare(b.path)) };
    });
  }
  await formatFiles(tree);
  // Nx runs this after writing the files to disk, and not at all under --dry-run.
  return () => {
    if (tree.exists('package-lock.json')) updateLockFile(tree.root, `@feishu-attachments/${name}`);
  };
}

/**
 * The app is an npm workspace (apps/*) with a package.json of its own, so package-lock.json must
 * list it, or `npm ci` fails with `Missing: @feishu-attachments/<name>@0.0.0 from lock file`. The
 * lock file only: its one dependency is the workspace's own client, so nothing is downloaded and
 * no package is installed (npm 11 still rewrites its node_modules/.package-lock.json, a cache it
 * checks against the disk before use); the next npm install or npm ci links the app, which
 * nothing imports. @nx/devkit's installPackagesTask would do nothing here: it installs only when
 * the root package.json changed (or, forced, runs a whole `npm install`).
 */
export function updateLockFile(root: string, packageName: string): void {
  // No script runs in a lock-only install; --ignore-scripts spares npm 11's allowScripts warnings.
  const command = 'npm install --package-lock-only --ignore-scripts --no-audit --no-fund';
  logger.info(`Adding ${packageName} to package-lock.json (${command}), so that npm ci keeps working`);
  try {
    execSync(command, { cwd: root, stdio: 'inherit' });
  } catch (error) {
    logger.error(
      `package-lock.json was not updated: run \`${command}\` (or npm install) before npm ci, which fails meanwhile`,
    );
    throw error;
  }
}

export default consumerGenerator;
