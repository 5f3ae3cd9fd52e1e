import { connect, type Socket } from 'node:net';
import { recordAnswer } from './answer-ledger.js';

/**
 * HTTP/1.1 over a bare TCP socket: the request goes out byte for byte as the test wrote it (no
 * client normalises the path, adds headers or frames the body), and the answer is read as the
 * server wrote it. That is how a test sees what curl, a Go or Java SDK or a browser would see.
 */

export interface RawAnswer {
  status: number;
  /** Header names lower-cased; a repeated header's values joined with `, `. */
  headers: Record<string, string>;
  body: string;
  bytes: Buffer;
  /** Interim answers (100 Continue) that came before this one. */
  interim: number[];
}

export interface RawExchange {
  /** The first final answer; rejects if the connection ends before a complete one. */
  answer: Promise<RawAnswer>;
  /** Resolves once the server has ended or dropped the connection (never rejects). */
  serverClosed: Promise<void>;
  /** Writes more of the request; false once the socket cannot take it any more. */
  write(chunk: string | Buffer): boolean;
  /** Closes our side (used in afterEach/finally so no socket outlives its test). */
  destroy(): void;
}

export interface RawTarget {
  port: number;
  /** @default 127.0.0.1 */
  host?: string;
}

/** Sends `bytes` (a whole request, or its first part) on a new connection. */
export function openRaw(target: RawTarget, bytes: string | Buffer, label = 'raw request'): RawExchange {
  const socket: Socket = connect({ port: target.port, host: target.host ?? '127.0.0.1' });
  let received = Buffer.alloc(0);
  let lastError: Error | undefined;
  let settled = false;
  let resolveAnswer!: (answer: RawAnswer) => void;
  let rejectAnswer!: (error: Error) => void;
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    resolveAnswer = resolve;
    rejectAnswer = reject;
  });
  // The answer may be awaited late (after serverClosed); its rejection is reported then.
  answer.catch(() => undefined);
  const serverClosed = new Promise<void>((resolve) => {
    socket.once('end', () => resolve());
    socket.once('close', () => resolve());
  });

  const tryParse = (atEnd: boolean) => {
    if (settled) return;
    const parsed = parseAnswer(received, atEnd);
    if (!parsed) return;
    settled = true;
    recordAnswer(label, parsed);
    resolveAnswer(parsed);
  };
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    tryParse(false);
  });
  socket.on('error', (error) => (lastError = error));
  socket.on('end', () => tryParse(true));
  socket.on('close', () => {
    tryParse(true);
    if (settled) return;
    settled = true;
    const why = lastError ? ` (${(lastError as NodeJS.ErrnoException).code ?? lastError.message})` : '';
    rejectAnswer(
      new Error(
        `${label}: the connection closed without a complete answer${why}; received ${received.length} bytes: ` +
          JSON.stringify(received.subarray(0, 300).toString('latin1')),
      ),
    );
  });
  socket.write(bytes);
  return {
    answer,
    serverClosed,
    write: (chunk) => (socket.destroyed || !socket.writable ? false : socket.write(chunk)),
    destroy: () => void socket.destroy(),
  };
}

export interface RawRequest {
  method: string;
  /** Sent exactly as given, percent signs, dots and case included. */
  path: string;
  /** In order, as written. `Host` is added (`127.0.0.1:<port>`) unless given; `null` leaves it out. */
  headers?: Record<string, string | number | null>;
  body?: string | Buffer;
}

/** The head (request line and headers) of a request, as bytes on the wire. */
export function requestHead(target: RawTarget, request: RawRequest): string {
  const headers: [string, string][] = [];
  const given = request.headers ?? {};
  const has = (name: string) => Object.keys(given).some((key) => key.toLowerCase() === name);
  if (!has('host')) headers.push(['Host', `${target.host ?? '127.0.0.1'}:${target.port}`]);
  for (const [name, value] of Object.entries(given)) if (value !== null) headers.push([name, String(value)]);
  if (request.body !== undefined && !has('content-length') && !has('transfer-encoding'))
    headers.push(['Content-Length', String(Buffer.byteLength(request.body))]);
  return `${request.method} ${request.path} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
}

/**
 * One whole request on its own connection (`Connection: close` unless told otherwise): its answer,
 * once the server has written all of it.
 */
export async function rawCall(target: RawTarget, request: RawRequest): Promise<RawAnswer> {
  const headers = { Connection: 'close', ...request.headers };
  const head = requestHead(target, { ...request, headers });
  const bytes =
    request.body === undefined ? head : Buffer.concat([Buffer.from(head), Buffer.from(request.body)]);
  const exchange = openRaw(target, bytes, `${request.method} ${request.path}`);
  try {
    return await exchange.answer;
  } finally {
    exchange.destroy();
  }
}

/** Parses the first final answer in `data`, or returns undefined while it is incomplete. */
function parseAnswer(data: Buffer, atEnd: boolean): RawAnswer | undefined {
  const interim: number[] = [];
  let offset = 0;
  for (;;) {
    const headEnd = data.indexOf('\r\n\r\n', offset);
    if (headEnd < 0) return undefined;
    const [statusLine, ...lines] = data.subarray(offset, headEnd).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
    if (!Number.isInteger(status)) throw new Error(`not an HTTP answer: ${JSON.stringify(statusLine)}`);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    const bodyStart = headEnd + 4;
    if (status >= 100 && status < 200) {
      interim.push(status);
      offset = bodyStart;
      continue;
    }
    const rest = data.subarray(bodyStart);
    let bytes: Buffer | undefined;
    if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) bytes = dechunk(rest);
    else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      bytes = rest.length >= length ? rest.subarray(0, length) : undefined;
    } else if (status === 204 || status === 304) bytes = Buffer.alloc(0);
    else bytes = atEnd ? rest : undefined;
    if (!bytes) return undefined;
    return { status, headers, body: bytes.toString('utf8'), bytes, interim };
  }
}

function dechunk(data: Buffer): Buffer | undefined {
  const chunks: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd < 0) return undefined;
    const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (size === 0) return Buffer.concat(chunks);
    const start = lineEnd + 2;
    if (data.length < start + size + 2) return undefined;
    chunks.push(data.subarray(start, start + size));
    offset = start + size + 2;
  }
}

/** The answer's body as JSON, or undefined when it is not JSON. */
export function jsonOf(answer: { body: string }): any {
  try {
    return JSON.parse(answer.body);
  } catch {
    return undefined;
  }
}
