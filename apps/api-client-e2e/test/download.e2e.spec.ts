import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FeishuConnectionError, type Attachment } from '@feishu-attachments/api-client';
import { recordingFetch, startEmulator, type Emulator } from './support/emulator';

const DOWNLOAD_PATH = '/download/authcode/';
const codeOf = (url: string) => new URL(url).searchParams.get('code');

describe('downloads against the emulator', () => {
  let feishu: Emulator;
  let dir: string;
  let taskGuid: string;
  let attachmentGuid: string;
  const content = randomBytes(300_000);

  beforeAll(async () => {
    feishu = await startEmulator();
    dir = await mkdtemp(join(tmpdir(), 'api-client-e2e-download-'));
  });
  afterAll(async () => {
    await feishu.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await feishu.reset();
    taskGuid = await feishu.seeder.createTask({ summary: 'downloads' });
    attachmentGuid = (
      await feishu.seeder.addAttachment(taskGuid, {
        name: 'data.bin',
        content,
        contentType: 'application/x-test',
      })
    ).guid;
  });

  async function listOne(client: ReturnType<Emulator['client']>): Promise<Attachment> {
    const page = await client.attachments.listPage({ taskGuid });
    return page.items[0];
  }

  const read = async (body: ReadableStream<Uint8Array>) =>
    Buffer.from(await new Response(body).arrayBuffer());

  it('uses a listed URL for three downloads and transparently gets a fresh one for the fourth', async () => {
    const client = feishu.client();
    const listed = await listOne(client);

    for (let i = 0; i < 4; i++) {
      const download = await client.attachments.download(listed);
      expect((await read(download.body)).equals(content)).toBe(true);
    }

    expect(await feishu.journal({ operation: 'attachment.list' })).toHaveLength(1);
    expect(await feishu.journal({ operation: 'attachment.get' })).toHaveLength(1);
    const downloads = await feishu.journal({ operation: 'download' });
    expect(downloads.map((entry) => entry.status)).toEqual([200, 200, 200, 200]);
    const urls = await feishu.downloadUrls();
    expect(urls).toHaveLength(2);
    expect(urls.find((entry) => entry.url === listed.url)).toMatchObject({
      uses_left: 0,
      attachment_guid: attachmentGuid,
    });
    expect(urls.find((entry) => entry.url !== listed.url)).toMatchObject({
      uses_left: 2,
      attachment_guid: attachmentGuid,
    });
  });

  it('gets a fresh URL when the emulator refuses a held URL that expired on its clock', async () => {
    const client = feishu.client();
    const listed = await listOne(client);

    feishu.clock.advance(180_000);
    const download = await client.attachments.download(attachmentGuid);

    expect((await read(download.body)).equals(content)).toBe(true);
    const downloads = await feishu.journal({ operation: 'download' });
    expect(downloads.map((entry) => entry.status)).toEqual([403, 200]);
    expect(downloads[0].query.code).toBe(codeOf(listed.url!));
    expect(downloads[1].query.code).not.toBe(codeOf(listed.url!));
    expect(await feishu.journal({ operation: 'attachment.get' })).toHaveLength(1);
  });

  it('skips a held URL that its injected clock says has expired, without trying it', async () => {
    const client = feishu.client({ now: () => feishu.clock.now() });
    await listOne(client);

    feishu.clock.advance(180_000);
    const download = await client.attachments.download(attachmentGuid);

    expect((await read(download.body)).equals(content)).toBe(true);
    expect((await feishu.journal({ operation: 'download' })).map((entry) => entry.status)).toEqual([200]);
    expect(await feishu.journal({ operation: 'attachment.get' })).toHaveLength(1);
  });

  it('writes the exact bytes with downloadToFile and describes the file', async () => {
    const client = feishu.client();
    const target = join(dir, 'copy.bin');

    const result = await client.attachments.downloadToFile(attachmentGuid, target);
    const described = await client.attachments.download(attachmentGuid);

    expect(result).toEqual({ path: target, bytes: content.length });
    expect((await readFile(target)).equals(content)).toBe(true);
    expect(await readdir(dir)).toEqual(['copy.bin']);
    expect(described).toMatchObject({
      name: 'data.bin',
      size: content.length,
      contentType: 'application/x-test',
    });
    await described.body.cancel();
  });

  it('sends no Authorization header to the download URL, while the API calls carry the bearer token', async () => {
    const recorder = recordingFetch();
    const client = feishu.client({ fetch: recorder.fetch });

    await read((await client.attachments.download(attachmentGuid)).body);

    const downloads = recorder.seen.filter((request) => request.url.pathname === DOWNLOAD_PATH);
    const gets = recorder.seen.filter(
      (request) => request.url.pathname === `/open-apis/task/v2/attachments/${attachmentGuid}`,
    );
    expect(downloads).toHaveLength(1);
    expect(downloads[0].headers.has('authorization')).toBe(false);
    expect(gets[0].headers.get('authorization')).toMatch(/^Bearer t-/);
  });

  it('reports an attachment deleted elsewhere as 404/1470404 once its held URL is refused', async () => {
    const client = feishu.client();
    await listOne(client);
    await feishu.client().attachments.delete(attachmentGuid);

    await expect(client.attachments.download(attachmentGuid)).rejects.toMatchObject({
      name: 'FeishuApiError',
      httpStatus: 404,
      code: 1470404,
    });
    expect((await feishu.journal({ operation: 'download' })).map((entry) => entry.status)).toEqual([403]);
    expect((await feishu.journal({ operation: 'attachment.get' })).map((entry) => entry.code)).toEqual([
      1470404,
    ]);
  });

  describe('downloadStream', () => {
    const readNode = async (body: Readable) => {
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    };

    it('streams the exact bytes as a Node Readable and describes the file', async () => {
      const download = await feishu.client().attachments.downloadStream(attachmentGuid);

      expect(download.body).toBeInstanceOf(Readable);
      expect(download).toMatchObject({
        name: 'data.bin',
        size: content.length,
        contentType: 'application/x-test',
        attachment: { guid: attachmentGuid },
      });
      expect((await readNode(download.body)).equals(content)).toBe(true);
    });

    it('pipes to a file with backpressure, byte for byte', async () => {
      const target = join(dir, 'piped.bin');

      const download = await feishu.client().attachments.downloadStream(attachmentGuid);
      await pipeline(download.body, createWriteStream(target));

      expect((await readFile(target)).equals(content)).toBe(true);
      await rm(target);
    });

    it('uses a listed URL for three downloads and gets a fresh one for the fourth', async () => {
      const client = feishu.client();
      const listed = await listOne(client);

      for (let i = 0; i < 4; i++) {
        expect((await readNode((await client.attachments.downloadStream(listed)).body)).equals(content)).toBe(
          true,
        );
      }

      expect(await feishu.journal({ operation: 'attachment.get' })).toHaveLength(1);
      const downloads = await feishu.journal({ operation: 'download' });
      expect(downloads.map((entry) => entry.status)).toEqual([200, 200, 200, 200]);
      expect(downloads.slice(0, 3).map((entry) => entry.query.code)).toEqual(
        Array(3).fill(codeOf(listed.url!)),
      );
      expect(downloads[3].query.code).not.toBe(codeOf(listed.url!));
    });

    it('gets a fresh URL when the emulator refuses a held URL that expired on its clock', async () => {
      const client = feishu.client();
      await listOne(client);

      feishu.clock.advance(180_000);
      const download = await client.attachments.downloadStream(attachmentGuid);

      expect((await readNode(download.body)).equals(content)).toBe(true);
      expect((await feishu.journal({ operation: 'download' })).map((entry) => entry.status)).toEqual([
        403, 200,
      ]);
      expect(await feishu.journal({ operation: 'attachment.get' })).toHaveLength(1);
    });

    it('reports a dropped download connection as FeishuConnectionError', async () => {
      await feishu.fault({ operation: 'download', drop: true, times: 1 });

      await expect(feishu.client().attachments.downloadStream(attachmentGuid)).rejects.toBeInstanceOf(
        FeishuConnectionError,
      );
    });

    it('reports an attachment deleted elsewhere as 404/1470404 once its held URL is refused', async () => {
      const client = feishu.client();
      await listOne(client);
      await feishu.client().attachments.delete(attachmentGuid);

      await expect(client.attachments.downloadStream(attachmentGuid)).rejects.toMatchObject({
        name: 'FeishuApiError',
        httpStatus: 404,
        code: 1470404,
      });
      expect((await feishu.journal({ operation: 'download' })).map((entry) => entry.status)).toEqual([403]);
    });
  });
});
