import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  FakeFeishuFetch,
  TASK_GUID,
  UPLOAD_PATH,
  attachment,
  attachmentPath,
  clientOn,
  fail,
  ok,
} from '../../test/support/fake-feishu-fetch.js';
import type { TransferProgress } from '../index.js';

const DOWNLOAD_PATH = '/download/authcode/';
const urlFor = (code: string) => `https://dl.feishu.test${DOWNLOAD_PATH}?code=${code}`;
const uploadOk = () => ok({ items: [attachment({ name: 'a.bin' })] });

/** 70 000 bytes sent as five chunks, with their length announced. */
const content = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
const chunked = () =>
  new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < content.length; at += 14_000)
          controller.enqueue(content.subarray(at, at + 14_000));
        controller.close();
      },
    }),
    { headers: { 'content-length': String(content.length) } },
  );

/** Events never go back, stay below 100 % until the last one, and the last one is the whole transfer. */
function expectSteadyProgress(events: TransferProgress[], totalBytes: number): void {
  expect(events.length).toBeGreaterThan(1);
  for (let i = 1; i < events.length; i++) {
    expect(events[i].transferredBytes).toBeGreaterThanOrEqual(events[i - 1].transferredBytes);
    expect(events[i].percent).toBeGreaterThanOrEqual(events[i - 1].percent);
  }
  for (const event of events.slice(0, -1)) expect(event.percent).toBeLessThan(1);
  expect(events.at(-1)).toEqual({ percent: 1, transferredBytes: totalBytes, totalBytes });
}

describe('upload progress', () => {
  it('reports the multipart body as it is sent, against its content-length, ending at 100 %', async () => {
    const fake = new FakeFeishuFetch().on('POST', UPLOAD_PATH, uploadOk());
    const events: TransferProgress[] = [];

    await clientOn(fake).attachments.upload(
      TASK_GUID,
      [
        { name: 'a.bin', data: content },
        { name: 'b.txt', data: 'second file' },
      ],
      { onUploadProgress: (progress) => events.push(progress) },
    );

    const sent = fake.requests[0];
    expect(sent.headers.get('content-length')).toBe(String(sent.body.length));
    expectSteadyProgress(events, sent.body.length);
    expect(events.every((event) => event.totalBytes === sent.body.length)).toBe(true);
  });

  it('reports a stream of unknown size at 0 % until it ends, then 100 % of what was sent', async () => {
    const fake = new FakeFeishuFetch().on('POST', UPLOAD_PATH, uploadOk());
    const events: TransferProgress[] = [];
    const stream = Readable.from([content.subarray(0, 30_000), content.subarray(30_000)]);

    await clientOn(fake).attachments.upload(TASK_GUID, [{ name: 'a.bin', stream }], {
      onUploadProgress: (progress) => events.push(progress),
    });

    const sent = fake.requests[0];
    expect(sent.headers.get('content-length')).toBeNull();
    expectSteadyProgress(events, sent.body.length);
    expect(events.slice(0, -1).every((event) => event.percent === 0)).toBe(true);
  });
});

describe('download progress', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'progress-spec-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const withFreshUrl = () =>
    new FakeFeishuFetch().on(
      'GET',
      attachmentPath(),
      ok({ attachment: attachment({ url: urlFor('fresh') }) }),
    );

  it('reports the bytes of a download as the body is read, ending at 100 % of its content-length', async () => {
    const fake = withFreshUrl().on('GET', DOWNLOAD_PATH, chunked);
    const events: TransferProgress[] = [];

    const download = await clientOn(fake).attachments.download(attachment().guid, {
      onDownloadProgress: (progress) => events.push(progress),
    });
    const received = Buffer.from(await new Response(download.body).arrayBuffer());

    expect(received.equals(content)).toBe(true);
    expectSteadyProgress(events, 70_000);
  });

  it('reports the progress of downloadToFile, and only of the answer that was used', async () => {
    // The held URL is refused first: its error body must not show up as progress.
    const fake = withFreshUrl()
      .on('GET', '/open-apis/task/v2/attachments', ok({ items: [attachment({ url: urlFor('held') })] }))
      .on('GET', DOWNLOAD_PATH, fail(403, 1470403, 'The download URL has expired.'), chunked);
    const client = clientOn(fake);
    await client.attachments.listPage({ taskGuid: TASK_GUID });
    const events: TransferProgress[] = [];
    const target = join(dir, 'out.bin');

    const result = await client.attachments.downloadToFile(attachment().guid, target, {
      onDownloadProgress: (progress) => events.push(progress),
    });

    expect(fake.to(DOWNLOAD_PATH)).toHaveLength(2);
    expect(result.bytes).toBe(70_000);
    expect((await readFile(target)).equals(content)).toBe(true);
    expectSteadyProgress(events, 70_000);
  });
});
