export { startMockFeishu } from './start-mock-feishu.js';
export type { RunningMockFeishu, StartMockFeishuOptions } from './start-mock-feishu.js';
export type { MockFeishuSandbox, NewSandboxOptions } from './sandbox-handle.js';
export type { MockFeishuOptions, DownloadRefusalStatus } from './config/mock-feishu.settings.js';
export { DEFAULT_APP_ID, DEFAULT_APP_SECRET, DEFAULT_PORT } from './config/mock-feishu.settings.js';
export {
  PROVIDER_STATES,
  feishuProviderStates,
  type ProviderStateInfo,
  type ProviderStateName,
} from './contracts/provider-states.js';
export type { StateSetup, StateValues } from './contracts/strict-states.js';
export type {
  MockFeishuSeeder,
  ResetOptions,
  SeedAttachment,
  SeedTask,
  SeedActor,
} from './core/control-plane/seeder.api.js';
export {
  MOCK_FEISHU_CONTROL_TOKEN_ENV,
  MOCK_FEISHU_URL_ENV,
  createSharedSandbox,
  deleteSharedSandbox,
  mockFeishuSandbox,
  resetSharedMockFeishu,
  sharedMockFeishuUrl,
  type SharedSandbox,
} from './test-runners/shared.js';
