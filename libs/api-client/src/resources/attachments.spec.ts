import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  ATTACHMENT_GUID,
  FakeFeishuFetch,
  LIST_PATH,
  TASK_GUID,
  UPLOAD_PATH,
  attachment,
  attachmentPath,
  clientOn,
  fail,
  ok,
} from '../../test/support/fake-feishu-fetch.js';
import { FeishuApiError, FeishuDownloadError, FeishuValidationError, type Attachment } from '../index.js';

const DOWNLOAD_HOST = 'https://dl.feishu.test';
const DOWNLOAD_PATH = '/download/authcode/';
const urlFor = (code: string) => `${DOWNLOAD_HOST}${DOWNLOAD_PATH}?code=${code}`;
const bytes = (text: string) =>
  new Response(text, {
    status: 200,
    headers: { 'content-type': 'text/plain', 'content-length': String(Buffer.byteLength(text)) },
  });
const refused = () => fail(403, 1470403, 'The download URL has expired (URLs are valid for 3 minutes).');

/** Download codes each client-visible URL carries, in the order the fake served them. */
const downloadCodes = (fake: FakeFeishuFetch) =>
  fake.to(DOWNLOAD_PATH).map((request) => request.url.searchParams.get('code'));

describe('validation before any request', () => {
  const fake = new FakeFeishuFetch();
  const client = clientOn(fake, { auth: { appId: 'cli_a', appSecret: 's' } });
  afterEach(() => expect(fake.requests).toHaveLength(0));

  it.each([
    ['no files', []],
    ['six files', Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.txt`, data: 'x' }))],
    ['a Blob of 50 MiB + 1 byte', [{ name: 'big.bin', data: new Blob([new Uint8Array(52428801)]) }]],
    ['a path that does not exist', [{ path: join(tmpdir(), 'no-such-dir-for-spec', 'missing.txt') }]],
  ])('refuses an upload with %s', async (_what, files) => {
    await expect(client.attachments.upload(TASK_GUID, files)).rejects.toBeInstanceOf(FeishuValidationError);
  });

  it('names the limit that was broken', async () => {
    await expect(client.attachments.upload(TASK_GUID, [])).rejects.toThrow('at least one file');
    await expect(
      client.attachments.upload(TASK_GUID, Array(6).fill({ name: 'a', data: 'x' })),
    ).rejects.toThrow('at most 5 files');
    await expect(
      client.attachments.upload(TASK_GUID, [{ name: 'big', data: new Blob([new Uint8Array(52428801)]) }]),
    ).rejects.toThrow("'big' is 52428801 bytes");
  });

  it.each([
    'not-a-guid',
    '',
    '../tasks/f860de3e-6881-4ddd-9321-070f36d1af0b',
    'f860de3e68814ddd9321070f36d1af0b',
  ])('refuses the malformed guid %j in upload, listPage, listAll, get, delete and download', async (guid) => {
    await expect(client.attachments.upload(guid, [{ name: 'a', data: 'x' }])).rejects.toBeInstanceOf(
      FeishuValidationError,
    );
    await expect(client.attachments.listPage({ taskGuid: guid })).rejects.toBeInstanceOf(
      FeishuValidationError,
    );
    // listAll is lazy: the refusal arrives at the first step of the loop, still before any request.
    await expect(client.attachments.listAll({ taskGuid: guid }).next()).rejects.toBeInstanceOf(
      FeishuValidationError,
    );
    await expect(client.attachments.get(guid)).rejects.toBeInstanceOf(FeishuValidationError);
    await expect(client.attachments.delete(guid)).rejects.toBeInstanceOf(FeishuValidationError);
    await expect(client.attachments.download(guid)).rejects.toBeInstanceOf(FeishuValidationError);
    await expect(client.tasks.get(guid)).rejects.toBeInstanceOf(FeishuValidationError);
  });
});

describe('upload', () => {
  it('posts the files as multipart with the task as resource and returns the items in order', async () => {
    const items = [
      attachment({ name: 'one.txt' }),
      attachment({ name: 'two.txt', guid: '11111111-2222-4333-8444-555555555555' }),
    ];
    const fake = new FakeFeishuFetch().on('POST', UPLOAD_PATH, ok({ items }));

    const uploaded = await clientOn(fake).attachments.upload(
      TASK_GUID,
      [
        { name: 'one.txt', data: 'first' },
        { name: 'two.txt', data: 'second' },
      ],
      { userIdType: 'union_id' },
    );

    expect(uploaded).toEqual(items);
    const [request] = fake.requests;
    expect(request.url.searchParams.get('user_id_type')).toBe('union_id');
    expect(request.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    const body = request.body.toString();
    expect(body).toContain(`name="resource_type"\r\n\r\ntask\r\n`);
    expect(body).toContain(`name="resource_id"\r\n\r\n${TASK_GUID}\r\n`);
    expect(body.indexOf('filename="one.txt"')).toBeLessThan(body.indexOf('filename="two.txt"'));
  });

  it('stops a stream without a size that grows past 50 MiB with FeishuValidationError', async () => {
    const mebibyte = Buffer.alloc(1024 * 1024, 1);
    const endless = new Readable({
      read() {
        this.push(mebibyte);
      },
    });
    const fake = new FakeFeishuFetch().on('POST', UPLOAD_PATH, ok({ items: [] }));

    const error = await clientOn(fake)
      .attachments.upload(TASK_GUID, [{ name: 'huge.bin', stream: endless }])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FeishuValidationError);
    expect((error as Error).message).toContain("'huge.bin' is over 52428800 bytes");
    endless.destroy();
  });

  it('still reports the 50 MiB stop as FeishuValidationError when fetch drops the underlying error', async () => {
    const mebibyte = Buffer.alloc(1024 * 1024, 1);
    const endless = new Readable({
      read() {
        this.push(mebibyte);
      },
    });
    // As fetch behaves across realms (e.g. under jest's vm): its own error, with no trace of ours.
    const forgetful = (async (input: RequestInfo | URL, init?: RequestInit) => {
      await new Request(input, init).arrayBuffer().catch(() => {
        throw new TypeError('fetch failed');
      });
      return ok({ items: [] });
    }) as typeof fetch;

    const error = await clientOn(new FakeFeishuFetch(), { fetch: forgetful })
      .attachments.upload(TASK_GUID, [{ name: 'huge.bin', stream: endless }])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FeishuValidationError);
    endless.destroy();
  });
});

describe('listing', () => {
  const page = (names: string[], next?: string) =>
    ok({
      items: names.map((name) => attachment({ name })),
      has_more: next !== undefined,
      ...(next ? { page_token: next } : {}),
    });

  it('follows page_token while has_more and yields every item in order', async () => {
    const fake = new FakeFeishuFetch().on(
      'GET',
      LIST_PATH,
      page(['a', 'b'], 'p2'),
      page(['c', 'd'], 'p3'),
      page(['e']),
    );

    const names: string[] = [];
    for await (const item of clientOn(fake).attachments.listAll({ taskGuid: TASK_GUID, pageSize: 2 }))
      names.push(item.name);

    expect(names).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(fake.requests.map((request) => request.url.searchParams.get('page_token'))).toEqual([
      null,
      'p2',
      'p3',
    ]);
    for (const request of fake.requests) {
      expect(Object.fromEntries(request.url.searchParams)).toMatchObject({
        resource_type: 'task',
        resource_id: TASK_GUID,
        page_size: '2',
      });
    }
  });

  it('throws an error on a later page into the for-await loop, after the items already yielded', async () => {
    const fake = new FakeFeishuFetch().on(
      'GET',
      LIST_PATH,
      page(['a', 'b'], 'p2'),
      fail(403, 1470403, 'Permission denied: no read permission on the task.'),
    );

    const names: string[] = [];
    const loop = async () => {
      for await (const item of clientOn(fake).attachments.listAll({ taskGuid: TASK_GUID }))
        names.push(item.name);
    };

    await expect(loop()).rejects.toMatchObject({ name: 'FeishuApiError', httpStatus: 403, code: 1470403 });
    expect(names).toEqual(['a', 'b']);
  });

  it('stops when has_more is false even if a page_token is present', async () => {
    const fake = new FakeFeishuFetch().on(
      'GET',
      LIST_PATH,
      ok({ items: [attachment()], has_more: false, page_token: 'stale' }),
    );

    const items: Attachment[] = [];
    for await (const item of clientOn(fake).attachments.listAll({ taskGuid: TASK_GUID })) items.push(item);

    expect(items).toHaveLength(1);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('download', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'attachments-spec-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const listed = (code: string) => ok({ items: [attachment({ url: urlFor(code) })], has_more: false });
  const got = (code: string) => ok({ attachment: attachment({ url: urlFor(code) }) });

  it('uses a listed URL three times, then gets a fresh one for the fourth download', async () => {
    const fake = new FakeFeishuFetch()
      .on('GET', LIST_PATH, listed('listed'))
      .on('GET', attachmentPath(), got('fresh'))
      .on('GET', DOWNLOAD_PATH, bytes('hello'));
    const client = clientOn(fake);
    const [item] = (await client.attachments.listPage({ taskGuid: TASK_GUID })).items;

    for (let i = 0; i < 4; i++) {
      const download = await client.attachments.download(item);
      expect(await new Response(download.body).text()).toBe('hello');
    }

    expect(downloadCodes(fake)).toEqual(['listed', 'listed', 'listed', 'fresh']);
    expect(fake.to(attachmentPath())).toHaveLength(1);
  });

  it('downloads by guid with a URL it already holds, and describes the file', async () => {
    const fake = new FakeFeishuFetch()
      .on('GET', LIST_PATH, listed('listed'))
      .on('GET', DOWNLOAD_PATH, bytes('hello'));
    const client = clientOn(fake);
    await client.attachments.listPage({ taskGuid: TASK_GUID });

    const download = await client.attachments.download(ATTACHMENT_GUID);

    expect(download).toMatchObject({
      name: 'report.pdf',
      size: 5,
      contentType: 'text/plain',
      attachment: { guid: ATTACHMENT_GUID },
    });
    expect(await new Response(download.body).text()).toBe('hello');
    expect(fake.to(attachmentPath())).toHaveLength(0);
  });

  it('gets a URL first when it holds none for the guid', async () => {
    const fake = new FakeFeishuFetch()
      .on('GET', attachmentPath(), got('fresh'))
      .on('GET', DOWNLOAD_PATH, bytes('hello'));

    const download = await clientOn(fake).attachments.download(ATTACHMENT_GUID);

    expect(await new Response(download.body).text()).toBe('hello');
    expect(downloadCodes(fake)).toEqual(['fresh']);
  });

  it('does not serve a user with a URL it holds for the app: it asks Feishu as that user first', async () => {
    const fake = new FakeFeishuFetch()
      .on('GET', LIST_PATH, listed('for-the-app'))
      .on('GET', attachmentPath(), got('for-the-user'))
      .on('GET', DOWNLOAD_PATH, bytes('hello'));
    const client = clientOn(fake);
    const [item] = (await client.attachments.listPage({ taskGuid: TASK_GUID })).items;

    await client.attachments.download(ATTACHMENT_GUID, { userAccessToken: 'eyJ.user.token' });
    await client.attachments.download(item, { userAccessToken: 'eyJ.user.token' });
    await client.attachments.download(ATTACHMENT_GUID);

    expect(fake.to(attachmentPath()).map((request) => request.headers.get('authorization'))).toEqual([
      'Bearer eyJ.user.token',
    ]);
    expect(downloadCodes(fake)).toEqual(['for-the-user', 'for-the-user', 'for-the-app']);
  });

  it('never sends the Authorization header to the download URL', async () => {
    const fake = new FakeFeishuFetch()
      .on('GET', attachmentPath(), got('fresh'))
      .on('GET', DOWNLOAD_PATH, bytes('hello'));

    await clientOn(fake).attachments.download(ATTACHMENT_GUID);

    expect(fake.to(attachmentPath())[0].headers.get('authorization')).toBe('Bearer t-fixed-token');
    expect(fake.to(DOWNLOAD_PATH)[0].headers.get('authorization')).toBeNull();
    expect(fake.to(DOWNLOAD_PATH)[0].url.origin).toBe(DOWNLOAD_HOST);
  });

  it('does not use a held URL once its 3 minutes are (nearly) up, by the injected clock', async () => {
    let now = 1_700_000_000_000;
    const fake = new FakeFeishuFetch()
      .on('GET', LIST_PATH, listed('listed'))
      .on('GET', attachmentPath(), got('fresh'))
      .on('GET', DOWNLOAD_PATH, bytes('hello'));
    const client = clientOn(fake, { now: () => now });
    await client.attachments.listPage({ taskGuid: TASK_GUID });

    now += 180_000;
    await client.attachments.download(ATTACHMENT_GUID);

    expect(downloadCodes(fake)).toEqual(['fresh']);
  });

  it('gets a fresh URL when the download host refuses a held one', async () => {
    const fake = new FakeFeishuFetch()
      .on('GET', LIST_PATH, listed('listed'))
      .on('GET', attachmentPath(), got('fresh'))
      .on('GET', DOWNLOAD_PATH, refused(), bytes('hello'));
    const client = clientOn(fake);
    await client.attachments.listPage({ taskGuid: TASK_GUID });

    const download = await client.attachments.download(ATTACHMENT_GUID);

    expect(await new Response(download.body).text()).toBe('hello');
    expect(downloadCodes(fake)).toEqual(['listed', 'fresh']);
  });

  it('throws FeishuDownloadError when even a fresh URL is refused', async () => {
    const fake = new FakeFeishuFetch()
      .on('GET', attachmentPath(), got('fresh'))
      .on('GET', DOWNLOAD_PATH, refused());

    const error = await clientOn(fake)
      .attachments.download(ATTACHMENT_GUID)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FeishuDownloadError);
    expect(error).toMatchObject({ httpStatus: 403 });
    expect(downloadCodes(fake)).toEqual(['fresh']);
  });

  it('throws FeishuDownloadError at once, without a new URL, when the download host fails with a 5xx', async () => {
    const fake = new FakeFeishuFetch()
      .on('GET', LIST_PATH, listed('listed'))
      .on('GET', attachmentPath(), got('fresh'))
      .on('GET', DOWNLOAD_PATH, new Response('bad gateway', { status: 502 }));
    const client = clientOn(fake);
    await client.attachments.listPage({ taskGuid: TASK_GUID });

    await expect(client.attachments.download(ATTACHMENT_GUID)).rejects.toMatchObject({
      name: 'FeishuDownloadError',
      httpStatus: 502,
    });
    expect(fake.to(attachmentPath())).toHaveLength(0);
  });

  it('forgets the URL of a deleted attachment, so the next download asks Feishu', async () => {
    const fake = new FakeFeishuFetch()
      .on('GET', LIST_PATH, listed('listed'))
      .on('DELETE', attachmentPath(), ok({}))
      .on('GET', attachmentPath(), fail(404, 1470404, 'The attachment does not exist or has been deleted.'));
    const client = clientOn(fake);
    await client.attachments.listPage({ taskGuid: TASK_GUID });

    await client.attachments.delete(ATTACHMENT_GUID);
    const error = await client.attachments.download(ATTACHMENT_GUID).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FeishuApiError);
    expect(error).toMatchObject({ code: 1470404 });
    expect(fake.to(DOWNLOAD_PATH)).toHaveLength(0);
  });

  it('writes the exact bytes to a file and leaves no partial file behind', async () => {
    const content = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    const fake = new FakeFeishuFetch()
      .on('GET', attachmentPath(), got('fresh'))
      .on(
        'GET',
        DOWNLOAD_PATH,
        new Response(content, { headers: { 'content-length': String(content.length) } }),
      );
    const target = join(dir, 'out.bin');

    const result = await clientOn(fake).attachments.downloadToFile(ATTACHMENT_GUID, target);

    expect(result).toEqual({ path: target, bytes: content.length });
    expect((await readFile(target)).equals(content)).toBe(true);
    expect(await readdir(dir)).toEqual(['out.bin']);
  });
});
