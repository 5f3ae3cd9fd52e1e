import {
  LOG_ID_HEADER,
  RATE_LIMIT_RESET_HEADER,
  type FeishuEnvelope,
  type FeishuErrorDetail,
} from '../wire/index.js';
import { FeishuApiError } from './errors.js';

/** An answer as read off the wire: status, headers and the body parsed as JSON when it is JSON. */
export interface RawAnswer {
  status: number;
  headers: Headers;
  parsed: unknown;
}

/** Parses a body's text: JSON when it is JSON, otherwise the text itself (the gateway's text 404). */
export function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Feishu's `code` in a parsed body, when there is one. */
export function codeOf(body: unknown): number | undefined {
  const code = (body as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Feishu's verdict on an answer: nothing when it answered `code: 0` with a success status,
 * otherwise the answer as a FeishuApiError (Feishu sends some failures with HTTP 200, and text
 * answers get code -1).
 */
export function failureOf(
  request: { method: string; path: string },
  answer: RawAnswer,
): FeishuApiError | undefined {
  const body = answer.parsed as Partial<FeishuEnvelope<unknown>> & { error?: FeishuErrorDetail };
  const isEnvelope = typeof body === 'object' && body !== null && typeof body.code === 'number';
  if (isEnvelope && body.code === 0 && answer.status < 400) return undefined;
  // An absent or blank header means Feishu named no wait, not a wait of 0 s.
  const resetText = answer.headers.get(RATE_LIMIT_RESET_HEADER)?.trim();
  const reset = resetText ? Number(resetText) : Number.NaN;
  return new FeishuApiError({
    httpStatus: answer.status,
    code: isEnvelope ? (body.code as number) : -1,
    msg: isEnvelope
      ? String(body.msg ?? '')
      : typeof answer.parsed === 'string'
        ? answer.parsed.slice(0, 200)
        : 'unexpected response',
    logId: answer.headers.get(LOG_ID_HEADER) ?? (isEnvelope ? body.error?.log_id : undefined),
    detail: isEnvelope ? body.error : undefined,
    request: { method: request.method, path: request.path },
    retryAfterSeconds: Number.isFinite(reset) && reset >= 0 ? reset : undefined,
  });
}
