import { createHash, randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN, fileForm, startHarness, type Harness } from './support/admin-api.harness.js';
import { controllableBody, filesUnder, multipart, whenFiles } from './support/uploads.js';

const MiB = 1024 * 1024;
/** Feishu's per-file limit (task-v2/attachment/upload): 50 MB, counted as MiB. */
const MAX_FILE_BYTES = 50 * MiB;
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const streamOf = (chunks: AsyncIterator<Uint8Array>) =>
  new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
  });

describe('POST /tasks/:taskGuid/attachments', () => {
  let h: Harness;
  let taskGuid: string;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  beforeEach(async () => {
    await h.feishu.reset({ keepTokens: true });
    taskGuid = await h.feishu.seeder.createTask({ summary: 'Uploads' });
  });

  const uploadUrl = () => `${h.api.url}/tasks/${taskGuid}/attachments`;
  const upload = (body: BodyInit, headers: Record<string, string> = {}) =>
    h.call('POST', `/tasks/${taskGuid}/attachments`, { body, headers });
  const download = async (guid: string) => {
    const response = await fetch(`${h.api.url}/attachments/${guid}/content`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    return Buffer.from(await response.arrayBuffer());
  };

  it('uploads five files in one Feishu call: 201, items in part order, bytes intact, temp folder empty', async () => {
    const files = [
      { name: 'report.pdf', content: randomBytes(3 * MiB + 17), type: 'application/pdf' },
      { name: '季度报告.txt', content: Buffer.from('UTF-8 名字'), type: 'text/plain' },
      { name: 'empty.bin', content: Buffer.alloc(0) },
      { name: 'photo.jpg', content: randomBytes(700 * 1024), type: 'image/jpeg' },
      { name: 'notes "v2".md', content: randomBytes(1024) },
    ];

    const result = await upload(fileForm(files));

    expect(result.status).toBe(201);
    expect(result.body.items.map((item: { name: string; size: number }) => [item.name, item.size])).toEqual(
      files.map((file) => [file.name, file.content.length]),
    );
    for (const [index, item] of (result.body.items as { guid: string; taskGuid: string }[]).entries()) {
      expect(item.taskGuid).toBe(taskGuid);
      expect(sha256(await download(item.guid))).toBe(sha256(files[index].content));
    }
    expect(await h.journal({ operation: 'attachment.upload' })).toEqual([
      expect.objectContaining({ status: 200, code: 0 }),
    ]);
    expect(await h.leftovers()).toEqual([]);
  });

  it('keeps the content type of each part for the download', async () => {
    const result = await upload(fileForm([{ name: 'page.html', content: '<p>hi</p>', type: 'text/html' }]));

    const response = await fetch(`${h.api.url}/attachments/${result.body.items[0].guid}/content`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.headers.get('content-type')).toBe('text/html');
    // Served as an attachment and never sniffed, so an uploaded page cannot run as this origin.
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    await response.arrayBuffer();
  });

  it('writes each part to disk while the request is still arriving, instead of buffering it', async () => {
    const form = multipart();
    const { body, push, end } = controllableBody();
    const first = randomBytes(2 * MiB);
    const pending = fetch(uploadUrl(), {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': form.contentType },
      body,
      duplex: 'half',
    } as RequestInit);

    push(form.fileHead('slow.bin'));
    push(first);
    // Half the body is still unsent, and the first file's bytes are already in the temp folder.
    const onDisk = await whenFiles(
      h.uploadDir,
      (files) => [...files.values()].some((size) => size === first.length),
      'the first part on disk',
    );
    expect([...onDisk.values()]).toEqual([first.length]);
    expect(await h.journal({ operation: 'attachment.upload' })).toEqual([]);

    push(form.partEnd);
    push(form.fileHead('second.bin'));
    push('second');
    push(form.partEnd);
    push(form.close);
    end();
    const response = await pending;

    expect(response.status).toBe(201);
    expect(((await response.json()) as { items: { name: string; size: number }[] }).items).toEqual([
      expect.objectContaining({ name: 'slow.bin', size: first.length }),
      expect.objectContaining({ name: 'second.bin', size: 6 }),
    ]);
    expect(await h.leftovers()).toEqual([]);
  });

  it('removes the temp files when the caller disconnects midway, and sends nothing to Feishu', async () => {
    const form = multipart();
    const { body, push } = controllableBody();
    const abort = new AbortController();
    const pending = fetch(uploadUrl(), {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': form.contentType },
      body,
      duplex: 'half',
      signal: abort.signal,
    } as RequestInit).catch((error: unknown) => error);
    push(form.fileHead('abandoned.bin'));
    push(randomBytes(MiB));
    await whenFiles(
      h.uploadDir,
      (files) => [...files.values()].some((size) => size === MiB),
      'the part on disk',
    );

    abort.abort();

    expect(await pending).toEqual(expect.objectContaining({ name: 'AbortError' }));
    await whenFiles(h.uploadDir, (files) => files.size === 0, 'the upload folder to empty');
    expect(await h.leftovers()).toEqual([]);
    expect(await h.journal({ operation: 'attachment.upload' })).toEqual([]);
  });

  it('refuses a sixth file with 400 naming the limit, without calling Feishu, leaving nothing behind', async () => {
    const files = Array.from({ length: 6 }, (_, index) => ({
      name: `f${index}.txt`,
      content: `file ${index}`,
    }));

    const result = await upload(fileForm(files));

    expect(result.status).toBe(400);
    expect(result.body).toEqual({
      error: { status: 400, message: expect.stringMatching(/^At most 5 files per upload/) },
    });
    expect(await h.journal({ operation: 'attachment.upload' })).toEqual([]);
    expect(await h.leftovers()).toEqual([]);
  });

  it('refuses a file over 50 MiB with 413 naming it, without calling Feishu, leaving nothing behind', async () => {
    const form = multipart();
    const chunk = new Uint8Array(MiB);
    async function* parts() {
      yield new TextEncoder().encode(form.fileHead('huge.bin'));
      for (let sent = 0; sent < MAX_FILE_BYTES; sent += MiB) yield chunk;
      yield new Uint8Array(1);
      yield new TextEncoder().encode(form.partEnd + form.close);
    }

    const response = await fetch(uploadUrl(), {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': form.contentType },
      body: streamOf(parts()),
      duplex: 'half',
    } as RequestInit);

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: {
        status: 413,
        message: `"huge.bin" is larger than ${MAX_FILE_BYTES} bytes (50 MiB), Feishu's limit per file.`,
      },
    });
    expect(await h.journal({ operation: 'attachment.upload' })).toEqual([]);
    expect(await h.leftovers()).toEqual([]);
  });

  it('refuses a multipart body without a file part with 400 "No file"', async () => {
    const form = new FormData();
    form.append('note', 'no file here');

    const result = await upload(form);

    expect(result.status).toBe(400);
    expect(result.body.error.message).toMatch(/^No file: send 1–5 multipart parts named "file"/);
    expect(await h.leftovers()).toEqual([]);
  });

  it('refuses a file part with another name with 400 naming it', async () => {
    const result = await upload(fileForm([{ name: 'a.txt', content: 'a' }], 'attachment'));

    expect(result.status).toBe(400);
    expect(result.body.error.message).toBe(
      'Unexpected file part "attachment": every file must be a part named "file".',
    );
    expect(await h.leftovers()).toEqual([]);
  });

  it('refuses a body that is not multipart with 400 saying what to send', async () => {
    const result = await upload(JSON.stringify({ file: 'a.txt' }), { 'content-type': 'application/json' });

    expect(result.status).toBe(400);
    expect(result.body.error.message).toBe('Send multipart/form-data with 1–5 parts named "file".');
  });

  it('refuses a taskGuid that is not a GUID with 400 before taking in the files', async () => {
    const result = await h.call('POST', '/tasks/nope/attachments', {
      body: fileForm([{ name: 'a', content: 'a' }]),
    });

    expect(result.status).toBe(400);
    expect(result.body.error.message).toMatch(/^taskGuid must be a GUID/);
    expect(await filesUnder(h.uploadDir)).toEqual(new Map());
  });

  it("answers Feishu's 404 for a task that does not exist, and removes the temp files", async () => {
    const result = await h.call('POST', '/tasks/00000000-0000-4000-8000-000000000005/attachments', {
      body: fileForm([{ name: 'a.txt', content: 'a' }]),
    });

    expect(result.status).toBe(404);
    expect(result.body.error.feishu.code).toBe(1470404);
    expect(await h.leftovers()).toEqual([]);
  });

  it('sends the files again after a rate limit, since they come from disk: 201, bytes intact', async () => {
    await h.fault({
      operation: 'attachment.upload',
      error: {
        status: 429,
        code: 99991400,
        msg: 'request trigger frequency limit',
        headers: { 'x-ogw-ratelimit-reset': '0' },
      },
    });
    const content = randomBytes(256 * 1024);

    const result = await upload(fileForm([{ name: 'retry.bin', content }]));

    expect(result.status).toBe(201);
    expect((await h.journal({ operation: 'attachment.upload' })).map((entry) => entry.status)).toEqual([
      429, 200,
    ]);
    expect(sha256(await download(result.body.items[0].guid))).toBe(sha256(content));
    expect(await h.leftovers()).toEqual([]);
  });

  // How much memory this takes is measured by `npm run bench -- --only admin-api`, not asserted here.
  describe('the largest upload', () => {
    let dir: string;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'admin-api-memory-'));
    });

    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('takes 5 files of exactly 50 MiB through to Feishu and leaves no temp file', async () => {
      const form = new FormData();
      for (let index = 0; index < 5; index++) {
        const path = join(dir, `big-${index}.bin`);
        await writeFile(path, Buffer.alloc(MAX_FILE_BYTES, index + 1));
        form.append('file', await openAsBlob(path), `big-${index}.bin`);
      }
      // redirect 'error' and window null stop undici from teeing (and so buffering) this test's own body.
      const response = await fetch(uploadUrl(), {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        body: form,
        redirect: 'error',
        window: null,
      });
      const body = (await response.json()) as { items: { size: number }[] };

      expect(response.status).toBe(201);
      expect(body.items.map((item) => item.size)).toEqual(Array(5).fill(MAX_FILE_BYTES));
      expect(await h.leftovers()).toEqual([]);
    });
  });
});
