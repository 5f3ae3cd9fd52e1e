import ky, { type Options as KyOptions } from 'ky';
import { LOG_ID_HEADER, type FeishuEnvelope, type TenantAccessTokenResponse } from '../wire/index.js';
import type { ResolvedClientOptions } from '../client-options.js';
import type { RawAnswer } from './answer.js';
import { runAttempt, type CallState } from './attempt.js';
import { createTokenSource, type TokenSource } from './auth.js';
import { translateFailure } from './failure.js';
import type { ProgressListener } from './progress.js';
import { urlOf, type CallOptions, type RequestSpec } from './request-spec.js';
import { streamGet, type StreamedAnswer } from './stream-get.js';
import { judgeFailure, kyRetry, replayingFirst, type AuthenticatedCall } from './call-retry.js';

export type { BodySource, CallOptions, RequestSpec } from './request-spec.js';

/**
 * The only module that speaks HTTP to the Open Platform. ky drives calls: its `beforeRequest`
 * hook sets the token, its `retry` (limit, `shouldRetry`, `delay`) repeats a failed attempt after
 * an abortable wait (./call-retry.ts), and its `fetch` option is one attempt (./attempt.ts).
 * Feishu's rules for what to retry are the pure policy in ./retry-policy.ts. A body-less call's
 * first attempt skips ky (see `send`).
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

  /**
   * The same GET with the body as a Node stream, over node:http(s) rather than the `fetch` option
   * (./stream-get.ts says why); the transfer timeout bounds the wait for the headers.
   */
  streamUnauthenticated(url: string, { signal }: { signal?: AbortSignal } = {}): Promise<StreamedAnswer> {
    return streamGet(url, { timeoutMs: this.options.transferTimeoutMs, signal });
  }

  /**
   * One call; `auth` is absent for the token endpoint, which is neither authenticated nor retried.
   *
   * The first attempt of a call without a body goes straight to fetch, not through ky: ky costs
   * about a third more caller CPU per call (its merged options, its Request and the clone it
   * keeps for retries; tools/bench/findings.md), and such calls are most of the traffic. Only if
   * that attempt fails and is to be retried does ky take over, its first attempt replaying that
   * failure, so ky's wait and retry loop handle every retry.
   */
  private async send(
    spec: RequestSpec,
    signal: AbortSignal | undefined,
    auth: AuthenticatedCall | undefined,
  ): Promise<RawAnswer> {
    // An aborted call sends nothing, even when a cached or fixed token would let it through.
    signal?.throwIfAborted();
    const call: CallState = auth ?? { spec, signal, raw: true, attempt: 1 };
    const url = urlOf(this.options.baseUrl, spec);
    if (auth && !spec.body && spec.json === undefined) {
      try {
        const request = { url, method: spec.method, headers: new Headers() };
        await this.beforeAttempt(request, auth, auth, 0);
        await runAttempt(request, auth, this.options);
        return auth.answer!;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (!judgeFailure(auth, error, 1, this.options, this.tokens.refreshable)) throw error;
        auth.replay = error;
      }
    }
    const attempt = (request: Request) => runAttempt(request, call, this.options);
    const kyOptions: KyOptions = {
      method: spec.method,
      signal,
      timeout: false,
      throwHttpErrors: false,
      retry: auth ? kyRetry(auth, this.options, this.tokens.refreshable) : 0,
      hooks: {
        beforeRequest: [
          (request, _options, { retryCount }) =>
            // Nothing to prepare for a replayed failure: it is not sent.
            auth?.replay === undefined ? this.beforeAttempt(request, call, auth, retryCount) : undefined,
        ],
      },
      fetch: (request) => (auth ? replayingFirst(auth, attempt) : attempt)(request as Request),
    };
    try {
      await ky(url, kyOptions);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw error;
    }
    return call.answer!;
  }

  /** ky's beforeRequest hook: the token for this attempt, then the caller's hook and log line. */
  private async beforeAttempt(
    request: { headers: Headers },
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
}
