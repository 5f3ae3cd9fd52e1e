import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import {
  ATTACHMENT_GUID,
  FakeFeishuFetch,
  HANG,
  TASK_GUID,
  TASKS_PATH,
  TOKEN_PATH,
  UPLOAD_PATH,
  attachment,
  attachmentPath,
  clientOn,
  connectionRefused,
  fail,
  ok,
  tenantToken,
} from '../../test/support/fake-feishu-fetch.js';
import {
  FeishuApiError,
  FeishuConnectionError,
  FeishuErrorCode,
  FeishuTimeoutError,
  type FeishuHooks,
  type RetryInfo,
} from '../index.js';

const getOk = () => ok({ attachment: attachment({ url: 'https://dl.test/download/authcode/?code=c1' }) });
const serverError = () => fail(500, FeishuErrorCode.ServerError, 'Internal server error, please retry.');
const rateLimited = (status: number, resetSeconds?: string) =>
  fail(status, FeishuErrorCode.RateLimited, 'request trigger frequency limit', {
    headers:
      resetSeconds === undefined
        ? {}
        : { 'x-ogw-ratelimit-limit': '10', 'x-ogw-ratelimit-reset': resetSeconds },
  });
const uploadOk = () => ok({ items: [attachment({ name: 'a.txt' })] });

/** Runs `act` under fake timers, so a wait of seconds can be checked to the millisecond without sleeping. */
async function withFakeTimers(act: () => Promise<void>): Promise<void> {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  try {
    await act();
  } finally {
    jest.useRealTimers();
  }
}

/** What `pending` settles with once every timer it waits on (timeouts, backoff) has run on Jest's clock. */
async function settledOnClock(pending: Promise<unknown>): Promise<unknown> {
  const outcome = pending.catch((e: unknown) => e);
  await jest.runAllTimersAsync();
  return outcome;
}

