import { after, before } from 'node:test';
import {
  startMockFeishu,
  type RunningMockFeishu,
  type StartMockFeishuOptions,
} from '../start-mock-feishu.js';
import {
  createSharedSandbox,
  deleteSharedSandbox,
  MOCK_FEISHU_CONTROL_TOKEN_ENV,
  MOCK_FEISHU_URL_ENV,
  useSharedSandbox,
  type SharedSandbox,
} from './shared.js';
import { startSharedMockFeishu, stopSharedMockFeishu } from './shared-mock-feishu.js';

/**
 * For Node's own test runner (`node --test`): one emulator for this test file, started in a
 * `before` hook on a free port and closed in an `after` hook. Node runs each test file in a
 * process of its own (and Node 20 has no global setup), so every file gets its own emulator and
 * files may run in parallel. Call it at the top of the file (or in a `describe`, for that suite):
 *
 * @example
 * const feishu = useMockFeishu();
 * test('…', async () => {
 *   const client = createFeishuClient({ baseUrl: feishu.url, auth: feishu.app });
 * });
 *
 * The returned object is the running emulator once `before` has run (reading it earlier throws);
 * its URL is also in `process.env.MOCK_FEISHU_URL` for the rest of the file.
 */
export function useMockFeishu(options: StartMockFeishuOptions = {}): RunningMockFeishu {
  let running: RunningMockFeishu | undefined;
  before(async () => {
    running = await startMockFeishu({ port: 0, logRequests: false, ...options });
    process.env[MOCK_FEISHU_URL_ENV] = running.url;
    if (running.controlToken) process.env[MOCK_FEISHU_CONTROL_TOKEN_ENV] = running.controlToken;
  });
  after(async () => {
    const feishu = running;
    running = undefined;
    delete process.env[MOCK_FEISHU_URL_ENV];
    if (feishu?.controlToken) delete process.env[MOCK_FEISHU_CONTROL_TOKEN_ENV];
    await feishu?.close();
  });
  return liveBetweenHooks(() => running, "useMockFeishu()'s emulator");
}

/**
 * For Node's test runner: this test file's own sandbox (its own app, state, clock, faults and
 * journal), made in a `before` hook and removed in an `after` hook. In the run's one emulator when
 * there is one (`node --test --test-global-setup=@feishu-attachments/mock-feishu/node-test/global-setup`,
 * Node 24 and later, or any emulator whose URL is in `MOCK_FEISHU_URL`); otherwise in an emulator
 * this file starts for itself. Read its `url`, `controlUrl` and `app` inside a test or hook.
 */
export function useMockFeishuSandbox(options: StartMockFeishuOptions = {}): SharedSandbox {
  let sandbox: SharedSandbox | undefined;
  let ownEmulator = false;
  before(async () => {
    if (!process.env[MOCK_FEISHU_URL_ENV]) {
      await startSharedMockFeishu({ logRequests: false, ...options });
      ownEmulator = true;
    }
    sandbox = await createSharedSandbox(process.argv[1]?.split(/[\\/]/).slice(-2).join('/'));
    useSharedSandbox(sandbox);
  });
  after(async () => {
    useSharedSandbox(undefined);
    if (sandbox) await deleteSharedSandbox(sandbox);
    sandbox = undefined;
    if (ownEmulator) await stopSharedMockFeishu();
  });
  return liveBetweenHooks(() => sandbox, "useMockFeishuSandbox()'s sandbox");
}

/**
 * What a `use…()` call returns at the top of a file: the object its `before` hook makes, read
 * through to while it lives; reading it outside its hooks' span says when it can be read.
 */
function liveBetweenHooks<T extends object>(current: () => T | undefined, what: string): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const value = current();
      if (value) return Reflect.get(value, key);
      // Not a thenable, and inspectable, before the hook runs.
      if (key === 'then' || typeof key === 'symbol') return undefined;
      throw new Error(
        `mock-feishu: ${what} exists from its before() hook to its after() hook; read .${String(key)} inside a test or hook`,
      );
    },
  });
}
