/** Feishu: at most 5 `file` parts per upload request (task-v2/attachment/upload). */
export const MAX_FILES_PER_UPLOAD = 5;

/** Feishu: each uploaded file is at most 50 MB, counted as 50 MiB as larksuite/cli does (task-v2/attachment/upload). */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** Feishu: `resource_id` is at most 100 characters (task-v2/attachment/upload). */
export const MAX_RESOURCE_ID_LENGTH = 100;

/** Feishu: a temporary download URL is valid for 3 minutes (task-v2/attachment/get). */
export const DOWNLOAD_URL_TTL_MS = 3 * 60 * 1000;

/** Feishu: a temporary download URL allows at most 3 downloads (task-v2/attachment/get). */
export const DOWNLOAD_URL_MAX_USES = 3;

/** Feishu: `page_size` is 1–100, default 50 (task-v2/attachment/list). */
export const PAGE_SIZE_MIN = 1;
export const PAGE_SIZE_MAX = 100;
export const PAGE_SIZE_DEFAULT = 50;

/** Feishu: task `summary` is non-empty and at most 3000 characters (task-v2/task/create). */
export const MAX_TASK_SUMMARY_LENGTH = 3000;

/** Feishu: task `description` is at most 3000 characters (task-v2/task/create). */
export const MAX_TASK_DESCRIPTION_LENGTH = 3000;

/** Feishu: task `extra` is at most 65536 characters (task-v2/task/create). */
export const MAX_TASK_EXTRA_LENGTH = 65536;

/** Feishu: a task has at most 50 members once duplicates are removed (task-v2/task/create). */
export const MAX_TASK_MEMBERS = 50;

/** Feishu: a task has at most one reminder (oapi-sdk-go `Task.Reminders`: "目前每个任务最多有1个"). */
export const MAX_TASK_REMINDERS = 1;

/** Feishu: `client_token` is 10–100 characters (task-v2/task/create). */
export const CLIENT_TOKEN_MIN_LENGTH = 10;
export const CLIENT_TOKEN_MAX_LENGTH = 100;

/** Feishu: `tenant_access_token` and `app_access_token` live 2 hours (auth-v3 tenant_access_token_internal). */
export const ACCESS_TOKEN_TTL_SECONDS = 7200;

/**
 * Feishu: asking for a tenant token when less than 30 minutes remain returns a new token,
 * and the old one stays valid until it expires (auth-v3 tenant_access_token_internal).
 */
export const ACCESS_TOKEN_REISSUE_WINDOW_SECONDS = 30 * 60;

/** Feishu: an OAuth authorization code is valid 5 minutes, once (authentication-management/get-user-access-token). */
export const AUTHORIZATION_CODE_TTL_MS = 5 * 60 * 1000;

/** Feishu: a user refresh token lives 7 days by default, single use (authentication-management/get-user-access-token). */
export const REFRESH_TOKEN_TTL_SECONDS = 604800;
