/**
 * The Feishu `code` values this surface uses. Sources: the Task v2 overview (147xxxx), the
 * generic error-code table and the gateway (9999xxxx), and the auth docs (1000x, 200xx).
 */
export const FeishuErrorCode = {
  Success: 0,

  // Task v2 (task-v2/overview)
  InvalidParam: 1470400,
  PermissionDenied: 1470403,
  NotFound: 1470404,
  ServerError: 1470500,
  /** HTTP 500: a call with the same `client_token` is still running (task create, subtask create). */
  ConcurrentClientToken: 1470422,

  // Gateway (server-docs/api-call-guide/generic-error-code)
  RateLimited: 99991400,
  MissingAccessToken: 99991661,
  InvalidTenantAccessToken: 99991663,
  InvalidUserAccessToken: 99991668,
  AppScopeRequired: 99991672,
  UserAccessTokenExpired: 99991677,
  UserScopeRequired: 99991679,

  // auth v3 (empirical: HTTP 200 with these codes)
  AuthInvalidParam: 10003,
  AuthAppSecretInvalid: 10014,

  // authen v2 OAuth token (authentication-management/get-user-access-token)
  OAuthMissingParam: 20001,
  OAuthInvalidClientSecret: 20002,
  OAuthCodeNotFound: 20003,
  OAuthCodeExpired: 20004,
  OAuthClientMismatch: 20024,
  OAuthRefreshTokenInvalid: 20026,
  OAuthUnsupportedGrantType: 20036,
  OAuthRefreshTokenExpired: 20037,
  OAuthAppNotFound: 20048,
  OAuthMalformedRequest: 20063,
  OAuthCodeAlreadyUsed: 20065,
  OAuthRefreshTokenAlreadyUsed: 20073,
  /** HTTP 500 `server_error`: retry. Documented; the emulator does not produce it. */
  OAuthServerError: 20050,
} as const;

export type FeishuErrorCode = (typeof FeishuErrorCode)[keyof typeof FeishuErrorCode];
