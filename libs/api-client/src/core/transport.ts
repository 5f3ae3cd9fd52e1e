import ky, { type Options as KyOptions } from 'ky';
import { LOG_ID_HEADER, type FeishuEnvelope, type TenantAccessTokenResponse } from '../wire/index.js';
import type { ResolvedClientOptions, RetryInfo } from '../client-options.js';
import type { RawAnswer } from './answer.js';
import { runAttempt, type CallState } from './attempt.js';
import { createTokenSource, type TokenSource } from './auth.js';
import { FeishuApiError } from './errors.js';
import { translateFailure } from './failure.js';
import type { ProgressListener } from './progress.js';
import { urlOf, type CallOptions, type RequestSpec } from './request-spec.js';
import { decideCallRetry } from './retry-policy.js';

export type { BodySource, CallOptions, RequestSpec } from './request-spec.js';

/** A call's state, plus what only authenticated calls need. */
interface AuthenticatedCall extends CallState {
  readonly userAccessToken?: string;
  /** The token of the current attempt; undefined while it is being fetched. */
  token?: string;
  /** Set after Feishu rejected the token: the next attempt asks for a new one. */
  forceRefresh: boolean;
  tokenRefreshed: boolean;
  /** Retries made, counted against `retry.limit` (the one token refresh is not). */
  retries: number;
  /** The wait the policy chose for the coming retry, which ky's `retry.delay` hands back to ky. */
  delayMs: number;
}

// Every method is retriable to ky: which calls may go again is the policy's to say (an upload
// may, after a rate limit), and ky checks `methods` before it asks `shouldRetry`.
const ALL_METHODS = ['get', 'post', 'delete'];

/**
 * The only module that speaks HTTP to the Open Platform. ky drives each call: its `beforeRequest`
 * hook sets the token, its `retry` (limit, `shouldRetry`, `delay`) repeats a failed attempt after
 * an abortable wait, and its `fetch` option is one attempt (./attempt.ts). Feishu's rules for
 * what to retry are the pure policy in ./retry-policy.ts; `shouldRetry` applies it.
 */
export class Transport {
  private readonly tokens: TokenSource;

  constructor(private readonly options: ResolvedClientOptions) {
    this.tokens = createTokenSource(
      options.auth,
      async (path, body, signal) => {
        const answer = await this.send({ method: 'POST', path, json: body }, signal, undefined);
        return {
          status: answer.status,
          body: (answer.body ?? {}) as TenantAccessTokenResponse,
          logId: answer.headers.get(LOG_ID_HEADER) ?? undefined,
        };
      },
      options.now,
    );
  }

  /** An authenticated call to the Open Platform; resolves with the envelope when `code` is 0. */
  async request<TData>(spec: RequestSpec, callOptions: CallOptions = {}): Promise<FeishuEnvelope<TData>> {
    const call: AuthenticatedCall = {
      spec,
      signal: callOptions.signal,
      raw: false,
      attempt: 1,
      userAccessToken: callOptions.userAccessToken,
      forceRefresh: false,
      tokenRefreshed: false,
      retries: 0,
      delayMs: 0,
    };
    await this.send(spec, call.signal, call);
    return call.envelope as FeishuEnvelope<TData>;
  }

  /** A plain GET of an absolute URL with no credentials, for temporary download URLs. */
  async fetchUnauthenticated(
    url: string,
    { signal, onDownloadProgress }: { signal?: AbortSignal; onDownloadProgress?: ProgressListener } = {},
  ): Promise<Response> {
    signal?.throwIfAborted();
    const timeout = this.options.transferTimeoutMs;
    try {
      // ky's own timeout fits here: it bounds the wait for the headers, and the body then streams
      // for as long as it takes. Its progress events count the body as the caller reads it.
      return await ky(url, {
        method: 'get',
        retry: 0,
        throwHttpErrors: false,
        timeout,
        signal,
        fetch: this.options.fetch,
        onDownloadProgress,
      });
    } catch (error) {
      throw translateFailure(error, signal, { method: 'GET', path: new URL(url).pathname }, timeout);
    }
  }

