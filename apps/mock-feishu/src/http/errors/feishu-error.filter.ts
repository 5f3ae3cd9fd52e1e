import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { requestContext } from '../request/request-context.js';
import { DroppedConnection } from '../../core/errors/dropped-connection.js';
import { FeishuError } from '../../core/errors/feishu-error.js';
import { closeAfterAnswer } from '../gateway/lingering-close.js';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';

const logger = new Logger('mock-feishu');

/**
 * The one place where an error reaches the wire. Anything that is not a FeishuError is
 * translated, so a client never sees Nest's error shape or a stack trace.
 */
@Catch()
export class FeishuErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    writeError(exception, http.getRequest<Request>(), http.getResponse<Response>());
  }
}

/** Express error handler for failures before Nest routing (the JSON body parser). */
export function expressErrorHandler(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  writeError(error, req, res);
}

function writeError(exception: unknown, req: Request, res: Response): void {
  if (exception instanceof DroppedConnection) {
    req.socket.destroy();
    return;
  }
  if (res.socket?.destroyed) return;
  const error = toFeishuError(exception, req);
  const context = requestContext(req);
  // The gateway's text 404 carries no Feishu code.
  if (error.body.kind !== 'text') context.code = error.code;

  if (res.headersSent) {
    res.destroy();
    return;
  }
  // Refused before its body was all read: answer, then close without resetting the sender.
  if (!req.complete) closeAfterAnswer(req, res);
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.status(error.status);

  switch (error.body.kind) {
    case 'text':
      res.type('text/plain; charset=utf-8').send(error.msg);
      return;
    case 'flat':
      res.json({ code: error.code, msg: error.msg, ...error.body.extra });
      return;
    case 'oauth':
      res.json({ code: error.code, error: error.body.error, error_description: error.msg });
      return;
    case 'envelope': {
      // Feishu's order: log_id, troubleshooter (with that log id), then the rest.
      const { troubleshooter, ...detail } = error.body.detail ?? {};
      res.json({
        code: error.code,
        msg: error.msg,
        error: {
          log_id: context.logId,
          ...(troubleshooter && { troubleshooter: troubleshooter(context.logId) }),
          ...detail,
        },
      });
    }
  }
}

function toFeishuError(exception: unknown, req: Request): FeishuError {
  if (exception instanceof FeishuError) return exception;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === 404 || status === 405) return FeishuErrors.routeNotFound();
    if (status < 500) return FeishuErrors.invalidRequest(`Invalid request: ${exception.message}`);
  }
  if (isClientError(exception)) {
    // A 4xx from Express or a middleware (a path that does not decode, …); its text can quote the
    // request, so it is not echoed. Body parser failures are translated earlier (request-body.middleware.ts).
    return FeishuErrors.invalidRequest('Invalid request: it could not be read.');
  }
  logger.error(
    `Unexpected error on ${req.method} ${req.originalUrl}`,
    exception instanceof Error ? exception.stack : String(exception),
  );
  return FeishuErrors.serverError();
}

function isClientError(error: unknown): error is Error {
  const status = (error as { status?: unknown } | null)?.status;
  return error instanceof Error && typeof status === 'number' && status >= 400 && status < 500;
}
