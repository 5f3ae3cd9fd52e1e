import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { CallOptions } from '@feishu-attachments/api-client';

/** Header through which an operator acts as a Feishu user instead of as the app. */
export const USER_TOKEN_HEADER = 'x-feishu-user-access-token';

const CALL_OPTIONS = Symbol('admin-api.feishu-call-options');
type WithCallOptions = Request & { [CALL_OPTIONS]?: CallOptions };

/** The user access token the caller sent, if any; a pasted "Bearer " prefix is tolerated. */
export function userAccessTokenOf(req: Request): string | undefined {
  const raw = req.headers[USER_TOKEN_HEADER];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim().replace(/^Bearer\s+/i, '');
  return value ? value : undefined;
}

/**
 * Options for every Feishu call made on behalf of this request: the user token, if one was
 * sent, and a signal that fires when the caller goes away, so Feishu work stops with it.
 */
export function feishuCallOptions(req: Request, res: Response): CallOptions {
  const cached = (req as WithCallOptions)[CALL_OPTIONS];
  if (cached) return cached;
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the caller closed the connection'));
  });
  const userAccessToken = userAccessTokenOf(req);
  const options: CallOptions = { signal: controller.signal, ...(userAccessToken ? { userAccessToken } : {}) };
  (req as WithCallOptions)[CALL_OPTIONS] = options;
  return options;
}

/** Injects the request's Feishu call options (see `feishuCallOptions`). */
export const FeishuCall = createParamDecorator((_data: unknown, context: ExecutionContext): CallOptions => {
  const http = context.switchToHttp();
  return feishuCallOptions(http.getRequest<Request>(), http.getResponse<Response>());
});
