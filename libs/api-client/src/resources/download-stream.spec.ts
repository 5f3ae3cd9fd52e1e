import { once } from 'node:events';
import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  ATTACHMENT_GUID,
  FakeFeishuFetch,
  LIST_PATH,
  TASK_GUID,
  attachment,
  attachmentPath,
  clientOn,
  ok,
} from '../../test/support/fake-feishu-fetch.js';
import {
  FeishuConnectionError,
  FeishuDownloadError,
  FeishuTimeoutError,
  FeishuValidationError,
  type TransferProgress,
} from '../index.js';

// The download host is a real server on loopback, so aborts and cut connections behave as they do
// over a network; the client reaches it through its `fetch` option, like every other request,
// which here hands the Open Platform calls to the fake and the download URLs to Node's fetch.
type Handler = (res: ServerResponse) => void;
const send =
  (text: string, status = 200): Handler =>
  (res) => {
    res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
const never: Handler = () => undefined;

let server: http.Server;
let host: string;
/** Answers per code, the last one repeating; and every request the host saw. */
const answers = new Map<string, Handler[]>();
const seen: { code: string | null; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const code = new URL(req.url!, 'http://x').searchParams.get('code');
    seen.push({ code, headers: req.headers });
    const queue = answers.get(code ?? '') ?? [send('no such code', 404)];
    (queue.length > 1 ? queue.shift()! : queue[0])(res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});
beforeEach(() => {
  answers.clear();
  seen.length = 0;
});

const DOWNLOAD_PATH = '/download/authcode/';
const urlFor = (code: string) => `${host}${DOWNLOAD_PATH}?code=${code}`;

/** The client's fetch: download URLs to the host above (each one noted), the rest to the fake. */
function routed(fake: FakeFeishuFetch, forwarded: string[] = []): typeof fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname !== DOWNLOAD_PATH) return fake.fetch(input, init);
    forwarded.push(url.href);
    return fetch(input, init);
  };
}
const clientWith = (fake: FakeFeishuFetch, options: Parameters<typeof clientOn>[1] = {}) =>
  clientOn(fake, { fetch: routed(fake), ...options });
