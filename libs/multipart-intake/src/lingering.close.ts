import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How long and how much a refused request may still send after its answer. */
export interface LingerBounds {
  /** Without a byte for this long, the socket is closed (nginx's `lingering_timeout`). */
  idleMs: number;
  /** In all, at most this long (nginx's `lingering_time`). */
  totalMs: number;
  /** At most this many bytes are read and dropped: what the largest allowed body could still send. */
  maxBytes: number;
}

/** nginx's defaults (5 s, 30 s); no byte bound unless the caller knows its largest body. */
export const DEFAULT_LINGER: LingerBounds = { idleMs: 5_000, totalMs: 30_000, maxBytes: Infinity };

type ClosingSocket = Socket & { destroySoon?: () => void };

/**
 * Call before answering a request whose body is not (or not all) read: the answer goes out with
 * `Connection: close`, and the connection is then closed the way nginx's lingering close does.
 * Node ends a `Connection: close` answer with `destroySoon()`: a FIN, then the socket is destroyed
 * as soon as the answer is written. Bytes the caller is still sending then reach a closed socket,
 * the kernel answers them with a reset, and a reset can make the caller's TCP stack drop the
 * answer before the caller reads it: curl waiting for its upload to finish, undici's `fetch` with
 * a FormData body and axios with a form-data stream all send the whole body before they read. So
 * after the answer the socket is half-closed (the caller reads the answer, then end of stream) and
 * what still comes is read and dropped until the caller closes or a bound runs out.
 */
export function closeAfterAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  bounds: Partial<LingerBounds> = {},
): void {
  if (res.headersSent) return;
  const limits = { ...DEFAULT_LINGER, ...bounds };
  res.setHeader('Connection', 'close');
  const socket = req.socket as ClosingSocket;
  // Read and drop the rest from now on, counting it. Node's HTTP parser reads the socket itself
  // and hands the body to the request; a request nobody read is "dumped" when its answer ends,
  // and a dumped request's bytes are dropped inside the parser, where nothing can count them.
  let drained = 0;
  let arrived = () => undefined as void;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > limits.maxBytes) socket.destroy();
    else arrived();
  });
  req.resume();
  socket.destroySoon = () => {
    const timers: NodeJS.Timeout[] = [];
    const close = () => {
      for (const timer of timers) clearTimeout(timer);
      socket.destroy();
    };
    const idle = setTimeout(close, limits.idleMs).unref();
    timers.push(idle, setTimeout(close, limits.totalMs).unref());
    arrived = () => void idle.refresh();
    socket.once('end', close);
    socket.once('close', () => timers.forEach(clearTimeout));
    socket.end();
  };
}
