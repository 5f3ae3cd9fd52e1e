import { randomBytes } from 'node:crypto';
import {
  DOWNLOAD_URL_MAX_USES,
  DOWNLOAD_URL_TTL_MS,
  FeishuErrorCode,
  FeishuPath,
} from '@feishu-attachments/api-client/wire';
import type { StartMockFeishuOptions } from '../src/index.js';
import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

interface DownloadUrlView {
  url: string;
  attachment_guid: string;
  issued_at: number;
  expires_at: number;
  uses_left: number;
  expired: boolean;
}

interface FilePart {
  name: string;
  content: BlobPart;
  /** Left out, the Blob has no type and the part goes out with FormData's default. */
  type?: string;
}

const DOWNLOAD_PATH = '/download/authcode/';

/** Everything about a download that the tests look at; no Authorization header is ever sent. */
async function download(url: string, method: 'GET' | 'HEAD' = 'GET') {
  const response = await fetch(url, { method });
  const bytes = Buffer.from(await response.arrayBuffer());
  let json: { code?: unknown; msg?: unknown } | undefined;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, bytes, json };
}

/** A running emulator with one task, and shortcuts to put a file in it and ask for a URL. */
async function startWithTask(options: StartMockFeishuOptions = {}) {
  const feishu = await createMockFeishu(options);
  const state = { token: '', taskGuid: '' };

  const prepare = async () => {
    await feishu.reset();
    state.token = await feishu.tenantToken();
    state.taskGuid = await feishu.createTask(state.token);
  };

  const uploadFile = async (file: FilePart): Promise<string> => {
    const form = new FormData();
    form.append('resource_id', state.taskGuid);
    form.append(
      'file',
      new Blob([file.content], file.type === undefined ? {} : { type: file.type }),
      file.name,
    );
    const result = await feishu.call('POST', FeishuPath.AttachmentUpload, { token: state.token, form });
    expect(result.status).toBe(200);
    return result.body.data.items[0].guid;
  };

  const freshUrl = async (attachmentGuid: string): Promise<string> => {
    const result = await feishu.call(
      'GET',
      FeishuPath.Attachment.replace(':attachment_guid', attachmentGuid),
      {
        token: state.token,
      },
    );
    expect(result.status).toBe(200);
    return result.body.data.attachment.url;
  };

  const issuedUrls = async (): Promise<DownloadUrlView[]> =>
    (await feishu.call('GET', '/__mock/download-urls')).body.items;

  return { feishu, state, prepare, uploadFile, freshUrl, issuedUrls };
}

