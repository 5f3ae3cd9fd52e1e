import type { StartMockFeishuOptions } from '../start-mock-feishu.js';
import {
  MOCK_FEISHU_CONTROL_TOKEN_ENV,
  MOCK_FEISHU_URL_ENV,
  startSharedMockFeishu,
  stopSharedMockFeishu,
} from './shared-mock-feishu.js';

/** What this setup uses of Vitest's global-setup argument (`TestProject`, formerly `GlobalSetupContext`). */
export interface VitestProvider {
  provide?(key: string, value: unknown): void;
}

/**
 * Vitest `globalSetup`: one emulator for the run. Tests read its URL with
 * `inject('mockFeishuUrl')` or `process.env.MOCK_FEISHU_URL`; the returned function stops it.
 */
export async function mockFeishuVitestSetup(
  project: VitestProvider = {},
  options: StartMockFeishuOptions = {},
): Promise<() => Promise<void>> {
  const feishu = await startSharedMockFeishu({ logRequests: false, ...options });
  project.provide?.('mockFeishuUrl', feishu.url);
  project.provide?.(MOCK_FEISHU_URL_ENV, feishu.url);
  if (feishu.controlToken) project.provide?.(MOCK_FEISHU_CONTROL_TOKEN_ENV, feishu.controlToken);
  return stopSharedMockFeishu;
}

export default function setup(project: VitestProvider): Promise<() => Promise<void>> {
  return mockFeishuVitestSetup(project);
}
