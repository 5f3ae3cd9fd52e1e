import express, {
  type ErrorRequestHandler,
  type NextFunction,
  type Request,
  type RequestHandler,
} from 'express';
import typeIs from 'type-is';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';
import { unreadableAuthBody } from './unreadable-auth-body.js';

/** The largest JSON or form body taken; uploads (multipart) stream past this limit. */
export const MAX_JSON_BODY = '1mb';

/** body-parser's `type` for each failure, and what the answer says (never the parser's own text). */
const REASONS: Record<string, string> = {
  'entity.parse.failed': 'the body is not valid JSON',
  'entity.too.large': `the body is larger than ${MAX_JSON_BODY.toUpperCase()}`,
  'charset.unsupported': 'the charset in Content-Type is not supported (send UTF-8)',
  'encoding.unsupported': 'the Content-Encoding is not supported',
  'parameters.too.many': 'the form has too many parameters',
};

/**
 * A body that stops coming is answered with a 408 once it has sent nothing for `idleMs`, as
 * uploads are (multipart-receiver.ts); without it a request that sent 10 of its 100 bytes held
 * its connection until Node's whole-request timeout. `next` runs once: with the refusal, or with
 * whatever the parsers say first.
 */
function cutWhenStalled(req: Request, idleMs: number, next: NextFunction): NextFunction {
  let called = false;
  const once: NextFunction = (error?: unknown) => {
    if (called) return;
    called = true;
    clearTimeout(timer);
    req.off('data', refresh);
    next(error);
  };
  const timer =
    idleMs > 0 && !req.complete
      ? setTimeout(() => once(FeishuErrors.bodyStalled(idleMs)), idleMs)
      : undefined;
  const refresh = () => timer?.refresh();
  // After the parsers: they attach their own reader synchronously, so this one takes nothing from them.
  if (timer) setImmediate(() => called || req.on('data', refresh));
  return once;
}

const isBodyParserError = (error: unknown): error is Error & { type: string } =>
  error instanceof Error && typeof (error as { type?: unknown }).type === 'string';

/**
 * JSON and form bodies, parsed ahead of routing. `strict: false`: `null` (or any JSON value) is
 * valid JSON, and each route's command parser says what it makes of it. A body the parser cannot
 * read gets a fixed message in the shape of the route's API: the auth endpoints their own codes,
 * every other route 400/1470400. The parser's text is not echoed: it quotes the body.
 */
export function requestBodyMiddleware(idleBodyTimeoutMs: number): (RequestHandler | ErrorRequestHandler)[] {
  const translate: ErrorRequestHandler = (error: unknown, req, _res, next) => {
    if (!isBodyParserError(error)) return next(error);
    const reason = REASONS[error.type] ?? 'the body could not be read';
    next(unreadableAuthBody(req.path) ?? FeishuErrors.invalidRequest(`Invalid request body: ${reason}.`));
  };
  const json = express.json({ limit: MAX_JSON_BODY, strict: false });
  const form = express.urlencoded({ extended: false, limit: MAX_JSON_BODY });
  // One layer that passes body-less calls (every GET and DELETE) straight on: each parser checks
  // whether the request has finished and has a body before anything else, and those checks were
  // about 10 µs of a 315 µs GET (findings.md). type-is's hasBody is the test both parsers apply.
  const parse: RequestHandler = (req, res, next) => {
    if (!typeIs.hasBody(req)) return next();
    const done = cutWhenStalled(req, idleBodyTimeoutMs, next);
    json(req, res, (error?: unknown) => (error ? done(error) : form(req, res, done)));
  };
  return [parse, translate];
}