  /** One call through ky; `auth` is absent for the token endpoint, which is neither authenticated nor retried. */
  private async send(
    spec: RequestSpec,
    signal: AbortSignal | undefined,
    auth: AuthenticatedCall | undefined,
  ): Promise<RawAnswer> {
    // An aborted call sends nothing, even when a cached or fixed token would let it through.
    signal?.throwIfAborted();
    const call: CallState = auth ?? { spec, signal, raw: true, attempt: 1 };
    const kyOptions: KyOptions = {
      method: spec.method,
      signal,
      timeout: false,
      throwHttpErrors: false,
      retry: auth ? this.retryOptions(auth) : 0,
      hooks: {
        beforeRequest: [
          (request, _options, { retryCount }) => this.beforeAttempt(request, call, auth, retryCount),
        ],
      },
      fetch: (request) => runAttempt(request as Request, call, this.options),
    };
    try {
      await ky(urlOf(this.options.baseUrl, spec), kyOptions);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw error;
    }
    return call.answer!;
  }

  /**
   * ky's retry, with Feishu's rules in `shouldRetry`. It always answers true or false, so ky's own
   * defaults (status codes, Retry-After headers, no retry on timeout) never apply: Feishu names its
   * failures in the body, even with HTTP 200, and its wait in `x-ogw-ratelimit-reset`.
   */
  private retryOptions(call: AuthenticatedCall): KyOptions['retry'] {
    return {
      // ky's limit is a ceiling; the policy counts retries itself, leaving out the token refresh.
      limit: this.options.retry.limit + 1,
      methods: ALL_METHODS,
      shouldRetry: ({ error, retryCount }) => this.shouldRetry(call, error, retryCount),
      // ky's delay sees only the attempt count, while Feishu names its wait in each answer
      // (x-ogw-ratelimit-reset): the policy chooses the wait with the retry, and ky waits it.
      delay: () => call.delayMs,
    };
  }

  /** ky's beforeRequest hook: the token for this attempt, then the caller's hook and log line. */
  private async beforeAttempt(
    request: Request,
    call: CallState,
    auth: AuthenticatedCall | undefined,
    retryCount: number,
  ): Promise<void> {
    call.signal?.throwIfAborted();
    call.attempt = retryCount + 1;
    if (auth) {
      auth.token = auth.userAccessToken;
      if (auth.token === undefined) {
        const token = await this.tokens.get(auth.forceRefresh, auth.signal);
        auth.forceRefresh = false;
        auth.token = token;
      }
      request.headers.set('authorization', `Bearer ${auth.token}`);
    }
    const { method, path } = call.spec;
    this.options.hooks.beforeRequest?.({ method, path, attempt: call.attempt });
    this.options.logger.debug?.(`feishu → ${method} ${path}`, { attempt: call.attempt });
  }

  /**
   * ky's shouldRetry: the policy's answer, announced here rather than in ky's beforeRetry hook,
   * which runs after the wait, while `hooks.beforeRetry` names the wait before it starts (and
   * the caller may cancel during it).
   */
  private shouldRetry(call: AuthenticatedCall, error: unknown, retryCount: number): boolean {
    if (call.signal?.aborted) return false;
    const decision = decideCallRetry(error, {
      ...call,
      refreshable: this.tokens.refreshable,
      options: this.options.retry,
    });
    if (!decision.retry) return false;
    if (decision.reason === 'token_rejected') {
      call.tokenRefreshed = true;
      call.forceRefresh = true;
    } else {
      call.retries++;
    }
    call.delayMs = decision.delayMs;
    this.announceRetry(call, retryCount, decision.reason, decision.delayMs, error);
    return true;
  }

  private announceRetry(
    call: CallState,
    attempt: number,
    reason: RetryInfo['reason'],
    delayMs: number,
    error: unknown,
  ): void {
    const { method, path } = call.spec;
    this.options.hooks.beforeRetry?.({ method, path, attempt, reason, delayMs, error });
    this.options.logger.warn?.(`feishu retry ${method} ${path} after ${reason}, in ${delayMs} ms`, {
      attempt,
      code: error instanceof FeishuApiError ? error.code : undefined,
    });
  }
}
