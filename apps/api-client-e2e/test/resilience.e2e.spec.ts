import {
  FeishuApiError,
  FeishuConnectionError,
  FeishuErrorCode,
  FeishuTimeoutError,
  type RetryInfo,
} from '@feishu-attachments/api-client';
import { startEmulator, type Emulator } from './support/emulator';

const serverError = {
  status: 500,
  code: FeishuErrorCode.ServerError,
  msg: 'Internal server error, please retry.',
};

describe('faults, rate limits and outages against the emulator', () => {
  let feishu: Emulator;
  let taskGuid: string;
  let attachmentGuid: string;

  beforeAll(async () => {
    feishu = await startEmulator();
  });
  afterAll(() => feishu.close());
  beforeEach(async () => {
    await feishu.reset();
    taskGuid = await feishu.seeder.createTask({ summary: 'resilience' });
    attachmentGuid = (await feishu.seeder.addAttachment(taskGuid, { name: 'a.txt', content: 'abc' })).guid;
  });

  it('gets an attachment after two injected 1470500 answers, on the third try', async () => {
    await feishu.fault({ operation: 'attachment.get', times: 2, error: serverError });
    const retries: RetryInfo[] = [];

    const got = await feishu
      .client({ hooks: { beforeRetry: (info) => retries.push(info) } })
      .attachments.get(attachmentGuid);

    expect(got.guid).toBe(attachmentGuid);
    const gets = await feishu.journal({ operation: 'attachment.get' });
    expect(gets.map((entry) => [entry.status, entry.code])).toEqual([
      [500, 1470500],
      [500, 1470500],
      [200, 0],
    ]);
    expect(retries.map((info) => [info.reason, info.attempt])).toEqual([
      ['server_error', 1],
      ['server_error', 2],
    ]);
  });

  it('throws a 1470500 on upload at once, since the upload may have taken effect', async () => {
    await feishu.fault({ operation: 'attachment.upload', times: 1, error: serverError });

    const error = await feishu
      .client()
      .attachments.upload(taskGuid, [{ name: 'b.txt', data: 'b' }])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FeishuApiError);
    expect(error).toMatchObject({ httpStatus: 500, code: FeishuErrorCode.ServerError });
    expect(await feishu.journal({ operation: 'attachment.upload' })).toHaveLength(1);
  });

  it('retries a GET whose connection was dropped, but not an upload', async () => {
    const client = feishu.client();
    await feishu.fault({ operation: 'attachment.get', times: 1, drop: true });
    await expect(client.attachments.get(attachmentGuid)).resolves.toMatchObject({ guid: attachmentGuid });

    await feishu.fault({ operation: 'attachment.upload', times: 1, drop: true });
    const error = await client.attachments
      .upload(taskGuid, [{ name: 'b.txt', data: 'b' }])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FeishuConnectionError);
    expect((error as Error).cause).toBeDefined();
    expect((await feishu.journal({ operation: 'attachment.get' })).map((entry) => entry.status)).toEqual([
      0, 200,
    ]);
    expect(await feishu.journal({ operation: 'attachment.upload' })).toHaveLength(1);
  });

  it('times out a list that gets no answer within timeouts.requestMs and succeeds on the retry', async () => {
    // Frozen, the emulator holds the first list until its clock is advanced, which this test never
    // does: the first attempt can only end by the client's timeout, however slow the machine.
    feishu.clock.freeze(true);
    await feishu.fault({ operation: 'attachment.list', times: 1, delayMs: 60_000 });
    const retries: RetryInfo[] = [];
    const client = feishu.client({
      // Real time, since the client's own timeout is the behaviour here; long enough that the
      // retry, a plain list, is answered within it on a busy machine behind Prism too.
      timeouts: { requestMs: 1000 },
      hooks: { beforeRetry: (info) => retries.push(info) },
    });

    const page = await client.attachments.listPage({ taskGuid });

    expect(page.items.map((item) => item.guid)).toEqual([attachmentGuid]);
    expect(retries).toEqual([
      expect.objectContaining({ reason: 'timeout', error: expect.any(FeishuTimeoutError) }),
    ]);
  });

  it('retries the eleventh upload within one second after the rate-limit reset, and all eleven succeed', async () => {
    const retries: RetryInfo[] = [];
    const client = feishu.client({
      hooks: {
        beforeRetry: (info) => {
          retries.push(info);
          // Moves the emulator into the next window, so the retry is admitted however long the wait really took.
          feishu.clock.advance(1000);
        },
      },
    });
    await client.tasks.create({ summary: 'warm the token cache' });
    await feishu.control('PUT', '/rate-limits', { enabled: true });
    // Frozen at the start of a whole second, so all eleven land in one window however long they take.
    feishu.clock.freeze(true);
    feishu.clock.set(Math.ceil(feishu.clock.now() / 1000) * 1000 + 1000);

    const uploads = await Promise.all(
      Array.from({ length: 11 }, (_, i) =>
        client.attachments.upload(taskGuid, [{ name: `f${i}.txt`, data: `file ${i}` }]),
      ),
    );

    expect(uploads.map(([item]) => item.name)).toEqual(Array.from({ length: 11 }, (_, i) => `f${i}.txt`));
    const journal = await feishu.journal({ operation: 'attachment.upload' });
    expect(journal).toHaveLength(12);
    expect(journal.filter((entry) => entry.status === 429).map((entry) => entry.code)).toEqual([
      FeishuErrorCode.RateLimited,
    ]);
    expect(retries).toEqual([
      expect.objectContaining({ reason: 'rate_limited', delayMs: 1000, method: 'POST', attempt: 1 }),
    ]);
  });

  it('fails at once when the rate-limit reset is longer than maxRateLimitWaitMs', async () => {
    const client = feishu.client({ retry: { maxRateLimitWaitMs: 500 } });
    await client.tasks.create({ summary: 'warm the token cache' });
    await feishu.control('PUT', '/rate-limits', { enabled: true });
    feishu.clock.freeze(true);
    feishu.clock.set(Math.ceil(feishu.clock.now() / 1000) * 1000 + 1000);

    const results = await Promise.allSettled(
      Array.from({ length: 11 }, (_, i) =>
        client.attachments.upload(taskGuid, [{ name: `f${i}.txt`, data: 'x' }]),
      ),
    );

    const rejected = results.filter((result) => result.status === 'rejected') as PromiseRejectedResult[];
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toMatchObject({
      httpStatus: 429,
      code: FeishuErrorCode.RateLimited,
      retryAfterSeconds: 1,
    });
    expect(await feishu.journal({ operation: 'attachment.upload' })).toHaveLength(11);
  });

  it('throws FeishuConnectionError once the emulator has stopped', async () => {
    // Not refereed: nothing is left to check once it stops, and closing a referee waits for Prism
    // to start, which can take longer than a test on a busy machine.
    const doomed = await startEmulator({}, { refereed: false });
    const client = doomed.client({ retry: { limit: 1 } });
    const guid = await doomed.seeder.createTask({ summary: 'soon gone' });
    await client.attachments.listPage({ taskGuid: guid });
    await doomed.close();

    const error = await client.attachments.listPage({ taskGuid: guid }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FeishuConnectionError);
    expect((error as Error).message).toContain('GET /open-apis/task/v2/attachments');
    // undici's TypeError, from another realm than the test's, so matched by name.
    expect((error as Error).cause).toMatchObject({ name: 'TypeError', cause: { code: 'ECONNREFUSED' } });
  });
});
