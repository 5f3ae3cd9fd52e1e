import { stopSharedMockFeishu } from './shared-mock-feishu.js';

/** Jest `globalTeardown`: stops the emulator that global setup started. */
export default function globalTeardown(): Promise<void> {
  return stopSharedMockFeishu();
}
