import { FeishuClientError, FeishuConnectionError, FeishuTimeoutError } from './errors.js';

/**
 * What a failed attempt is to the caller: the abort reason when the caller aborted, a
 * FeishuTimeoutError for ky's `TimeoutError`, the client's own error when it is one already (a
 * body stream that stopped itself, Feishu's verdict), and a FeishuConnectionError otherwise.
 */
export function translateFailure(
  error: unknown,
  signal: AbortSignal | undefined,
  request: { method: string; path: string },
  timeoutMs: number,
): unknown {
  if (signal?.aborted) return signal.reason;
  if (error instanceof FeishuTimeoutError) return error;
  const { method, path } = request;
  if ((error as { name?: unknown })?.name === 'TimeoutError') {
    return new FeishuTimeoutError(`No answer to ${method} ${path} within ${timeoutMs} ms`, timeoutMs, {
      cause: error,
    });
  }
  // A body stream that refused to go on (a file grew past 50 MiB) surfaces as fetch's cause.
  for (let cause: unknown = error; cause; cause = (cause as { cause?: unknown }).cause) {
    if (cause instanceof FeishuClientError) return cause;
  }
  return new FeishuConnectionError(
    `Could not reach Feishu for ${method} ${path}: ${(error as Error)?.message ?? error}`,
    { cause: error },
  );
}
