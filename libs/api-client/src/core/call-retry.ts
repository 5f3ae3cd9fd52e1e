import type { Options as KyOptions } from 'ky';
import type { ResolvedClientOptions } from '../client-options.js';
import type { CallState } from './attempt.js';
import { FeishuApiError } from './errors.js';
import { decideCallRetry } from './retry-policy.js';

/** An authenticated call's state from attempt to attempt. */
export interface AuthenticatedCall extends CallState {
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
  /** A failure of the first attempt, made before ky took over, which ky's first attempt replays. */
  replay?: unknown;
  /** That failure once replayed, until ky's `shouldRetry` has seen it. */
  replayed?: unknown;
}

// Every method is retriable to ky: which calls may go again is the policy's to say (an upload
// may, after a rate limit), and ky checks `methods` before it asks `shouldRetry`.
const ALL_METHODS = ['get', 'post', 'delete'];

/**
 * Whether a failed attempt goes again, by the policy in ./retry-policy.ts, and if so after how
 * long. A retry is announced here, to `hooks.beforeRetry` and the logger, rather than in ky's
 * beforeRetry hook: that one runs after the wait, while the client's hook names the wait before
 * it starts (and the caller may cancel during it).
 */
export function judgeFailure(
  call: AuthenticatedCall,
  error: unknown,
  attempt: number,
  options: ResolvedClientOptions,
  refreshable: boolean,
): boolean {
  if (call.signal?.aborted) return false;
  const decision = decideCallRetry(error, { ...call, refreshable, options: options.retry });
  if (!decision.retry) return false;
  if (decision.reason === 'token_rejected') {
    call.tokenRefreshed = true;
    call.forceRefresh = true;
  } else {
    call.retries++;
  }
  call.delayMs = decision.delayMs;
  const { method, path } = call.spec;
  const { reason, delayMs } = decision;
  options.hooks.beforeRetry?.({ method, path, attempt, reason, delayMs, error });
  options.logger.warn?.(`feishu retry ${method} ${path} after ${reason}, in ${delayMs} ms`, {
    attempt,
    code: error instanceof FeishuApiError ? error.code : undefined,
  });
  return true;
}

/**
 * ky's retry, with Feishu's rules in `shouldRetry`. It always answers true or false, so ky's own
 * defaults (status codes, Retry-After headers, no retry on timeout) never apply: Feishu names its
 * failures in the body, even with HTTP 200, and its wait in `x-ogw-ratelimit-reset`.
 */
export function kyRetry(
  call: AuthenticatedCall,
  options: ResolvedClientOptions,
  refreshable: boolean,
): KyOptions['retry'] {
  return {
    // ky's limit is a ceiling; the policy counts retries itself, leaving out the token refresh.
    limit: options.retry.limit + 1,
    methods: ALL_METHODS,
    shouldRetry: ({ error, retryCount }) => {
      // The replayed first failure was judged already, and its retry announced.
      if (call.replayed !== undefined && error === call.replayed) {
        call.replayed = undefined;
        return true;
      }
      return judgeFailure(call, error, retryCount, options, refreshable);
    },
    // ky's delay sees only the attempt count, while Feishu names its wait in each answer
    // (x-ogw-ratelimit-reset): the policy chose the wait with the retry, and ky waits it. (ky's
    // maxRetryAfter would shorten a long wait; Feishu's rule, retry.maxRateLimitWaitMs, is to
    // fail at once instead, which the policy does.)
    delay: () => call.delayMs,
  };
}

/** ky's `fetch` for a call whose first attempt already failed: the first time, that failure again. */
export function replayingFirst(call: AuthenticatedCall, attempt: (request: Request) => Promise<Response>) {
  return (request: Request): Promise<Response> => {
    if (call.replay === undefined) return attempt(request);
    call.replayed = call.replay;
    call.replay = undefined;
    return Promise.reject(call.replayed);
  };
}
