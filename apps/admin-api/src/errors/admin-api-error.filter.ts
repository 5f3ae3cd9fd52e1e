import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Injectable, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AdminApiSettings } from '../admin-api.settings.js';
import { userAccessTokenOf } from '../auth/feishu-call.decorator.js';
import type { ErrorBodyDto } from './error.dto.js';
import { feishuProblem, problemDetail, type Problem } from './feishu-error.mapping.js';

const logger = new Logger('AdminApi');

/**
 * The one place where an error reaches the wire, always as `{error:{status, message, feishu?}}`.
 * Anything unexpected becomes a 500 with no detail: stacks go to the log, never to the caller.
 */
@Catch()
@Injectable()
export class AdminApiErrorFilter implements ExceptionFilter {
  constructor(private readonly settings: AdminApiSettings) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    writeError(exception, http.getRequest<Request>(), http.getResponse<Response>(), this.settings);
  }
}

/** Express error handler for failures before Nest routing (the JSON body parser). */
export function expressErrorHandler(settings: AdminApiSettings) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void =>
    writeError(error, req, res, settings);
}

function writeError(exception: unknown, req: Request, res: Response, settings: AdminApiSettings): void {
  // The caller is gone (an aborted upload or download): there is no one to answer.
  if (res.destroyed || res.socket?.destroyed) return;
  const problem = toProblem(exception, req, settings);
  if (res.headersSent) {
    // A download failed after its headers went out: cutting the connection is the only honest signal.
    logger.warn(`${req.method} ${req.path} failed after the response started: ${problem.message}`);
    res.destroy();
    return;
  }
  if (problem.status >= 500) {
    const feishu = problem.feishu
      ? ` [feishu code ${problem.feishu.code}${problem.feishu.logId ? `, log id ${problem.feishu.logId}` : ''}]`
      : '';
    logger.warn(`${req.method} ${req.path} → ${problem.status}: ${problem.message}${feishu}`);
  }
  for (const [name, value] of Object.entries(problem.headers ?? {})) res.setHeader(name, value);
  const body: ErrorBodyDto = { error: problemDetail(problem) };
  res.status(problem.status).json(body);
}

function toProblem(exception: unknown, req: Request, settings: AdminApiSettings): Problem {
  const mapped = feishuProblem(exception, {
    userTokenGiven: userAccessTokenOf(req) !== undefined,
    feishuBaseUrl: settings.feishu.baseUrl,
  });
  if (mapped) return mapped;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const headers = status === 401 ? { 'WWW-Authenticate': 'Bearer realm="admin-api"' } : undefined;
    return { status, message: httpMessage(exception), ...(headers ? { headers } : {}) };
  }
  if (isBodyParserError(exception)) {
    const message =
      exception.type === 'entity.parse.failed'
        ? 'The request body is not valid JSON.'
        : exception.type === 'entity.too.large'
          ? 'The request body is too large.'
          : `The request body could not be read: ${exception.message}`;
    return { status: exception.status, message };
  }
  logger.error(
    `Unexpected error on ${req.method} ${req.path}`,
    exception instanceof Error ? exception.stack : String(exception),
  );
  return { status: 500, message: 'Internal error; the server log has the details.' };
}

function httpMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

function isBodyParserError(error: unknown): error is Error & { status: number; type?: string } {
  const status = (error as { status?: unknown } | null)?.status;
  return error instanceof Error && typeof status === 'number' && status >= 400 && status < 500;
}
