import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { consumerGenerator } from '../src/generators/consumer/consumer.generator';

const WORKSPACE = resolve(__dirname, '../../..');
const APP = 'invoice-bot';

/**
 * What npm reads of this workspace, in a temporary folder: the root package.json and lock, and the
 * package.json of every folder its `workspaces` globs match (as they are in the working tree).
 */
function npmSkeleton(): string {
  const dir = mkdtempSync(join(tmpdir(), 'consumer-lock-file-'));
  for (const file of ['package.json', 'package-lock.json'])
    copyFileSync(join(WORKSPACE, file), join(dir, file));
  const { workspaces } = JSON.parse(readFileSync(join(WORKSPACE, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  const folders = workspaces.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(join(WORKSPACE, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
      : [pattern],
  );
  for (const folder of folders) {
    if (!existsSync(join(WORKSPACE, folder, 'package.json'))) continue;
    mkdirSync(join(dir, folder), { recursive: true });
    copyFileSync(join(WORKSPACE, folder, 'package.json'), join(dir, folder, 'package.json'));
  }
  return dir;
}

// Offline: the lock file and npm's cache have all there is to know; no install, no scripts.
const NPM_ENV = {
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_loglevel: 'error',
};

/** `npm ci --dry-run` in `dir`: its output, and whether it passed. */
function npmCiDryRun(dir: string): { ok: boolean; output: string } {
  try {
    const output = execFileSync('npm', ['ci', '--dry-run', '--ignore-scripts'], {
      cwd: dir,
      env: { ...process.env, ...NPM_ENV },
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return { ok: true, output };
  } catch (error) {
    const { stdout, stderr } = error as { stdout: string; stderr: string };
    return { ok: false, output: `${stdout}${stderr}` };
  }
}

/**
 * `nx g @feishu-attachments/workspace:consumer invoice-bot` used to leave package-lock.json without
 * the new app, and `npm ci` (what CI runs first) then failed. The generator runs as `nx g` runs it:
 * on a tree over a folder on disk, its files written, then the callback it returns.
 */
describe('the consumer generator leaves npm ci working', () => {
  let dir: string;
  const saved: Record<string, string | undefined> = {};

  beforeAll(() => {
    dir = npmSkeleton();
    // Under Jest (CommonJS), formatFiles cannot import the ESM Prettier and says so with a warning.
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const [name, value] of Object.entries(NPM_ENV)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });

  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it(`adds apps/${APP} to package-lock.json once its files are written`, async () => {
    // The copy is sound to begin with.
    expect(npmCiDryRun(dir)).toMatchObject({ ok: true });

    const tree = new FsTree(dir, false);
    const afterWriting = await consumerGenerator(tree, { name: APP });
    flushChanges(dir, tree.listChanges());
    // The files alone: the very failure npm ci reported.
    const stale = npmCiDryRun(dir);
    expect(stale.ok).toBe(false);
    expect(stale.output).toContain(`Missing: @feishu-attachments/${APP}@0.0.0 from lock file`);

    // As `nx g` does: the callback, if the generator returns one.
    await (afterWriting as (() => unknown) | void)?.();

    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { name?: string; link?: boolean }>;
    };
    expect(lock.packages[`apps/${APP}`]?.name).toBe(`@feishu-attachments/${APP}`);
    expect(lock.packages[`node_modules/@feishu-attachments/${APP}`]?.link).toBe(true);
    const ci = npmCiDryRun(dir);
    expect(ci.output).not.toContain('Missing:');
    expect(ci.ok).toBe(true);
  });
});
