import type { FeishuErrorDetail, FeishuViolation } from '../wire/index.js';

/** Base of every error this client throws; branch on the subclasses or the `is…` guards. */
export class FeishuClientError extends Error {
  override name: string = 'FeishuClientError';
}

/**
 * Feishu answered with a non-zero `code`, whatever the HTTP status (Feishu sends some failures
 * with HTTP 200). Branch on `code`, e.g. `error.code === FeishuErrorCode.NotFound`.
 */
export class FeishuApiError extends FeishuClientError {
  override name = 'FeishuApiError' as const;
  /** HTTP status of the answer. */
  readonly httpStatus: number;
  /** Feishu's `code`; -1 when the body was not Feishu JSON (e.g. the gateway's text 404). */
  readonly code: number;
  readonly msg: string;
  /** From the `X-Tt-Logid` header (or `error.log_id`): quote it to Feishu support. */
  readonly logId?: string;
  /** Missing scopes, for 99991672 / 99991679. */
  readonly permissionViolations: FeishuViolation[];
  /** The body's `error` object, as sent. */
  readonly detail?: FeishuErrorDetail;
  /** Method and path of the call, without the query. */
  readonly request: { method: string; path: string };
  /** Seconds Feishu asked to wait (`x-ogw-ratelimit-reset`), on rate limits. */
  readonly retryAfterSeconds?: number;

  constructor(init: {
    httpStatus: number;
    code: number;
    msg: string;
    logId?: string;
    detail?: FeishuErrorDetail;
    request: { method: string; path: string };
    retryAfterSeconds?: number;
  }) {
    super(
      `Feishu API error ${init.code} (HTTP ${init.httpStatus}) on ${init.request.method} ${init.request.path}: ${init.msg}`,
    );
    this.httpStatus = init.httpStatus;
    this.code = init.code;
    this.msg = init.msg;
    this.logId = init.logId;
    this.detail = init.detail;
    this.permissionViolations = init.detail?.permission_violations ?? [];
    this.request = init.request;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** The request never got an answer: refused, reset, DNS, TLS, or none in time. `cause` holds the underlying error. */
export class FeishuConnectionError extends FeishuClientError {
  override name: 'FeishuConnectionError' | 'FeishuTimeoutError' = 'FeishuConnectionError';
}

/**
 * No answer within the timeout: a connection error too, since either way the call got no answer
 * (code that handles "Feishu unreachable" catches both). `cause` holds the underlying error.
 */
export class FeishuTimeoutError extends FeishuConnectionError {
  override name = 'FeishuTimeoutError' as const;
  constructor(
    message: string,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The call was refused before any request was sent (too many files, a file too large, a bad guid). */
export class FeishuValidationError extends FeishuClientError {
  override name = 'FeishuValidationError' as const;
}

/** A download URL could not be used even after fetching a fresh one. */
export class FeishuDownloadError extends FeishuClientError {
  override name = 'FeishuDownloadError' as const;
  constructor(
    message: string,
    readonly httpStatus: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// The guards also check `name`, since `instanceof` fails across realms and duplicate installs.
const hasName = (error: unknown, name: string): boolean =>
  typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;

export const isFeishuClientError = (error: unknown): error is FeishuClientError =>
  error instanceof FeishuClientError ||
  [
    'FeishuClientError',
    'FeishuApiError',
    'FeishuConnectionError',
    'FeishuTimeoutError',
    'FeishuValidationError',
    'FeishuDownloadError',
  ].some((name) => hasName(error, name));
export const isFeishuApiError = (error: unknown): error is FeishuApiError =>
  error instanceof FeishuApiError || hasName(error, 'FeishuApiError');
export const isFeishuConnectionError = (error: unknown): error is FeishuConnectionError =>
  error instanceof FeishuConnectionError ||
  hasName(error, 'FeishuConnectionError') ||
  hasName(error, 'FeishuTimeoutError');
export const isFeishuTimeoutError = (error: unknown): error is FeishuTimeoutError =>
  error instanceof FeishuTimeoutError || hasName(error, 'FeishuTimeoutError');
export const isFeishuValidationError = (error: unknown): error is FeishuValidationError =>
  error instanceof FeishuValidationError || hasName(error, 'FeishuValidationError');
export const isFeishuDownloadError = (error: unknown): error is FeishuDownloadError =>
  error instanceof FeishuDownloadError || hasName(error, 'FeishuDownloadError');
