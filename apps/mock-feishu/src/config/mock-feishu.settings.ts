import { Scope } from '@feishu-attachments/api-client/wire';
import { randomBytes } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { OPTION_DEFAULTS } from './mock-feishu.options.js';
import {
  MAX_JOURNAL_SIZE,
  type DownloadRefusalStatus,
  type ExpiredUserTokenCode,
  type MockFeishuOptions,
} from './option-values.js';

/** Every scope the emulated surface checks; the default app has all of them. */
export const ALL_SCOPES: readonly string[] = Object.values(Scope);

export {
  DOWNLOAD_REFUSAL_STATUSES,
  EXPIRED_USER_TOKEN_CODES,
  MAX_JOURNAL_SIZE,
  type DownloadRefusalStatus,
  type ExpiredUserTokenCode,
} from './option-values.js';

export const DEFAULT_APP_ID = OPTION_DEFAULTS.appId;
export const DEFAULT_APP_SECRET = OPTION_DEFAULTS.appSecret;
export const DEFAULT_PORT = OPTION_DEFAULTS.port;
export const DEFAULT_HOST = OPTION_DEFAULTS.host;
export const DEFAULT_JOURNAL_SIZE = OPTION_DEFAULTS.journalSize;

export type { MockFeishuOptions };

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * Whether `host` names a loopback interface only: `localhost`, 127.0.0.0/8 or ::1 (also as an
 * IPv4-mapped address). Anything else, `0.0.0.0` and `::` included, is reachable from elsewhere.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  const family = isIP(bare);
  return family !== 0 && LOOPBACK.check(bare, family === 6 ? 'ipv6' : 'ipv4');
}

/** 32 random bytes, URL-safe, so the token can go in `?token=` as it is. */
export function generateControlToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The options with every default applied, shared by every layer and sandbox. */
export class MockFeishuSettings {
  readonly port: number;
  readonly host: string;
  readonly dataDir?: string;
  readonly importFile?: string;
  readonly rateLimits: boolean;
  readonly controlPlane: boolean;
  readonly appId: string;
  readonly appSecret: string;
  readonly downloadRefusalStatus: DownloadRefusalStatus;
  readonly expiredUserTokenCode: ExpiredUserTokenCode;
  readonly logRequests: boolean;
  readonly journalSize: number;
  readonly maxSandboxes: number;
  readonly pageTokenSecret?: string;
  /** The token `/__mock` needs; undefined only on loopback without one given (open). */
  readonly controlToken?: string;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly idleBodyTimeoutMs: number;
  /** True when no token was given and one was generated because `host` is not loopback. */
  readonly controlTokenGenerated: boolean;
  /** Known once the server listens, unless given. */
  publicUrl: string;

  constructor(options: MockFeishuOptions = {}) {
    this.port = options.port ?? OPTION_DEFAULTS.port;
    this.host = options.host ?? OPTION_DEFAULTS.host;
    this.publicUrl = (options.publicUrl ?? '').replace(/\/+$/, '');
    this.dataDir = options.dataDir;
    this.importFile = options.importFile;
    this.rateLimits = options.rateLimits ?? OPTION_DEFAULTS.rateLimits;
    this.controlPlane = options.controlPlane ?? OPTION_DEFAULTS.controlPlane;
    this.appId = options.appId ?? OPTION_DEFAULTS.appId;
    this.appSecret = options.appSecret ?? OPTION_DEFAULTS.appSecret;
    this.downloadRefusalStatus = options.downloadRefusalStatus ?? OPTION_DEFAULTS.downloadRefusalStatus;
    this.expiredUserTokenCode = options.expiredUserTokenCode ?? OPTION_DEFAULTS.expiredUserTokenCode;
    this.logRequests = options.logRequests ?? OPTION_DEFAULTS.logRequests;
    this.journalSize = options.journalSize ?? OPTION_DEFAULTS.journalSize;
    if (!Number.isInteger(this.journalSize) || this.journalSize < 1 || this.journalSize > MAX_JOURNAL_SIZE) {
      throw new RangeError(`journalSize must be an integer from 1 to ${MAX_JOURNAL_SIZE}`);
    }
    this.maxSandboxes = options.maxSandboxes ?? OPTION_DEFAULTS.maxSandboxes;
    this.pageTokenSecret = options.pageTokenSecret;
    const given = options.controlToken || undefined;
    // Beyond loopback anyone on the network could reset or read the emulator, so it is never open there.
    this.controlTokenGenerated = !given && this.controlPlane && !isLoopbackHost(this.host);
    this.controlToken = this.controlTokenGenerated ? generateControlToken() : given;
    this.headersTimeoutMs = options.headersTimeoutMs ?? OPTION_DEFAULTS.headersTimeoutMs;
    this.requestTimeoutMs = options.requestTimeoutMs ?? OPTION_DEFAULTS.requestTimeoutMs;
    this.idleBodyTimeoutMs = options.idleBodyTimeoutMs ?? OPTION_DEFAULTS.idleBodyTimeoutMs;
  }
}
