import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(__dirname, '..', '..', '..');
const eslintBin = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');
const nxBin = join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');

/**
 * Nx's boundary rule reads the project graph that nx caches in .nx/workspace-data and skips itself
 * when there is none, which is the case for a plain `jest` run on a fresh clone. Under `nx run`
 * the graph is already cached (NX_TASK_TARGET_PROJECT is set); otherwise `nx show projects`
 * computes and caches it, without a daemon, so the rule has a graph to check against.
 */
async function ensureProjectGraph(): Promise<void> {
  if (process.env.NX_TASK_TARGET_PROJECT) return;
  await run(process.execPath, [nxBin, 'show', 'projects'], {
    cwd: root,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
}

/** Lints `source` as if it were a file at `filePath` in the workspace, with the real config. */
async function lint(source: string, filePath: string): Promise<{ ok: boolean; output: string }> {
  const child = run(
    process.execPath,
    [eslintBin, '--stdin', '--stdin-filename', filePath, '--format', 'stylish'],
    {
      cwd: root,
    },
  );
  child.child.stdin?.end(source);
  try {
    const { stdout } = await child;
    return { ok: true, output: stdout };
  } catch (error) {
    return { ok: false, output: (error as { stdout: string }).stdout };
  }
}

beforeAll(ensureProjectGraph, 60_000);

describe('module boundaries of mock-feishu/src', () => {
  it('rejects an import of the HTTP client entry of the shared core', async () => {
    const result = await lint(
      "import * as client from '@feishu-attachments/api-client';\nexport const x = client;\n",
      'apps/mock-feishu/src/probe.ts',
    );
    expect(result.ok).toBe(false);
    expect(result.output).toContain('may import only @feishu-attachments/api-client/wire');
  });

  it('rejects a deep import that bypasses the wire face', async () => {
    const result = await lint(
      "import * as errors from '../../../libs/api-client/src/core/errors';\nexport const x = errors;\n",
      'apps/mock-feishu/src/probe.ts',
    );
    expect(result.ok).toBe(false);
    expect(result.output).toContain('not by path');
  });

  it('accepts the wire face', async () => {
    const result = await lint(
      "import { MAX_FILES_PER_UPLOAD } from '@feishu-attachments/api-client/wire';\nexport const x = MAX_FILES_PER_UPLOAD;\n",
      'apps/mock-feishu/src/probe.ts',
    );
    expect(result).toEqual({ ok: true, output: '' });
  });
});

describe('Nx module boundaries', () => {
  it('rejects the shared core depending on the emulator, even from a test file', async () => {
    const result = await lint(
      "import { startMockFeishu } from '@feishu-attachments/mock-feishu';\nexport const x = startMockFeishu;\n",
      'libs/api-client/src/probe.spec.ts',
    );
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/Circular dependency between "api-client" and "mock-feishu"/);
  });

  it('lets an e2e project start the emulator', async () => {
    const result = await lint(
      "import { startMockFeishu } from '@feishu-attachments/mock-feishu';\nexport const x = startMockFeishu;\n",
      'apps/api-client-e2e/test/probe.spec.ts',
    );
    expect(result).toEqual({ ok: true, output: '' });
  });
});
