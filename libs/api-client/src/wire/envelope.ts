/** Every Feishu OpenAPI JSON response: `code` 0 is success, anything else is an error. */
export interface FeishuEnvelope<TData = unknown> {
  code: number;
  msg: string;
  data?: TData;
  error?: FeishuErrorDetail;
}

/** The `error` object Feishu attaches to failures (`log_id` always, the rest depending on the failure). */
export interface FeishuErrorDetail {
  log_id: string;
  troubleshooter?: string;
  permission_violations?: FeishuViolation[];
  field_violations?: { field: string; value?: string; description?: string }[];
  details?: { key: string; value: string }[];
}

export interface FeishuViolation {
  type: string;
  subject: string;
  description?: string;
}

/** Feishu's log id response header; the same value as `error.log_id`. */
export const LOG_ID_HEADER = 'x-tt-logid';

/** Rate-limit headers Feishu sends with 429 (server-docs/api-call-guide/frequency-control). */
export const RATE_LIMIT_LIMIT_HEADER = 'x-ogw-ratelimit-limit';
export const RATE_LIMIT_RESET_HEADER = 'x-ogw-ratelimit-reset';
