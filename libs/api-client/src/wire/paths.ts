/** Paths of the Feishu OpenAPI surface; `:name` marks a path parameter. */
export const FeishuPath = {
  TenantAccessToken: '/open-apis/auth/v3/tenant_access_token/internal',
  AppAccessToken: '/open-apis/auth/v3/app_access_token/internal',
  OAuthToken: '/open-apis/authen/v2/oauth/token',
  /** Legacy (authen v1) user-token routes, still what the official node-sdk's `client.userAccessToken` calls. */
  OidcAccessToken: '/open-apis/authen/v1/oidc/access_token',
  OidcRefreshAccessToken: '/open-apis/authen/v1/oidc/refresh_access_token',
  Tasks: '/open-apis/task/v2/tasks',
  Task: '/open-apis/task/v2/tasks/:task_guid',
  TaskAddMembers: '/open-apis/task/v2/tasks/:task_guid/add_members',
  TaskRemoveMembers: '/open-apis/task/v2/tasks/:task_guid/remove_members',
  TaskSubtasks: '/open-apis/task/v2/tasks/:task_guid/subtasks',
  Attachments: '/open-apis/task/v2/attachments',
  AttachmentUpload: '/open-apis/task/v2/attachments/upload',
  Attachment: '/open-apis/task/v2/attachments/:attachment_guid',
} as const;

/** OAuth scopes that gate the attachment and task calls. */
export const Scope = {
  AttachmentRead: 'task:attachment:read',
  AttachmentWrite: 'task:attachment:write',
  TaskRead: 'task:task:read',
  TaskWrite: 'task:task:write',
} as const;
export type Scope = (typeof Scope)[keyof typeof Scope];
