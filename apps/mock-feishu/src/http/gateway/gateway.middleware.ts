import type { Express, NextFunction, Request, Response } from 'express';
import { LOG_ID_HEADER } from '@feishu-attachments/api-client/wire';
import { newLogId } from '../../core/shared/ids.js';
import { attachRequestContext, type RequestContext } from '../request/request-context.js';
import { principalKey } from '../../core/identity/identity.js';
import type { RecordedJournalEntry } from '../../core/control-plane/journal.service.js';
import type { SandboxRegistry } from '../../core/sandboxes/sandbox-registry.js';
import { BodyTap, captureExchange, keepsBody } from '../../core/control-plane/journal-detail.js';
import { CONTROL_PLANE_PREFIX } from './control-access.middleware.js';

const RECORDER = Symbol('mock-feishu.exchange-recorder');
type RecordedResponse = Response & { [RECORDER]?: ExchangeRecorder };

/**
 * One call of the emulated surface on its way to the journal. The entry and what its detail is
 * made from are written as soon as the answer starts, so a client that has the answer can already
 * find both ('close' can come after the client has read the last byte); how long it took and
 * whether it completed follow when it ends.
 */
class ExchangeRecorder {
  private entry: RecordedJournalEntry | undefined;
  private closed = false;
  readonly tap: BodyTap;

  constructor(
    private readonly req: Request,
    private readonly res: Response,
    private readonly context: RequestContext,
    private readonly started: number,
    private readonly log: ((line: string) => void) | undefined,
  ) {
    this.tap = new BodyTap(() => keepsBody(String(res.getHeader('content-type') ?? '')));
  }

  private elapsed(): number {
    return Math.round((performance.now() - this.started) * 100) / 100;
  }

  open(): RecordedJournalEntry {
    if (this.entry) return this.entry;
    const { req, res, context } = this;
    // The journal of the call's sandbox, known by now (the gateway guard found it).
    const entry = (this.entry = context.sandbox.journal.record({
      at: context.startedAt,
      method: req.method,
      path: req.path,
      // Express parses the query string again on every read of req.query; most calls have none.
      query: req.url.includes('?') ? { ...(req.query as Record<string, unknown>) } : {},
      status: res.headersSent ? res.statusCode : 0,
      code: context.code ?? (res.headersSent && res.statusCode < 400 ? 0 : undefined),
      operation: context.operation,
      caller: context.principal ? principalKey(context.principal) : undefined,
      log_id: context.logId,
      duration_ms: this.elapsed(),
      completed: false,
    }));
    // The request's own header object: nothing on the way changes it, and the journal masks
    // it only when the entry is read (journal-detail.ts).
    if (res.headersSent) entry.capture = captureExchange(req, req.headers, res, this.tap);
    return entry;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const { req, res } = this;
    const finished = this.open();
    finished.duration_ms = this.elapsed();
    finished.completed = res.writableFinished;
    this.tap.seal();
    // A call dropped before it answered is captured only now.
    finished.capture ??= captureExchange(req, req.headers, res, this.tap);
    if (!this.log) return;
    // A download URL's code is its credential, so the log shows only that one was given.
    const shown = req.originalUrl.replace(/([?&]code=)[^&]*/, '$1…');
    this.log(
      `${req.method} ${shown} → ${res.headersSent ? res.statusCode : 'dropped'} (${finished.duration_ms} ms)`,
    );
  }
}

// A ServerResponse emits 'close' after 'finish' and also when the connection drops first, so
// one listener sees every end; a shared function, called with the response as `this`.
function onClose(this: RecordedResponse): void {
  this[RECORDER]?.close();
}

/**
 * Hooks writeHead, write and end once, on the app's response prototype (Express gives every
 * response of the app that prototype), rather than on each response: functions set on every
 * response, and a second end listener, made each call cost about a third more (findings.md).
 * Responses with no recorder (the control plane) pass straight through.
 */
function hookResponses(app: Express): void {
  const response = app.response as RecordedResponse;
  const { writeHead, write, end } = response;
  response.writeHead = function (this: RecordedResponse, ...args: unknown[]) {
    const result = (writeHead as (...args: unknown[]) => Response).apply(this, args);
    this[RECORDER]?.open();
    return result;
  } as Response['writeHead'];
  response.write = function (this: RecordedResponse, chunk: unknown, ...rest: unknown[]) {
    this[RECORDER]?.tap.add(chunk, rest[0]);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as Response['write'];
  response.end = function (this: RecordedResponse, chunk?: unknown, ...rest: unknown[]) {
    this[RECORDER]?.tap.add(chunk, rest[0]);
    return (end as (...args: unknown[]) => Response).call(this, chunk, ...rest);
  } as Response['end'];
}

/**
 * Runs before anything else: gives every response Feishu's `X-Tt-Logid` header and records
 * each call of the emulated surface in the journal of its sandbox (the default one until the
 * gateway guard finds another). `app` is the Express app it is mounted on.
 */
export function gatewayMiddleware(app: Express, sandboxes: SandboxRegistry, log?: (line: string) => void) {
  hookResponses(app);
  const sandbox = sandboxes.defaultSandbox;
  return (req: Request, res: Response, next: NextFunction): void => {
    const startedAt = sandbox.clock.now();
    const started = performance.now();
    const context = attachRequestContext(req, { logId: newLogId(startedAt), startedAt, sandbox });
    res.setHeader(LOG_ID_HEADER, context.logId);
    if (!req.path.startsWith(CONTROL_PLANE_PREFIX)) {
      (res as RecordedResponse)[RECORDER] = new ExchangeRecorder(req, res, context, started, log);
      res.on('close', onClose);
    }
    next();
  };
}
