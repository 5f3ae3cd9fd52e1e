import type { NextFunction, Request, Response } from 'express';
import { LOG_ID_HEADER } from '@feishu-attachments/api-client/wire';
import type { Clock } from '../common/clock.js';
import { newLogId } from '../common/ids.js';
import { attachRequestContext } from '../common/request-context.js';
import { principalKey } from '../identity/identity.js';
import type { JournalService } from '../control-plane/journal.service.js';

const CONTROL_PLANE_PREFIX = '/__mock';

/**
 * Runs before anything else: gives every response Feishu's `X-Tt-Logid` header and records
 * each call of the emulated surface in the journal once it is answered.
 */
export function gatewayMiddleware(clock: Clock, journal: JournalService, log?: (line: string) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const startedAt = clock.now();
    const started = performance.now();
    const context = attachRequestContext(req, { logId: newLogId(startedAt), startedAt });
    res.setHeader(LOG_ID_HEADER, context.logId);

    if (!req.path.startsWith(CONTROL_PLANE_PREFIX)) {
      let recorded = false;
      const record = () => {
        if (recorded) return;
        recorded = true;
        const durationMs = Math.round((performance.now() - started) * 100) / 100;
        journal.record({
          at: startedAt,
          method: req.method,
          path: req.path,
          query: { ...(req.query as Record<string, unknown>) },
          status: res.headersSent ? res.statusCode : 0,
          code: context.code ?? (res.headersSent && res.statusCode < 400 ? 0 : undefined),
          operation: context.operation,
          caller: context.principal ? principalKey(context.principal) : undefined,
          log_id: context.logId,
          duration_ms: durationMs,
          completed: res.writableFinished,
        });
        log?.(
          `${req.method} ${req.originalUrl} → ${res.headersSent ? res.statusCode : 'dropped'} (${durationMs} ms)`,
        );
      };
      res.once('finish', record);
      res.once('close', record);
    }
    next();
  };
}
