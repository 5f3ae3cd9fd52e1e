import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FeishuErrorCode,
  FeishuPath,
  MAX_FILE_BYTES,
  MAX_FILES_PER_UPLOAD,
  MAX_RESOURCE_ID_LENGTH,
  UploadField,
} from '@feishu-attachments/api-client/wire';
import { createMockFeishu, type HttpResult, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

interface FilePart {
  name: string;
  content: BlobPart;
  type?: string;
}

interface UploadForm {
  resourceType?: string;
  resourceId?: string;
  files?: FilePart[];
  /** The multipart field the files go in; Feishu wants `file`. */
  fileField?: string;
}

const ATTACHMENT_KEYS = [
  'file_token',
  'guid',
  'is_cover',
  'name',
  'resource',
  'size',
  'uploaded_at',
  'uploader',
];

function buildForm({
  resourceType,
  resourceId,
  files = [],
  fileField = UploadField.File,
}: UploadForm): FormData {
  const form = new FormData();
  if (resourceType !== undefined) form.append(UploadField.ResourceType, resourceType);
  if (resourceId !== undefined) form.append(UploadField.ResourceId, resourceId);
  for (const file of files) {
    form.append(
      fileField,
      new Blob([file.content], { type: file.type ?? 'application/octet-stream' }),
      file.name,
    );
  }
  return form;
}

function expectInvalidParam(result: HttpResult, field: string): void {
  expect(result.status).toBe(400);
  expect(result.body.code).toBe(FeishuErrorCode.InvalidParam);
  expect(result.body.msg).toContain(`'${field}'`);
}

const textFile = (name: string, content = `content of ${name}`): FilePart => ({
  name,
  content,
  type: 'text/plain',
});

/**
 * A multipart body whose single file is `size` zero bytes, produced chunk by chunk so a 50 MiB
 * upload never sits in this process's memory as one buffer.
 */
function streamedUploadBody(
  resourceId: string,
  fileName: string,
  size: number,
): { body: ReadableStream<Uint8Array>; contentType: string } {
  const boundary = `----mock-feishu-test-${Math.random().toString(16).slice(2)}`;
  const encoder = new TextEncoder();
  const head = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="${UploadField.ResourceType}"\r\n\r\ntask\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="${UploadField.ResourceId}"\r\n\r\n${resourceId}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="${UploadField.File}"; filename="${fileName}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const chunk = new Uint8Array(1024 * 1024);
  let remaining = size;
  let sentHead = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sentHead) {
        sentHead = true;
        controller.enqueue(head);
      } else if (remaining > 0) {
        const length = Math.min(remaining, chunk.length);
        remaining -= length;
        controller.enqueue(length === chunk.length ? chunk : chunk.subarray(0, length));
      } else {
        controller.enqueue(tail);
        controller.close();
      }
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('POST /open-apis/task/v2/attachments/upload', () => {
  let feishu: MockFeishuFixture;
  let dataDir: string;
  let token: string;
  let taskGuid: string;

  const upload = (form: FormData, options: { token?: string; query?: Record<string, string> } = {}) =>
    feishu.call('POST', FeishuPath.AttachmentUpload, {
      token: options.token ?? token,
      form,
      query: options.query,
    });

  const listAttachments = (resourceId: string) =>
    feishu.call('GET', FeishuPath.Attachments, { token, query: { resource_id: resourceId } });

  /** Bytes the emulator keeps on disk; every refused upload must leave this unchanged. */
  // With a data dir the bytes live in its blobs/ folder, next to the database.
  const storedBlobs = () => readdirSync(join(dataDir, 'blobs'));

  const uploadStreamed = async (fileName: string, size: number): Promise<HttpResult> => {
    const { body, contentType } = streamedUploadBody(taskGuid, fileName, size);
    const init: RequestInit & { duplex: 'half' } = {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body,
      duplex: 'half',
    };
    const response = await fetch(new URL(FeishuPath.AttachmentUpload, feishu.url), init);
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mock-feishu-upload-e2e-'));
    feishu = await createMockFeishu({ dataDir });
  });

  afterAll(async () => {
    await feishu?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await feishu.reset();
    token = await feishu.tenantToken();
    taskGuid = await feishu.createTask(token);
  });

  it('stores five files sent as repeated file parts and answers them in part order', async () => {
    const files = [1, 2, 3, 4, 5].map((n) => textFile(`part-${n}.txt`, 'x'.repeat(n * 7)));
    const before = feishu.clock.now();

    const result = await upload(buildForm({ resourceType: 'task', resourceId: taskGuid, files }));
    const after = feishu.clock.now();

    expect(result.status).toBe(200);
    expect(result.body.code).toBe(0);
    const items = result.body.data.items as Record<string, any>[];
    expect(items.map((item) => item.name)).toEqual(files.map((file) => file.name));
    for (const [index, item] of items.entries()) {
      // Feishu's upload answer carries no download url: only list and get mint one.
      expect(Object.keys(item).sort()).toEqual(ATTACHMENT_KEYS);
      expect(item.size).toBe((index + 1) * 7);
      expect(item.file_token).toMatch(/^boxcn[A-Za-z0-9]+$/);
      expect(item.resource).toEqual({ type: 'task', id: taskGuid });
      expect(item.uploader).toMatchObject({ id: feishu.app.appId, type: 'app' });
      expect(item.is_cover).toBe(false);
      expect(item.uploaded_at).toMatch(/^\d+$/);
      expect(Number(item.uploaded_at)).toBeGreaterThanOrEqual(before);
      expect(Number(item.uploaded_at)).toBeLessThanOrEqual(after);
    }
    expect(new Set(items.map((item) => item.guid)).size).toBe(5);
    expect(new Set(items.map((item) => item.file_token)).size).toBe(5);
    expect(storedBlobs()).toHaveLength(5);
  });

  it('counts size in bytes, not characters', async () => {
    const content = '飞书附件'; // 4 characters, 12 UTF-8 bytes
    const result = await upload(buildForm({ resourceId: taskGuid, files: [textFile('cjk.txt', content)] }));

    expect(result.status).toBe(200);
    expect(result.body.data.items[0].size).toBe(Buffer.byteLength(content));
  });

  it('keeps UTF-8 file names exactly as the parts sent them', async () => {
    const names = ['报告 2026.pdf', 'résumé.txt', '📎 notes — final.md'];

    const result = await upload(
      buildForm({ resourceId: taskGuid, files: names.map((name) => textFile(name)) }),
    );

    expect(result.status).toBe(200);
    expect(result.body.data.items.map((item: { name: string }) => item.name)).toEqual(names);
    const listed = await listAttachments(taskGuid);
    expect(listed.body.data.items.map((item: { name: string }) => item.name)).toEqual(names);
  });

  it('treats an omitted resource_type as task', async () => {
    const result = await upload(buildForm({ resourceId: taskGuid, files: [textFile('a.txt')] }));

    expect(result.status).toBe(200);
    expect(result.body.code).toBe(0);
    expect(result.body.data.items[0].resource).toEqual({ type: 'task', id: taskGuid });
  });

  it.each(['task_delivery', 'foo'])(
    'refuses resource_type %p with 400/1470400 naming resource_type',
    async (resourceType) => {
      const result = await upload(
        buildForm({ resourceType, resourceId: taskGuid, files: [textFile('a.txt')] }),
      );

      expectInvalidParam(result, 'resource_type');
    },
  );

  it('says that task_delivery is refused on purpose, not unknown', async () => {
    const result = await upload(
      buildForm({ resourceType: 'task_delivery', resourceId: taskGuid, files: [textFile('a.txt')] }),
    );

    expectInvalidParam(result, 'resource_type');
    expect(result.body.msg).toContain(
      'task_delivery is a Feishu resource type the emulator does not emulate',
    );
  });

  it("takes a file part without a filename (the Python SDK's and node-sdk's Buffer shape) as a file named unknown-file", async () => {
    const boundary = 'mock-feishu-unnamed-part';
    const part = (disposition: string, content: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n\r\n${content}\r\n`;
    const send = (parts: string[]) =>
      fetch(new URL(FeishuPath.AttachmentUpload, feishu.url), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        body: [part('name="resource_id"', taskGuid), ...parts, `--${boundary}--\r\n`].join(''),
      }).then(async (response) => ({ status: response.status, body: await response.json() }));

    const mixed = await send([
      part('name="file"', 'no name'),
      part('name="file"; filename="named.txt"', 'x'),
    ]);
    const alone = await send([part('name="file"', 'no name')]);

    expect(mixed.status).toBe(200);
    expect(
      mixed.body.data.items.map((item: { name: string; size: number }) => [item.name, item.size]),
    ).toEqual([
      ['unknown-file', 7],
      ['named.txt', 1],
    ]);
    expect(alone.status).toBe(200);
    expect(alone.body.data.items.map((item: { name: string }) => item.name)).toEqual(['unknown-file']);
  });

  it('refuses a missing resource_id with 400/1470400 naming resource_id', async () => {
    const result = await upload(buildForm({ resourceType: 'task', files: [textFile('a.txt')] }));

    expectInvalidParam(result, 'resource_id');
  });

  it('refuses a resource_id one character over the limit with 400/1470400, but checks the task for one at the limit', async () => {
    const tooLong = await upload(
      buildForm({ resourceId: 'x'.repeat(MAX_RESOURCE_ID_LENGTH + 1), files: [textFile('a.txt')] }),
    );
    const atLimit = await upload(
      buildForm({ resourceId: 'x'.repeat(MAX_RESOURCE_ID_LENGTH), files: [textFile('a.txt')] }),
    );

    expectInvalidParam(tooLong, 'resource_id');
    expect(tooLong.body.msg).toContain(String(MAX_RESOURCE_ID_LENGTH));
    expect(atLimit.status).toBe(404);
    expect(atLimit.body.code).toBe(FeishuErrorCode.NotFound);
  });

  it('answers 404/1470404 for a task guid that does not exist', async () => {
    const result = await upload(
      buildForm({ resourceId: '00000000-0000-4000-8000-000000000000', files: [textFile('a.txt')] }),
    );

    expect(result.status).toBe(404);
    expect(result.body.code).toBe(FeishuErrorCode.NotFound);
  });

  it('answers 404/1470404 for a task that has been deleted', async () => {
    await feishu.call('DELETE', FeishuPath.Task.replace(':task_guid', taskGuid), { token });

    const result = await upload(buildForm({ resourceId: taskGuid, files: [textFile('a.txt')] }));

    expect(result.status).toBe(404);
    expect(result.body.code).toBe(FeishuErrorCode.NotFound);
    expect(storedBlobs()).toEqual([]);
  });

  it('refuses a sixth file with 400/1470400 saying at most 5, and keeps none of the six', async () => {
    const files = Array.from({ length: MAX_FILES_PER_UPLOAD + 1 }, (_, index) => textFile(`f${index}.txt`));

    const result = await upload(buildForm({ resourceId: taskGuid, files }));

    expectInvalidParam(result, 'file');
    expect(result.body.msg).toMatch(new RegExp(`at most ${MAX_FILES_PER_UPLOAD}\\b`));
    expect(storedBlobs()).toEqual([]);
    expect((await listAttachments(taskGuid)).body.data.items).toEqual([]);
  });

  it('refuses a request without a file part with 400/1470400 naming file', async () => {
    const result = await upload(buildForm({ resourceType: 'task', resourceId: taskGuid }));

    expectInvalidParam(result, 'file');
  });

  it('refuses files sent as file[] (the axios array style) with 400/1470400 naming that field', async () => {
    const result = await upload(
      buildForm({ resourceId: taskGuid, files: [textFile('a.txt'), textFile('b.txt')], fileField: 'file[]' }),
    );

    expectInvalidParam(result, 'file[]');
    expect(storedBlobs()).toEqual([]);
  });

  it('refuses a JSON body with 400/1470400', async () => {
    const result = await feishu.call('POST', FeishuPath.AttachmentUpload, {
      token,
      json: { resource_type: 'task', resource_id: taskGuid, file: 'aGVsbG8=' },
    });

    expect(result.status).toBe(400);
    expect(result.body.code).toBe(FeishuErrorCode.InvalidParam);
    expect(result.body.msg).toMatch(/multipart/i);
  });

  it('accepts a file of exactly 50 MiB and stores every byte', async () => {
    const result = await uploadStreamed('exactly-50-mib.bin', MAX_FILE_BYTES);

    expect(result.status).toBe(200);
    expect(result.body.data.items[0]).toMatchObject({ name: 'exactly-50-mib.bin', size: MAX_FILE_BYTES });
    const blobs = storedBlobs();
    expect(blobs).toHaveLength(1);
    expect(statSync(join(dataDir, 'blobs', blobs[0])).size).toBe(MAX_FILE_BYTES);
  });

  it('refuses a file one byte over 50 MiB with 400/1470400 naming the 50 MiB rule, and leaves no blob behind', async () => {
    const result = await uploadStreamed('one-byte-too-many.bin', MAX_FILE_BYTES + 1);

    expectInvalidParam(result, 'file');
    expect(result.body.msg).toContain('50 MiB');
    expect(storedBlobs()).toEqual([]);
    expect((await listAttachments(taskGuid)).body.data.items).toEqual([]);
  });

  describe('a refused upload leaves no stored bytes and no attachment', () => {
    it('when resource_id is too long', async () => {
      const result = await upload(
        buildForm({
          resourceId: 'x'.repeat(MAX_RESOURCE_ID_LENGTH + 1),
          files: [textFile('a.txt'), textFile('b.txt')],
        }),
      );

      expect(result.status).toBe(400);
      expect(storedBlobs()).toEqual([]);
    });

    it('when the task does not exist', async () => {
      const result = await upload(
        buildForm({
          resourceId: '00000000-0000-4000-8000-000000000000',
          files: [textFile('a.txt'), textFile('b.txt')],
        }),
      );

      expect(result.status).toBe(404);
      expect(storedBlobs()).toEqual([]);
    });

    it('when the caller may not edit the task (403/1470403)', async () => {
      const outsider = await feishu.createUser('Outsider');
      const outsiderToken = await feishu.userToken(outsider.open_id);

      const result = await upload(
        buildForm({ resourceId: taskGuid, files: [textFile('a.txt'), textFile('b.txt')] }),
        {
          token: outsiderToken,
        },
      );

      expect(result.status).toBe(403);
      expect(result.body.code).toBe(FeishuErrorCode.PermissionDenied);
      expect(storedBlobs()).toEqual([]);
      expect((await listAttachments(taskGuid)).body.data.items).toEqual([]);
    });

    it('when user_id_type is not one Feishu knows', async () => {
      const result = await upload(buildForm({ resourceId: taskGuid, files: [textFile('a.txt')] }), {
        query: { user_id_type: 'email' },
      });

      expectInvalidParam(result, 'user_id_type');
      expect(storedBlobs()).toEqual([]);
      expect((await listAttachments(taskGuid)).body.data.items).toEqual([]);
    });
  });

  it('names a user uploader by open_id by default and by union_id when user_id_type=union_id', async () => {
    const user = await feishu.createUser('Uploader');
    const userToken = await feishu.userToken(user.open_id);
    const ownTask = await feishu.createTask(userToken);

    const byDefault = await upload(buildForm({ resourceId: ownTask, files: [textFile('a.txt')] }), {
      token: userToken,
    });
    const byUnionId = await upload(buildForm({ resourceId: ownTask, files: [textFile('b.txt')] }), {
      token: userToken,
      query: { user_id_type: 'union_id' },
    });

    expect(byDefault.status).toBe(200);
    expect(byDefault.body.data.items[0].uploader).toMatchObject({ id: user.open_id, type: 'user' });
    expect(byUnionId.status).toBe(200);
    expect(byUnionId.body.data.items[0].uploader).toMatchObject({ id: user.union_id, type: 'user' });
  });
});
