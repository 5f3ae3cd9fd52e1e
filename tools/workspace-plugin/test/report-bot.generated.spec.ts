import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { consumerGenerator } from '../src/generators/consumer/consumer.generator';

const WORKSPACE = resolve(__dirname, '../../..');
const APP = 'report-bot';
// What the app's own targets write next to its sources; the generator never makes them.
const PRODUCED = new Set(['node_modules', 'dist', 'coverage']);

function filesOnDisk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (PRODUCED.has(entry.name)) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesOnDisk(path) : [relative(WORKSPACE, path)];
  });
}

function filesInTree(tree: Tree, dir: string): string[] {
  return tree.children(dir).flatMap((name) => {
    const path = `${dir}/${name}`;
    return tree.isFile(path) ? [path] : filesInTree(tree, path);
  });
}

/**
 * apps/report-bot is the generator's output, committed: `npm test` lints and type-checks it with
 * the rest of the workspace, runs its build, test and pact targets, and `mock-feishu:pact-verify`
 * verifies its pact, in the same run as every other project. This spec keeps it honest: the generator, run now on the workspace's own
 * Prettier config and client version, must produce exactly those files, byte for byte.
 */
describe(`apps/${APP}, the committed output of nx g @feishu-attachments/workspace:consumer ${APP}`, () => {
  let tree: Tree;

  beforeAll(async () => {
    // Under Jest (CommonJS), formatFiles cannot import the ESM Prettier and says so with a warning:
    // the templates themselves must then be Prettier-clean, which comparing them with the
    // committed, `prettier --check`ed files enforces.
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    tree = createTreeWithEmptyWorkspace();
    // Nx's empty workspace configures oxfmt; this workspace formats with Prettier only.
    tree.delete('.oxfmtrc.json');
    for (const input of ['.prettierrc.json', 'libs/api-client/package.json']) {
      tree.write(input, readFileSync(join(WORKSPACE, input)));
    }
    await consumerGenerator(tree, { name: APP });
  });

  it('has the very files the generator makes, no more and no fewer', () => {
    expect(filesInTree(tree, `apps/${APP}`).sort()).toEqual(filesOnDisk(join(WORKSPACE, 'apps', APP)).sort());
  });

  it('has each file exactly as the generator writes it', () => {
    const drifted = filesInTree(tree, `apps/${APP}`).filter(
      (path) => tree.read(path, 'utf8') !== readFileSync(join(WORKSPACE, path), 'utf8'),
    );
    // Regenerate with: rm -rf apps/report-bot && npx nx g @feishu-attachments/workspace:consumer report-bot
    expect(drifted).toEqual([]);
  });
});
