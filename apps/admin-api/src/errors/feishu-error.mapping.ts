import {
  FeishuErrorCode,
  isFeishuApiError,
  isFeishuConnectionError,
  isFeishuDownloadError,
  isFeishuTimeoutError,
  isFeishuValidationError,
  type FeishuApiError,
} from '@feishu-attachments/api-client';
import type { ErrorDetailDto } from './error.dto.js';

/** An error as this service answers it: status, body and any extra headers. */
export interface Problem {
  status: number;
  message: string;
  feishu?: { code: number; msg: string; logId?: string };
  headers?: Record<string, string>;
}

export interface MappingContext {
  /** Whether the call was made with the caller's X-Feishu-User-Access-Token. */
  userTokenGiven: boolean;
  /** Where Feishu was expected, for "unreachable" messages. */
  feishuBaseUrl: string;
}

const TENANT_TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
// Task v2 codes (147xxxx) come from the task service itself, so the caller was let through the gateway.
const TASK_API_CODE = /^147\d{4}$/;

/** Whether Feishu's answer proves that the token was accepted (used by the health check). */
export const provesAuthenticated = (error: FeishuApiError): boolean =>
  TASK_API_CODE.test(String(error.code)) ||
  error.code === FeishuErrorCode.AppScopeRequired ||
  error.code === FeishuErrorCode.UserScopeRequired ||
  isRateLimit(error);

export const isRateLimit = (error: FeishuApiError): boolean =>
  error.httpStatus === 429 || error.code === FeishuErrorCode.RateLimited;

/** The app's own credentials were refused by the token endpoint. */
export const isAppCredentialRejection = (error: FeishuApiError): boolean =>
  error.code === FeishuErrorCode.AuthInvalidParam ||
  error.code === FeishuErrorCode.AuthAppSecretInvalid ||
  // Other auth v3 codes (an app that was disabled, say) are refusals of the credentials too.
  (error.request.path === TENANT_TOKEN_PATH && error.httpStatus < 500 && error.code > 0);

/**
 * Maps what the Feishu client throws to this service's answers. Feishu's own words go into
 * `feishu.msg`; `message` says what it means for the operator.
 */
export function feishuProblem(error: unknown, context: MappingContext): Problem | undefined {
  if (isFeishuValidationError(error)) return { status: 400, message: error.message };
  if (isFeishuTimeoutError(error)) {
    return {
      status: 504,
      message: `Feishu is unreachable: ${context.feishuBaseUrl} did not answer within ${error.timeoutMs} ms.`,
    };
  }
  if (isFeishuConnectionError(error)) {
    return {
      status: 502,
      message: `Feishu is unreachable: could not connect to ${context.feishuBaseUrl}.`,
    };
  }
  if (isFeishuDownloadError(error)) {
    return {
      status: 502,
      message: `Feishu's download host refused the attachment's download URL (HTTP ${error.httpStatus}), even a fresh one.`,
    };
  }
  if (isFeishuApiError(error)) return apiProblem(error, context);
  return undefined;
}

function apiProblem(error: FeishuApiError, context: MappingContext): Problem {
  const feishu = { code: error.code, msg: error.msg, ...(error.logId ? { logId: error.logId } : {}) };
  const said = error.msg ? `: ${error.msg}` : '.';

  if (isRateLimit(error)) {
    const seconds = Math.max(1, Math.ceil(error.retryAfterSeconds ?? 1));
    return {
      status: 429,
      message: `Feishu's rate limit was reached; try again in ${seconds} s.`,
      feishu,
      headers: { 'Retry-After': String(seconds) },
    };
  }
  const userTokenRejected =
    error.code === FeishuErrorCode.InvalidUserAccessToken ||
    error.code === FeishuErrorCode.UserAccessTokenExpired ||
    (error.code === FeishuErrorCode.InvalidTenantAccessToken && context.userTokenGiven);
  if (userTokenRejected) {
    return {
      status: 401,
      message:
        error.code === FeishuErrorCode.UserAccessTokenExpired
          ? 'Feishu says the user access token in X-Feishu-User-Access-Token has expired; refresh it.'
          : 'Feishu rejected the user access token in X-Feishu-User-Access-Token.',
      feishu,
    };
  }
  if (isAppCredentialRejection(error)) {
    return {
      status: 502,
      message: `Feishu rejected this service's app credentials (check FEISHU_APP_ID and FEISHU_APP_SECRET)${said}`,
      feishu,
    };
  }
  if (
    error.code === FeishuErrorCode.InvalidTenantAccessToken ||
    error.code === FeishuErrorCode.MissingAccessToken
  ) {
    return { status: 502, message: `Feishu rejected this service's tenant access token${said}`, feishu };
  }
  if (error.code === FeishuErrorCode.AppScopeRequired || error.code === FeishuErrorCode.UserScopeRequired) {
    const scopes = error.permissionViolations.map((violation) => violation.subject).join(' or ');
    const who = error.code === FeishuErrorCode.AppScopeRequired ? 'The Feishu app' : 'The Feishu user';
    return {
      status: 403,
      message: `${who} lacks the permission this call needs${scopes ? ` (${scopes})` : ''}.`,
      feishu,
    };
  }
  if ([400, 403, 404].includes(error.httpStatus)) {
    return {
      status: error.httpStatus,
      message: error.msg || `Feishu answered HTTP ${error.httpStatus}.`,
      feishu,
    };
  }
  if (error.httpStatus >= 500) {
    return { status: 502, message: `Feishu failed with HTTP ${error.httpStatus}${said}`, feishu };
  }
  return {
    status: 502,
    message: `Feishu answered unexpectedly (HTTP ${error.httpStatus}, code ${error.code})${said}`,
    feishu,
  };
}

export const problemDetail = (problem: Problem): ErrorDetailDto => ({
  status: problem.status,
  message: problem.message,
  ...(problem.feishu ? { feishu: problem.feishu } : {}),
});
