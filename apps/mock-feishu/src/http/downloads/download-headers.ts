import contentDisposition from 'content-disposition';
import { validateHeaderValue } from 'node:http';
import type { AttachmentRecord } from '../../core/attachments/attachment.js';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';

/**
 * Every header a download answers with, computed and checked before a use of the URL is taken:
 * a header Node refuses to write would otherwise fail after the use was spent, mid-answer.
 * Throws the catalog's `downloadUnwritable` naming the header.
 */
export function downloadHeaders(attachment: AttachmentRecord): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': attachment.contentType,
    'Content-Length': String(attachment.size),
    // The plain `filename` is ASCII only: a Latin-1 byte in a header is read as garbage by some
    // clients and proxies; the exact name travels in `filename*` (RFC 6266).
    'Content-Disposition': contentDisposition(attachment.name, {
      fallback: attachment.name.replace(/[^\x20-\x7e]/g, '_'),
    }),
    'Cache-Control': 'no-store',
    // The bytes are whatever the uploader sent: a browser must not sniff an HTML or SVG file into a page.
    'X-Content-Type-Options': 'nosniff',
  };
  for (const [name, value] of Object.entries(headers)) {
    try {
      validateHeaderValue(name, value);
    } catch {
      throw FeishuErrors.downloadUnwritable(name);
    }
  }
  if (!Number.isSafeInteger(attachment.size) || attachment.size < 0) {
    throw FeishuErrors.downloadUnwritable('Content-Length');
  }
  return headers;
}
