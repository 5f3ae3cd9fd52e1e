import { FeishuErrorCode } from '../wire/index.js';
import { FeishuApiError, FeishuConnectionError, FeishuTimeoutError } from './errors.js';

export interface RetryOptions {
  /** Retries after the first attempt, for server errors, network errors and rate limits. @default 2 */
  limit?: number;
  /** First backoff delay; it doubles on each retry. @default 500 */
  baseDelayMs?: number;
  /** Cap of one backoff delay. @default 8000 */
  maxDelayMs?: number;
  /** Longest rate-limit wait honoured; a longer `x-ogw-ratelimit-reset` fails at once. @default 60000 */
  maxRateLimitWaitMs?: number;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

/** Token codes that mean "this token is no good": drop it, fetch another, try once more. */
export const TOKEN_REJECTED_CODES: readonly number[] = [
  FeishuErrorCode.InvalidTenantAccessToken,
  FeishuErrorCode.InvalidUserAccessToken,
  FeishuErrorCode.UserAccessTokenExpired,
];

export type RetryDecision =
  | { retry: false }
  | {
      retry: true;
      delayMs: number;
      reason: 'rate_limited' | 'server_error' | 'connection_error' | 'timeout';
    };

export type CallRetryDecision = RetryDecision | { retry: true; delayMs: 0; reason: 'token_rejected' };

export interface RetryContext {
  /** Calls that may safely run twice: GET, DELETE, and the token fetch, which changes nothing. */
  idempotent: boolean;
  /** Retries already made (the token replacement not counted). */
  retries: number;
  options: ResolvedRetryOptions;
  /**
   * The call's own draw from [0, 1) for the backoff's jitter, drawn once per call: every delay
   * is then a function of the retry count alone, so the delay announced is the delay ky waits.
   */
  jitter: number;
}

/** Where a call stands when an attempt failed; every field is fixed for the call. */
export interface CallRetryContext extends RetryContext {
  /** False when the body comes from a one-shot stream and so cannot be sent again. */
  replayable: boolean;
  /**
   * Whether Feishu rejecting the token may be answered with a new one: the client's own,
   * refreshable token, not replaced yet in this call.
   */
  mayReplaceToken: boolean;
}

/**
 * The whole rule for one call: a one-shot stream body is never sent again; a rejected token is
 * replaced and the call tried once more at once (not counted against `retry.limit`); anything
 * else as `decideRetry` says.
 */
export function decideCallRetry(error: unknown, call: CallRetryContext): CallRetryDecision {
  if (!call.replayable) return { retry: false };
  if (call.mayReplaceToken && error instanceof FeishuApiError && TOKEN_REJECTED_CODES.includes(error.code)) {
    return { retry: true, delayMs: 0, reason: 'token_rejected' };
  }
  return decideRetry(error, call);
}

/**
 * Whether to try a failed call again, and after how long:
 * - a rate limit (429 or 99991400), on any call: nothing was done, so even an upload may go
 *   again, after Feishu's `x-ogw-ratelimit-reset`;
 * - a server error (5xx or 1470500), a connection error or a timeout, on idempotent calls only:
 *   an upload or a create may have taken effect, and Feishu has no idempotency key for them.
 */
export function decideRetry(error: unknown, context: RetryContext): RetryDecision {
  const { options, retries } = context;
  if (retries >= options.limit) return { retry: false };

  if (error instanceof FeishuApiError) {
    if (error.httpStatus === 429 || error.code === FeishuErrorCode.RateLimited) {
      const waitMs =
        error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : backoff(context);
      if (waitMs > options.maxRateLimitWaitMs) return { retry: false };
      return { retry: true, delayMs: waitMs, reason: 'rate_limited' };
    }
    if (!context.idempotent) return { retry: false };
    if (error.httpStatus >= 500 || error.code === FeishuErrorCode.ServerError) {
      return { retry: true, delayMs: backoff(context), reason: 'server_error' };
    }
    return { retry: false };
  }
  if (!context.idempotent) return { retry: false };
  if (error instanceof FeishuTimeoutError)
    return { retry: true, delayMs: backoff(context), reason: 'timeout' };
  if (error instanceof FeishuConnectionError) {
    return { retry: true, delayMs: backoff(context), reason: 'connection_error' };
  }
  return { retry: false };
}

/**
 * Exponential backoff with up to 25 % jitter taken off, so clients that failed together spread
 * out. ky's `retry.delay` is this function, not ky's `jitter`/`backoffLimit`: ky caps after the
 * jitter, so every delay at the cap would be the same and such clients would retry in step.
 */
export function backoff({ retries, options, jitter }: RetryContext): number {
  const exponential = Math.min(options.baseDelayMs * 2 ** retries, options.maxDelayMs);
  return Math.round(exponential * (1 - 0.25 * jitter));
}
