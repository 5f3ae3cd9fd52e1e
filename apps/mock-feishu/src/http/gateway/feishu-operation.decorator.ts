import { SetMetadata } from '@nestjs/common';
import { Scope } from '@feishu-attachments/api-client/wire';

/**
 * Every operation of the emulated surface, by the id fault rules, rate limits and the journal use;
 * the decorators below take only these, so a fault rule naming anything else is refused.
 */
export const FEISHU_OPERATIONS = [
  'attachment.delete',
  'attachment.get',
  'attachment.list',
  'attachment.upload',
  'auth.appAccessToken',
  'auth.tenantAccessToken',
  'authen.oauthToken',
  'authen.oidcAccessToken',
  'authen.oidcRefreshAccessToken',
  'download',
  'subtask.create',
  'subtask.list',
  'task.addMembers',
  'task.create',
  'task.delete',
  'task.get',
  'task.list',
  'task.patch',
  'task.removeMembers',
] as const;
export type FeishuOperationName = (typeof FEISHU_OPERATIONS)[number];

export interface OperationSpec {
  /** Operation id, as used by fault rules, rate limits and the journal (e.g. `attachment.upload`). */
  name: FeishuOperationName;
  /** Whether the gateway's bearer check applies. */
  authenticated: boolean;
  /** Any one of these scopes admits the call. */
  scopes: readonly string[];
  /** Only a user access token is accepted (`@UserTokenOnly()`). */
  userTokenOnly?: boolean;
}

export const OPERATION_METADATA = 'mock-feishu:operation';
export const USER_TOKEN_ONLY_METADATA = 'mock-feishu:user-token-only';

/** Marks a handler as part of the emulated surface: faults, auth, scopes and rate limits apply. */
export const FeishuOperation = (name: FeishuOperationName, scopes: readonly string[]) =>
  SetMetadata(OPERATION_METADATA, { name, authenticated: true, scopes } satisfies OperationSpec);

/** An emulated endpoint that needs no token (auth endpoints, download URLs): only faults apply. */
export const PublicFeishuOperation = (name: FeishuOperationName) =>
  SetMetadata(OPERATION_METADATA, { name, authenticated: false, scopes: [] } satisfies OperationSpec);

/**
 * An operation Feishu offers to user access tokens only (oapi-sdk-go's resource gives it only the
 * user-token option): a tenant token is refused before its scopes are looked at.
 */
export const UserTokenOnly = () => SetMetadata(USER_TOKEN_ONLY_METADATA, true);

/** Feishu: any one of the listed scopes admits the call (task-v2 attachment docs, "权限要求"). */
export const OperationScopes = {
  attachmentRead: [Scope.AttachmentRead, Scope.AttachmentWrite],
  attachmentWrite: [Scope.AttachmentWrite],
  taskRead: [Scope.TaskRead, Scope.TaskWrite],
  taskWrite: [Scope.TaskWrite],
  /** Authenticated by the app's tenant token, with no API scope (the legacy oidc token routes). */
  none: [],
} as const;
