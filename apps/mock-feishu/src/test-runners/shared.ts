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

/**
 * Back to the seeded state through the control plane, from any process of the run. On a
 * connection of its own (`agent: false`, `Connection: close`), never a pooled keep-alive one the
 * server may be closing just as a worker's next test file reuses it: fetch's pool made that
 * "other side closed" on a busy machine, retry included.
 */
export async function resetSharedMockFeishu(): Promise<void> {
  const controlToken = process.env[MOCK_FEISHU_CONTROL_TOKEN_ENV];
  const body = '{}';
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      `${sharedMockFeishuUrl()}/__mock/reset`,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
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
  if (status < 200 || status > 299) throw new Error(`mock-feishu reset answered ${status}: ${text}`);
}
