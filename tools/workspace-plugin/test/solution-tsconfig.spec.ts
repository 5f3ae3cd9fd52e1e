import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { readJsonFile } from '@nx/devkit';

const WORKSPACE = resolve(__dirname, '../../..');
const SKIPPED = new Set(['node_modules', 'dist', 'coverage', 'tmp', '.nx']);

function tsconfigsUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name) || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsconfigsUnder(path);
    return entry.name === 'tsconfig.json' ? [`./${relative(WORKSPACE, dir)}`] : [];
  });
}

/**
 * `npm test` type-checks the workspace through the solution file alone (workspace:typecheck-all),
 * so a project whose tsconfig.json it does not list would never be checked in CI.
 */
describe('the solution file tsconfig.json', () => {
  // readJsonFile reads JSON with comments, as tsc does.
  const solution = readJsonFile<{ files: string[]; references: { path: string }[] }>(
    join(WORKSPACE, 'tsconfig.json'),
  );

  it('lists every tsconfig.json of apps, libs and tools, and nothing else', () => {
    const folders = ['apps', 'libs', 'tools'].flatMap((top) => tsconfigsUnder(join(WORKSPACE, top)));
    expect(solution.references.map((reference) => reference.path).sort()).toEqual(folders.sort());
    for (const { path } of solution.references)
      expect(existsSync(join(WORKSPACE, path, 'tsconfig.json'))).toBe(true);
  });

  it('checks no file of its own', () => {
    expect(solution.files).toEqual([]);
  });
});