const listed = (code: string) => ok({ items: [attachment({ url: urlFor(code) })], has_more: false });
const got = (code: string) => ok({ attachment: attachment({ url: urlFor(code) }) });
const text = async (body: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

describe('downloadStream', () => {
  it('hands back a Node Readable with the bytes and describes the file', async () => {
    answers.set('fresh', [send('hello')]);
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), got('fresh'));

    const download = await clientWith(fake).attachments.downloadStream(ATTACHMENT_GUID);

    expect(download.body).toBeInstanceOf(Readable);
    expect(download).toMatchObject({
      name: 'report.pdf',
      size: 5,
      contentType: 'text/plain',
      attachment: { guid: ATTACHMENT_GUID },
    });
    expect(await text(download.body)).toBe('hello');
  });

  it('uses a listed URL three times, then gets a fresh one for the fourth', async () => {
    answers.set('listed', [send('hello')]);
    answers.set('fresh', [send('hello')]);
    const fake = new FakeFeishuFetch()
      .on('GET', LIST_PATH, listed('listed'))
      .on('GET', attachmentPath(), got('fresh'));
    const client = clientWith(fake);
    const [item] = (await client.attachments.listPage({ taskGuid: TASK_GUID })).items;

    for (let i = 0; i < 4; i++) {
      expect(await text((await client.attachments.downloadStream(item)).body)).toBe('hello');
    }

    expect(seen.map((request) => request.code)).toEqual(['listed', 'listed', 'listed', 'fresh']);
    expect(fake.to(attachmentPath())).toHaveLength(1);
  });

  it('shares its URL uses with download: three downloads of either kind use up a URL', async () => {
    answers.set('listed', [send('hello')]);
    answers.set('fresh', [send('hello')]);
    const fake = new FakeFeishuFetch()
      .on('GET', LIST_PATH, listed('listed'))
      .on('GET', attachmentPath(), got('fresh'));
    const client = clientWith(fake);
    const [item] = (await client.attachments.listPage({ taskGuid: TASK_GUID })).items;
    await new Response((await client.attachments.download(item)).body).text();
    await new Response((await client.attachments.download(item)).body).text();

    await text((await client.attachments.downloadStream(item)).body);
    await text((await client.attachments.downloadStream(item)).body);

    // Two downloads and one stream use up the listed URL; the second stream needs a fresh one.
    expect(seen.map((request) => request.code)).toEqual(['listed', 'listed', 'listed', 'fresh']);
    expect(fake.to(attachmentPath())).toHaveLength(1);
  });

  it('never sends the Authorization header to the download host', async () => {
    answers.set('fresh', [send('hello')]);
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), got('fresh'));

    await text((await clientWith(fake).attachments.downloadStream(ATTACHMENT_GUID)).body);

    expect(fake.to(attachmentPath())[0].headers.get('authorization')).toBe('Bearer t-fixed-token');
    expect(seen[0].headers.authorization).toBeUndefined();
  });

  it("fetches the download URL with the client's fetch option", async () => {
    answers.set('fresh', [send('hello')]);
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), got('fresh'));
    const forwarded: string[] = [];

    const download = await clientOn(fake, { fetch: routed(fake, forwarded) }).attachments.downloadStream(
      ATTACHMENT_GUID,
    );

    expect(await text(download.body)).toBe('hello');
    expect(forwarded).toEqual([urlFor('fresh')]);
  });

  it('gets a fresh URL when the download host refuses a held one', async () => {
    answers.set('listed', [send('expired', 403)]);
    answers.set('fresh', [send('hello')]);
    const fake = new FakeFeishuFetch()
      .on('GET', LIST_PATH, listed('listed'))
      .on('GET', attachmentPath(), got('fresh'));
    const client = clientWith(fake);
    await client.attachments.listPage({ taskGuid: TASK_GUID });

    const download = await client.attachments.downloadStream(ATTACHMENT_GUID);

    expect(await text(download.body)).toBe('hello');
    expect(seen.map((request) => request.code)).toEqual(['listed', 'fresh']);
  });

  it('throws FeishuDownloadError when even a fresh URL is refused', async () => {
    answers.set('fresh', [send('expired', 410)]);
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), got('fresh'));

    const failure = clientWith(fake).attachments.downloadStream(ATTACHMENT_GUID);

    await expect(failure).rejects.toBeInstanceOf(FeishuDownloadError);
    await expect(failure).rejects.toMatchObject({ httpStatus: 410 });
  });

  it('throws FeishuDownloadError at once, without a new URL, on a 5xx', async () => {
    answers.set('listed', [send('boom', 502)]);
    const fake = new FakeFeishuFetch()
      .on('GET', LIST_PATH, listed('listed'))
      .on('GET', attachmentPath(), got('fresh'));
    const client = clientWith(fake);
    await client.attachments.listPage({ taskGuid: TASK_GUID });

    await expect(client.attachments.downloadStream(ATTACHMENT_GUID)).rejects.toMatchObject({
      name: 'FeishuDownloadError',
      httpStatus: 502,
    });
    expect(fake.to(attachmentPath())).toHaveLength(0);
  });

  it('refuses a malformed guid before any request', async () => {
    const fake = new FakeFeishuFetch();

    await expect(clientWith(fake).attachments.downloadStream('not-a-guid')).rejects.toBeInstanceOf(
      FeishuValidationError,
    );
    expect(fake.requests).toHaveLength(0);
    expect(seen).toHaveLength(0);
  });

  it('reports progress as the body is read, the last event at 100 %', async () => {
    answers.set('fresh', [send('hello world')]);
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), got('fresh'));
    const events: TransferProgress[] = [];

    const download = await clientWith(fake).attachments.downloadStream(ATTACHMENT_GUID, {
      onDownloadProgress: (progress) => events.push(progress),
    });

    expect(await text(download.body)).toBe('hello world');
    expect(events.at(-1)).toEqual({ percent: 1, transferredBytes: 11, totalBytes: 11 });
    expect(events.slice(0, -1).every((event) => event.percent < 1)).toBe(true);
  });

  it('throws FeishuTimeoutError when the download host sends no headers within the transfer timeout', async () => {
    answers.set('fresh', [never]);
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), got('fresh'));
    // ky's timer runs on Jest's clock; the host (real I/O) never answers, so only the clock ends the wait.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const client = clientWith(fake, { timeouts: { transferMs: 5000 } });
      let settled = false;
      const failure = client.attachments.downloadStream(ATTACHMENT_GUID).finally(() => (settled = true));
      failure.catch(() => undefined);
      while (seen.length === 0) await new Promise((resolve) => setImmediate(resolve));

      await jest.advanceTimersByTimeAsync(4999);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);

      await expect(failure).rejects.toBeInstanceOf(FeishuTimeoutError);
      await expect(failure).rejects.toMatchObject({ timeoutMs: 5000 });
    } finally {
      jest.useRealTimers();
    }
  });

  it('rejects with the abort reason when the caller aborts before the headers', async () => {
    answers.set('fresh', [never]);
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), got('fresh'));
    const controller = new AbortController();
    const reason = new Error('caller gave up');

    const failure = clientWith(fake).attachments.downloadStream(ATTACHMENT_GUID, {
      signal: controller.signal,
    });
    while (seen.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(reason);

    await expect(failure).rejects.toBe(reason);
  });

  it('ends the body with the abort reason when the caller aborts while it streams', async () => {
    answers.set('fresh', [
      (res) => {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '10' });
        res.write('hello');
      },
    ]);
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), got('fresh'));
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const download = await clientWith(fake).attachments.downloadStream(ATTACHMENT_GUID, {
      signal: controller.signal,
    });
    const ended = finished(download.body);
    const [first] = (await once(download.body, 'data')) as [Buffer];

    controller.abort(reason);

    expect(first.toString()).toBe('hello');
    await expect(ended).rejects.toBe(reason);
  });

  it('throws FeishuConnectionError when nothing listens at the download URL', async () => {
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close();
    await once(closed, 'close');
    const fake = new FakeFeishuFetch().on(
      'GET',
      attachmentPath(),
      ok({ attachment: attachment({ url: `http://127.0.0.1:${port}/download/authcode/?code=gone` }) }),
    );

    await expect(clientWith(fake).attachments.downloadStream(ATTACHMENT_GUID)).rejects.toBeInstanceOf(
      FeishuConnectionError,
    );
  });
});
