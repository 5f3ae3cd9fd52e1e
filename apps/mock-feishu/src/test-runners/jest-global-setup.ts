import type { StartMockFeishuOptions } from '../start-mock-feishu.js';
import { startSharedMockFeishu } from './shared-mock-feishu.js';

/**
 * Jest `globalSetup`: one emulator for the whole run, its URL in `process.env.MOCK_FEISHU_URL`.
 * For other options, export `() => mockFeishuGlobalSetup({ ... })` from your own setup file.
 */
export async function mockFeishuGlobalSetup(options: StartMockFeishuOptions = {}): Promise<void> {
  await startSharedMockFeishu({ logRequests: false, ...options });
}

export default function globalSetup(): Promise<void> {
  return mockFeishuGlobalSetup();
}