describe('retries', () => {
  it('retries a GET answered HTTP 500 up to retry.limit times, then throws the last error', async () => {
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), serverError());
    const client = clientOn(fake, { retry: { limit: 2 } });

    const error = await client.attachments.get(ATTACHMENT_GUID).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FeishuApiError);
    expect(error).toMatchObject({ httpStatus: 500, code: FeishuErrorCode.ServerError });
    expect(fake.requests).toHaveLength(3);
  });

  it('retries a GET answered HTTP 200 with code 1470500 and returns the later success', async () => {
    const fake = new FakeFeishuFetch().on(
      'GET',
      attachmentPath(),
      fail(200, FeishuErrorCode.ServerError, 'busy'),
      getOk(),
    );

    const got = await clientOn(fake).attachments.get(ATTACHMENT_GUID);

    expect(got.guid).toBe(ATTACHMENT_GUID);
    expect(fake.requests).toHaveLength(2);
  });

  it('retries a GET after a connection error and throws FeishuConnectionError, with the cause, when retries run out', async () => {
    const refused = connectionRefused();
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), refused);

    const error = await clientOn(fake, { retry: { limit: 1 } })
      .attachments.get(ATTACHMENT_GUID)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FeishuConnectionError);
    expect((error as Error).cause).toBe(refused);
    expect((error as Error).message).toContain(`GET /open-apis/task/v2/attachments/${ATTACHMENT_GUID}`);
    expect(fake.requests).toHaveLength(2);
  });

  it('retries a GET after a connection error and succeeds on the next attempt', async () => {
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), connectionRefused(), getOk());

    await expect(clientOn(fake).attachments.get(ATTACHMENT_GUID)).resolves.toMatchObject({
      guid: ATTACHMENT_GUID,
    });
    expect(fake.requests).toHaveLength(2);
  });

  it('gives up on a GET with no answer within timeouts.requestMs, retries it, then throws FeishuTimeoutError', async () => {
    await withFakeTimers(async () => {
      const fake = new FakeFeishuFetch().on('GET', attachmentPath(), HANG);
      const client = clientOn(fake, { timeouts: { requestMs: 50 }, retry: { limit: 1 } });

      const error = await settledOnClock(client.attachments.get(ATTACHMENT_GUID));

      expect(error).toBeInstanceOf(FeishuTimeoutError);
      expect(error).toMatchObject({ timeoutMs: 50 });
      expect(fake.requests).toHaveLength(2);
    });
  });

  it('gives up on an answer whose headers came but whose body stalls, within the same timeout, and retries the GET', async () => {
    // Headers at once, then a body that never ends.
    const stalled = () => new Response(new ReadableStream({ start() {} }), { status: 200 });
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), stalled, getOk());
    const retries: RetryInfo[] = [];

    await withFakeTimers(async () => {
      const got = await settledOnClock(
        clientOn(fake, {
          timeouts: { requestMs: 50 },
          hooks: { beforeRetry: (info) => retries.push(info) },
        }).attachments.get(ATTACHMENT_GUID),
      );

      expect(got).toMatchObject({ guid: ATTACHMENT_GUID });
      expect(retries.map((info) => info.reason)).toEqual(['timeout']);
    });
  });

  it('retries a failed tenant-token fetch even for an upload, since fetching a token changes nothing', async () => {
    const fake = new FakeFeishuFetch()
      .on('POST', TOKEN_PATH, connectionRefused(), tenantToken('t-second-try'))
      .on('POST', UPLOAD_PATH, uploadOk());

    const items = await clientOn(fake, { auth: { appId: 'cli_a', appSecret: 's' } }).attachments.upload(
      TASK_GUID,
      [{ name: 'a.txt', data: 'x' }],
    );

    expect(items).toHaveLength(1);
    expect(fake.to(TOKEN_PATH)).toHaveLength(2);
    expect(fake.to(UPLOAD_PATH)[0].headers.get('authorization')).toBe('Bearer t-second-try');
  });

  it('retries a body cut off mid-answer like a connection error', async () => {
    const broken = () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"code":0,'));
            controller.error(new TypeError('terminated'));
          },
        }),
        { status: 200 },
      );
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), broken, getOk());
    const retries: RetryInfo[] = [];

    const got = await clientOn(fake, {
      hooks: { beforeRetry: (info) => retries.push(info) },
    }).attachments.get(ATTACHMENT_GUID);

    expect(got.guid).toBe(ATTACHMENT_GUID);
    expect(retries.map((info) => info.reason)).toEqual(['connection_error']);
  });

  it('does not retry an upload answered HTTP 500, since the files may already be attached', async () => {
    const fake = new FakeFeishuFetch().on('POST', UPLOAD_PATH, serverError(), uploadOk());

    const error = await clientOn(fake)
      .attachments.upload(TASK_GUID, [{ name: 'a.txt', data: 'abc' }])
      .catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'FeishuApiError',
      httpStatus: 500,
      code: FeishuErrorCode.ServerError,
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry an upload that timed out', async () => {
    await withFakeTimers(async () => {
      const fake = new FakeFeishuFetch().on('POST', UPLOAD_PATH, HANG);
      const client = clientOn(fake, { timeouts: { transferMs: 50 } });

      const error = await settledOnClock(
        client.attachments.upload(TASK_GUID, [{ name: 'a.txt', data: 'abc' }]),
      );

      expect(error).toBeInstanceOf(FeishuTimeoutError);
      expect(error).toMatchObject({ timeoutMs: 50 });
      expect(fake.requests).toHaveLength(1);
    });
  });

  it('does not retry a task create answered HTTP 500 or left without an answer', async () => {
    const failing = new FakeFeishuFetch().on('POST', TASKS_PATH, serverError());
    await expect(clientOn(failing).tasks.create({ summary: 's' })).rejects.toMatchObject({ httpStatus: 500 });
    expect(failing.requests).toHaveLength(1);

    const silent = new FakeFeishuFetch().on('POST', TASKS_PATH, HANG);
    await withFakeTimers(async () => {
      const error = await settledOnClock(
        clientOn(silent, { timeouts: { requestMs: 50 } }).tasks.create({ summary: 's' }),
      );
      expect(error).toBeInstanceOf(FeishuTimeoutError);
    });
    expect(silent.requests).toHaveLength(1);
  });

  it('retries a DELETE, which is idempotent, after HTTP 500', async () => {
    const fake = new FakeFeishuFetch().on('DELETE', attachmentPath(), serverError(), ok({}));

    await clientOn(fake).attachments.delete(ATTACHMENT_GUID);

    expect(fake.to(attachmentPath(), 'DELETE')).toHaveLength(2);
  });

  it('never clones a request that carries an upload body, since a clone tees the stream and buffers all of it', async () => {
    const clone = jest.spyOn(Request.prototype, 'clone');
    try {
      const fake = new FakeFeishuFetch().on('POST', UPLOAD_PATH, uploadOk());
      const chunks = Array.from({ length: 8 }, () => Buffer.alloc(64 * 1024, 1));

      await clientOn(fake).attachments.upload(TASK_GUID, [
        { name: 'big.bin', stream: Readable.from(chunks) },
      ]);

      expect(fake.requests[0].body.length).toBeGreaterThan(8 * 64 * 1024);
      const clonedWithBody = clone.mock.contexts.filter((request) => (request as Request).body !== null);
      expect(clonedWithBody.length).toBe(0);
    } finally {
      clone.mockRestore();
    }
  });

  it('tells fetch that an upload follows no redirect, so Node keeps no copy of the streamed body', async () => {
    const inits: (RequestInit | undefined)[] = [];
    const fake = new FakeFeishuFetch().on('POST', UPLOAD_PATH, uploadOk());
    const watching: typeof fetch = (input, init) => {
      inits.push(init);
      return fake.fetch(input, init);
    };

    await clientOn(fake, { fetch: watching }).attachments.upload(TASK_GUID, [{ name: 'a.txt', data: 'x' }]);

    expect(inits[0]).toMatchObject({ redirect: 'error', window: null });
  });

  it('gives uploads the transfer timeout rather than the request timeout', async () => {
    await withFakeTimers(async () => {
      // Answers after 80 ms of the (fake) clock: past a 20 ms request timeout, well within 5000 ms.
      const slowUpload = () => new Promise<Response>((resolve) => setTimeout(() => resolve(uploadOk()), 80));
      const fake = new FakeFeishuFetch().on('POST', UPLOAD_PATH, slowUpload);
      const client = clientOn(fake, { timeouts: { requestMs: 20, transferMs: 5000 } });

      const pending = client.attachments.upload(TASK_GUID, [{ name: 'a.txt', data: 'abc' }]);
      await jest.advanceTimersByTimeAsync(80);

      await expect(pending).resolves.toHaveLength(1);
      expect(fake.requests).toHaveLength(1);
    });
  });

  it('times an upload out after timeouts.transferMs, by the clock, without a retry', async () => {
    await withFakeTimers(async () => {
      const fake = new FakeFeishuFetch().on('POST', UPLOAD_PATH, HANG);
      const client = clientOn(fake, { timeouts: { requestMs: 20, transferMs: 5000 } });

      const pending = client.attachments
        .upload(TASK_GUID, [{ name: 'a.txt', data: 'abc' }])
        .catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(4999);
      let settled = false;
      void pending.then(() => (settled = true));
      await jest.advanceTimersByTimeAsync(0);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);

      expect(await pending).toMatchObject({ name: 'FeishuTimeoutError', timeoutMs: 5000 });
      expect(fake.requests).toHaveLength(1);
    });
  });
});

