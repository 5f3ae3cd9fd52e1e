import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

const LOG_ID = /^\d{14}[0-9A-F]{20}$/;

describe('injected faults', () => {
  let feishu: MockFeishuFixture;
  let token: string;
  let taskGuid: string;
  let attachmentGuid: string;

  beforeAll(async () => {
    feishu = await createMockFeishu();
  });

  afterAll(async () => {
    await feishu.close();
  });

  beforeEach(async () => {
    await feishu.reset();
    token = await feishu.tenantToken();
    const seeded = await feishu.call('POST', '/__mock/tasks', {
      json: { summary: 'faulty', attachments: [{ name: 'notes.txt', content: 'hello faults' }] },
    });
    taskGuid = seeded.body.task_guid;
    attachmentGuid = seeded.body.attachments[0].guid;
  });

  const addFault = (rule: Record<string, unknown>) => feishu.call('POST', '/__mock/faults', { json: rule });
  const getAttachment = () =>
    feishu.call('GET', `/open-apis/task/v2/attachments/${attachmentGuid}`, { token });
  const getTask = () => feishu.call('GET', `/open-apis/task/v2/tasks/${taskGuid}`, { token });
  const listAttachments = () =>
    feishu.call('GET', '/open-apis/task/v2/attachments', {
      token,
      query: { resource_type: 'task', resource_id: taskGuid },
    });

  it('answers the next two gets with the injected 500 error and lets the third through', async () => {
    const added = await addFault({
      operation: 'attachment.get',
      times: 2,
      error: { status: 500, code: 1470500, msg: 'boom' },
    });
    expect(added.status).toBe(201);

    const first = await getAttachment();
    const second = await getAttachment();
    const third = await getAttachment();

    for (const failed of [first, second]) {
      expect(failed.status).toBe(500);
      expect(failed.body).toEqual({
        code: 1470500,
        msg: 'boom',
        error: { log_id: expect.stringMatching(LOG_ID) },
      });
      expect(failed.body.error.log_id).toBe(failed.headers.get('x-tt-logid'));
    }
    expect(third.status).toBe(200);
    expect(third.body.code).toBe(0);
    expect(third.body.data.attachment.guid).toBe(attachmentGuid);
  });

  it('fires an operation fault only on that operation', async () => {
    await addFault({ operation: 'attachment.get', error: { status: 500, code: 1470500, msg: 'boom' } });

    expect((await listAttachments()).status).toBe(200);
    expect((await getTask()).status).toBe(200);
    expect((await getAttachment()).status).toBe(500);
  });

  it('matches a rule by method and a path with * and leaves other paths alone', async () => {
    await addFault({
      method: 'GET',
      path: '/open-apis/task/v2/attachments/*',
      times: 3,
      error: { status: 500, code: 1470500, msg: 'path fault' },
    });

    // The list path has no trailing segment, the task path is elsewhere, delete has another method.
    expect((await listAttachments()).status).toBe(200);
    expect((await getTask()).status).toBe(200);

    const hit = await getAttachment();
    expect(hit.status).toBe(500);
    expect(hit.body).toMatchObject({ code: 1470500, msg: 'path fault' });

    const deleted = await feishu.call('DELETE', `/open-apis/task/v2/attachments/${attachmentGuid}`, {
      token,
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body.code).toBe(0);
  });

  it('matches a path without * exactly, not as a prefix', async () => {
    await addFault({
      path: '/open-apis/task/v2/attachments',
      times: 5,
      error: { status: 500, code: 1470500, msg: 'list only' },
    });

    expect((await getAttachment()).status).toBe(200);
    expect((await listAttachments()).body.msg).toBe('list only');
  });

  it('matches the method case-insensitively', async () => {
    await addFault({
      method: 'get',
      path: `/open-apis/task/v2/tasks/${taskGuid}`,
      error: { status: 503, code: 1470500, msg: 'down' },
    });

    expect((await getTask()).status).toBe(503);
  });

  it('returns an injected 429 exactly as given', async () => {
    await addFault({
      operation: 'attachment.list',
      error: { status: 429, code: 99991400, msg: 'request trigger frequency limit' },
    });

    const limited = await listAttachments();

    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 99991400, msg: 'request trigger frequency limit' });
  });

  it('gives an injected rate limit the x-ogw-ratelimit headers a real one has', async () => {
    await addFault({ operation: 'attachment.list', error: { status: 429, code: 99991400 } });

    const limited = await listAttachments();

    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ogw-ratelimit-limit')).toBe('10');
    expect(limited.headers.get('x-ogw-ratelimit-reset')).toBe('1');
  });

  it('sends the headers a rule gives, over the rate-limit defaults', async () => {
    await addFault({
      operation: 'attachment.get',
      error: { status: 429, code: 99991400, headers: { 'x-ogw-ratelimit-reset': '7', 'x-extra': 'yes' } },
    });

    const limited = await getAttachment();

    expect(limited.headers.get('x-ogw-ratelimit-reset')).toBe('7');
    expect(limited.headers.get('x-ogw-ratelimit-limit')).toBe('10');
    expect(limited.headers.get('x-extra')).toBe('yes');
  });

  it('fails the call before authentication, so even a call without a token gets the fault', async () => {
    await addFault({
      operation: 'attachment.get',
      error: { status: 502, code: 1470500, msg: 'gateway down' },
    });

    const result = await feishu.call('GET', `/open-apis/task/v2/attachments/${attachmentGuid}`);

    expect(result.status).toBe(502);
    expect(result.body.msg).toBe('gateway down');
  });

  const freezeClock = () => feishu.call('POST', '/__mock/clock', { json: { freeze: true } });
  const advanceClock = (ms: number) => feishu.call('POST', '/__mock/clock', { json: { advanceMs: ms } });

  /** Waits until the one-call rule has been taken, i.e. its call has arrived and is being held. */
  async function untilFaultTaken(): Promise<void> {
    while ((await feishu.call('GET', '/__mock/faults')).body.items.length > 0) {
      // each check is a round trip to the emulator, so the held call gets its turn
    }
  }

  /** A call's answer plus whether it has come yet, so a test can see a call still held. */
  function track<T>(call: Promise<T>) {
    const tracked = { answered: false, result: call };
    void call.then(() => (tracked.answered = true));
    return tracked;
  }

  it('holds a call on a frozen clock until the clock has moved delayMs, then answers it normally', async () => {
    await freezeClock();
    // A minute: longer than the test's timeout, so only the clock can release it.
    await addFault({ operation: 'task.get', delayMs: 60_000 });

    const delayed = track(getTask());
    await untilFaultTaken();
    await advanceClock(59_999);
    await feishu.call('GET', '/__mock/clock');
    expect(delayed.answered).toBe(false);

    await advanceClock(1);
    const answer = await delayed.result;
    // The rule was used up, so the next call is not held (it would hang on the frozen clock).
    const next = await getTask();

    expect(answer.status).toBe(200);
    expect(answer.body.data.task.guid).toBe(taskGuid);
    expect(next.status).toBe(200);
  });

  it('lets a delay run out by itself in real time while the clock runs', async () => {
    await addFault({ operation: 'task.get', delayMs: 50 });

    const started = performance.now();
    const delayed = await getTask();

    // A lower bound only: a busy machine can take longer, never shorter.
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
    expect(delayed.status).toBe(200);
  });

  it('combines a delay with an error', async () => {
    await freezeClock();
    await addFault({
      operation: 'task.get',
      delayMs: 60_000,
      error: { status: 500, code: 1470500, msg: 'slow and broken' },
    });

    const delayed = track(getTask());
    await untilFaultTaken();
    await feishu.call('GET', '/__mock/clock');
    expect(delayed.answered).toBe(false);
    await advanceClock(60_000);
    const result = await delayed.result;

    expect(result.status).toBe(500);
    expect(result.body.msg).toBe('slow and broken');
  });

  it('drops the connection for drop: true, and the journal records status 0, not completed', async () => {
    await addFault({ operation: 'task.get', drop: true });

    await expect(
      fetch(`${feishu.url}/open-apis/task/v2/tasks/${taskGuid}`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    ).rejects.toThrow();

    const journal = await feishu.call('GET', '/__mock/requests', { query: { operation: 'task.get' } });
    expect(journal.body.items).toHaveLength(1);
    expect(journal.body.items[0]).toMatchObject({ status: 0, completed: false, operation: 'task.get' });
    // The emulator survives: the next call is answered.
    expect((await getTask()).status).toBe(200);
  });

  it('faults a download URL, which needs no token, and leaves the URL usable afterwards', async () => {
    const url = (await getAttachment()).body.data.attachment.url as string;
    await addFault({
      operation: 'download',
      error: { status: 503, code: 1470500, msg: 'storage unavailable' },
    });

    const faulted = await fetch(url);
    expect(faulted.status).toBe(503);
    expect(await faulted.json()).toMatchObject({ code: 1470500, msg: 'storage unavailable' });

    const downloaded = await fetch(url);
    expect(downloaded.status).toBe(200);
    expect(await downloaded.text()).toBe('hello faults');
  });

  it('lists pending rules with their remaining count and forgets a rule once used up', async () => {
    const added = await addFault({
      operation: 'attachment.get',
      times: 2,
      error: { status: 500, code: 1470500, msg: 'boom' },
    });

    const pending = await feishu.call('GET', '/__mock/faults');
    expect(pending.status).toBe(200);
    expect(pending.body.items).toEqual([
      {
        id: added.body.id,
        operation: 'attachment.get',
        remaining: 2,
        action: { error: { status: 500, code: 1470500, msg: 'boom' } },
      },
    ]);

    await getAttachment();
    expect((await feishu.call('GET', '/__mock/faults')).body.items[0].remaining).toBe(1);
    await getAttachment();
    expect((await feishu.call('GET', '/__mock/faults')).body.items).toEqual([]);
  });

  it('clears every pending rule on DELETE /__mock/faults', async () => {
    await addFault({
      operation: 'attachment.get',
      times: 5,
      error: { status: 500, code: 1470500, msg: 'boom' },
    });
    await addFault({ operation: 'task.get', drop: true });

    const cleared = await feishu.call('DELETE', '/__mock/faults');

    expect(cleared.status).toBe(200);
    expect((await feishu.call('GET', '/__mock/faults')).body.items).toEqual([]);
    expect((await getAttachment()).status).toBe(200);
    expect((await getTask()).status).toBe(200);
  });

  it('takes rules first come, first served', async () => {
    await addFault({ operation: 'task.get', error: { status: 500, code: 1470500, msg: 'first' } });
    await addFault({ operation: 'task.get', error: { status: 500, code: 1470500, msg: 'second' } });

    expect((await getTask()).body.msg).toBe('first');
    expect((await getTask()).body.msg).toBe('second');
    expect((await getTask()).status).toBe(200);
  });

  it('uses a rule once when times is not given', async () => {
    await addFault({ operation: 'task.get', error: { status: 500, code: 1470500, msg: 'once' } });

    expect((await getTask()).status).toBe(500);
    expect((await getTask()).status).toBe(200);
  });

  it('refuses a rule without a matcher with 400 naming the matchers', async () => {
    const result = await addFault({ error: { status: 500, code: 1470500, msg: 'boom' } });

    expect(result.status).toBe(400);
    expect(result.body.msg).toContain('method, path, operation');
  });

  it('refuses a rule without an action with 400 naming the actions', async () => {
    const result = await addFault({ operation: 'task.get' });

    expect(result.status).toBe(400);
    expect(result.body.msg).toMatch(/error.*delayMs.*drop/);
  });

  it('refuses a rule with an unknown field with 400 naming the field', async () => {
    const result = await addFault({ operation: 'task.get', drop: true, status: 500 });

    expect(result.status).toBe(400);
    expect(result.body.msg).toContain('status');
  });

  it('refuses an error whose status is not an HTTP status with 400 naming error.status', async () => {
    const result = await addFault({ operation: 'task.get', error: { status: 42, code: 1 } });

    expect(result.status).toBe(400);
    expect(result.body.msg).toContain('error.status');
  });

  it('refuses times: 0 with 400 naming times', async () => {
    const result = await addFault({ operation: 'task.get', drop: true, times: 0 });

    expect(result.status).toBe(400);
    expect(result.body.msg).toContain('times');
  });

  it('stores nothing when it refuses a rule', async () => {
    await addFault({ operation: 'task.get' });

    expect((await feishu.call('GET', '/__mock/faults')).body.items).toEqual([]);
  });
});
