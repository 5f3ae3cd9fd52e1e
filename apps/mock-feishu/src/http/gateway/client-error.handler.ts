import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { LOG_ID_HEADER } from '@feishu-attachments/api-client/wire';
import type { Clock } from '../../core/shared/clock.js';
import { newLogId } from '../../core/shared/ids.js';
import type { FeishuError } from '../../core/errors/feishu-error.js';
import { FeishuErrors } from '../../core/errors/feishu-errors.js';

/** Node's parser error codes, and the Feishu-shaped answer each gets. */
function refusalFor(code: string | undefined): FeishuError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return FeishuErrors.headersTooLarge();
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return FeishuErrors.requestTimeout();
    default:
      return FeishuErrors.malformedHttpRequest();
  }
}

/**
 * The server's `clientError` listener: what Node's HTTP parser refuses (a malformed request
 * line, headers too large, a request or its headers not in time) never reaches Express, and
 * Node would answer a bare `400 Bad Request` or `431`. This answers in Feishu's envelope, with a
 * log id, and closes the connection. Nothing of the parser's message is echoed.
 */
export function clientErrorHandler(clock: Clock) {
  return (error: NodeJS.ErrnoException, socket: Duplex): void => {
    // As Node's own handler does: write only when no answer to this socket has begun (the
    // in-flight response is on `_httpMessage`, which Node uses for this very check).
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const refusal = refusalFor(error.code);
    const logId = newLogId(clock.now());
    const body = JSON.stringify({ code: refusal.code, msg: refusal.msg, error: { log_id: logId } });
    socket.end(
      [
        `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}`,
        'Content-Type: application/json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        `${LOG_ID_HEADER}: ${logId}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
    // Once the answer is out, a caller still sending cannot keep the socket open.
    socket.once('finish', () => socket.destroy());
  };
}
