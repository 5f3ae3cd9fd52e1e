import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import globalSetup from './jest-global-setup.js';
import globalTeardown from './jest-global-teardown.js';
import { MOCK_FEISHU_URL_ENV, resetSharedMockFeishu, sharedMockFeishuUrl } from './shared-mock-feishu.js';
import { createSharedSandbox, deleteSharedSandbox, mockFeishuSandbox, useSharedSandbox } from './shared.js';
import vitestSetup from './vitest-global-setup.js';

async function journal(url: string): Promise<unknown[]> {
  const response = await fetch(`${url}/__mock/requests`);
  return ((await response.json()) as { items: unknown[] }).items;
}

describe('the test-runner entries', () => {
  afterEach(() => globalTeardown());

  it('Jest: global setup starts one emulator on a free port and publishes its URL; teardown stops it', async () => {
    await globalSetup();
    const url = process.env[MOCK_FEISHU_URL_ENV]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toMatch(/:3100$/);
    expect((await fetch(`${url}/__mock/health`)).status).toBe(200);

    // A second setup in the same run reuses the emulator.
    await globalSetup();
    expect(process.env[MOCK_FEISHU_URL_ENV]).toBe(url);

    await globalTeardown();
    expect(process.env[MOCK_FEISHU_URL_ENV]).toBeUndefined();
    await expect(fetch(`${url}/__mock/health`)).rejects.toThrow();
  });

  it('reset between files brings the shared emulator back to its seeded state', async () => {
    await globalSetup();
    const url = sharedMockFeishuUrl();
    await fetch(`${url}/open-apis/task/v2/tasks/00000000-0000-0000-0000-000000000000`);
    expect(await journal(url)).toHaveLength(1);

    await resetSharedMockFeishu();

    expect(await journal(url)).toEqual([]);
  });

  it('makes a sandbox per file: its own app and control base; reset touches that sandbox only; deleting frees it', async () => {
    await globalSetup();
    const url = sharedMockFeishuUrl();
    expect(() => mockFeishuSandbox()).toThrow(/sandbox-per-file/);
    const sandbox = await createSharedSandbox('a.test.ts');
    useSharedSandbox(sandbox);
    try {
      expect(mockFeishuSandbox()).toEqual({
        id: expect.stringMatching(/^sb[a-z0-9]{10}$/),
        name: 'a.test.ts',
        url,
        controlUrl: `${url}/__mock/sandboxes/${sandbox.id}`,
        app: { appId: expect.stringMatching(/^cli_/), appSecret: expect.any(String) },
      });
      // A call in the default sandbox and one in the file's; the reset empties the file's journal only.
      await fetch(`${url}/open-apis/task/v2/tasks/00000000-0000-0000-0000-000000000000`);
      await fetch(`${url}/open-apis/auth/v3/tenant_access_token/internal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ app_id: sandbox.app.appId, app_secret: sandbox.app.appSecret }),
      });
      expect(await journal(url)).toHaveLength(1);
      const sandboxJournal = await (await fetch(`${sandbox.controlUrl}/requests`)).json();
      expect(sandboxJournal.items).toHaveLength(1);
      await resetSharedMockFeishu();
      expect((await (await fetch(`${sandbox.controlUrl}/requests`)).json()).items).toEqual([]);
      expect(await journal(url)).toHaveLength(1);
    } finally {
      useSharedSandbox(undefined);
      await deleteSharedSandbox(sandbox);
    }
    expect((await fetch(`${sandbox.controlUrl}/requests`)).status).toBe(404);
    // Deleting one already gone is fine.
    await deleteSharedSandbox(sandbox);
  });

  it('Vitest: global setup provides the URL to tests and returns the teardown', async () => {
    const provided = new Map<string, unknown>();
    const teardown = await vitestSetup({ provide: (key, value) => provided.set(key, value) });
    const url = provided.get('mockFeishuUrl') as string;
    expect(url).toBe(process.env[MOCK_FEISHU_URL_ENV]);
    expect(provided.get(MOCK_FEISHU_URL_ENV)).toBe(url);
    expect((await fetch(`${url}/__mock/health`)).status).toBe(200);

    await teardown();
    await expect(fetch(`${url}/__mock/health`)).rejects.toThrow();
  });

  it('loads no Nest where test files run: the shared helpers and the per-file reset', async () => {
    // Plain Node (this Jest transforms ES modules, a user's does not): which of the emulator's
    // modules the two entries load. Jest's CommonJS runtime cannot load Nest on Node < 24.9.
    const hook = join(__dirname, '..', '..', 'test', 'support', 'ts-child.cjs');
    const program = `globalThis.beforeAll = () => undefined;
      require('./shared.ts');
      require('./jest-reset-between-files.ts');
      globalThis.afterAll = () => undefined;
      globalThis.expect = { getState: () => ({}) };
      require('./jest-sandbox-per-file.ts');
      console.log(JSON.stringify(Object.keys(require.cache)));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@feishu-attachments/source', '-r', hook, '-e', program],
      { cwd: __dirname },
    );
    const loaded = (JSON.parse(stdout) as string[]).filter((file) => !file.endsWith('ts-child.cjs'));
    expect(loaded.filter((file) => /@nestjs|express|start-mock-feishu|app\.module/.test(file))).toEqual([]);
    expect(loaded.map((file) => file.replace(/.*\/src\//, ''))).toEqual(
      expect.arrayContaining([
        'test-runners/shared.ts',
        'test-runners/jest-reset-between-files.ts',
        'test-runners/jest-sandbox-per-file.ts',
      ]),
    );
  });

  it('tells a test file without the global setup how to configure it', () => {
    expect(() => sharedMockFeishuUrl()).toThrow(/jest\/global-setup/);
  });
});
