import type { IncomingMessage } from 'node:http';

/**
 * How long a connection answered before its body ended keeps reading: nginx's lingering_timeout.
 * The emulator closes its refused uploads the same way (apps/mock-feishu/src/gateway/lingering-close.ts);
 * the two apps share no server code, and this is small.
 */
export const LINGER_MS = 5_000;

/**
 * Closes the connection of a request answered before its body ended (a refused upload) in
 * stages, as RFC 9112 §9.6 advises and nginx's `lingering_close` does: once the answer is out,
 * half-close, then read and drop what the caller still sends until it closes its side or
 * `lingerMs` passes. Closing at once, while the caller is still sending, makes TCP reset the
 * connection, and the reset can discard the answer before the caller has read it: the caller
 * then sees `write ECONNRESET` instead of the 400.
 *
 * Node ends a `Connection: close` answer with `socket.destroySoon()`, which closes as soon as
 * the answer is written; this replaces it for the one socket.
 */
export function lingerAfterAnswer(req: IncomingMessage, lingerMs = LINGER_MS): void {
  const socket = req.socket;
  socket.destroySoon = () => {
    socket.end();
    // Flowing with no reader: the rest of the body is read and dropped.
    req.resume();
    const timer = setTimeout(() => socket.destroy(), lingerMs);
    timer.unref();
    socket.once('end', () => socket.destroy());
    socket.once('close', () => clearTimeout(timer));
  };
}
