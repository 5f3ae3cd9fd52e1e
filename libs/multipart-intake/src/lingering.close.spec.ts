import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { sendWholeBodyThenRead } from '@feishu-attachments/test-support/whole-body-sender';
import { closeAfterAnswer, type LingerBounds } from './lingering.close.js';

const MiB = 1024 * 1024;
const BODY_BYTES = 60 * MiB;

let server: Server | undefined;
let serverSockets: Socket[];

/** A server that refuses every request with 413 before reading a byte of its body. */
async function refusingServer(bounds?: Partial<LingerBounds>): Promise<number> {
  serverSockets = [];
  server = createServer((req, res) => {
    closeAfterAnswer(req, res, bounds);
    res.writeHead(413, { 'content-type': 'text/plain' }).end('too large');
  });
  server.on('connection', (socket) => serverSockets.push(socket));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const head = (bytes: number) =>
  `POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: ${bytes}\r\n\r\n`;

const socketClosed = (socket: Socket) =>
  socket.destroyed
    ? Promise.resolve()
    : new Promise<void>((resolve) => socket.once('close', () => resolve()));

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

describe('closeAfterAnswer', () => {
  it('lets a client that sends its whole 60 MiB body before reading read the early answer', async () => {
    const port = await refusingServer({ maxBytes: BODY_BYTES });

    const outcome = await sendWholeBodyThenRead(port, head(BODY_BYTES), {
      chunk: Buffer.alloc(MiB, 1),
      bytes: BODY_BYTES,
    });

    expect(outcome.writeError).toBeUndefined();
    expect(outcome.sent).toBe(BODY_BYTES);
    expect(outcome.received).toMatch(/^HTTP\/1\.1 413 /);
    expect(outcome.received).toMatch(/\r\nconnection: close\r\n/i);
    expect(outcome.received).toContain('too large');
  });

  it('closes once the client has sent more than maxBytes after the answer', async () => {
    const port = await refusingServer({ maxBytes: MiB });

    const outcome = await sendWholeBodyThenRead(port, head(BODY_BYTES), {
      chunk: Buffer.alloc(64 * 1024, 1),
      bytes: BODY_BYTES,
    });

    // The server stopped reading after 1 MiB more: the rest could not be sent.
    expect(outcome.writeError).toBeDefined();
    expect(outcome.sent).toBeLessThan(BODY_BYTES);
  });

  /**
   * A client that reads the answer and keeps its side open (allowHalfOpen), so only the server's
   * bounds can end the connection; resolves with the answer's status line.
   */
  async function halfOpenClient(port: number, bodyBytes: number) {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    socket.on('error', () => undefined);
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    const answered = new Promise<string>((resolve) =>
      socket.on('data', () => received.includes('\r\n') && resolve(received.split('\r\n')[0])),
    );
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(`${head(bodyBytes)}x`);
    return { socket, answered };
  }

  it('closes a connection that sends nothing more for idleMs', async () => {
    const port = await refusingServer({ idleMs: 100, totalMs: 60_000 });
    const client = await halfOpenClient(port, 1000);

    expect(await client.answered).toBe('HTTP/1.1 413 Payload Too Large');
    // The client never sends the other 999 bytes nor closes: only the idle bound can end this.
    await socketClosed(serverSockets[0]);
    client.socket.destroy();
  });

  it('closes after totalMs however the client trickles on', async () => {
    const port = await refusingServer({ idleMs: 60_000, totalMs: 200 });
    const client = await halfOpenClient(port, 1_000_000);
    const trickle = setInterval(() => client.socket.write('x'), 20);
    try {
      expect(await client.answered).toBe('HTTP/1.1 413 Payload Too Large');
      // Bytes keep coming well within idleMs: only the total bound can end this.
      await socketClosed(serverSockets[0]);
    } finally {
      clearInterval(trickle);
      client.socket.destroy();
    }
  });

  it('leaves an answer whose headers are already sent alone', async () => {
    serverSockets = [];
    let connection: string | number | string[] | undefined = 'unset';
    server = createServer((req, res) => {
      res.writeHead(200).write('started');
      closeAfterAnswer(req, res);
      connection = res.getHeader('connection');
      res.end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    const response = await fetch(`http://127.0.0.1:${port}/`);
    await response.text();

    expect(connection).toBeUndefined();
  });
});