describe('temporary download URLs', () => {
  let env: Awaited<ReturnType<typeof startWithTask>>;
  let feishu: MockFeishuFixture;

  beforeAll(async () => {
    env = await startWithTask();
    feishu = env.feishu;
  });

  afterAll(async () => {
    await feishu?.close();
  });

  beforeEach(async () => {
    await env.prepare();
  });

  it('serves the exact bytes without an Authorization header, with type, length and a UTF-8 file name', async () => {
    const name = '报告 2026.pdf';
    const content = randomBytes(4096);
    const url = await env.freshUrl(await env.uploadFile({ name, content, type: 'application/pdf' }));

    const result = await download(url);

    expect(result.status).toBe(200);
    expect(result.bytes.equals(content)).toBe(true);
    expect(result.headers.get('content-type')).toBe('application/pdf');
    expect(result.headers.get('content-length')).toBe(String(content.length));
    const disposition = result.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment;/);
    const encodedName = /filename\*=UTF-8''([^;\s]+)/.exec(disposition)?.[1];
    expect(encodedName).toBeDefined();
    expect(decodeURIComponent(encodedName as string)).toBe(name);
  });

  it('labels a file sent without a type application/octet-stream', async () => {
    const url = await env.freshUrl(await env.uploadFile({ name: 'blob.bin', content: 'untyped' }));

    const result = await download(url);

    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('application/octet-stream');
    expect(result.bytes.toString('utf8')).toBe('untyped');
  });

  it('serves the URLs that a list call hands out', async () => {
    await env.uploadFile({ name: 'a.txt', content: 'first file', type: 'text/plain' });
    await env.uploadFile({ name: 'b.txt', content: 'second file', type: 'text/plain' });
    const listed = await feishu.call('GET', FeishuPath.Attachments, {
      token: env.state.token,
      query: { resource_id: env.state.taskGuid },
    });

    const bodies = await Promise.all(
      listed.body.data.items.map(async (item: { url: string }) =>
        (await download(item.url)).bytes.toString('utf8'),
      ),
    );

    expect(bodies).toEqual(['first file', 'second file']);
  });

  it('refuses the fourth download with 403 and a JSON body saying the URL was used 3 times', async () => {
    const url = await env.freshUrl(
      await env.uploadFile({ name: 'a.txt', content: 'hello', type: 'text/plain' }),
    );

    const allowed = [];
    for (let use = 0; use < DOWNLOAD_URL_MAX_USES; use++) allowed.push(await download(url));
    const fourth = await download(url);

    expect(allowed.map((result) => result.status)).toEqual([200, 200, 200]);
    expect(allowed.map((result) => result.bytes.toString('utf8'))).toEqual(['hello', 'hello', 'hello']);
    expect(fourth.status).toBe(403);
    expect(fourth.headers.get('content-type')).toMatch(/^application\/json/);
    expect(fourth.json?.code).toBe(FeishuErrorCode.PermissionDenied);
    expect(fourth.json?.msg).toMatch(new RegExp(`used ${DOWNLOAD_URL_MAX_USES} times`));
  });

  it('serves exactly three of twelve concurrent downloads of one URL and refuses the other nine with 403', async () => {
    const content = randomBytes(64 * 1024);
    const url = await env.freshUrl(await env.uploadFile({ name: 'race.bin', content }));

    const results = await Promise.all(Array.from({ length: 12 }, () => download(url)));

    const served = results.filter((result) => result.status === 200);
    const refused = results.filter((result) => result.status === 403);
    expect(served).toHaveLength(DOWNLOAD_URL_MAX_USES);
    expect(refused).toHaveLength(12 - DOWNLOAD_URL_MAX_USES);
    for (const result of served) expect(result.bytes.equals(content)).toBe(true);
    expect((await env.issuedUrls()).find((view) => view.url === url)?.uses_left).toBe(0);
  });

  it('does not take a use for a HEAD request', async () => {
    const url = await env.freshUrl(
      await env.uploadFile({ name: 'a.txt', content: 'hello', type: 'text/plain' }),
    );

    const heads = [await download(url, 'HEAD'), await download(url, 'HEAD')];
    const usesLeftAfterHeads = (await env.issuedUrls()).find((view) => view.url === url)?.uses_left;
    const gets = [];
    for (let use = 0; use < DOWNLOAD_URL_MAX_USES; use++) gets.push((await download(url)).status);

    expect(heads.map((result) => result.status)).toEqual([200, 200]);
    expect(usesLeftAfterHeads).toBe(DOWNLOAD_URL_MAX_USES);
    expect(gets).toEqual([200, 200, 200]);
    expect((await download(url)).status).toBe(403);
    expect((await download(url, 'HEAD')).status).toBe(403);
  });

  it('refuses the URL of an attachment that has since been deleted', async () => {
    const guid = await env.uploadFile({ name: 'a.txt', content: 'hello', type: 'text/plain' });
    const url = await env.freshUrl(guid);
    const deleted = await feishu.call('DELETE', FeishuPath.Attachment.replace(':attachment_guid', guid), {
      token: env.state.token,
    });

    const result = await download(url);

    expect(deleted.status).toBe(200);
    expect(result.status).toBe(403);
    expect(typeof result.json?.msg).toBe('string');
  });

  it('answers a HEAD request with the headers a download would carry, and no body', async () => {
    const content = Buffer.from('header check');
    const url = await env.freshUrl(await env.uploadFile({ name: 'résumé.txt', content, type: 'text/plain' }));

    const head = await download(url, 'HEAD');
    const get = await download(url);

    expect(head.status).toBe(200);
    expect(head.bytes.length).toBe(0);
    for (const header of ['content-type', 'content-length', 'content-disposition']) {
      expect(head.headers.get(header)).toBe(get.headers.get(header));
    }
    expect(head.headers.get('content-length')).toBe(String(content.length));
  });

  it('refuses a HEAD request for the URL of a deleted attachment, as the download would be refused', async () => {
    const guid = await env.uploadFile({ name: 'a.txt', content: 'hello', type: 'text/plain' });
    const url = await env.freshUrl(guid);
    await feishu.call('DELETE', FeishuPath.Attachment.replace(':attachment_guid', guid), {
      token: env.state.token,
    });

    const head = await download(url, 'HEAD');

    expect(head.status).toBe(403);
  });

  it('refuses a URL whose code the emulator never issued', async () => {
    const result = await download(`${feishu.publicUrl}${DOWNLOAD_PATH}?code=not-a-code-we-issued`);

    expect(result.status).toBe(403);
    expect(typeof result.json?.msg).toBe('string');
  });

  it('gives a working URL again on a new get once the old one is used up', async () => {
    const guid = await env.uploadFile({ name: 'a.txt', content: 'hello', type: 'text/plain' });
    const usedUp = await env.freshUrl(guid);
    for (let use = 0; use < DOWNLOAD_URL_MAX_USES; use++) await download(usedUp);
    expect((await download(usedUp)).status).toBe(403);

    const renewed = await env.freshUrl(guid);
    const result = await download(renewed);

    expect(renewed).not.toBe(usedUp);
    expect(result.status).toBe(200);
    expect(result.bytes.toString('utf8')).toBe('hello');
  });
});

