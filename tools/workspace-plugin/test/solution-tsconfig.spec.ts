import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { readJsonFile } from '@nx/devkit';

const WORKSPACE = resolve(__dirname, '../../..');
const SKIPPED = new Set(['node_modules', 'dist', 'coverage', 'tmp', '.nx']);

/** A project's typecheck config, as the solution names it (its folder), and its build config. */
const BUILD_CONFIG = /^tsconfig\.(app|lib|build)\.json$/;

function tsconfigsUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name) || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsconfigsUnder(path);
    if (entry.name === 'tsconfig.json') return [`./${relative(WORKSPACE, dir)}`];
    return BUILD_CONFIG.test(entry.name) ? [`./${relative(WORKSPACE, path)}`] : [];
  });
}

/**
 * `npm test` type-checks and builds the workspace through the solution file alone
 * (workspace:compile-all), so a tsconfig.json it does not list would never be checked in CI, and
 * a build config it does not list would be compiled apart, by its build target.
 */
describe('the solution file tsconfig.json', () => {
  // readJsonFile reads JSON with comments, as tsc does.
  const solution = readJsonFile<{ files: string[]; references: { path: string }[] }>(
    join(WORKSPACE, 'tsconfig.json'),
  );

  it('lists every tsconfig.json and build config of apps, libs and tools, and nothing else', () => {
    const configs = ['apps', 'libs', 'tools'].flatMap((top) => tsconfigsUnder(join(WORKSPACE, top)));
    expect(solution.references.map((reference) => reference.path).sort()).toEqual(configs.sort());
    for (const { path } of solution.references) {
      const file = path.endsWith('.json') ? path : join(path, 'tsconfig.json');
      expect(existsSync(join(WORKSPACE, file))).toBe(true);
    }
  });

  it('checks no file of its own', () => {
    expect(solution.files).toEqual([]);
  });
});
