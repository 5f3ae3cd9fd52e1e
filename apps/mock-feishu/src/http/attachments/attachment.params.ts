import {
  MAX_FILES_PER_UPLOAD,
  MAX_RESOURCE_ID_LENGTH,
  RESOURCE_TYPES,
} from '@feishu-attachments/api-client/wire';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import { parsePageSize, parsePageToken } from '../request/page.js';
import {
  TASK_DELIVERY_RESOURCE_TYPE,
  type ListAttachmentsQuery,
  type StoredUpload,
  type UploadCommand,
} from '../../core/attachments/attachment.js';

// The attachment routes' request parsing: form fields and query parameters into typed commands.

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
  const pageToken = parsePageToken(query.page_token);
  return { resourceId, pageSize, pageToken };
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

export function checkFileCount(count: number): void {
  if (count === 0) throw FeishuErrors.invalidParam('file', 'at least one file part is required');
  if (count > MAX_FILES_PER_UPLOAD) {
    throw FeishuErrors.invalidParam('file', `at most ${MAX_FILES_PER_UPLOAD} files per request`);
  }
}
