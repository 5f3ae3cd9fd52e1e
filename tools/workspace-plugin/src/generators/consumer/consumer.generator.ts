import { formatFiles, generateFiles, names, readJson, updateJson, type Tree } from '@nx/devkit';
import { join } from 'node:path';
import type { ConsumerGeneratorSchema } from './schema';

/**
 * `nx g @feishu-attachments/workspace:consumer <name>`: apps/<name>, a small app on the client
 * with build, typecheck, lint, test (against one emulator for the run) and a `pact` target whose
 * contract `mock-feishu:pact-verify` picks up through the `pact-consumer` tag. Its tsconfig and its
 * build config also join the solution file, which `workspace:compile-all` (what `npm test` runs)
 * builds.
 */
export async function consumerGenerator(tree: Tree, options: ConsumerGeneratorSchema): Promise<void> {
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
}

export default consumerGenerator;
