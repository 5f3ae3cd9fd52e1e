/**
 * `npx jest <spec file>` from the repository root: every project's Jest config, as one run's
 * projects, so a spec runs with its own project's preset, setup and environment wherever it is
 * started from. `npm test` runs each project through Nx instead (nx.json leaves this file out of
 * the inferred targets). New projects' configs are found, not listed: a test checks the list.
 * @jest-config-loader ts-node
 * @jest-config-loader-options {"transpileOnly": true, "compilerOptions": {"module": "commonjs", "moduleResolution": "node10", "customConditions": null}}
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const CONFIG_NAMES = ['jest.config.ts', 'jest.config.mjs'];

/** Each project's Jest config: one per folder of apps/, libs/ and tools/, and tools/ itself. */
export function projectConfigs(root = __dirname): string[] {
  const folders = ['apps', 'libs', 'tools'].flatMap((group) =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules')
      .map((entry) => join(group, entry.name)),
  );
  return [...folders, 'tools']
    .flatMap((folder) => CONFIG_NAMES.map((name) => join(folder, name)))
    .filter((path) => existsSync(join(root, path)))
    .sort();
}

export default async () => {
  const projects: unknown[] = [];
  for (const path of projectConfigs()) {
    const file = join(__dirname, path);
    const config = (await import(file)).default;
    // A config of several projects (the emulator's) gives each of them its global setup.
    if (Array.isArray(config.projects)) {
      const { globalSetup, globalTeardown } = config;
      const resolve = (entry?: string) => entry?.replace('<rootDir>', config.rootDir ?? dirname(file));
      for (const project of config.projects)
        projects.push({
          globalSetup: resolve(globalSetup),
          globalTeardown: resolve(globalTeardown),
          ...project,
        });
    } else {
      projects.push(file);
    }
  }
  return { projects };
};
