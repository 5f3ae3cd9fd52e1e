import { request } from 'node:http';
import {
  startMockFeishu,
  type RunningMockFeishu,
  type StartMockFeishuOptions,
} from '../start-mock-feishu.js';

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

// On globalThis because a runner loads global setup and teardown as separate modules (and may
// load them through different module registries); both run in its main process.
const RUNNING = Symbol.for('@feishu-attachments/mock-feishu/shared');
type Holder = { [RUNNING]?: RunningMockFeishu };

/** Starts the run's one emulator (on a free port unless told otherwise) and publishes its URL. */
export async function startSharedMockFeishu(
  options: StartMockFeishuOptions = {},
): Promise<RunningMockFeishu> {
  const holder = globalThis as Holder;
  if (holder[RUNNING]) return holder[RUNNING];
  const feishu = await startMockFeishu({ port: 0, ...options });
  holder[RUNNING] = feishu;
  process.env[MOCK_FEISHU_URL_ENV] = feishu.url;
  if (feishu.controlToken) process.env[MOCK_FEISHU_CONTROL_TOKEN_ENV] = feishu.controlToken;
  return feishu;
}

export async function stopSharedMockFeishu(): Promise<void> {
  const holder = globalThis as Holder;
  const feishu = holder[RUNNING];
  delete holder[RUNNING];
  delete process.env[MOCK_FEISHU_URL_ENV];
  if (feishu?.controlToken) delete process.env[MOCK_FEISHU_CONTROL_TOKEN_ENV];
  await feishu?.close();
}

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
