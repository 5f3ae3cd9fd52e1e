import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { MAX_FILE_BYTES, MAX_FILES_PER_UPLOAD } from '@feishu-attachments/api-client/wire';

/**
 * How long and how much a refused request may still send after its answer: nginx's
 * `lingering_timeout` (5 s without a byte) and `lingering_time` (30 s in all), and at most
 * what the largest upload could still have to send.
 */
export const LINGER = {
  idleMs: 5_000,
  totalMs: 30_000,
  maxBytes: MAX_FILES_PER_UPLOAD * MAX_FILE_BYTES + 1024 * 1024,
} as const;

type ClosingSocket = Socket & { destroySoon?: () => void };

/**
 * Answers a request whose body is not (or not all) read, then closes the connection the way
 * nginx's lingering close does. Node ends a `Connection: close` answer with `destroySoon()`:
 * a FIN, then the socket is destroyed as soon as the answer is written. Bytes the caller is
 * still sending then reach a closed socket, the kernel answers them with a reset, and a reset
 * can make the caller's TCP stack drop the answer before the caller reads it: curl waiting for
 * its upload to finish, undici's `fetch` with a FormData body and axios with a form-data stream
 * all send the whole body before they read. So after the answer the socket is half-closed
 * (the caller reads the answer, then end of stream) and what still comes is read and dropped
 * until the caller closes or a bound in `LINGER` runs out.
 */
export function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent) return;
  res.setHeader('Connection', 'close');
  const socket = req.socket as ClosingSocket;
  socket.destroySoon = () => linger(req, socket);
}

function linger(req: IncomingMessage, socket: ClosingSocket): void {
  let drained = 0;
  const timers: NodeJS.Timeout[] = [];
  const close = () => {
    for (const timer of timers) clearTimeout(timer);
    socket.destroy();
  };
  const idle = setTimeout(close, LINGER.idleMs).unref();
  timers.push(idle, setTimeout(close, LINGER.totalMs).unref());
  // Node's HTTP parser reads the socket itself and hands the body on to the (already dumped)
  // request, so the bytes are counted there.
  const count = (chunk: Buffer) => {
    drained += chunk.length;
    idle.refresh();
    if (drained > LINGER.maxBytes) close();
  };
  req.on('data', count);
  socket.once('end', close);
  socket.once('close', () => timers.forEach(clearTimeout));
  socket.end();
  req.resume();
}
