import type { NextFunction, Request, Response } from 'express';
import { LOG_ID_HEADER } from '@feishu-attachments/api-client/wire';
import type { Clock } from '../common/clock.js';
import { newLogId } from '../common/ids.js';
import { attachRequestContext } from '../common/request-context.js';
import { principalKey } from '../identity/identity.js';
import type { DetailedJournalEntry, JournalService } from '../control-plane/journal.service.js';
import { describeExchange, maskHeaders, tapResponseBody } from '../control-plane/journal-detail.js';
import { CONTROL_PLANE_PREFIX } from '../control-plane/control-access.middleware.js';

/**
 * Runs before anything else: gives every response Feishu's `X-Tt-Logid` header and records
 * each call of the emulated surface in the journal.
 */
export function gatewayMiddleware(clock: Clock, journal: JournalService, log?: (line: string) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const startedAt = clock.now();
    const started = performance.now();
    const context = attachRequestContext(req, { logId: newLogId(startedAt), startedAt });
    res.setHeader(LOG_ID_HEADER, context.logId);

    if (!req.path.startsWith(CONTROL_PLANE_PREFIX)) {
      // The entry is written as soon as the answer starts, so a client that has the answer can
      // already find it; how long it took and whether it completed follow when it ends.
      let entry: DetailedJournalEntry | undefined;
      const requestHeaders = maskHeaders(req.headers);
      const tap = tapResponseBody(res);
      const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
      const open = () =>
        (entry ??= journal.record({
          at: startedAt,
          method: req.method,
          path: req.path,
          query: { ...(req.query as Record<string, unknown>) },
          status: res.headersSent ? res.statusCode : 0,
          code: context.code ?? (res.headersSent && res.statusCode < 400 ? 0 : undefined),
          operation: context.operation,
          caller: context.principal ? principalKey(context.principal) : undefined,
          log_id: context.logId,
          duration_ms: elapsed(),
          completed: false,
        }));
      const writeHead = res.writeHead;
      res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
        const result = writeHead.apply(this, args);
        open();
        return result;
      } as Response['writeHead'];
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        const finished = open();
        finished.duration_ms = elapsed();
        finished.completed = res.writableFinished;
        finished.detail = describeExchange(req, requestHeaders, res, tap);
        // A download URL's code is its credential, so the log shows only that one was given.
        const shown = req.originalUrl.replace(/([?&]code=)[^&]*/, '$1…');
        log?.(
          `${req.method} ${shown} → ${res.headersSent ? res.statusCode : 'dropped'} (${finished.duration_ms} ms)`,
        );
      };
      res.once('finish', close);
      res.once('close', close);
    }
    next();
  };
}
