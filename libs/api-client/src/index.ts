export { createFeishuClient } from './client.js';
export type { FeishuClient } from './client.js';
export { DEFAULT_BASE_URL } from './client-options.js';
export type {
  FeishuClientOptions,
  FeishuHooks,
  FeishuLogger,
  RequestInfo,
  ResponseInfo,
  RetryInfo,
} from './client-options.js';
export type { FeishuAuth } from './core/auth.js';
export type { CallOptions } from './core/transport.js';
export type { RetryOptions } from './core/retry-policy.js';
export {
  FeishuApiError,
  FeishuClientError,
  FeishuConnectionError,
  FeishuDownloadError,
  FeishuTimeoutError,
  FeishuValidationError,
  isFeishuApiError,
  isFeishuClientError,
  isFeishuConnectionError,
  isFeishuDownloadError,
  isFeishuTimeoutError,
  isFeishuValidationError,
} from './core/errors.js';
export type {
  Attachments,
  AttachmentCallOptions,
  DownloadedAttachment,
  DownloadOptions,
  ListAttachmentsParams,
  StreamedAttachment,
  UploadOptions,
} from './resources/attachments.js';
export type { ProgressListener, TransferProgress } from './core/progress.js';
export type { ListTasksParams, Tasks, TaskCallOptions } from './resources/tasks.js';
export type { ListSubtasksParams, Subtasks } from './resources/subtasks.resource.js';
export type { UploadFile } from './internal/multipart.js';
export {
  DOWNLOAD_URL_MAX_USES,
  DOWNLOAD_URL_TTL_MS,
  FeishuErrorCode,
  MAX_FILE_BYTES,
  MAX_FILES_PER_UPLOAD,
  PATCHABLE_TASK_FIELDS,
  PAGE_SIZE_DEFAULT,
  PAGE_SIZE_MAX,
  PAGE_SIZE_MIN,
} from './wire/index.js';
export type {
  Attachment,
  Member,
  Page,
  Task,
  CreateTaskBody,
  PatchableTaskField,
  PatchTaskBody,
  TaskInput,
  TaskMemberInput,
  TaskMembersBody,
  TaskTime,
  UserIdType,
} from './wire/index.js';
// Not exported: Transport, the retry decision and the multipart encoder. They are how the client
// works, not what it promises, and may change between releases.
