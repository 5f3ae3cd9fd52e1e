import type { FeishuErrorDetail } from '@feishu-attachments/api-client/wire';

/**
 * The `error` object but `log_id`, which the filter adds. Feishu's troubleshooter link carries the
 * answer's log id, so it is given as a function of it, which the filter calls with that id.
 */
export type FeishuErrorEnvelopeDetail = Omit<FeishuErrorDetail, 'log_id' | 'troubleshooter'> & {
  troubleshooter?: (logId: string) => string;
};

/** How an error is written on the wire; the filter is the only place that writes it. */
export type FeishuErrorBody =
  /** `{code, msg, error:{log_id,…}}`: the gateway and the Task v2 APIs. */
  | { kind: 'envelope'; detail?: FeishuErrorEnvelopeDetail }
  /** `{code, msg}` with no `error` object: the auth v3 token endpoints (HTTP 200). */
  | { kind: 'flat'; extra?: Record<string, unknown> }
  /** `{code, error, error_description}`: the OAuth v2 token endpoint. */
  | { kind: 'oauth'; error: string }
  /** A bare text body, as the gateway answers unknown routes. */
  | { kind: 'text' };

export class FeishuError extends Error {
  override name = 'FeishuError';

  constructor(
    readonly status: number,
    readonly code: number,
    readonly msg: string,
    readonly body: FeishuErrorBody = { kind: 'envelope' },
    readonly headers: Record<string, string> = {},
  ) {
    super(msg);
  }
}
