export {
  ACCESS_TOKEN_REISSUE_WINDOW_SECONDS,
  ACCESS_TOKEN_TTL_SECONDS,
  AUTHORIZATION_CODE_TTL_MS,
  CLIENT_TOKEN_MAX_LENGTH,
  CLIENT_TOKEN_MIN_LENGTH,
  DOWNLOAD_URL_MAX_USES,
  DOWNLOAD_URL_TTL_MS,
  MAX_FILE_BYTES,
  MAX_FILES_PER_UPLOAD,
  MAX_RESOURCE_ID_LENGTH,
  MAX_TASK_DESCRIPTION_LENGTH,
  MAX_TASK_EXTRA_LENGTH,
  MAX_TASK_MEMBERS,
  MAX_TASK_REMINDERS,
  MAX_TASK_SUMMARY_LENGTH,
  PAGE_SIZE_DEFAULT,
  PAGE_SIZE_MAX,
  PAGE_SIZE_MIN,
  REFRESH_TOKEN_TTL_SECONDS,
} from './limits.js';
export { FeishuErrorCode } from './error-codes.js';
export type { FeishuEnvelope, FeishuErrorDetail, FeishuViolation } from './envelope.js';
export { LOG_ID_HEADER, RATE_LIMIT_LIMIT_HEADER, RATE_LIMIT_RESET_HEADER } from './envelope.js';
export type { Member, MemberType, TaskMemberRole, UserIdType } from './member.js';
export { DEFAULT_USER_ID_TYPE, TASK_MEMBER_ROLES, USER_ID_TYPES } from './member.js';
export type {
  Attachment,
  AttachmentResource,
  GetAttachmentData,
  ResourceType,
  UploadAttachmentsData,
} from './attachment.js';
export { DEFAULT_RESOURCE_TYPE, RESOURCE_TYPES, UploadField } from './attachment.js';
export type { ListAttachmentsQuery, Page } from './page.js';
export type {
  CreateTaskBody,
  I18nText,
  ListTasksQuery,
  PatchableTaskField,
  PatchTaskBody,
  SubtaskData,
  Task,
  TaskCustomComplete,
  TaskCustomCompleteItem,
  TaskCustomFieldValue,
  TaskData,
  TaskInput,
  TaskInTasklist,
  TaskMemberInput,
  TaskMembersBody,
  TaskOrigin,
  TaskReminder,
  TaskTime,
} from './task.js';
export { PATCHABLE_TASK_FIELDS } from './task.js';
export type {
  AppAccessTokenResponse,
  InternalTokenRequest,
  OAuthTokenRequest,
  OAuthTokenResponse,
  OidcTokenData,
  TenantAccessTokenResponse,
} from './auth.js';
export { FeishuPath, Scope } from './paths.js';
