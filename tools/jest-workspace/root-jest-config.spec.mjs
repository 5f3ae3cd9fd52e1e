import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';

const ROOT = join(import.meta.dirname, '../..');
const JEST = join(ROOT, 'node_modules/jest/bin/jest.js');
const run = promisify(execFile);

/** Every Jest config of the workspace's projects, found by walking the project folders. */
function configFiles(dir = ROOT, depth = 0) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isFile() && /^jest\.config\.(ts|mjs|js|cjs)$/.test(entry.name)) return depth > 0 ? [path] : [];
    const skip =
      ['node_modules', 'dist', 'tmp', 'coverage'].includes(entry.name) || entry.name.startsWith('.');
    if (!entry.isDirectory() || skip || depth > 2) return [];
    if (depth === 0 && !['apps', 'libs', 'tools'].includes(entry.name)) return [];
    return configFiles(path, depth + 1);
  });
}

// The root jest.config.ts: `npx jest <spec file>` from the root of the repository.
describe('the root Jest config', () => {
  it("takes in every project's Jest config, each with the time limit it sets", async () => {
    const { stdout } = await run(process.execPath, [JEST, '--showConfig'], {
      cwd: ROOT,
      maxBuffer: 64 << 20,
    });
    const { configs, globalConfig } = JSON.parse(stdout);
    const rootDirs = new Set(configs.map((config) => config.rootDir));
    const expected = new Set(configFiles().map((file) => dirname(file)));
    expect(expected.size).toBeGreaterThanOrEqual(10);
    expect([...rootDirs].sort()).toEqual([...expected].sort());
    // Jest reads a test's time limit from the run's config only (none here: Jest's 5 s), so each
    // project that sets one hands it to a setup file that sets it for its tests.
    expect(globalConfig.testTimeout ?? 5_000).toBe(5_000);
    const SETUP = join(ROOT, 'tools/jest-workspace/project-time-limit.cjs');
    const limitOf = (config) => ({
      limit: config.globals.__FEISHU_PROJECT_TEST_TIMEOUT__,
      setup: config.setupFilesAfterEnv.includes(SETUP),
    });
    const ownLimits = configs.filter((config) => typeof config.testTimeout === 'number');
    expect(ownLimits.length).toBeGreaterThanOrEqual(8);
    for (const config of ownLimits)
      expect(limitOf(config)).toEqual({ limit: config.testTimeout, setup: true });
    // The emulator's two projects take the limit of the config they are in.
    const emulator = configs.filter((config) => config.displayName?.name?.startsWith('mock-feishu'));
    expect(emulator.map(limitOf)).toEqual([
      { limit: 30_000, setup: true },
      { limit: 30_000, setup: true },
    ]);
  }, 60_000);

  it("runs a spec of any project from the root, with that project's preset and setup", async () => {
    // A TypeScript spec of the emulator, and one of its SQLite project (a project inside its config).
    const specs = [
      'apps/mock-feishu/src/http/presenters/feishu-wire.presenter.spec.ts',
      'apps/mock-feishu/src/adapters/sqlite/sqlite-driver.spec.ts',
    ];
    const { stderr } = await run(process.execPath, [JEST, ...specs], { cwd: ROOT });
    // Under Nx (and in CI) Jest writes the project names as coloured, padded badges.
    const output = stripVTControlCharacters(stderr).replace(/[ \t]+/g, ' ');
    expect(output).toContain(`PASS mock-feishu ${specs[0]}`);
    expect(output).toContain(`PASS mock-feishu:sqlite ${specs[1]}`);
    expect(output).toMatch(/Test Suites: 2 passed, 2 total/);
  }, 60_000);
});
