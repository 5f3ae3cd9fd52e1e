import ky from 'ky';
import {
  LOG_ID_HEADER,
  RATE_LIMIT_RESET_HEADER,
  type FeishuEnvelope,
  type FeishuErrorDetail,
  type TenantAccessTokenResponse,
} from '../wire/index.js';
import type { ResolvedClientOptions } from '../client-options.js';
import { sleep } from '../internal/sleep.js';
import { createTokenSource, type TokenSource } from './auth.js';
import { FeishuApiError, FeishuClientError, FeishuConnectionError, FeishuTimeoutError } from './errors.js';
import { decideRetry, TOKEN_REJECTED_CODES } from './retry-policy.js';

/** Options every call takes. */
export interface CallOptions {
  /** Cancels the call, including any wait between retries. */
  signal?: AbortSignal;
  /** Act as this user instead of the client's own identity. */
  userAccessToken?: string;
}

/** A request body built afresh for each attempt, since a stream can be sent only once. */
export interface BodySource {
  /** False when the body comes from a one-shot stream and so cannot be sent again. */
  replayable: boolean;
  create(): { body: BodyInit; headers: Record<string, string> };
  /**
   * Why the last body created stopped itself (a file grew past 50 MiB), if it did. fetch reports
   * such a stop as its own failure, and keeps the original only as `cause` when the error comes
   * from its own realm, so the transport asks the body instead.
   */
  failure?(): unknown;
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  body?: BodySource;
  /** Uploads get the transfer timeout; everything else the request timeout. */
  transfer?: boolean;
}

interface RawResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * The only module that speaks HTTP to the Open Platform (through ky): authentication, one
 * attempt at a time, Feishu's envelope, and the retry loop around them.
 */
export class Transport {
  private readonly tokens: TokenSource;

  constructor(private readonly options: ResolvedClientOptions) {
    this.tokens = createTokenSource(
      options.auth,
      async (path, body, signal) => {
        const response = await this.attempt({ method: 'POST', path, json: body }, undefined, signal, 1);
        return {
          status: response.status,
          body: (response.body ?? {}) as TenantAccessTokenResponse,
          logId: response.headers.get(LOG_ID_HEADER) ?? undefined,
        };
      },
      options.now,
    );
  }

  /** An authenticated call to the Open Platform; resolves with the envelope when `code` is 0. */
  async request<TData>(spec: RequestSpec, callOptions: CallOptions = {}): Promise<FeishuEnvelope<TData>> {
    const { signal, userAccessToken } = callOptions;
    const idempotent = spec.method !== 'POST';
    let retries = 0;
    let tokenRefreshed = false;
    let forceRefresh = false;
    for (let attempt = 1; ; attempt++) {
      // An aborted call sends nothing, even when a cached or fixed token would let it through.
      signal?.throwIfAborted();
      let token: string | undefined = userAccessToken;
      try {
        token ??= await this.tokens.get(forceRefresh, signal);
        forceRefresh = false;
        const response = await this.attempt(spec, token, signal, attempt);
        return this.unwrap<TData>(spec, response);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        // Fetching a token has no side effect, so its failures may be retried whatever the call.
        const duringTokenFetch = token === undefined;
        const tokenRejected =
          !duringTokenFetch &&
          error instanceof FeishuApiError &&
          TOKEN_REJECTED_CODES.includes(error.code) &&
          !userAccessToken;
        if (tokenRejected && !tokenRefreshed && this.tokens.refreshable && (spec.body?.replayable ?? true)) {
          tokenRefreshed = true;
          forceRefresh = true;
          this.announceRetry(spec, attempt, 'token_rejected', 0, error);
          continue;
        }
        const decision = decideRetry(error, {
          method: spec.method,
          idempotent: idempotent || duringTokenFetch,
          retries,
          options: this.options.retry,
        });
        if (!decision.retry || !(spec.body?.replayable ?? true)) throw error;
        retries++;
        this.announceRetry(spec, attempt, decision.reason, decision.delayMs, error);
        await sleep(decision.delayMs, signal);
      }
    }
  }

  /** A plain GET of an absolute URL with no credentials, for temporary download URLs. */
  async fetchUnauthenticated(url: string, signal?: AbortSignal): Promise<Response> {
    signal?.throwIfAborted();
    try {
      return await ky(url, {
        method: 'get',
        retry: 0,
        throwHttpErrors: false,
        timeout: this.options.transferTimeoutMs,
        signal,
        fetch: this.options.fetch,
      });
    } catch (error) {
      throw this.translateFailure(
        error,
        signal,
        'GET',
        new URL(url).pathname,
        this.options.transferTimeoutMs,
      );
    }
  }