describe('temporary download URLs on a frozen wall clock', () => {
  // The emulator's clock is the wall clock plus an offset. Freezing Date (and nothing else, so
  // sockets and streams run as usual) leaves `clock.advance` as the only thing that moves time,
  // which is what a boundary one millisecond wide needs.
  let env: Awaited<ReturnType<typeof startWithTask>>;
  let feishu: MockFeishuFixture;

  beforeAll(async () => {
    jest.useFakeTimers({
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
      now: new Date('2026-03-01T08:00:00.000Z'),
    });
    env = await startWithTask();
    feishu = env.feishu;
  });

  afterAll(async () => {
    await feishu?.close();
    jest.useRealTimers();
  });

  beforeEach(async () => {
    await env.prepare();
  });

  it('serves a URL 1 ms before its 3 minutes are up and refuses an unused one at 3 minutes, saying it expired', async () => {
    const guid = await env.uploadFile({ name: 'a.txt', content: 'hello', type: 'text/plain' });
    const early = await env.freshUrl(guid);
    const unused = await env.freshUrl(guid);

    feishu.clock.advance(DOWNLOAD_URL_TTL_MS - 1);
    const justInTime = await download(early);
    feishu.clock.advance(1);
    const tooLate = await download(unused);

    expect(justInTime.status).toBe(200);
    expect(justInTime.bytes.toString('utf8')).toBe('hello');
    expect(tooLate.status).toBe(403);
    expect(tooLate.json?.code).toBe(FeishuErrorCode.PermissionDenied);
    expect(tooLate.json?.msg).toMatch(/expired/i);
  });

  it('refuses an unused URL after clock.advance(180_000)', async () => {
    const url = await env.freshUrl(
      await env.uploadFile({ name: 'a.txt', content: 'hello', type: 'text/plain' }),
    );

    feishu.clock.advance(DOWNLOAD_URL_TTL_MS);
    const result = await download(url);

    expect(result.status).toBe(403);
    expect(result.json?.msg).toMatch(/expired/i);
  });

  it('lists issued URLs in /__mock/download-urls with uses left, expiry time and an expired flag', async () => {
    const guid = await env.uploadFile({ name: 'a.txt', content: 'hello', type: 'text/plain' });
    const issuedAtFirst = feishu.clock.now();
    const first = await env.freshUrl(guid);
    await download(first);
    await download(first);
    feishu.clock.advance(60_000);
    const issuedAtSecond = feishu.clock.now();
    const second = await env.freshUrl(guid);

    const beforeExpiry = await env.issuedUrls();
    feishu.clock.advance(DOWNLOAD_URL_TTL_MS - 60_000);
    const afterFirstExpired = await env.issuedUrls();

    expect(beforeExpiry).toEqual([
      {
        url: first,
        attachment_guid: guid,
        issued_at: issuedAtFirst,
        expires_at: issuedAtFirst + DOWNLOAD_URL_TTL_MS,
        uses_left: DOWNLOAD_URL_MAX_USES - 2,
        expired: false,
      },
      {
        url: second,
        attachment_guid: guid,
        issued_at: issuedAtSecond,
        expires_at: issuedAtSecond + DOWNLOAD_URL_TTL_MS,
        uses_left: DOWNLOAD_URL_MAX_USES,
        expired: false,
      },
    ]);
    expect(afterFirstExpired.map((view) => [view.url, view.expired])).toEqual([
      [first, true],
      [second, false],
    ]);
  });
});

