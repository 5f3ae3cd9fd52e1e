import { SetMetadata } from '@nestjs/common';
import { Scope } from '@feishu-attachments/api-client/wire';

export interface OperationSpec {
  /** Operation id, as used by fault rules, rate limits and the journal (e.g. `attachment.upload`). */
  name: string;
  /** Whether the gateway's bearer check applies. */
  authenticated: boolean;
  /** Any one of these scopes admits the call. */
  scopes: readonly string[];
}

export const OPERATION_METADATA = 'mock-feishu:operation';

/** Marks a handler as part of the emulated surface: faults, auth, scopes and rate limits apply. */
export const FeishuOperation = (name: string, scopes: readonly string[]) =>
  SetMetadata(OPERATION_METADATA, { name, authenticated: true, scopes } satisfies OperationSpec);

/** An emulated endpoint that needs no token (auth endpoints, download URLs): only faults apply. */
export const PublicFeishuOperation = (name: string) =>
  SetMetadata(OPERATION_METADATA, { name, authenticated: false, scopes: [] } satisfies OperationSpec);

/** Feishu: any one of the listed scopes admits the call (task-v2 attachment docs, "权限要求"). */
export const OperationScopes = {
  attachmentRead: [Scope.AttachmentRead, Scope.AttachmentWrite],
  attachmentWrite: [Scope.AttachmentWrite],
  taskRead: [Scope.TaskRead, Scope.TaskWrite],
  taskWrite: [Scope.TaskWrite],
  /** Authenticated by the app's tenant token, with no API scope (the legacy oidc token routes). */
  none: [],
} as const;
