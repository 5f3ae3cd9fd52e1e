import { startSharedMockFeishu, stopSharedMockFeishu } from './shared-mock-feishu.js';

/**
 * For Node's test runner (`node --test --test-global-setup=<this module>`, Node 24 and later): one
 * emulator for the whole run, its URL in `process.env.MOCK_FEISHU_URL`, which the test files'
 * processes inherit; `useMockFeishuSandbox()` then makes each file a sandbox in it.
 */
export async function globalSetup(): Promise<void> {
  await startSharedMockFeishu({ logRequests: false });
}

export function globalTeardown(): Promise<void> {
  return stopSharedMockFeishu();
}
