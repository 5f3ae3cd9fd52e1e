import {
  MAX_FILES_PER_UPLOAD,
  MAX_RESOURCE_ID_LENGTH,
  PAGE_SIZE_DEFAULT,
  PAGE_SIZE_MAX,
  PAGE_SIZE_MIN,
  RESOURCE_TYPES,
  USER_ID_TYPES,
  type UserIdType,
  DEFAULT_USER_ID_TYPE,
} from '@feishu-attachments/api-client/wire';
import { FeishuErrors } from '../errors/feishu-errors.js';

/** Feishu's newer resource type for task deliverables (feishu-api.md §2); refused here on purpose. */
export const TASK_DELIVERY_RESOURCE_TYPE = 'task_delivery';

export interface AttachmentRecord {
  guid: string;
  fileToken: string;
  name: string;
  size: number;
  contentType: string;
  resourceType: 'task';
  resourceId: string;
  /** `user:<open_id>` or `app:<app_id>`. */
  uploaderKey: string;
  isCover: boolean;
  uploadedAt: number;
  /** Upload order across the emulator; lists are sorted by it and page tokens point into it. */
  seq: number;
  blobKey: string;
}

/** A file part already streamed into the blob store. */
export interface StoredUpload {
  originalname: string;
  mimetype: string;
  blobKey: string;
  size: number;
}

/** `POST …/attachments/upload`: the files go to one resource, in part order. */
export interface UploadCommand {
  resourceId: string;
  files: StoredUpload[];
}

/** `GET …/attachments`; every parameter but the token stays fixed across pages. */
export interface ListAttachmentsQuery {
  resourceId: string;
  pageSize: number;
  pageToken?: string;
}

export function parseUploadCommand(fields: Record<string, unknown>, files: StoredUpload[]): UploadCommand {
  parseResourceType(fields.resource_type);
  const resourceId = parseResourceId(fields.resource_id);
  checkFileCount(files.length);
  return { resourceId, files };
}

export function parseListQuery(query: Record<string, unknown>): ListAttachmentsQuery {
  parseResourceType(query.resource_type);
  const resourceId = parseResourceId(query.resource_id);
  const pageSize = parsePageSize(query.page_size);
  const pageToken = typeof query.page_token === 'string' ? query.page_token : undefined;
  if (query.page_token !== undefined && pageToken === undefined) {
    throw FeishuErrors.invalidParam('page_token', 'must be given once');
  }
  return { resourceId, pageSize, pageToken };
}

export function parseUserIdType(value: unknown): UserIdType {
  if (value === undefined || value === '') return DEFAULT_USER_ID_TYPE;
  if (typeof value === 'string' && (USER_ID_TYPES as readonly string[]).includes(value)) {
    return value as UserIdType;
  }
  throw FeishuErrors.invalidParam('user_id_type', `must be one of ${USER_ID_TYPES.join(', ')}`);
}

/**
 * Feishu: `resource_type` defaults to `task` (task-v2/attachment/upload). Feishu also has
 * `task_delivery` (task deliverables, larksuite/cli); the emulator has no deliverables, so it
 * refuses that type on purpose, saying so, rather than pretend a task guid names one.
 */
export function parseResourceType(value: unknown): 'task' {
  if (value === undefined || value === '') return 'task';
  if (value === 'task') return value;
  if (value === TASK_DELIVERY_RESOURCE_TYPE) {
    throw FeishuErrors.invalidParam(
      'resource_type',
      `${TASK_DELIVERY_RESOURCE_TYPE} is a Feishu resource type the emulator does not emulate; use task`,
    );
  }
  throw FeishuErrors.invalidParam(
    'resource_type',
    `unsupported resource type, must be one of ${RESOURCE_TYPES.join(', ')}`,
  );
}

export function parseResourceId(value: unknown): string {
  if (Array.isArray(value)) throw FeishuErrors.invalidParam('resource_id', 'must be given once');
  if (typeof value !== 'string' || value.trim() === '')
    throw FeishuErrors.invalidParam('resource_id', 'must not be empty');
  if (value.length > MAX_RESOURCE_ID_LENGTH) {
    throw FeishuErrors.invalidParam('resource_id', `must be at most ${MAX_RESOURCE_ID_LENGTH} characters`);
  }
  return value;
}

/** Feishu: `page_size` 1–100, default 50; anything else is a bad parameter (task-v2/attachment/list). */
export function parsePageSize(value: unknown): number {
  if (value === undefined || value === '') return PAGE_SIZE_DEFAULT;
  const text = String(value);
  if (!/^-?\d+$/.test(text)) throw FeishuErrors.invalidParam('page_size', 'must be an integer');
  const size = Number(text);
  if (size < PAGE_SIZE_MIN || size > PAGE_SIZE_MAX) {
    throw FeishuErrors.invalidParam('page_size', `must be between ${PAGE_SIZE_MIN} and ${PAGE_SIZE_MAX}`);
  }
  return size;
}

export function checkFileCount(count: number): void {
  if (count === 0) throw FeishuErrors.invalidParam('file', 'at least one file part is required');
  if (count > MAX_FILES_PER_UPLOAD) {
    throw FeishuErrors.invalidParam('file', `at most ${MAX_FILES_PER_UPLOAD} files per request`);
  }
}

/**
 * The name an attachment gets when its `file` part carries no filename, as the official Python
 * SDK's sample and node-sdk with a Buffer send it. What Feishu stores then is not documented:
 * this is the name the Go SDK gives every file, which Feishu is known to show (docs/fidelity.md,
 * assumed; parity step `upload-without-filename`).
 */
export const UNNAMED_FILE = 'unknown-file';

/** The part's filename is the attachment's name. */
export function attachmentName(filename: string): string {
  return filename;
}
