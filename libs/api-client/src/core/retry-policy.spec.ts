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
const noJitter = () => 0;
const context = (overrides: Partial<RetryContext> = {}): RetryContext => ({
  method: 'GET',
  idempotent: true,
  retries: 0,
  options,
  random: noJitter,
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
    expect(backoff(context({ retries: 2, random: () => 1 }))).toBe(300);
    expect(backoff(context({ retries: 2, random: () => 0.5 }))).toBe(350);
    expect(backoff(context({ retries: 9, random: () => 1 }))).toBe(750);
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
    const post = context({ method: 'POST', idempotent: false });
    expect(decideRetry(apiError(500, FeishuErrorCode.ServerError), post)).toEqual({ retry: false });
    expect(decideRetry(apiError(200, FeishuErrorCode.ServerError), post)).toEqual({ retry: false });
    expect(decideRetry(new FeishuConnectionError('reset'), post)).toEqual({ retry: false });
    expect(decideRetry(new FeishuTimeoutError('slow', 50), post)).toEqual({ retry: false });
  });

  it('waits the x-ogw-ratelimit-reset seconds on a rate limit, even for a POST', () => {
    const post = context({ method: 'POST', idempotent: false });
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
    spec: { method: 'GET' },
    token: 't-1',
    tokenRefreshed: false,
    refreshable: true,
    retries: 0,
    options,
    ...overrides,
  });
  const rejected = apiError(400, FeishuErrorCode.InvalidTenantAccessToken);

  it('replaces a rejected token and tries again at once, even with no retries left', () => {
    expect(decideCallRetry(rejected, call({ retries: 3 }))).toEqual({
      retry: true,
      delayMs: 0,
      reason: 'token_rejected',
    });
  });

  it('replaces a rejected token only once, only for refreshable auth, never for a user token', () => {
    expect(decideCallRetry(rejected, call({ tokenRefreshed: true }))).toEqual({ retry: false });
    expect(decideCallRetry(rejected, call({ refreshable: false }))).toEqual({ retry: false });
    expect(decideCallRetry(rejected, call({ userAccessToken: 'u-1' }))).toEqual({ retry: false });
  });

  it('never sends a one-shot stream body again, even after a rate limit', () => {
    const oneShot = call({ spec: { method: 'POST', body: { replayable: false } } });
    expect(decideCallRetry(apiError(429, FeishuErrorCode.RateLimited, 1), oneShot)).toEqual({ retry: false });
    expect(decideCallRetry(rejected, oneShot)).toEqual({ retry: false });
  });

  it('retries a POST whose token fetch failed, since fetching a token changes nothing', () => {
    const post = (token?: string) => call({ spec: { method: 'POST', body: { replayable: true } }, token });
    expect(decideCallRetry(new FeishuConnectionError('refused'), post(undefined))).toMatchObject({
      retry: true,
      reason: 'connection_error',
    });
    expect(decideCallRetry(new FeishuConnectionError('refused'), post('t-1'))).toEqual({ retry: false });
  });
});
