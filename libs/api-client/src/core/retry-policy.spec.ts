import { FeishuErrorCode } from '../wire/index.js';
import {
  FeishuApiError,
  FeishuConnectionError,
  FeishuTimeoutError,
  FeishuValidationError,
} from './errors.js';
import {
  backoff,
  decideCallRetry,
  decideRetry,
  type CallRetryContext,
  type RetryContext,
} from './retry-policy.js';

const options = { limit: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRateLimitWaitMs: 5000 };
const context = (overrides: Partial<RetryContext> = {}): RetryContext => ({
  idempotent: true,
  retries: 0,
  options,
  jitter: 0,
  ...overrides,
});
const apiError = (httpStatus: number, code: number, retryAfterSeconds?: number) =>
  new FeishuApiError({
    httpStatus,
    code,
    msg: 'x',
    request: { method: 'GET', path: '/p' },
    retryAfterSeconds,
  });

describe('backoff', () => {
  it('doubles the base delay on each retry until the cap', () => {
    const delays = [0, 1, 2, 3, 4, 5].map((retries) => backoff(context({ retries })));
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('takes at most a quarter off as jitter', () => {
    expect(backoff(context({ retries: 2, jitter: 1 }))).toBe(300);
    expect(backoff(context({ retries: 2, jitter: 0.5 }))).toBe(350);
    expect(backoff(context({ retries: 9, jitter: 1 }))).toBe(750);
  });
});

describe('decideRetry', () => {
  it('retries a GET after an HTTP 500 with the backoff delay', () => {
    expect(decideRetry(apiError(500, FeishuErrorCode.ServerError), context({ retries: 1 }))).toEqual({
      retry: true,
      delayMs: 200,
      reason: 'server_error',
    });
  });

  it('treats HTTP 200 with code 1470500 as a server error', () => {
    expect(decideRetry(apiError(200, FeishuErrorCode.ServerError), context())).toEqual({
      retry: true,
      delayMs: 100,
      reason: 'server_error',
    });
  });

  it('retries connection errors and timeouts on idempotent calls', () => {
    expect(decideRetry(new FeishuConnectionError('refused'), context())).toMatchObject({
      retry: true,
      reason: 'connection_error',
    });
    expect(decideRetry(new FeishuTimeoutError('slow', 50), context())).toMatchObject({
      retry: true,
      reason: 'timeout',
    });
  });

  it('never retries a POST after a server error, a connection error or a timeout', () => {
    const post = context({ idempotent: false });
    expect(decideRetry(apiError(500, FeishuErrorCode.ServerError), post)).toEqual({ retry: false });
    expect(decideRetry(apiError(200, FeishuErrorCode.ServerError), post)).toEqual({ retry: false });
    expect(decideRetry(new FeishuConnectionError('reset'), post)).toEqual({ retry: false });
    expect(decideRetry(new FeishuTimeoutError('slow', 50), post)).toEqual({ retry: false });
  });

  it('waits the x-ogw-ratelimit-reset seconds on a rate limit, even for a POST', () => {
    const post = context({ idempotent: false });
    expect(decideRetry(apiError(429, FeishuErrorCode.RateLimited, 2), post)).toEqual({
      retry: true,
      delayMs: 2000,
      reason: 'rate_limited',
    });
  });

  it('treats HTTP 400 with code 99991400 as a rate limit and backs off when no reset is given', () => {
    expect(decideRetry(apiError(400, FeishuErrorCode.RateLimited), context({ retries: 2 }))).toEqual({
      retry: true,
      delayMs: 400,
      reason: 'rate_limited',
    });
  });

  it('gives up at once when the rate-limit reset is longer than maxRateLimitWaitMs', () => {
    expect(decideRetry(apiError(429, FeishuErrorCode.RateLimited, 6), context())).toEqual({ retry: false });
    expect(decideRetry(apiError(429, FeishuErrorCode.RateLimited, 5), context())).toMatchObject({
      retry: true,
      delayMs: 5000,
    });
  });

  it('stops once the retry limit is used up, whatever the error', () => {
    const spent = context({ retries: 3 });
    expect(decideRetry(apiError(500, FeishuErrorCode.ServerError), spent)).toEqual({ retry: false });
    expect(decideRetry(apiError(429, FeishuErrorCode.RateLimited, 1), spent)).toEqual({ retry: false });
    expect(decideRetry(new FeishuConnectionError('refused'), spent)).toEqual({ retry: false });
  });

  it('does not retry client errors, permission errors or anything that is not a Feishu failure', () => {
    expect(decideRetry(apiError(400, FeishuErrorCode.InvalidParam), context())).toEqual({ retry: false });
    expect(decideRetry(apiError(403, FeishuErrorCode.PermissionDenied), context())).toEqual({ retry: false });
    expect(decideRetry(apiError(404, FeishuErrorCode.NotFound), context())).toEqual({ retry: false });
    expect(decideRetry(new FeishuValidationError('bad guid'), context())).toEqual({ retry: false });
    expect(decideRetry(new TypeError('a bug'), context())).toEqual({ retry: false });
  });
});

describe('decideCallRetry', () => {
  const call = (overrides: Partial<CallRetryContext> = {}): CallRetryContext => ({
    ...context(),
    replayable: true,
    mayReplaceToken: true,
    ...overrides,
  });
  const rejected = apiError(400, FeishuErrorCode.InvalidTenantAccessToken);

  it('replaces a rejected token and tries again at once, even with no retries left', () => {
    expect(decideCallRetry(rejected, call({ retries: 3 }))).toEqual({
      retry: true,
      delayMs: 0,
      reason: 'token_rejected',
    });
    for (const code of [FeishuErrorCode.InvalidUserAccessToken, FeishuErrorCode.UserAccessTokenExpired]) {
      expect(decideCallRetry(apiError(400, code), call())).toMatchObject({ reason: 'token_rejected' });
    }
  });

  it('does not replace a token that may not be replaced', () => {
    // The transport says which: only the client's own refreshable token, and only once per call.
    // The public cases (once, fixed tokens, user tokens) are in auth.spec.ts.
    expect(decideCallRetry(rejected, call({ mayReplaceToken: false }))).toEqual({ retry: false });
  });

  it('never sends a one-shot stream body again, even after a rate limit', () => {
    const oneShot = call({ idempotent: false, replayable: false });
    expect(decideCallRetry(apiError(429, FeishuErrorCode.RateLimited, 1), oneShot)).toEqual({ retry: false });
    expect(decideCallRetry(rejected, oneShot)).toEqual({ retry: false });
  });

  it('retries a POST that changes nothing, like the token fetch, after a connection error; not an upload', () => {
    const post = (idempotent: boolean) => call({ idempotent });
    expect(decideCallRetry(new FeishuConnectionError('refused'), post(true))).toMatchObject({
      retry: true,
      reason: 'connection_error',
    });
    expect(decideCallRetry(new FeishuConnectionError('refused'), post(false))).toEqual({ retry: false });
  });

  it('retries a timeout as a timeout, not as the connection error it also is', () => {
    expect(decideCallRetry(new FeishuTimeoutError('slow', 50), call())).toMatchObject({ reason: 'timeout' });
  });
});
