import { connect, type Socket } from 'node:net';

export interface SendOutcome {
  /** How many body bytes were handed to the connection. */
  sent: number;
  /** The error code of the first failed write, if one failed. */
  writeError?: string;
  /** Everything read after the body was out (the answer, if it survived). */
  received: string;
}

/**
 * A client that sends its whole body before it reads anything, as curl, undici's fetch with a
 * FormData body and axios with a form-data stream do: it reads nothing (paused) until the last
 * byte is out, then reads what came. A server that refuses early and closes at once resets this
 * connection, and the answer is lost; one that lingers lets it be read.
 */
export async function sendWholeBodyThenRead(
  port: number,
  head: string,
  body: { chunk: Buffer; bytes: number },
): Promise<SendOutcome> {
  const socket: Socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  socket.pause();
  let writeError: string | undefined;
  socket.on('error', (error: NodeJS.ErrnoException) => (writeError ??= error.code ?? error.message));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(head);
  let sent = 0;
  while (sent < body.bytes && !socket.destroyed) {
    const chunk = body.chunk.subarray(0, Math.min(body.chunk.length, body.bytes - sent));
    const flushed = socket.write(chunk);
    sent += chunk.length;
    if (!flushed)
      await new Promise<void>((resolve) => {
        const go = () => {
          socket.off('drain', go);
          socket.off('close', go);
          resolve();
        };
        socket.once('drain', go);
        socket.once('close', go);
      });
  }
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve) => {
    if (socket.destroyed) return resolve();
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('end', resolve);
    socket.once('close', resolve);
    socket.resume();
  });
  socket.destroy();
  return { sent, writeError, received: Buffer.concat(chunks).toString('latin1') };
}
