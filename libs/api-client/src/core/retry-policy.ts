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

/** Where a call stands when an attempt failed. */
export interface CallRetryContext {
  spec: { method: string; body?: { replayable: boolean } };
  /** The call acts as a user with a token of their own, which the client cannot refresh. */
  userAccessToken?: string;
  /** The attempt's token; undefined when the attempt failed while fetching it. */
  token?: string;
  tokenRefreshed: boolean;
  /** Whether the client's token source can produce a new token. */
  refreshable: boolean;
  retries: number;
  options: ResolvedRetryOptions;
}

/**
 * The whole rule for one call: a one-shot stream body is never sent again; a rejected token is
 * replaced and the call tried once more at once (not counted against `retry.limit`); anything else
 * as `decideRetry` says, where a failed token fetch counts as idempotent since it changes nothing.
 */
export function decideCallRetry(error: unknown, call: CallRetryContext): CallRetryDecision {
  if (!(call.spec.body?.replayable ?? true)) return { retry: false };
  const duringTokenFetch = call.token === undefined;
  const tokenRejected =
    !duringTokenFetch &&
    error instanceof FeishuApiError &&
    TOKEN_REJECTED_CODES.includes(error.code) &&
    !call.userAccessToken;
  if (tokenRejected && !call.tokenRefreshed && call.refreshable) {
    return { retry: true, delayMs: 0, reason: 'token_rejected' };
  }
  return decideRetry(error, {
    method: call.spec.method,
    idempotent: call.spec.method !== 'POST' || duringTokenFetch,
    retries: call.retries,
    options: call.options,
  });
}

export interface RetryContext {
  method: string;
  /** Calls that may safely run twice (GET, DELETE). */
  idempotent: boolean;
  /** Retries already made. */
  retries: number;
  options: ResolvedRetryOptions;
  random?: () => number;
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
 * out. Computed here rather than by ky's `delay`/`jitter`/`backoffLimit`: ky caps after the
 * jitter, so every delay at the cap would be the same and such clients would retry in step.
 */
export function backoff({ retries, options, random = Math.random }: RetryContext): number {
  const exponential = Math.min(options.baseDelayMs * 2 ** retries, options.maxDelayMs);
  return Math.round(exponential * (1 - 0.25 * random()));
}
