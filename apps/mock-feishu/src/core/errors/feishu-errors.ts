import {
  FeishuErrorCode,
  MAX_FILE_BYTES,
  MAX_FILES_PER_UPLOAD,
  RATE_LIMIT_LIMIT_HEADER,
  RATE_LIMIT_RESET_HEADER,
} from '@feishu-attachments/api-client/wire';
import { FeishuError } from './feishu-error.js';

/**
 * Feishu's link to its troubleshooting search, for the answer's log id (the filter supplies it).
 * Real links end with `&method_id=<the API's id>`, which the emulator has no real value for (docs/fidelity.md).
 */
const troubleshooter = (code: number) => (logId: string) =>
  `排查建议查看(Troubleshooting suggestions): https://open.feishu.cn/search?from=openapi&log_id=${logId}&code=${code}`;

/**
 * "Parameters missing or wrong" in Feishu's generic table (S11): what the emulator answers when
 * Node's HTTP parser refuses a request. That happens before any route, off the documented API
 * surface, so the code is not in the wire vocabulary.
 */
const GATEWAY_INVALID_REQUEST = 99992402;

/** The one catalog of errors the emulator answers with: status, code and message per case. */
export const FeishuErrors = {
  // Task v2 (task-v2/overview): the reason goes in `msg`, in the style "Invalid Param '<name>', <reason>."
  invalidParam: (name: string, reason: string) =>
    new FeishuError(400, FeishuErrorCode.InvalidParam, `Invalid Param '${name}', ${reason}.`),
  invalidRequest: (reason: string) => new FeishuError(400, FeishuErrorCode.InvalidParam, reason),
  permissionDenied: (what: string) =>
    new FeishuError(403, FeishuErrorCode.PermissionDenied, `Permission denied: ${what}.`),
  taskNotFound: () =>
    new FeishuError(404, FeishuErrorCode.NotFound, 'The task does not exist or has been deleted.'),
  attachmentNotFound: () =>
    new FeishuError(404, FeishuErrorCode.NotFound, 'The attachment does not exist or has been deleted.'),
  // Feishu does not document a refused download URL; the status is configurable (docs/fidelity.md).
  downloadRefused: (status: number, msg: string) =>
    new FeishuError(
      status,
      status === 403 ? FeishuErrorCode.PermissionDenied : FeishuErrorCode.NotFound,
      msg,
    ),
  // A stored attachment whose header Node cannot write (only reachable through old state).
  downloadUnwritable: (header: string) =>
    new FeishuError(
      500,
      FeishuErrorCode.ServerError,
      `The attachment cannot be downloaded: its ${header} header cannot be written; the URL was not used.`,
    ),
  serverError: () =>
    new FeishuError(500, FeishuErrorCode.ServerError, 'Internal server error, please retry.'),
  // Task v2 (task-v2/overview, 幂等调用): a concurrent call with the same client_token; HTTP 500 as S8 lists it.
  clientTokenInFlight: () =>
    new FeishuError(
      500,
      FeishuErrorCode.ConcurrentClientToken,
      'A request with the same client_token is being processed; retry once it has finished.',
    ),
  // Not documented: what Feishu's gateway answers a body no upload could have (docs/fidelity.md, assumed).
  uploadTooLarge: (declared: number, max: number) =>
    new FeishuError(
      413,
      FeishuErrorCode.InvalidParam,
      `Invalid Param 'file', the request body is ${declared} bytes; an upload is at most ${max} bytes ` +
        `(${MAX_FILES_PER_UPLOAD} files of at most ${MAX_FILE_BYTES} bytes each, and their fields).`,
    ),
  // Not documented: how Feishu cuts a request whose body stops coming (docs/fidelity.md, assumed).
  bodyStalled: (idleMs: number) =>
    new FeishuError(
      408,
      FeishuErrorCode.InvalidParam,
      `The request body stalled: no bytes for ${idleMs} ms. Send the body without pauses.`,
    ),

  // Gateway (server-docs/api-call-guide/generic-error-code; statuses observed live)
  missingAccessToken: () =>
    new FeishuError(
      400,
      FeishuErrorCode.MissingAccessToken,
      'Missing access token for authorization. Please make a request with token attached.',
      { kind: 'envelope', detail: { troubleshooter: troubleshooter(FeishuErrorCode.MissingAccessToken) } },
    ),
  invalidTenantAccessToken: () =>
    new FeishuError(
      400,
      FeishuErrorCode.InvalidTenantAccessToken,
      'Invalid access token for authorization. Please make a request with token attached.',
      {
        kind: 'envelope',
        detail: { troubleshooter: troubleshooter(FeishuErrorCode.InvalidTenantAccessToken) },
      },
    ),
  invalidUserAccessToken: () =>
    new FeishuError(
      400,
      FeishuErrorCode.InvalidUserAccessToken,
      'Invalid access token for authorization. Please make a request with token attached.',
      {
        kind: 'envelope',
        detail: { troubleshooter: troubleshooter(FeishuErrorCode.InvalidUserAccessToken) },
      },
    ),
  // S11: 99991663 is also the answer of an API that does not take tenant tokens ("not support");
  // the status and wording are assumed (docs/fidelity.md, parity step `task-list-tenant-token`).
  tenantTokenNotSupported: () =>
    new FeishuError(
      400,
      FeishuErrorCode.InvalidTenantAccessToken,
      'Tenant access token not support: this API takes a user access token only.',
      {
        kind: 'envelope',
        detail: { troubleshooter: troubleshooter(FeishuErrorCode.InvalidTenantAccessToken) },
      },
    ),
  userAccessTokenExpired: () =>
    new FeishuError(
      400,
      FeishuErrorCode.UserAccessTokenExpired,
      'The user access token has expired. Please refresh it and try again.',
      {
        kind: 'envelope',
        detail: { troubleshooter: troubleshooter(FeishuErrorCode.UserAccessTokenExpired) },
      },
    ),
  appScopeRequired: (appId: string, scopes: readonly string[]) =>
    new FeishuError(
      400,
      FeishuErrorCode.AppScopeRequired,
      `Access denied. One of the following scopes is required: [${scopes.join(', ')}].` +
        `应用尚未开通所需的应用身份权限：[${scopes.join(', ')}]，点击链接申请并开通任一权限即可：` +
        `https://open.feishu.cn/app/${appId}/auth?q=${scopes.join(',')}&op_from=openapi&token_type=tenant`,
      {
        kind: 'envelope',
        detail: {
          troubleshooter: troubleshooter(FeishuErrorCode.AppScopeRequired),
          permission_violations: scopes.map((subject) => ({ type: 'action_scope_required', subject })),
        },
      },
    ),
  userScopeRequired: (scopes: readonly string[]) =>
    new FeishuError(
      400,
      FeishuErrorCode.UserScopeRequired,
      'Unauthorized. You do not have permission to perform the requested operation on the resource. ' +
        `Please request user re-authorization and try again. required one of these privileges: [${scopes.join(', ')}].` +
        `应用未获取所需的用户授权：[${scopes.join(', ')}]`,
      {
        kind: 'envelope',
        detail: {
          troubleshooter: troubleshooter(FeishuErrorCode.UserScopeRequired),
          permission_violations: scopes.map((subject) => ({ type: 'action_privilege_required', subject })),
        },
      },
    ),
  rateLimited: (limit: number, resetSeconds: number) =>
    new FeishuError(
      429,
      FeishuErrorCode.RateLimited,
      'request trigger frequency limit',
      { kind: 'envelope' },
      {
        [RATE_LIMIT_LIMIT_HEADER]: String(limit),
        [RATE_LIMIT_RESET_HEADER]: String(resetSeconds),
      },
    ),
  faultNotFound: () =>
    new FeishuError(404, FeishuErrorCode.NotFound, 'The fault rule does not exist or was used up.'),
  sandboxNotFound: (id: string) =>
    new FeishuError(404, FeishuErrorCode.NotFound, `The sandbox ${id} does not exist or has been deleted.`),
  // Not Feishu's: the bound on live sandboxes (--max-sandboxes), in the control plane's shape.
  tooManySandboxes: (limit: number) =>
    new FeishuError(
      409,
      FeishuErrorCode.InvalidParam,
      `Too many sandboxes: ${limit} are live (--max-sandboxes); delete one (DELETE /__mock/sandboxes/<id>) first.`,
    ),
  journalEntryNotFound: () =>
    new FeishuError(
      404,
      FeishuErrorCode.NotFound,
      'The journal entry does not exist or has left the journal.',
    ),
  // Not Feishu's: the control plane's own access rule (--control-token), in the gateway's shape.
  controlTokenRequired: () =>
    new FeishuError(
      401,
      FeishuErrorCode.MissingAccessToken,
      'The control plane needs its control token: send Authorization: Bearer <control token>.',
      { kind: 'envelope' },
      { 'WWW-Authenticate': 'Bearer realm="mock-feishu control plane"' },
    ),
  // Not Feishu's: the control plane refuses to overwrite seeded state unless told to.
  alreadyExists: (field: 'app_id' | 'open_id', value: string) =>
    new FeishuError(
      409,
      FeishuErrorCode.InvalidParam,
      `Conflict: ${field} ${value} already exists; send "replace": true to overwrite it.`,
    ),
  // Not Feishu's: what only a page on another site sends to a local emulator (gateway/cross-site.guard.ts).
  misdirectedHost: (host: string) =>
    new FeishuError(
      421,
      GATEWAY_INVALID_REQUEST,
      `Misdirected request: this emulator listens on loopback and answers only loopback names and its ` +
        `public URL's host, not Host '${host.slice(0, 100)}' (a page on another site, or DNS rebinding).`,
    ),
  crossSiteOrigin: (origin: string) =>
    new FeishuError(
      403,
      GATEWAY_INVALID_REQUEST,
      `Forbidden: requests from web pages of another origin are refused (Origin '${origin.slice(0, 100)}'). ` +
        'Scripts, SDKs and curl send no Origin; the inspector page is served from the emulator itself.',
    ),
  controlBodyNotJson: () =>
    new FeishuError(
      415,
      FeishuErrorCode.InvalidParam,
      'Unsupported Media Type: control-plane calls take an application/json body (or none).',
    ),
  routeNotFound: () => new FeishuError(404, 0, '404 page not found', { kind: 'text' }),
  // What Node's HTTP parser refuses before any route (assumed: Feishu's gateway answers JSON 400s).
  malformedHttpRequest: () =>
    new FeishuError(400, GATEWAY_INVALID_REQUEST, 'Bad request: the HTTP request is malformed.'),
  headersTooLarge: () =>
    new FeishuError(431, GATEWAY_INVALID_REQUEST, 'Request header fields too large: send smaller headers.'),
  requestTimeout: () =>
    new FeishuError(408, GATEWAY_INVALID_REQUEST, 'Request timeout: the request did not arrive in time.'),

  // auth v3 token endpoints answer HTTP 200 with a non-zero code (empirical)
  authInvalidParam: () =>
    new FeishuError(200, FeishuErrorCode.AuthInvalidParam, 'invalid param', {
      kind: 'flat',
      extra: { data: {} },
    }),
  authAppSecretInvalid: () =>
    new FeishuError(200, FeishuErrorCode.AuthAppSecretInvalid, 'app secret invalid', { kind: 'flat' }),

  // authen v2 OAuth token endpoint (authentication-management/get-user-access-token)
  oauth: (code: number, error: string, description: string, status = 400) =>
    new FeishuError(status, code, description, { kind: 'oauth', error }),
  /** The legacy v1 oidc routes answer OAuth v2's codes in the gateway's envelope (assumed). */
  inOidcEnvelope: (oauthError: FeishuError) => new FeishuError(400, oauthError.code, oauthError.msg),
  oauthMalformedRequest: () =>
    new FeishuError(400, FeishuErrorCode.OAuthMalformedRequest, 'The request is malformed.', {
      kind: 'oauth',
      error: 'invalid_request',
    }),
} as const;
