// Starting and stopping the run's one emulator, for the runners' global setup and teardown (their
// main process, outside any test sandbox). What test files use is in ./shared.ts, which loads no Nest.
import {
  startMockFeishu,
  type RunningMockFeishu,
  type StartMockFeishuOptions,
} from '../start-mock-feishu.js';
import { MOCK_FEISHU_CONTROL_TOKEN_ENV, MOCK_FEISHU_URL_ENV } from './shared.js';

export {
  MOCK_FEISHU_CONTROL_TOKEN_ENV,
  MOCK_FEISHU_URL_ENV,
  resetSharedMockFeishu,
  sharedMockFeishuUrl,
} from './shared.js';

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
  if (!feishu) return;
  // The run's sandboxes end with it: a file whose worker died before its after-hook leaves one, and
  // with a data dir it would otherwise come back at the next run's start.
  for (const sandbox of feishu.sandboxes.list()) await feishu.sandboxes.delete(sandbox.id);
  await feishu.close();
}
