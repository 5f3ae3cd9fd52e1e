import { stopSharedMockFeishu } from './shared-mock-feishu.js';

/** Stops the emulator that global setup started; for your own teardown file. */
export function mockFeishuGlobalTeardown(): Promise<void> {
  return stopSharedMockFeishu();
}

/** Jest `globalTeardown`. */
export default function globalTeardown(): Promise<void> {
  return mockFeishuGlobalTeardown();
}
