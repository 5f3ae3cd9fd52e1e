import type { Server } from 'node:http';
import type { Clock } from '../../core/shared/clock.js';
import type { MockFeishuSettings } from '../../config/mock-feishu.settings.js';
import { clientErrorHandler } from './client-error.handler.js';

/**
 * Node's own limits on a connection, and its own refusals in Feishu's shape. Node checks the two
 * timeouts on a timer of its own (every 30 s by default), so they bite up to that much late;
 * the upload's idle-body timeout is the emulator's (multipart-receiver.ts) and exact.
 */
export function applyServerLimits(server: Server, settings: MockFeishuSettings, clock: Clock): void {
  server.requestTimeout = settings.requestTimeoutMs;
  // Node wants the headers in no more time than the whole request has.
  server.headersTimeout =
    settings.requestTimeoutMs > 0
      ? Math.min(settings.headersTimeoutMs || settings.requestTimeoutMs, settings.requestTimeoutMs)
      : settings.headersTimeoutMs;
  server.on('clientError', clientErrorHandler(clock));
}
