import { Scope } from '@feishu-attachments/api-client/wire';
import { randomBytes } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

/** Every scope the emulated surface checks; the default app has all of them. */
export const ALL_SCOPES: readonly string[] = Object.values(Scope);

export const DEFAULT_APP_ID = 'cli_mock_app';
export const DEFAULT_APP_SECRET = 'mock_app_secret';
export const DEFAULT_PORT = 3100;
export const DEFAULT_HOST = '127.0.0.1';

/** How long the server waits for a request's headers, its whole request, and an upload's next byte. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 60_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_IDLE_BODY_TIMEOUT_MS = 30_000;
/**
 * How many recent calls the journal keeps by default, and at most: each entry holds up to two
 * bodies of JOURNAL_BODY_LIMIT (16 KiB), so the largest journal stays under about 330 MB and the
 * default under about 33 MB.
 */
export const DEFAULT_JOURNAL_SIZE = 1000;
export const MAX_JOURNAL_SIZE = 10_000;

/** Statuses a refused download URL may answer with; Feishu does not document which it uses. */
export const DOWNLOAD_REFUSAL_STATUSES = [403, 404, 410] as const;
export type DownloadRefusalStatus = (typeof DOWNLOAD_REFUSAL_STATUSES)[number];

/**
 * Codes an expired user token may get: 99991677 ("token expire") is the documented meaning, while
 * live probes saw 99991668 for forged or expired user tokens alike (feishu-api.md §9.1).
 */
export const EXPIRED_USER_TOKEN_CODES = [99991677, 99991668] as const;
export type ExpiredUserTokenCode = (typeof EXPIRED_USER_TOKEN_CODES)[number];

/** Options of a running emulator; each has a default, so `{}` is a valid set. */
export interface MockFeishuOptions {
  /** TCP port; 0 picks a free one. @default 3100 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /**
   * Base URL that download URLs point at, for containers and proxies.
   * @default the address the emulator listens on
   */
  publicUrl?: string;
  /**
   * Folder for durable state: metadata in SQLite, bytes as files, one emulator at a time. Every
   * task, attachment, token, URL and the clock survive a restart or a crash.
   * @default none: state in memory, bytes in a temporary folder removed on close
   */
  dataDir?: string;
  /** A snapshot file (from `GET /__mock/snapshot`) to start from; the data dir must be empty. */
  importFile?: string;
  /** Enforce Feishu's per-API rate limits. @default true */
  rateLimits?: boolean;
  /** Serve the `/__mock` control plane. @default true */
  controlPlane?: boolean;
  /** The seeded app's credentials. @default cli_mock_app / mock_app_secret */
  appId?: string;
  appSecret?: string;
  /** Status of a download URL that expired or was used up. @default 403 */
  downloadRefusalStatus?: DownloadRefusalStatus;
  /** Code of the 400 an expired user token gets. @default 99991677 */
  expiredUserTokenCode?: ExpiredUserTokenCode;
  /** Log one line per request. @default false */
  logRequests?: boolean;
  /** How many recent calls the journal keeps, 1–10 000 (MAX_JOURNAL_SIZE). @default 1000 */
  journalSize?: number;
  /** Secret that signs page tokens. @default random per process */
  pageTokenSecret?: string;
  /**
   * When set, every `/__mock` route (the inspector page included) needs `Authorization: Bearer
   * <controlToken>`; the page takes it once as `/__mock/ui/?token=…`.
   * @default none on loopback (open); a random one when `host` is any other address
   */
  controlToken?: string;
  /** Time for a request's headers to arrive (Node's `server.headersTimeout`); 0 turns it off. @default 60000 */
  headersTimeoutMs?: number;
  /** Time for a whole request to arrive (Node's `server.requestTimeout`); 0 turns it off. @default 600000 */
  requestTimeoutMs?: number;
  /** A request (an upload, a JSON body) whose body sends nothing for this long is cut with a 408; 0 turns it off. @default 30000 */
  idleBodyTimeoutMs?: number;
}

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

/** The options with every default applied, shared with the whole app through DI. */
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
    this.port = options.port ?? DEFAULT_PORT;
    this.host = options.host ?? DEFAULT_HOST;
    this.publicUrl = (options.publicUrl ?? '').replace(/\/+$/, '');
    this.dataDir = options.dataDir;
    this.importFile = options.importFile;
    this.rateLimits = options.rateLimits ?? true;
    this.controlPlane = options.controlPlane ?? true;
    this.appId = options.appId ?? DEFAULT_APP_ID;
    this.appSecret = options.appSecret ?? DEFAULT_APP_SECRET;
    this.downloadRefusalStatus = options.downloadRefusalStatus ?? 403;
    this.expiredUserTokenCode = options.expiredUserTokenCode ?? 99991677;
    this.logRequests = options.logRequests ?? false;
    this.journalSize = options.journalSize ?? DEFAULT_JOURNAL_SIZE;
    if (!Number.isInteger(this.journalSize) || this.journalSize < 1 || this.journalSize > MAX_JOURNAL_SIZE) {
      throw new RangeError(`journalSize must be an integer from 1 to ${MAX_JOURNAL_SIZE}`);
    }
    this.pageTokenSecret = options.pageTokenSecret;
    const given = options.controlToken || undefined;
    // Beyond loopback anyone on the network could reset or read the emulator, so it is never open there.
    this.controlTokenGenerated = !given && this.controlPlane && !isLoopbackHost(this.host);
    this.controlToken = this.controlTokenGenerated ? generateControlToken() : given;
    this.headersTimeoutMs = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.idleBodyTimeoutMs = options.idleBodyTimeoutMs ?? DEFAULT_IDLE_BODY_TIMEOUT_MS;
  }
}
