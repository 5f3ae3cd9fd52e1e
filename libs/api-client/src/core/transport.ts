import ky, { isHTTPError, type KyInstance, type Options as KyOptions } from 'ky';
import { LOG_ID_HEADER, type FeishuEnvelope, type TenantAccessTokenResponse } from '../wire/index.js';
import type { ResolvedClientOptions } from '../client-options.js';
import { createTokenSource, type TokenSource } from './auth.js';
import { judgeAnswer, reportAttempt, retryFor, type Call } from './call.hooks.js';
import { readingFetch, sendingBody, type KyFetch, type ReadAnswer } from './exchange.fetch.js';
import { translateFailure } from './failure.js';
import type { ProgressListener } from './progress.js';
import { urlOf, type CallOptions, type RequestSpec } from './request-spec.js';

export type { BodySource, CallOptions, RequestSpec } from './request-spec.js';

/**
 * The only module that speaks HTTP. Every attempt of every call goes through ky: its timeout,
 * its retry (limit, methods, `shouldRetry`, `delay`, the abortable wait) and its hooks, where
 * Feishu's rules live (./call.hooks.ts; the rules themselves are the pure ./retry-policy.ts).
 */
export class Transport {
  /** API calls: JSON answers read whole (./exchange.fetch.ts) and judged by the hooks. */
  private readonly api: KyInstance;
  private readonly exchange: KyFetch;
  /** Temporary download URLs: no token, no retry, the body left to stream. */
  private readonly downloads: KyInstance;
  private readonly tokens: TokenSource;

  constructor(private readonly options: ResolvedClientOptions) {
    this.exchange = readingFetch(options.fetch);
    this.api = ky.create({
      fetch: this.exchange,
      timeout: options.requestTimeoutMs,
      hooks: {
        beforeRequest: [reportAttempt(options)],
        afterResponse: [
          judgeAnswer(options, (call, attempts, retries) => this.withNewToken(call, attempts, retries)),
        ],
      },
    });
    // ky's timeout bounds the wait for the headers; the body then streams for as long as it takes.
    this.downloads = ky.create({ fetch: options.fetch, timeout: options.transferTimeoutMs, retry: 0 });
    this.tokens = createTokenSource(
      options.auth,
      async (path, body) => {
        // Fetching a token changes nothing, so it is retried like a GET, even for an upload.
        const spec: RequestSpec = { method: 'POST', path, json: body, idempotent: true };
        const answer = await this.send(spec, { mayReplaceToken: false, attemptsBefore: 0, retriesBefore: 0 });
        return {
          status: answer.status,
          body: (answer.parsed ?? {}) as TenantAccessTokenResponse,
          logId: answer.headers.get(LOG_ID_HEADER) ?? undefined,
        };
      },
      options.now,
    );
  }

  /** An authenticated call to the Open Platform; resolves with the envelope when `code` is 0. */
  async request<TData>(
    spec: RequestSpec,
    { signal, userAccessToken }: CallOptions = {},
  ): Promise<FeishuEnvelope<TData>> {
    // An aborted call sends nothing, even when a cached or fixed token would let it through.
    signal?.throwIfAborted();
    const token = userAccessToken ?? (await this.tokens.get(false, signal));
    const answer = await this.send(spec, {
      signal,
      token,
      // A user's own token cannot be refreshed by the client, nor can a fixed one.
      mayReplaceToken: !userAccessToken && this.tokens.refreshable,
      attemptsBefore: 0,
      retriesBefore: 0,
    });
    return answer.parsed as FeishuEnvelope<TData>;
  }

  /**
   * A plain GET of a temporary download URL, with no credentials: its code is the credential.
   * Throws ky's HTTPError when the download host refuses (the caller reads its status), and the
   * client's errors otherwise. Progress events are ky's, counted as the caller reads the body.
   */
  async download(
    url: string,
    { signal, onDownloadProgress }: { signal?: AbortSignal; onDownloadProgress?: ProgressListener } = {},
  ): Promise<Response> {
    signal?.throwIfAborted();
    try {
      return await this.downloads(url, { signal, onDownloadProgress });
    } catch (error) {
      if (isHTTPError(error)) throw error;
      const request = { method: 'GET', path: new URL(url).pathname };
      throw translateFailure(error, signal, request, this.options.transferTimeoutMs);
    }
  }

  /** One call through ky; ky's errors come out as the client's (./failure.ts). */
  private async send(
    spec: RequestSpec,
    from: Omit<Call, 'spec' | 'jitter' | 'timeoutMs'>,
  ): Promise<ReadAnswer> {
    from.signal?.throwIfAborted();
    const timeoutMs = spec.transfer ? this.options.transferTimeoutMs : this.options.requestTimeoutMs;
    const call: Call = { ...from, spec, jitter: Math.random(), timeoutMs };
    const headers: Record<string, string> = {};
    if (call.token !== undefined) headers.authorization = `Bearer ${call.token}`;
    if (spec.json !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    const kyOptions: KyOptions = {
      method: spec.method,
      headers,
      json: spec.json,
      signal: call.signal,
      timeout: timeoutMs,
      retry: retryFor(call, this.options),
      context: call as unknown as Record<string, unknown>,
    };
    if (spec.body) kyOptions.fetch = sendingBody(spec.body, this.exchange);
    try {
      return (await this.api(urlOf(this.options.baseUrl, spec), kyOptions)) as ReadAnswer;
    } catch (error) {
      throw translateFailure(error, call.signal, spec, timeoutMs);
    }
  }

  /** A call whose token Feishu rejected, sent once more with a new one; it cannot be replaced again. */
  private async withNewToken(call: Call, attempts: number, retries: number): Promise<ReadAnswer> {
    const token = await this.tokens.get(true, call.signal);
    return this.send(call.spec, {
      signal: call.signal,
      token,
      mayReplaceToken: false,
      attemptsBefore: attempts,
      retriesBefore: retries,
    });
  }
}