  private async attempt(
    spec: RequestSpec,
    token: string | undefined,
    signal: AbortSignal | undefined,
    attempt: number,
  ): Promise<RawResponse> {
    const { hooks, logger } = this.options;
    const info = { method: spec.method, path: spec.path, attempt };
    hooks.beforeRequest?.(info);
    logger.debug?.(`feishu → ${spec.method} ${spec.path}`, { attempt });
    const timeout = spec.transfer ? this.options.transferTimeoutMs : this.options.requestTimeoutMs;
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (spec.body) {
      const created = spec.body.create();
      body = created.body;
      Object.assign(headers, created.headers);
    } else if (spec.json !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8';
      body = JSON.stringify(spec.json);
    }
    const searchParams: Record<string, string> = {};
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) searchParams[key] = String(value);
    }

    const started = performance.now();
    let response: Response;
    try {
      response = await ky(`${this.options.baseUrl}${spec.path}`, {
        method: spec.method.toLowerCase(),
        headers,
        body: spec.body ? undefined : body,
        searchParams,
        retry: 0,
        throwHttpErrors: false,
        timeout,
        signal,
        // ky clones every Request it sends, which tees a stream body: the unread copy would buffer
        // the whole upload in memory. So a streamed body goes straight to fetch instead.
        // Node's fetch also keeps a copy of a streamed body for redirects unless told that none will
        // be followed (`redirect: 'error'`, `window: null`); Feishu's API never redirects.
        fetch: spec.body
          ? (input, init) =>
              this.options.fetch(new Request(input as Request, { body, duplex: 'half' } as RequestInit), {
                ...init,
                redirect: 'error',
                window: null,
              })
          : this.options.fetch,
      });
    } catch (error) {
      throw this.translateFailure(spec.body?.failure?.() ?? error, signal, spec.method, spec.path, timeout);
    }
    let text: string;
    try {
      // ky's timeout ends when the headers arrive; the rest of the attempt's time bounds the body.
      const remainingMs = Math.max(1, timeout - (performance.now() - started));
      text = await readWithin(response, remainingMs, `${spec.method} ${spec.path}`, timeout);
    } catch (error) {
      // A connection cut while the body arrives is a connection error like any other (and retried as one).
      throw this.translateFailure(error, signal, spec.method, spec.path, timeout);
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    const code =
      typeof (parsed as { code?: unknown })?.code === 'number'
        ? (parsed as { code: number }).code
        : undefined;
    const durationMs = Math.round(performance.now() - started);
    const logId = response.headers.get(LOG_ID_HEADER) ?? undefined;
    hooks.afterResponse?.({ ...info, status: response.status, code, logId, durationMs });
    logger.debug?.(`feishu ← ${spec.method} ${spec.path} ${response.status}`, { code, logId, durationMs });
    return { status: response.status, headers: response.headers, body: parsed };
  }

  private unwrap<TData>(spec: RequestSpec, response: RawResponse): FeishuEnvelope<TData> {
    const body = response.body as Partial<FeishuEnvelope<TData>> & { error?: FeishuErrorDetail };
    const isEnvelope = typeof body === 'object' && body !== null && typeof body.code === 'number';
    if (isEnvelope && body.code === 0 && response.status < 400) return body as FeishuEnvelope<TData>;
    // An absent or blank header means Feishu named no wait, not a wait of 0 s.
    const resetText = response.headers.get(RATE_LIMIT_RESET_HEADER)?.trim();
    const reset = resetText ? Number(resetText) : Number.NaN;
    throw new FeishuApiError({
      httpStatus: response.status,
      code: isEnvelope ? (body.code as number) : -1,
      msg: isEnvelope
        ? String(body.msg ?? '')
        : typeof response.body === 'string'
          ? response.body.slice(0, 200)
          : 'unexpected response',
      logId: response.headers.get(LOG_ID_HEADER) ?? (isEnvelope ? body.error?.log_id : undefined),
      detail: isEnvelope ? body.error : undefined,
      request: { method: spec.method, path: spec.path },
      retryAfterSeconds: Number.isFinite(reset) && reset >= 0 ? reset : undefined,
    });
  }

  private translateFailure(
    error: unknown,
    signal: AbortSignal | undefined,
    method: string,
    path: string,
    timeoutMs: number,
  ): unknown {
    if (signal?.aborted) return signal.reason;
    if (error instanceof FeishuTimeoutError) return error;
    if ((error as { name?: unknown })?.name === 'TimeoutError') {
      return new FeishuTimeoutError(`No answer to ${method} ${path} within ${timeoutMs} ms`, timeoutMs, {
        cause: error,
      });
    }
    // A body stream that refused to go on (a file grew past 50 MiB) surfaces as fetch's cause.
    for (let cause: unknown = error; cause; cause = (cause as { cause?: unknown }).cause) {
      if (cause instanceof FeishuClientError) return cause;
    }
    return new FeishuConnectionError(
      `Could not reach Feishu for ${method} ${path}: ${(error as Error)?.message ?? error}`,
      {
        cause: error,
      },
    );
  }

  private announceRetry(
    spec: RequestSpec,
    attempt: number,
    reason: Parameters<NonNullable<ResolvedClientOptions['hooks']['beforeRetry']>>[0]['reason'],
    delayMs: number,
    error: unknown,
  ): void {
    this.options.hooks.beforeRetry?.({
      method: spec.method,
      path: spec.path,
      attempt,
      reason,
      delayMs,
      error,
    });
    this.options.logger.warn?.(`feishu retry ${spec.method} ${spec.path} after ${reason}, in ${delayMs} ms`, {
      attempt,
      code: error instanceof FeishuApiError ? error.code : undefined,
    });
  }
}

/** Reads a response body, giving up (and releasing the connection) after `ms`. */
async function readWithin(response: Response, ms: number, what: string, timeoutMs: number): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      response.body?.cancel().catch(() => undefined);
      reject(
        new FeishuTimeoutError(`The answer to ${what} did not finish within ${timeoutMs} ms`, timeoutMs),
      );
    }, ms);
  });
  try {
    return await Promise.race([response.text(), expired]);
  } finally {
    clearTimeout(timer);
  }
}
