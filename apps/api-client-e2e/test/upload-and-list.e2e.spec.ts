import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  FeishuApiError,
  FeishuErrorCode,
  FeishuValidationError,
  type Attachment,
  type FeishuClient,
} from '@feishu-attachments/api-client';
import { startEmulator, type Emulator } from './support/emulator';

describe('upload and list against the emulator', () => {
  let feishu: Emulator;
  let client: FeishuClient;
  let dir: string;

  beforeAll(async () => {
    feishu = await startEmulator();
    dir = await mkdtemp(join(tmpdir(), 'api-client-e2e-upload-'));
  });
  afterAll(async () => {
    await feishu.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await feishu.reset();
    client = feishu.client();
  });

  it('uploads five files of five kinds in one request and answers them in order with their names and sizes', async () => {
    const task = await client.tasks.create({ summary: 'five kinds' });
    const onDisk = join(dir, 'from-disk.csv');
    await writeFile(onDisk, 'a,b\n1,2\n');
    const contents = [
      Buffer.from('buffer contents'),
      new Uint8Array([0, 1, 2, 3, 254, 255]),
      Buffer.from('blob contents, a little longer'),
      Buffer.from('a,b\n1,2\n'),
      Buffer.from('streamed '.repeat(1000)),
    ];

    const items = await client.attachments.upload(task.guid, [
      { name: 'buffer.txt', data: contents[0] },
      { name: 'bytes.bin', data: contents[1] },
      { name: '季度报告.txt', data: new Blob([contents[2]]) },
      { path: onDisk },
      {
        name: 'stream.log',
        stream: Readable.from([contents[4].subarray(0, 4000), contents[4].subarray(4000)]),
      },
    ]);

    expect(items.map((item) => [item.name, item.size])).toEqual([
      ['buffer.txt', contents[0].length],
      ['bytes.bin', contents[1].length],
      ['季度报告.txt', contents[2].length],
      ['from-disk.csv', contents[3].length],
      ['stream.log', contents[4].length],
    ]);
    for (const item of items) expect(item.resource).toEqual({ type: 'task', id: task.guid });
    expect(await feishu.journal({ operation: 'attachment.upload' })).toHaveLength(1);

    for (const [index, item] of items.entries()) {
      const download = await client.attachments.download(item.guid);
      expect(
        Buffer.from(await new Response(download.body).arrayBuffer()).equals(Buffer.from(contents[index])),
      ).toBe(true);
    }
  });

  it('stops a stream of unknown size once it passes 50 MiB, with FeishuValidationError and nothing attached', async () => {
    const task = await client.tasks.create({ summary: 'too big' });
    const mebibyte = Buffer.alloc(1024 * 1024, 0x61);
    let pushed = 0;
    const endless = new Readable({
      read() {
        pushed++;
        this.push(mebibyte);
      },
    });

    const error = await client.attachments
      .upload(task.guid, [{ name: 'endless.bin', stream: endless }])
      .catch((e: unknown) => e);
    endless.destroy();

    expect(error).toBeInstanceOf(FeishuValidationError);
    expect((error as Error).message).toContain("'endless.bin' is over 52428800 bytes");
    expect(pushed).toBeLessThan(60);
    expect((await client.attachments.listPage({ taskGuid: task.guid })).items).toEqual([]);
  });

  it('pages through 120 attachments with listPage, and listAll yields all 120 in upload order', async () => {
    const taskGuid = await feishu.seeder.createTask({ summary: 'many files' });
    const names = Array.from({ length: 120 }, (_, i) => `file-${String(i).padStart(3, '0')}.txt`);
    for (const name of names) await feishu.seeder.addAttachment(taskGuid, { name, content: name });

    const first = await client.attachments.listPage({ taskGuid, pageSize: 50 });
    const second = await client.attachments.listPage({ taskGuid, pageSize: 50, pageToken: first.page_token });
    const third = await client.attachments.listPage({ taskGuid, pageSize: 50, pageToken: second.page_token });

    expect([first, second, third].map((page) => [page.items.length, page.has_more])).toEqual([
      [50, true],
      [50, true],
      [20, false],
    ]);
    expect(third.page_token).toBeUndefined();
    expect([...first.items, ...second.items, ...third.items].map((item) => item.name)).toEqual(names);

    const all: Attachment[] = [];
    for await (const item of client.attachments.listAll({ taskGuid, pageSize: 50 })) all.push(item);
    expect(all.map((item) => item.name)).toEqual(names);
    expect(new Set(all.map((item) => item.guid)).size).toBe(120);
  });

  it('listAll uses the default page size of 50 and stops after the last page', async () => {
    const taskGuid = await feishu.seeder.createTask({ summary: 'default page size' });
    for (let i = 0; i < 120; i++)
      await feishu.seeder.addAttachment(taskGuid, { name: `f${i}`, content: 'x' });
    await feishu.control('DELETE', '/requests');

    const all: Attachment[] = [];
    for await (const item of client.attachments.listAll({ taskGuid })) all.push(item);

    expect(all).toHaveLength(120);
    const lists = await feishu.journal({ operation: 'attachment.list' });
    expect(lists).toHaveLength(3);
    for (const entry of lists) expect(entry.query.page_size).toBeUndefined();
    expect(lists.map((entry) => entry.query.page_token === undefined)).toEqual([true, false, false]);
  });

  it('throws an error on the second page into the for-await loop after yielding the first page', async () => {
    const taskGuid = await feishu.seeder.createTask({ summary: 'fails on page two' });
    for (let i = 0; i < 60; i++) await feishu.seeder.addAttachment(taskGuid, { name: `f${i}`, content: 'x' });

    const seen: string[] = [];
    let caught: unknown;
    try {
      for await (const item of client.attachments.listAll({ taskGuid, pageSize: 50 })) {
        seen.push(item.name);
        // Armed only once the first page is in, so it hits the request for page two.
        if (seen.length === 1) {
          await feishu.fault({
            operation: 'attachment.list',
            error: { status: 403, code: 1470403, msg: 'Permission denied: injected.' },
          });
        }
      }
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(FeishuApiError);
    expect(caught).toMatchObject({
      httpStatus: 403,
      code: FeishuErrorCode.PermissionDenied,
      msg: 'Permission denied: injected.',
    });
    expect(seen).toHaveLength(50);
    expect((await feishu.journal({ operation: 'attachment.list' })).map((entry) => entry.status)).toEqual([
      200, 403,
    ]);
  });

  it('gets, then deletes an attachment, after which get answers 404/1470404', async () => {
    const task = await client.tasks.create({ summary: 'delete me' });
    const [uploaded] = await client.attachments.upload(task.guid, [{ name: 'a.txt', data: 'abc' }]);

    const got = await client.attachments.get(uploaded.guid);
    expect(got).toMatchObject({
      guid: uploaded.guid,
      name: 'a.txt',
      size: 3,
      url: expect.stringContaining('/download/authcode/?code='),
    });
    await client.attachments.delete(uploaded.guid);

    await expect(client.attachments.get(uploaded.guid)).rejects.toMatchObject({
      name: 'FeishuApiError',
      httpStatus: 404,
      code: FeishuErrorCode.NotFound,
    });
  });
});
