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
function projectConfigs(): string[] {
  const folders = ['apps', 'libs', 'tools'].flatMap((group) =>
    readdirSync(join(__dirname, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules')
      .map((entry) => join(group, entry.name)),
  );
  return [...folders, 'tools']
    .flatMap((folder) => CONFIG_NAMES.map((name) => join(folder, name)))
    .filter((path) => existsSync(join(__dirname, path)))
    .sort();
}

/** The setup file that gives a project's tests the time limit its own config sets. */
const TIME_LIMIT_SETUP = join(__dirname, 'tools/jest-workspace/project-time-limit.cjs');

type ProjectConfig = Record<string, unknown> & {
  rootDir?: string;
  testTimeout?: number;
  globals?: Record<string, unknown>;
  setupFilesAfterEnv?: string[];
};

/**
 * A project as the root run takes it. Jest reads a test's time limit from the run's config only,
 * so each project's `testTimeout` (or its multi-project config's) is set by a setup file of its own.
 */
function asProject(project: ProjectConfig, testTimeout: number | undefined): ProjectConfig {
  if (testTimeout === undefined) return project;
  return {
    ...project,
    globals: { ...project.globals, __FEISHU_PROJECT_TEST_TIMEOUT__: testTimeout },
    setupFilesAfterEnv: [TIME_LIMIT_SETUP, ...(project.setupFilesAfterEnv ?? [])],
  };
}

export default async () => {
  const projects: ProjectConfig[] = [];
  for (const path of projectConfigs()) {
    const file = join(__dirname, path);
    const config = (await import(file)).default;
    // A config of several projects (the emulator's) gives each of them its global setup.
    if (Array.isArray(config.projects)) {
      const { globalSetup, globalTeardown } = config;
      const resolve = (entry?: string) => entry?.replace('<rootDir>', config.rootDir ?? dirname(file));
      for (const project of config.projects)
        projects.push(
          asProject(
            { globalSetup: resolve(globalSetup), globalTeardown: resolve(globalTeardown), ...project },
            project.testTimeout ?? config.testTimeout,
          ),
        );
    } else {
      projects.push(asProject(config, config.testTimeout));
    }
  }
  return { projects };
};
