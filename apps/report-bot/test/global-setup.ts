import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Jest loads this file with plain require(), without its moduleNameMapper: no relative `.js` imports here.
const OWN_PACT = join(resolve(__dirname, '../../..', 'pacts'), 'report-bot-mock-feishu.json');

/**
 * `pact` (PACT=1): start from no pact of ours, keep every other consumer's (Pact merges into an
 * existing file). `test`: one emulator for the run, its URL in MOCK_FEISHU_URL.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.PACT === '1') {
    rmSync(OWN_PACT, { force: true });
    return;
  }
  const { mockFeishuGlobalSetup } = await import('@feishu-attachments/mock-feishu/jest/global-setup');
  await mockFeishuGlobalSetup({ rateLimits: false });
}
