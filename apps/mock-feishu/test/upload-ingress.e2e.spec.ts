import { FeishuErrorCode, UploadField } from '@feishu-attachments/api-client/wire';
import type { RunningMockFeishu } from '../src/index.js';
import {
  blobFiles,
  blobFilesAfterCleanUp,
  connectionClosed,
  handForm,
  jsonOf,
  MiB,
  openUpload,
  startDirect,
  tenantToken,
  writeUntilAnswered,
} from './support/raw-upload.js';

/** Feishu's per-file limit (task-v2/attachment/upload): 50 MB, counted as MiB. */
const MAX_FILE_BYTES = 52_428_800;
/**
 * What may be on its way when the answer comes: the loopback socket buffers of both ends
 * (Linux grows them to a few MiB each) and the emulator's stream buffers.
 */
const IN_FLIGHT_BYTES = 16 * MiB;

describe('upload limits are enforced as the bytes arrive', () => {
  let feishu: RunningMockFeishu;
  let token: string;
  let taskGuid: string;

  beforeAll(async () => {
    feishu = await startDirect({ rateLimits: false });
  });
  afterAll(() => feishu?.close());
  beforeEach(async () => {
    await feishu.reset();
    token = await tenantToken(feishu);
    taskGuid = await feishu.seeder.createTask({ summary: 'Limits' });
  });

  it('answers a 200 MiB part with 400/1470400 soon after 52428800 bytes, closes the connection and keeps no blob', async () => {
    const form = handForm();
    const upload = openUpload(feishu.url, token, form.contentType);
    upload.req.write(form.field(UploadField.ResourceId, taskGuid) + form.fileHead('huge.bin'));

    const written = await writeUntilAnswered(upload, Buffer.alloc(MiB, 7), 200 * MiB);
    const answer = await upload.answer;

    expect(written).toBeGreaterThan(MAX_FILE_BYTES);
    expect(written).toBeLessThan(MAX_FILE_BYTES + IN_FLIGHT_BYTES);
    expect(answer.statusCode).toBe(400);
    expect(answer.headers.connection).toBe('close');
    expect(await jsonOf(answer)).toMatchObject({
      code: FeishuErrorCode.InvalidParam,
      msg: "Invalid Param 'file', each file must be at most 52428800 bytes (50 MiB); 'huge.bin' is larger.",
      error: { log_id: answer.headers['x-tt-logid'] },
    });
    await connectionClosed(upload.req);
    expect(blobFiles(feishu)).toEqual([]);
  });

  it('refuses a sixth file part before the body ends, and removes the five already stored', async () => {
    const form = handForm();
    const upload = openUpload(feishu.url, token, form.contentType);
    upload.req.write(form.field(UploadField.ResourceId, taskGuid));
    for (let index = 1; index <= 6; index++)
      upload.req.write(`${form.fileHead(`f${index}.txt`)}hello${form.partEnd}`);

    const answer = await upload.answer;

    expect(answer.statusCode).toBe(400);
    expect(answer.headers.connection).toBe('close');
    expect((await jsonOf(answer)).msg).toBe("Invalid Param 'file', at most 5 files per request.");
    await connectionClosed(upload.req);
    expect(blobFiles(feishu)).toEqual([]);
  });

  it('refuses a resource_id over 100 characters as soon as the field ends, before any file comes', async () => {
    const form = handForm();
    const upload = openUpload(feishu.url, token, form.contentType);
    upload.req.write(form.field(UploadField.ResourceId, 'x'.repeat(101)) + form.fileHead('a.bin'));

    const written = await writeUntilAnswered(upload, Buffer.alloc(MiB, 1), 200 * MiB);
    const answer = await upload.answer;

    expect(written).toBeLessThan(IN_FLIGHT_BYTES);
    expect(answer.statusCode).toBe(400);
    expect((await jsonOf(answer)).msg).toBe("Invalid Param 'resource_id', must be at most 100 characters.");
    await connectionClosed(upload.req);
    expect(blobFiles(feishu)).toEqual([]);
  });

  it('refuses a text field that goes on past 1 MiB while it is still being sent', async () => {
    const form = handForm();
    const upload = openUpload(feishu.url, token, form.contentType);
    upload.req.write(form.fieldHead('note'));

    const written = await writeUntilAnswered(upload, Buffer.alloc(MiB, 0x61), 200 * MiB);
    const answer = await upload.answer;

    expect(written).toBeLessThan(2 * MiB + IN_FLIGHT_BYTES);
    expect(answer.statusCode).toBe(400);
    expect((await jsonOf(answer)).msg).toBe('Invalid multipart body: Field value too long.');
    await connectionClosed(upload.req);
  });

  it('refuses a file under another part name before its bytes are stored', async () => {
    const form = handForm();
    const upload = openUpload(feishu.url, token, form.contentType);
    upload.req.write(form.field(UploadField.ResourceId, taskGuid) + form.fileHead('a.bin', 'file[]'));

    const written = await writeUntilAnswered(upload, Buffer.alloc(MiB, 1), 200 * MiB);
    const answer = await upload.answer;

    expect(written).toBeLessThan(IN_FLIGHT_BYTES);
    expect((await jsonOf(answer)).msg).toBe(
      "Invalid Param 'file[]', unexpected file field; send every file as a repeated 'file' part.",
    );
    expect(blobFiles(feishu)).toEqual([]);
  });

  it('still stores a complete upload and answers 200 on the same emulator', async () => {
    const form = handForm();
    const upload = openUpload(feishu.url, token, form.contentType);
    upload.req.end(
      `${form.field(UploadField.ResourceId, taskGuid)}${form.fileHead('ok.txt')}hello${form.partEnd}${form.end}`,
    );

    const answer = await upload.answer;

    expect(answer.statusCode).toBe(200);
    expect((await jsonOf(answer)).data.items).toEqual([expect.objectContaining({ name: 'ok.txt', size: 5 })]);
    expect(blobFiles(feishu)).toHaveLength(1);
  });
});

describe('an upload whose body stalls', () => {
  let feishu: RunningMockFeishu;

  beforeAll(async () => {
    // 200 ms of silence counts as a stall here; the default is 30 s.
    feishu = await startDirect({ rateLimits: false, idleBodyTimeoutMs: 200 });
  });
  afterAll(() => feishu?.close());

  it('is cut with 408 in Feishu envelope after 1 MB and silence, the connection closed and the partial blob removed', async () => {
    const token = await tenantToken(feishu);
    const taskGuid = await feishu.seeder.createTask({ summary: 'Stall' });
    const form = handForm();
    const upload = openUpload(feishu.url, token, form.contentType);
    upload.req.write(form.field(UploadField.ResourceId, taskGuid) + form.fileHead('slow.bin'));
    upload.req.write(Buffer.alloc(MiB, 1));

    // Nothing more is sent: only the idle-body timeout can end this request.
    const answer = await upload.answer;

    expect(answer.statusCode).toBe(408);
    expect(answer.headers.connection).toBe('close');
    expect(await jsonOf(answer)).toMatchObject({
      code: FeishuErrorCode.InvalidParam,
      msg: 'The request body stalled: no bytes for 200 ms. Send the body without pauses.',
    });
    await connectionClosed(upload.req);
    expect(await blobFilesAfterCleanUp(feishu)).toEqual([]);
  });
});