describe('rate limits', () => {
  it('waits the x-ogw-ratelimit-reset seconds after a 429 and then retries', async () => {
    await withFakeTimers(async () => {
      const fake = new FakeFeishuFetch().on('GET', attachmentPath(), rateLimited(429, '1'), getOk());
      const retries: RetryInfo[] = [];
      const client = clientOn(fake, { hooks: { beforeRetry: (info) => retries.push(info) } });

      const pending = client.attachments.get(ATTACHMENT_GUID);
      await jest.advanceTimersByTimeAsync(999);
      expect(fake.requests).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);

      await expect(pending).resolves.toMatchObject({ guid: ATTACHMENT_GUID });
      expect(fake.requests).toHaveLength(2);
      expect(retries).toEqual([
        expect.objectContaining({
          reason: 'rate_limited',
          delayMs: 1000,
          attempt: 1,
          method: 'GET',
          path: attachmentPath(),
        }),
      ]);
    });
  });

  it('retries an upload after a rate limit and sends the whole multipart body again', async () => {
    await withFakeTimers(async () => {
      const fake = new FakeFeishuFetch().on('POST', UPLOAD_PATH, rateLimited(429, '1'), uploadOk());
      const client = clientOn(fake);

      const pending = client.attachments.upload(TASK_GUID, [
        { name: 'a.txt', data: Buffer.from('file-bytes-0123456789') },
      ]);
      await jest.advanceTimersByTimeAsync(1000);
      await expect(pending).resolves.toHaveLength(1);

      const [first, second] = fake.to(UPLOAD_PATH);
      expect(second.body.toString()).toContain('\r\n\r\nfile-bytes-0123456789\r\n');
      const boundaryOf = (request: typeof first) =>
        /boundary=(\S+)/.exec(request.headers.get('content-type') ?? '')![1];
      // The boundary is drawn afresh for each attempt; everything else must match byte for byte.
      expect(second.body.toString().replaceAll(boundaryOf(second), 'B')).toBe(
        first.body.toString().replaceAll(boundaryOf(first), 'B'),
      );
      expect(second.headers.get('content-length')).toBe(String(second.body.length));
    });
  });

  it('does not retry a stream upload after a rate limit, since a stream can be read only once', async () => {
    const fake = new FakeFeishuFetch().on('POST', UPLOAD_PATH, rateLimited(429, '1'), uploadOk());

    const error = await clientOn(fake)
      .attachments.upload(TASK_GUID, [{ name: 'a.txt', stream: Readable.from([Buffer.from('abc')]) }])
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ httpStatus: 429, code: FeishuErrorCode.RateLimited, retryAfterSeconds: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('backs off as usual when a 429 carries a blank x-ogw-ratelimit-reset, rather than retrying at once', async () => {
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), rateLimited(429, ''), getOk());
    const retries: RetryInfo[] = [];

    await withFakeTimers(async () => {
      const pending = clientOn(fake, {
        retry: { baseDelayMs: 40, maxDelayMs: 40 },
        hooks: { beforeRetry: (info) => retries.push(info) },
      }).attachments.get(ATTACHMENT_GUID);
      // The 25 % jitter leaves at least 30 ms: nothing is sent again before then.
      await jest.advanceTimersByTimeAsync(29);
      expect(fake.requests).toHaveLength(1);
      await expect(settledOnClock(pending)).resolves.toMatchObject({ guid: ATTACHMENT_GUID });
    });

    expect(retries).toHaveLength(1);
    expect(retries[0].delayMs).toBeGreaterThanOrEqual(30);
    expect(fake.requests).toHaveLength(2);
  });

  it('treats HTTP 400 with code 99991400 as a rate limit', async () => {
    const fake = new FakeFeishuFetch().on(
      'POST',
      TASKS_PATH,
      rateLimited(400),
      ok({ task: { guid: TASK_GUID } }),
    );
    const retries: RetryInfo[] = [];

    const task = await clientOn(fake, { hooks: { beforeRetry: (info) => retries.push(info) } }).tasks.create({
      summary: 's',
    });

    expect(task.guid).toBe(TASK_GUID);
    expect(fake.requests).toHaveLength(2);
    expect(retries.map((info) => info.reason)).toEqual(['rate_limited']);
  });

  it('fails at once when the reset is longer than maxRateLimitWaitMs', async () => {
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), rateLimited(429, '61'), getOk());

    const error = await clientOn(fake)
      .attachments.get(ATTACHMENT_GUID)
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'FeishuApiError', httpStatus: 429, retryAfterSeconds: 61 });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('errors', () => {
  it('turns HTTP 200 with a non-zero code into FeishuApiError with status, code, msg and the X-Tt-Logid', async () => {
    const answer = fail(200, FeishuErrorCode.InvalidParam, "Invalid Param 'page_size', must be 1-100.");
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), answer);

    const error = (await clientOn(fake)
      .attachments.get(ATTACHMENT_GUID)
      .catch((e: unknown) => e)) as FeishuApiError;

    expect(error).toBeInstanceOf(FeishuApiError);
    expect(error.httpStatus).toBe(200);
    expect(error.code).toBe(FeishuErrorCode.InvalidParam);
    expect(error.msg).toBe("Invalid Param 'page_size', must be 1-100.");
    expect(error.logId).toBe(answer.headers.get('x-tt-logid'));
    expect(error.request).toEqual({ method: 'GET', path: attachmentPath() });
    expect(error.message).toContain('1470400');
  });

  it('exposes missing scopes from error.permission_violations', async () => {
    const violations = [{ type: 'action_scope_required', subject: 'task:attachment:read' }];
    const fake = new FakeFeishuFetch().on(
      'GET',
      attachmentPath(),
      fail(400, FeishuErrorCode.AppScopeRequired, 'Access denied.', {
        error: { permission_violations: violations },
      }),
    );

    const error = (await clientOn(fake)
      .attachments.get(ATTACHMENT_GUID)
      .catch((e: unknown) => e)) as FeishuApiError;

    expect(error.code).toBe(FeishuErrorCode.AppScopeRequired);
    expect(error.permissionViolations).toEqual(violations);
    expect(error.detail?.permission_violations).toEqual(violations);
  });

  it("keeps a 99991679 answer's bilingual msg, violations and troubleshooter as Feishu writes them", async () => {
    const logId = '2024110416232661C50BC902DF30E6C183';
    const scopes = '[task:attachment:read, task:attachment:write]';
    const body = {
      code: FeishuErrorCode.UserScopeRequired,
      msg:
        'Unauthorized. You do not have permission to perform the requested operation on the resource. ' +
        `Please request user re-authorization and try again. required one of these privileges: ${scopes}.` +
        `应用未获取所需的用户授权：${scopes}`,
      error: {
        log_id: logId,
        troubleshooter: `排查建议查看(Troubleshooting suggestions): https://open.feishu.cn/search?from=openapi&log_id=${logId}&code=99991679`,
        permission_violations: [
          { type: 'action_privilege_required', subject: 'task:attachment:read' },
          { type: 'action_privilege_required', subject: 'task:attachment:write' },
        ],
      },
    };
    const fake = new FakeFeishuFetch().on(
      'GET',
      attachmentPath(),
      Response.json(body, { status: 400, headers: { 'x-tt-logid': logId } }),
    );

    const error = (await clientOn(fake)
      .attachments.get(ATTACHMENT_GUID)
      .catch((e: unknown) => e)) as FeishuApiError;

    expect(error).toBeInstanceOf(FeishuApiError);
    expect(error).toMatchObject({ httpStatus: 400, code: 99991679, msg: body.msg, logId });
    expect(error.permissionViolations).toEqual(body.error.permission_violations);
    expect(error.detail).toEqual(body.error);
  });

  it('takes the log id from error.log_id when the header is missing', async () => {
    const body = { code: FeishuErrorCode.NotFound, msg: 'gone', error: { log_id: 'LOGID-IN-BODY' } };
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), Response.json(body, { status: 404 }));

    await expect(clientOn(fake).attachments.get(ATTACHMENT_GUID)).rejects.toMatchObject({
      logId: 'LOGID-IN-BODY',
      httpStatus: 404,
    });
  });

  it('turns the gateway text 404 into FeishuApiError with code -1 and the text as msg', async () => {
    const fake = new FakeFeishuFetch();

    const error = await clientOn(fake)
      .attachments.get(ATTACHMENT_GUID)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FeishuApiError);
    expect(error).toMatchObject({ httpStatus: 404, code: -1, msg: '404 page not found' });
  });
});

