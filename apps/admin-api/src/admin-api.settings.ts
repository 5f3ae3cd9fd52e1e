import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TIMEOUTS, type AdminApiConfig, type ServerTimeouts } from './admin-api.config.js';

/** The configuration with every default applied, shared with the whole app through DI. */
export class AdminApiSettings {
  readonly feishu: AdminApiConfig['feishu'];
  readonly adminTokens: readonly string[];
  /** Parent of the per-request upload folders. */
  readonly uploadDir: string;
  readonly timeouts: ServerTimeouts;

  constructor(config: AdminApiConfig) {
    this.feishu = { ...config.feishu, baseUrl: config.feishu.baseUrl.replace(/\/+$/, '') };
    this.adminTokens = [...config.adminTokens];
    this.uploadDir = config.uploadDir ?? join(tmpdir(), 'feishu-admin-api-uploads');
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...config.timeouts };
  }
}
