import { PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, PAGE_SIZE_MIN } from '@feishu-attachments/api-client/wire';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';

// The paging parameters every Feishu list shares (task-v2/overview: page_size, page_token, has_more).

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

/** The previous page's `page_token`; absent or empty means the first page. */
export function parsePageToken(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw FeishuErrors.invalidParam('page_token', 'must be given once');
  return value;
}