describe('temporary download URLs with downloadRefusalStatus 410', () => {
  let env: Awaited<ReturnType<typeof startWithTask>>;

  beforeAll(async () => {
    env = await startWithTask({ downloadRefusalStatus: 410 });
  });

  afterAll(async () => {
    await env?.feishu.close();
  });

  beforeEach(async () => {
    await env.prepare();
  });

  it('refuses a used-up URL with 410 and the same JSON body', async () => {
    const url = await env.freshUrl(
      await env.uploadFile({ name: 'a.txt', content: 'hello', type: 'text/plain' }),
    );
    for (let use = 0; use < DOWNLOAD_URL_MAX_USES; use++) expect((await download(url)).status).toBe(200);

    const refused = await download(url);

    expect(refused.status).toBe(410);
    expect(typeof refused.json?.code).toBe('number');
    expect(refused.json?.code).not.toBe(0);
    expect(refused.json?.msg).toMatch(new RegExp(`used ${DOWNLOAD_URL_MAX_USES} times`));
  });

  it('refuses an expired URL with 410', async () => {
    const url = await env.freshUrl(
      await env.uploadFile({ name: 'a.txt', content: 'hello', type: 'text/plain' }),
    );

    env.feishu.clock.advance(DOWNLOAD_URL_TTL_MS);
    const refused = await download(url);

    expect(refused.status).toBe(410);
    expect(refused.json?.msg).toMatch(/expired/i);
  });
});

describe('temporary download URLs behind a publicUrl', () => {
  const publicUrl = 'http://files.example.test:9999';
  let env: Awaited<ReturnType<typeof startWithTask>>;

  beforeAll(async () => {
    env = await startWithTask({ publicUrl });
  });

  afterAll(async () => {
    await env?.feishu.close();
  });

  beforeEach(async () => {
    await env.prepare();
  });

  it('builds get and list URLs on the public base, whose path and query work against the emulator', async () => {
    const guid = await env.uploadFile({ name: 'a.txt', content: 'hello', type: 'text/plain' });
    const fromGet = await env.freshUrl(guid);
    const listed = await env.feishu.call('GET', FeishuPath.Attachments, {
      token: env.state.token,
      query: { resource_id: env.state.taskGuid },
    });
    const fromList: string = listed.body.data.items[0].url;

    expect(env.feishu.publicUrl).toBe(publicUrl);
    for (const url of [fromGet, fromList]) {
      expect(url.startsWith(`${publicUrl}${DOWNLOAD_PATH}?code=`)).toBe(true);
      const { pathname, search } = new URL(url);
      const result = await download(`${env.feishu.url}${pathname}${search}`);
      expect(result.status).toBe(200);
      expect(result.bytes.toString('utf8')).toBe('hello');
    }
  });
});
