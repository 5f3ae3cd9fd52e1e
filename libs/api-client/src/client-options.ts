import type { FeishuAuth } from './core/auth.js';
import type { ResolvedRetryOptions, RetryOptions } from './core/retry-policy.js';

/** Where the client's log lines go; any console-like object works. */
export interface FeishuLogger {
  debug?(message: string, meta?: Record<string, unknown>): void;
  info?(message: string, meta?: Record<string, unknown>): void;
  warn?(message: string, meta?: Record<string, unknown>): void;
  error?(message: string, meta?: Record<string, unknown>): void;
}

export interface RequestInfo {
  method: string;
  /** Path without the query, e.g. `/open-apis/task/v2/attachments/…`. */
  path: string;
  /** 1 for the first try, 2 for the first retry, … */
  attempt: number;
}

export interface RetryInfo extends RequestInfo {
  reason: 'rate_limited' | 'server_error' | 'connection_error' | 'timeout' | 'token_rejected';
  delayMs: number;
  error: unknown;
}

export interface ResponseInfo extends RequestInfo {
  status: number;
  code?: number;
  logId?: string;
  durationMs: number;
}

/** Hooks see every attempt; they cannot change it. Token values never reach them. */
export interface FeishuHooks {
  beforeRequest?(info: RequestInfo): void;
  afterResponse?(info: ResponseInfo): void;
  beforeRetry?(info: RetryInfo): void;
}

export interface FeishuClientOptions {
  /**
   * Base URL of the Open Platform: Feishu, Lark, or an emulator on any port.
   * @default 'https://open.feishu.cn'
   */
  baseUrl?: string;
  /** App credentials, a fixed token, or a token provider. */
  auth: FeishuAuth;
  timeouts?: {
    /** Per attempt for metadata calls (tokens, tasks, list, get, delete). @default 10000 */
    requestMs?: number;
    /**
     * Per attempt for uploads and downloads: sending the whole upload, or receiving a download's
     * headers (the download body then streams with no limit). @default 300000
     */
    transferMs?: number;
  };
  retry?: RetryOptions;
  /** A fetch to use instead of the global one (tests, proxies, instrumentation). */
  fetch?: typeof fetch;
  hooks?: FeishuHooks;
  logger?: FeishuLogger;
  /** Clock for the tenant token's and the held download URLs' expiry. @default Date.now */
  now?: () => number;
}

export interface ResolvedClientOptions {
  baseUrl: string;
  auth: FeishuAuth;
  requestTimeoutMs: number;
  transferTimeoutMs: number;
  retry: ResolvedRetryOptions;
  fetch: typeof fetch;
  hooks: FeishuHooks;
  logger: FeishuLogger;
  now: () => number;
}

export const DEFAULT_BASE_URL = 'https://open.feishu.cn';

/** Every default in one place. The library reads no environment variables. */
export function resolveClientOptions(options: FeishuClientOptions): ResolvedClientOptions {
  if (!options || !options.auth) throw new TypeError('createFeishuClient: `auth` is required');
  return {
    baseUrl: (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, ''),
    auth: options.auth,
    requestTimeoutMs: options.timeouts?.requestMs ?? 10_000,
    transferTimeoutMs: options.timeouts?.transferMs ?? 300_000,
    retry: {
      limit: options.retry?.limit ?? 2,
      baseDelayMs: options.retry?.baseDelayMs ?? 500,
      maxDelayMs: options.retry?.maxDelayMs ?? 8000,
      maxRateLimitWaitMs: options.retry?.maxRateLimitWaitMs ?? 60_000,
    },
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    hooks: options.hooks ?? {},
    logger: options.logger ?? {},
    now: options.now ?? Date.now,
  };
}