describe('cancellation', () => {
  it('rejects promptly with the abort reason when aborted during a retry wait', async () => {
    await withFakeTimers(async () => {
      const fake = new FakeFeishuFetch().on('GET', attachmentPath(), serverError());
      const controller = new AbortController();
      const reason = new Error('caller gave up');
      const client = clientOn(fake, {
        retry: { baseDelayMs: 30_000, maxDelayMs: 30_000 },
        hooks: { beforeRetry: () => void setTimeout(() => controller.abort(reason), 10) },
      });

      let outcome: unknown;
      void client.attachments.get(ATTACHMENT_GUID, { signal: controller.signal }).then(
        () => (outcome = 'resolved'),
        (error: unknown) => (outcome = error),
      );
      // 10 ms of the 30 s wait pass on the fake clock; the rest never does.
      await jest.advanceTimersByTimeAsync(10);

      expect(outcome).toBe(reason);
      expect(fake.requests).toHaveLength(1);
    });
  });

  it('sends nothing when the signal is already aborted', async () => {
    const fake = new FakeFeishuFetch()
      .on('GET', attachmentPath(), getOk())
      .on('POST', TOKEN_PATH, tenantToken('t-1'));
    const reason = new Error('already cancelled');
    const signal = AbortSignal.abort(reason);

    await expect(clientOn(fake).attachments.get(ATTACHMENT_GUID, { signal })).rejects.toBe(reason);
    const appClient = clientOn(fake, { auth: { appId: 'cli_a', appSecret: 's' } });
    await expect(appClient.attachments.get(ATTACHMENT_GUID, { signal })).rejects.toBe(reason);
    await expect(
      appClient.attachments.upload(TASK_GUID, [{ name: 'a', data: 'x' }], { signal }),
    ).rejects.toBe(reason);

    expect(fake.requests).toHaveLength(0);
  });

  it('sends nothing once the signal is aborted, even with a token already cached', async () => {
    const fake = new FakeFeishuFetch()
      .on('GET', attachmentPath(), getOk())
      .on('POST', TOKEN_PATH, tenantToken('t-1'));
    const client = clientOn(fake, { auth: { appId: 'cli_a', appSecret: 's' } });
    await client.attachments.get(ATTACHMENT_GUID);
    const sent = fake.requests.length;

    await expect(
      client.attachments.get(ATTACHMENT_GUID, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });

    expect(fake.requests).toHaveLength(sent);
  });

  it('rejects with the abort reason, not a connection error, when aborted while waiting for an answer', async () => {
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), HANG);
    const controller = new AbortController();
    const reason = new Error('stop');

    const pending = clientOn(fake).attachments.get(ATTACHMENT_GUID, { signal: controller.signal });
    while (fake.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(reason);

    await expect(pending).rejects.toBe(reason);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('hooks and logger', () => {
  it('reports every attempt to beforeRequest and afterResponse, and each retry to beforeRetry', async () => {
    const failure = serverError();
    const fake = new FakeFeishuFetch().on('GET', attachmentPath(), failure, getOk());
    const calls: [string, unknown][] = [];
    const hooks: FeishuHooks = {
      beforeRequest: (info) => calls.push(['beforeRequest', info]),
      afterResponse: (info) => calls.push(['afterResponse', info]),
      beforeRetry: (info) => calls.push(['beforeRetry', info]),
    };

    await clientOn(fake, { hooks }).attachments.get(ATTACHMENT_GUID);

    const path = attachmentPath();
    expect(calls).toEqual([
      ['beforeRequest', { method: 'GET', path, attempt: 1 }],
      [
        'afterResponse',
        {
          method: 'GET',
          path,
          attempt: 1,
          status: 500,
          code: 1470500,
          logId: failure.headers.get('x-tt-logid'),
          durationMs: expect.any(Number),
        },
      ],
      [
        'beforeRetry',
        expect.objectContaining({
          method: 'GET',
          path,
          attempt: 1,
          reason: 'server_error',
          error: expect.any(FeishuApiError),
        }),
      ],
      ['beforeRequest', { method: 'GET', path, attempt: 2 }],
      ['afterResponse', expect.objectContaining({ attempt: 2, status: 200, code: 0 })],
    ]);
  });

  it('logs each request, answer and retry, and never hands a token or the app secret to hooks or the logger', async () => {
    const fake = new FakeFeishuFetch()
      .on('POST', TOKEN_PATH, tenantToken('t-tenant-secret-1'), tenantToken('t-tenant-secret-2'))
      .on(
        'GET',
        attachmentPath(),
        fail(400, FeishuErrorCode.InvalidTenantAccessToken, 'Invalid access token'),
        getOk(),
      );
    const seen: unknown[] = [];
    const record = (...args: unknown[]) => void seen.push(args);
    const logger = {
      debug: jest.fn(record),
      info: jest.fn(record),
      warn: jest.fn(record),
      error: jest.fn(record),
    };
    const client = clientOn(fake, {
      auth: { appId: 'cli_app', appSecret: 'app-secret-value' },
      hooks: { beforeRequest: record, afterResponse: record, beforeRetry: record },
      logger,
    });

    await client.attachments.get(ATTACHMENT_GUID);
    await client.attachments.get(ATTACHMENT_GUID, { userAccessToken: 'u-user-secret' });

    expect(logger.debug).toHaveBeenCalledWith(`feishu → GET ${attachmentPath()}`, { attempt: 1 });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('token_rejected'),
      expect.objectContaining({ code: 99991663 }),
    );
    const everything = inspect(seen, { depth: 20, showHidden: true });
    for (const secret of ['t-tenant-secret-1', 't-tenant-secret-2', 'u-user-secret', 'app-secret-value']) {
      expect(everything).not.toContain(secret);
    }
    // The secrets did go out on the wire, so the check above is not vacuous.
    expect(fake.requests.map((request) => request.headers.get('authorization'))).toContain(
      'Bearer u-user-secret',
    );
  });
});
