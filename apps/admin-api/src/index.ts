export { startAdminApi } from './start-admin-api.js';
export type { RunningAdminApi, StartAdminApiOptions } from './start-admin-api.js';
export {
  CONFIG_USAGE,
  ConfigError,
  DEFAULT_FEISHU_BASE_URL,
  DEFAULT_HOST,
  DEFAULT_PORT,
  loadAdminApiConfig,
} from './admin-api.config.js';
export type { AdminApiConfig } from './admin-api.config.js';
export type { FeishuClientTuning } from './feishu/feishu-client.provider.js';
