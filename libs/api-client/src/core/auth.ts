import {
  ACCESS_TOKEN_REISSUE_WINDOW_SECONDS,
  FeishuPath,
  type TenantAccessTokenResponse,
} from '../wire/index.js';
import { FeishuApiError } from './errors.js';

/** How the client authenticates its calls. */
export type FeishuAuth =
  /** A self-built app: the client fetches, caches and refreshes `tenant_access_token` itself. */
  | { appId: string; appSecret: string }
  /** A token you manage; the client cannot refresh it. */
  | { tenantAccessToken: string }
  | { userAccessToken: string }
  /**
   * Your own source of tokens. `forceRefresh` is true after Feishu rejected the previous token:
   * return a new one then.
   */
  | { getToken: (context: { forceRefresh: boolean; signal?: AbortSignal }) => Promise<string> | string };

/** Fetches the tenant token endpoint; provided by the transport so this file stays free of HTTP details. */
export type TokenFetcher = (
  path: string,
  body: Record<string, string>,
  signal?: AbortSignal,
) => Promise<{ status: number; body: TenantAccessTokenResponse; logId?: string }>;

export interface TokenSource {
  /** A token to send; `forceRefresh` replaces one that Feishu rejected. */
  get(forceRefresh: boolean, signal?: AbortSignal): Promise<string>;
  /** Whether `get(true)` can produce a different token than the one rejected. */
  readonly refreshable: boolean;
}

export function createTokenSource(
  auth: FeishuAuth,
  fetchToken: TokenFetcher,
  now: () => number,
): TokenSource {
  if ('appId' in auth) return new TenantTokenCache(auth.appId, auth.appSecret, fetchToken, now);
  if ('tenantAccessToken' in auth) return fixed(auth.tenantAccessToken);
  if ('userAccessToken' in auth) return fixed(auth.userAccessToken);
  return {
    refreshable: true,
    get: async (forceRefresh, signal) => auth.getToken({ forceRefresh, signal }),
  };
}

const fixed = (token: string): TokenSource => ({ refreshable: false, get: async () => token });

/**
 * One tenant token per client and app. It is replaced once fewer than 30 minutes remain, since
 * that is when Feishu starts handing out a new one, and only one fetch runs at a time.
 */
class TenantTokenCache implements TokenSource {
  readonly refreshable = true;
  private token?: { value: string; refreshAt: number };
  private inFlight?: Promise<string>;

  constructor(
    private readonly appId: string,
    private readonly appSecret: string,
    private readonly fetchToken: TokenFetcher,
    private readonly now: () => number,
  ) {}

  async get(forceRefresh: boolean, signal?: AbortSignal): Promise<string> {
    if (forceRefresh) this.token = undefined;
    if (this.token && this.now() < this.token.refreshAt) return this.token.value;
    // Callers share the fetch, but not its cancellation: one caller's abort must not fail the others.
    this.inFlight ??= this.fetch().finally(() => {
      this.inFlight = undefined;
    });
    return signal ? raceAbort(this.inFlight, signal) : this.inFlight;
  }

  private async fetch(): Promise<string> {
    const { status, body, logId } = await this.fetchToken(FeishuPath.TenantAccessToken, {
      app_id: this.appId,
      app_secret: this.appSecret,
    });
    if (body.code !== 0 || !body.tenant_access_token || typeof body.expire !== 'number') {
      throw new FeishuApiError({
        httpStatus: status,
        code: typeof body.code === 'number' ? body.code : -1,
        msg: body.msg ?? 'no tenant_access_token in the response',
        logId,
        request: { method: 'POST', path: FeishuPath.TenantAccessToken },
      });
    }
    const lifetimeMs = body.expire * 1000;
    const marginMs = Math.min(ACCESS_TOKEN_REISSUE_WINDOW_SECONDS * 1000, lifetimeMs / 2);
    this.token = { value: body.tenant_access_token, refreshAt: this.now() + lifetimeMs - marginMs };
    return body.tenant_access_token;
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
