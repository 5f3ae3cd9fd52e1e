// The option values as the packages' public types show them: no zod here. The declarations
// (mock-feishu.options.ts) type them through zod, which a consumer's strict, non-esModuleInterop
// compile could not load; mock-feishu.options.spec.ts checks that the two agree.

/** Statuses a refused download URL may answer with; Feishu does not document which it uses. */
export const DOWNLOAD_REFUSAL_STATUSES = [403, 404, 410] as const;
export type DownloadRefusalStatus = (typeof DOWNLOAD_REFUSAL_STATUSES)[number];

/**
 * Codes an expired user token may get: 99991677 ("token expire") is the documented meaning, while
 * live probes saw 99991668 for forged or expired user tokens alike (feishu-reference.md §9.1).
 */
export const EXPIRED_USER_TOKEN_CODES = [99991677, 99991668] as const;
export type ExpiredUserTokenCode = (typeof EXPIRED_USER_TOKEN_CODES)[number];

/**
 * The most recent calls the journal may keep: each entry holds up to two bodies of
 * JOURNAL_BODY_LIMIT (16 KiB), so the largest journal stays under about 330 MB (the default 1000,
 * under about 33 MB).
 */
export const MAX_JOURNAL_SIZE = 10_000;

/** The most sandboxes an emulator can be told to keep: each costs memory and, durable, a SQLite file. */
export const MAX_SANDBOXES = 10_000;

/**
 * Options of a running emulator; each has a default, so `{}` is a valid set. Each is declared once,
 * with its type, flag, environment variable, default and meaning, in OPTION_DECLARATIONS
 * (mock-feishu.options.ts), which docs/options.md lists.
 */
export interface MockFeishuOptions {
  port?: number;
  host?: string;
  publicUrl?: string;
  dataDir?: string;
  importFile?: string;
  rateLimits?: boolean;
  controlPlane?: boolean;
  controlToken?: string;
  appId?: string;
  appSecret?: string;
  downloadRefusalStatus?: DownloadRefusalStatus;
  expiredUserTokenCode?: ExpiredUserTokenCode;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  idleBodyTimeoutMs?: number;
  logRequests?: boolean;
  journalSize?: number;
  maxSandboxes?: number;
  pageTokenSecret?: string;
}
