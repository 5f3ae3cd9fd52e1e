import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { ADMIN_TOKEN, startHarness, type Harness } from './support/admin-api.harness.js';
import { multipart } from './support/uploads.js';
import { earlyAnswer } from '@feishu-attachments/test-support/early-answer';
import { sendWholeBodyThenRead } from '@feishu-attachments/test-support/whole-body-sender';

const MiB = 1024 * 1024;
/** Feishu's per-file limit (task-v2/attachment/upload): 50 MB, counted as MiB. */
const MAX_FILE_BYTES = 52_428_800;

/**
 * An upload the test writes by hand and never finishes: if the service waited for the end of the
 * body before refusing it, no answer would ever come and the test would time out. So each test
 * proves the refusal arrives while the caller is still sending, on a machine of any speed.
 */
function openUpload(
  url: string,
  contentType: string,
): { req: ClientRequest; answer: Promise<IncomingMessage> } {
  const req = request(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': contentType },
  });
  return { req, answer: earlyAnswer(req).answer };
}

/** Writes `chunk` until `limit` bytes are out or the answer has come, whichever is first. */
async function writeUntilAnswered(req: ClientRequest, answered: () => boolean, chunk: Buffer, limit: number) {
  let written = 0;
  while (!answered() && written < limit) {
    // Not events.once: it rejects on the write error that the closed connection causes.
    if (!req.write(chunk))
      await new Promise((resolve) => {
        req.once('drain', resolve);
        req.once('close', resolve);
      });
    written += chunk.length;
  }
  return written;
}

/** Resolves once the connection is closed; only the service can close it, since the test never ends the body. */
const closed = (req: ClientRequest) =>
  req.socket?.destroyed ? Promise.resolve() : new Promise((resolve) => req.socket!.once('close', resolve));

const bodyOf = async (response: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
};

describe('upload limits are enforced as the bytes arrive', () => {
  let h: Harness;
  let url: string;

  beforeAll(async () => {
    // A stall of 300 ms counts as idle here; the default is 30 s.
    h = await startHarness({ adminApi: { timeouts: { idleBodyMs: 300 } } });
  });
  afterAll(() => h?.close());
  beforeEach(async () => {
    await h.feishu.reset({ keepTokens: true });
    url = `${h.api.url}/tasks/${await h.feishu.seeder.createTask({ summary: 'Limits' })}/attachments`;
  });

  it('answers a 200 MiB part with 413 once it passes 52 428 800 bytes, closes the connection, keeps nothing', async () => {
    const form = multipart();
    const { req, answer } = openUpload(url, form.contentType);
    let response: IncomingMessage | undefined;
    void answer.then((r) => (response = r));
    req.write(form.fileHead('huge.bin'));

    // Past the limit by 10 MiB, then the test stops sending and only waits for the answer.
    const written = await writeUntilAnswered(
      req,
      () => response !== undefined,
      Buffer.alloc(MiB, 7),
      60 * MiB,
    );
    const answered = await answer;

    expect(written).toBeLessThan(200 * MiB);
    expect(written).toBeGreaterThan(MAX_FILE_BYTES);
    expect(answered.statusCode).toBe(413);
    expect(answered.headers.connection).toBe('close');
    expect(await bodyOf(answered)).toEqual({
      error: {
        status: 413,
        message: `"huge.bin" is larger than 52428800 bytes (50 MiB), Feishu's limit per file.`,
      },
    });
    await closed(req);
    expect(await h.leftovers()).toEqual([]);
    expect(await h.journal({ operation: 'attachment.upload' })).toEqual([]);
  });

  it('refuses a sixth file part with 400 before the body ends', async () => {
    const form = multipart();
    const { req, answer } = openUpload(url, form.contentType);
    for (let index = 1; index <= 6; index++)
      req.write(`${form.fileHead(`f${index}.txt`)}hello${form.partEnd}`);

    const answered = await answer;

    expect(answered.statusCode).toBe(400);
    expect((await bodyOf(answered)).error.message).toBe(
      "At most 5 files per upload (Feishu's limit); send the rest in another request.",
    );
    await closed(req);
    expect(await h.leftovers()).toEqual([]);
  });

  it('cuts an upload whose body stalls with 408, and removes its partial file', async () => {
    const form = multipart();
    const { req, answer } = openUpload(url, form.contentType);
    req.write(form.fileHead('slow.bin'));
    req.write(Buffer.alloc(MiB, 1));

    // Nothing more is sent: only the idle-body timeout can end this request.
    const answered = await answer;

    expect(answered.statusCode).toBe(408);
    expect((await bodyOf(answered)).error.message).toBe(
      'The upload stalled: no bytes for 300 ms. Send the body without pauses.',
    );
    await closed(req);
    expect(await h.leftovers()).toEqual([]);
  });

  describe('a client that sends its whole body before it reads (curl, fetch with FormData, axios)', () => {
    /** The answer in a raw HTTP/1.1 response: its status and JSON body. */
    const answerOf = (received: string) => {
      const split = received.indexOf('\r\n\r\n');
      const head = received.slice(0, split);
      return {
        status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1]),
        head,
        body: JSON.parse(received.slice(split + 4)),
      };
    };

    it.each([
      {
        what: 'a 60 MiB file',
        parts: (form: ReturnType<typeof multipart>) => form.fileHead('huge.bin'),
        status: 413,
        message: `"huge.bin" is larger than 52428800 bytes (50 MiB), Feishu's limit per file.`,
      },
      {
        what: 'a sixth file of 60 MiB',
        parts: (form: ReturnType<typeof multipart>) =>
          Array.from(
            { length: 5 },
            (_, index) => `${form.fileHead(`f${index}.txt`)}hello${form.partEnd}`,
          ).join('') + form.fileHead('sixth.bin'),
        status: 400,
        message: "At most 5 files per upload (Feishu's limit); send the rest in another request.",
      },
    ])(
      'reads the $status refusing $what after sending all of it, instead of a reset',
      async ({ parts, status, message }) => {
        const form = multipart();
        const preamble = parts(form);
        const fileBytes = 60 * MiB;
        const { port, pathname } = new URL(url);
        const head =
          `POST ${pathname} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\n` +
          `Content-Type: ${form.contentType}\r\nContent-Length: ${Buffer.byteLength(preamble) + fileBytes}\r\n\r\n`;

        // Refused after 50 MiB at most, answered at once; the client only reads once all 60 MiB are out.
        const outcome = await sendWholeBodyThenRead(Number(port), head + preamble, {
          chunk: Buffer.alloc(MiB, 7),
          bytes: fileBytes,
        });

        expect(outcome.writeError).toBeUndefined();
        expect(outcome.sent).toBe(fileBytes);
        const answer = answerOf(outcome.received);
        expect(answer.status).toBe(status);
        expect(answer.head).toMatch(/\r\nconnection: close(\r\n|$)/i);
        expect(answer.body).toEqual({ error: { status, message } });
        expect(await h.leftovers()).toEqual([]);
        expect(await h.journal({ operation: 'attachment.upload' })).toEqual([]);
      },
    );
  });
});
