import { connect } from 'node:net';
import type { RunningMockFeishu, StartMockFeishuOptions } from '../src/index.js';
import { startDirect } from './support/raw-upload.js';

const LOG_ID = /^\d{14}[0-9A-F]{20}$/;

/** Sends `bytes` on a fresh connection and resolves with everything the emulator wrote until it closed. */
function rawExchange(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    // Only the emulator ends this exchange: the test never closes the socket itself.
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.write(bytes);
  });
}

function parseAnswer(raw: string) {
  const [head, body] = raw.split('\r\n\r\n');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  return { statusLine, headers, body: JSON.parse(body) };
}

describe("Node's own refusals in Feishu's shape", () => {
  let feishu: RunningMockFeishu;

  beforeAll(async () => {
    feishu = await startDirect();
  });
  afterAll(() => feishu?.close());

  it('answers a malformed request line with 400 and a JSON envelope, then closes, echoing nothing', async () => {
    const answer = parseAnswer(await rawExchange(feishu.url, 'GET /open-apis <script>\x01 HTTP/1.1\r\n\r\n'));

    expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers.connection).toBe('close');
    expect(answer.body).toEqual({
      code: 99992402,
      msg: 'Bad request: the HTTP request is malformed.',
      error: { log_id: answer.headers['x-tt-logid'] },
    });
    expect(answer.headers['x-tt-logid']).toMatch(LOG_ID);
  });

  it('answers headers over Node’s 16 KiB limit with 431 and a JSON envelope, then closes', async () => {
    const request = `GET /open-apis/task/v2/tasks HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`;

    const answer = parseAnswer(await rawExchange(feishu.url, request));

    expect(answer.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(answer.headers.connection).toBe('close');
    expect(answer.body).toMatchObject({
      code: 99992402,
      msg: 'Request header fields too large: send smaller headers.',
    });
  });

  it('keeps serving well-formed requests after refusing a malformed one', async () => {
    await rawExchange(feishu.url, 'NOT HTTP AT ALL\r\n\r\n');

    const health = await fetch(`${feishu.url}/healthz`);

    expect(health.status).toBe(200);
  });
});

describe('health', () => {
  it.each<[string, StartMockFeishuOptions]>([
    ['with the control plane', {}],
    ['with --no-control-plane', { controlPlane: false }],
    ['with a control token, called without it', { controlToken: 'secret-control-token' }],
  ])('GET /healthz answers 200 {status:"ok", now} %s, and is not journaled', async (_label, options) => {
    const feishu = await startDirect(options);
    try {
      feishu.clock.freeze(true);
      const health = await fetch(`${feishu.url}/healthz`);

      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', now: feishu.clock.now() });
      if (options.controlPlane !== false) {
        const journal = await fetch(`${feishu.url}/__mock/requests`, {
          headers: { authorization: 'Bearer secret-control-token' },
        });
        expect(((await journal.json()) as { items: unknown[] }).items).toEqual([]);
      }
    } finally {
      await feishu.close();
    }
  });

  it('has /__mock/health only with the control plane', async () => {
    const on = await startDirect();
    const off = await startDirect({ controlPlane: false });
    try {
      expect((await fetch(`${on.url}/__mock/health`)).status).toBe(200);
      expect((await fetch(`${off.url}/__mock/health`)).status).toBe(404);
    } finally {
      await on.close();
      await off.close();
    }
  });
});
