import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LOG_ID_HEADER } from '@feishu-attachments/api-client/wire';
import type { FeishuError } from '../../core/errors/feishu-error.js';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
type ExpressLike = (req: IncomingMessage, res: ServerResponse, done: (error?: unknown) => void) => void;

/**
 * The handler Express calls when nothing else answered: in place of Express's own final handler,
 * which writes an HTML page with the stack trace and absolute paths. Whatever broke on the way
 * (an error thrown while writing an error, say), the caller gets Feishu's envelope and a 500 with
 * code 1470500, and the stack goes to the console only. It uses nothing of the request's context,
 * which may be what failed.
 */
export function withLastResort(app: ExpressLike, log: (line: string) => void = console.error): Listener {
  return (req, res) =>
    app(req, res, (error?: unknown) => {
      if (error === undefined) return answer(res, FeishuErrors.routeNotFound());
      log(
        `mock-feishu: unexpected error on ${req.method} ${(req.url ?? '').split('?')[0]}: ` +
          (error instanceof Error ? (error.stack ?? error.message) : String(error)),
      );
      answer(res, FeishuErrors.serverError());
    });
}

function answer(res: ServerResponse, error: FeishuError): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const logId = String(res.getHeader(LOG_ID_HEADER) ?? randomBytes(17).toString('hex').toUpperCase());
  const [type, body] =
    error.body.kind === 'text'
      ? ['text/plain; charset=utf-8', error.msg]
      : [
          'application/json; charset=utf-8',
          JSON.stringify({ code: error.code, msg: error.msg, error: { log_id: logId } }),
        ];
  res.writeHead(error.status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    [LOG_ID_HEADER]: logId,
  });
  res.end(body);
}
