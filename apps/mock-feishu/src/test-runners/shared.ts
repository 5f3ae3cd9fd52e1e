// The light half of the shared emulator (`@feishu-attachments/mock-feishu/shared`): what test files
// and the per-file reset use. It loads Node's own modules and the settings' constants only, never
// Nest, Express or the emulator: Jest runs these in each test file's sandbox, where a CommonJS run
// on Node < 24.9 cannot load an ES module (Nest is one). Starting and stopping the run's emulator is
// in shared-mock-feishu.ts, which global setup loads in the runner's main process.
import { request } from 'node:http';
export { DEFAULT_APP_ID, DEFAULT_APP_SECRET } from '../config/mock-feishu.settings.js';

/**
 * The variable through which a test run's emulator reaches the test files: test runners start
 * their workers after global setup, and workers inherit the environment.
 */
export const MOCK_FEISHU_URL_ENV = 'MOCK_FEISHU_URL';
/**
 * The run's control token, set only when its emulator needs one (a `controlToken` was given, or it
 * listens beyond loopback); the same variable the CLI reads, so a client and the emulator agree.
 */
export const MOCK_FEISHU_CONTROL_TOKEN_ENV = 'MOCK_FEISHU_CONTROL_TOKEN';

/** The URL published by global setup; a clear error when the runner was not configured for it. */
export function sharedMockFeishuUrl(): string {
  const url = process.env[MOCK_FEISHU_URL_ENV];
  if (!url) {
    throw new Error(
      `${MOCK_FEISHU_URL_ENV} is not set: add @feishu-attachments/mock-feishu/jest/global-setup ` +
        '(or /vitest/global-setup) to the test runner configuration',
    );
  }
  return url;
}

/** A test file's own sandbox in the run's emulator (see jest/sandbox-per-file, vitest/sandbox-per-file). */
export interface SharedSandbox {
  id: string;
  name?: string;
  /** The emulated API: the run's emulator URL (the app's credentials route calls to this sandbox). */
  url: string;
  /** This sandbox's control plane: every `/__mock` route, on this sandbox only. */
  controlUrl: string;
  /** Its own app: give these to any client (the official SDK, this package's client, curl). */
  app: { appId: string; appSecret: string };
}

// On globalThis: the setup file and the test file are separate modules of one test file's context.
const CURRENT = Symbol.for('@feishu-attachments/mock-feishu/sandbox');
type Holder = { [CURRENT]?: SharedSandbox };

/**
 * The sandbox of the test file running now, made by the per-file setup before the file's own
 * hooks run: read it in a hook or a test, not at the top of the file.
 */
export function mockFeishuSandbox(): SharedSandbox {
  const sandbox = (globalThis as Holder)[CURRENT];
  if (!sandbox) {
    throw new Error(
      'mock-feishu: no sandbox for this test file yet: add @feishu-attachments/mock-feishu/jest/sandbox-per-file ' +
        '(or /vitest/sandbox-per-file) to the setup files, and read mockFeishuSandbox() in a hook or a test',
    );
  }
  return sandbox;
}

/** A new sandbox in the run's emulator, with its own app, state, clock, faults and journal. */
export async function createSharedSandbox(name?: string): Promise<SharedSandbox> {
  const url = sharedMockFeishuUrl();
  const created = (await controlCall(
    `${url}/__mock/sandboxes`,
    'POST',
    name === undefined ? {} : { name },
  )) as {
    id: string;
    name?: string;
    app_id: string;
    app_secret: string;
  };
  return {
    id: created.id,
    ...(created.name === undefined ? {} : { name: created.name }),
    url,
    controlUrl: `${url}/__mock/sandboxes/${created.id}`,
    app: { appId: created.app_id, appSecret: created.app_secret },
  };
}

/** Frees all a sandbox held; one already gone is fine (the emulator may have restarted). */
export async function deleteSharedSandbox(sandbox: Pick<SharedSandbox, 'id'>): Promise<void> {
  await controlCall(`${sharedMockFeishuUrl()}/__mock/sandboxes/${sandbox.id}`, 'DELETE', undefined, [404]);
}

/** Makes `sandbox` the current test file's (or, with undefined, none). */
export function useSharedSandbox(sandbox: SharedSandbox | undefined): void {
  if (sandbox) (globalThis as Holder)[CURRENT] = sandbox;
  else delete (globalThis as Holder)[CURRENT];
}

/** The hooks a test runner lends the per-file sandbox: Jest's globals, or Vitest's imports. */
export interface FileHooks {
  beforeAll(fn: () => Promise<void>): void;
  afterAll(fn: () => Promise<void>): void;
  /** The running file's path, for the sandbox's name (the inspector's picker shows it). */
  testPath(): string | undefined;
}

/**
 * A sandbox for the test file these hooks belong to: made before the file's own hooks run (the
 * setup file registers first), current while it runs, deleted after it. One body for every runner.
 */
export function sandboxPerFile(hooks: FileHooks): void {
  let sandbox: SharedSandbox | undefined;
  hooks.beforeAll(async () => {
    const testPath = hooks.testPath();
    sandbox = await createSharedSandbox(testPath ? testPath.split(/[\\/]/).slice(-2).join('/') : undefined);
    useSharedSandbox(sandbox);
  });
  hooks.afterAll(async () => {
    useSharedSandbox(undefined);
    if (sandbox) await deleteSharedSandbox(sandbox);
    sandbox = undefined;
  });
}

/**
 * Back to the seeded state through the control plane, from any process of the run: the current
 * test file's sandbox when it has one, otherwise the emulator's default sandbox.
 */
export async function resetSharedMockFeishu(): Promise<void> {
  const sandbox = (globalThis as Holder)[CURRENT];
  await controlCall(`${sandbox ? sandbox.controlUrl : `${sharedMockFeishuUrl()}/__mock`}/reset`, 'POST', {});
}

/**
 * One control-plane call on a connection of its own (`agent: false`, `Connection: close`), never a
 * pooled keep-alive one the server may be closing just as a worker's next test file reuses it:
 * fetch's pool made that "other side closed" on a busy machine, retry included.
 */
async function controlCall(
  url: string,
  method: string,
  json?: unknown,
  alsoFine: number[] = [],
): Promise<unknown> {
  const controlToken = process.env[MOCK_FEISHU_CONTROL_TOKEN_ENV];
  const body = json === undefined ? '' : JSON.stringify(json);
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent: false,
        headers: {
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
          'content-length': Buffer.byteLength(body),
          connection: 'close',
          ...(controlToken ? { authorization: `Bearer ${controlToken}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  if (alsoFine.includes(status)) return undefined;
  if (status < 200 || status > 299) {
    throw new Error(`mock-feishu: ${method} ${new URL(url).pathname} answered ${status}: ${text}`);
  }
  return JSON.parse(text) as unknown;
}
