import { createMockFeishu, type HttpResult, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

// Feishu's frequency-control doc: a refused call answers 429 with this body and these headers.
const RATE_LIMITED = { code: 99991400, msg: 'request trigger frequency limit' };
const LIMIT_HEADER = 'x-ogw-ratelimit-limit';
const RESET_HEADER = 'x-ogw-ratelimit-reset';

describe('rate limits', () => {
  let feishu: MockFeishuFixture;

  beforeAll(async () => {
    feishu = await createMockFeishu();
  });

  // Closing waits for Prism to check every refereed call under PRISM_REFEREE=1.
  afterAll(async () => {
    await feishu.close();
  }, 120_000);

  beforeEach(async () => {
    await feishu.reset();
  });

  /**
   * Stops the emulator clock on the start of a coming minute (also a second boundary). Frozen, a
   * burst counts in one window however long it really takes (a busy machine, Prism in between);
   * only `advanceClock` moves the emulator into the next window.
   */
  async function pinClockToMinuteStart(): Promise<number> {
    const minuteStart = Math.ceil(Date.now() / 60_000) * 60_000 + 60_000;
    const result = await feishu.call('POST', '/__mock/clock', { json: { setMs: minuteStart, freeze: true } });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ now: minuteStart, frozen: true });
    return minuteStart;
  }

  async function advanceClock(ms: number): Promise<void> {
    const result = await feishu.call('POST', '/__mock/clock', { json: { advanceMs: ms } });
    expect(result.status).toBe(200);
  }

  async function seedAttachment(): Promise<{ taskGuid: string; attachmentGuid: string }> {
    const seeded = await feishu.call('POST', '/__mock/tasks', {
      json: { summary: 'rate limited', attachments: [{ name: 'notes.txt', content: 'hello' }] },
    });
    expect(seeded.status).toBe(201);
    return { taskGuid: seeded.body.task_guid, attachmentGuid: seeded.body.attachments[0].guid };
  }

  const getAttachment = (token: string, guid: string, bulk?: { unrefereed: true }) =>
    feishu.call('GET', `/open-apis/task/v2/attachments/${guid}`, { token, ...bulk });

  const listAttachments = (token: string, taskGuid: string) =>
    feishu.call('GET', '/open-apis/task/v2/attachments', {
      token,
      query: { resource_type: 'task', resource_id: taskGuid },
    });

  const uploadOne = (token: string, taskGuid: string) =>
    feishu.upload(token, taskGuid, [{ name: 'a.txt', content: 'a' }]);

  const burst = (count: number, call: () => Promise<HttpResult>) =>
    Promise.all(Array.from({ length: count }, call));

  const statuses = (results: HttpResult[]) => results.map((result) => result.status);

  it('lets 10 uploads through in one second and refuses the 11th with 429/99991400 and the limit headers', async () => {
    const token = await feishu.tenantToken();
    const taskGuid = await feishu.createTask(token);
    await pinClockToMinuteStart();

    for (let index = 0; index < 10; index++) {
      const accepted = await uploadOne(token, taskGuid);
      expect(accepted.status).toBe(200);
      expect(accepted.body.code).toBe(0);
    }
    const refused = await uploadOne(token, taskGuid);

    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject(RATE_LIMITED);
    expect(refused.headers.get(LIMIT_HEADER)).toBe('10');
    // The frozen clock is on the second's first millisecond: the window ends in 1 s.
    expect(refused.headers.get(RESET_HEADER)).toBe('1');
  });

  it('lets uploads through again once the clock moves into the next second', async () => {
    const token = await feishu.tenantToken();
    const taskGuid = await feishu.createTask(token);
    await pinClockToMinuteStart();
    await burst(10, () => uploadOne(token, taskGuid));
    expect((await uploadOne(token, taskGuid)).status).toBe(429);

    await advanceClock(1000);

    const accepted = await uploadOne(token, taskGuid);
    expect(accepted.status).toBe(200);
    expect(accepted.body.code).toBe(0);
  });

  it('lets 50 attachment gets through in one second and refuses the 51st with limit 50', async () => {
    const token = await feishu.tenantToken();
    const { attachmentGuid } = await seedAttachment();
    await pinClockToMinuteStart();

    // The referee judges the first and the 51st; the other 49 are the first's exchange again.
    const accepted = [
      await getAttachment(token, attachmentGuid),
      ...(await burst(49, () => getAttachment(token, attachmentGuid, { unrefereed: true }))),
    ];
    expect(statuses(accepted)).toEqual(Array(50).fill(200));
    const refused = await getAttachment(token, attachmentGuid);

    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject(RATE_LIMITED);
    expect(refused.headers.get(LIMIT_HEADER)).toBe('50');
    expect(refused.headers.get(RESET_HEADER)).toBe('1');
  });

  // The per-minute limit (1000 gets, the reset counting to the minute's end) is stated in
  // feishu-numbers.e2e.spec.ts, with 1000 calls for each API.

  it('keeps a second app unaffected when the first app has used up its upload quota', async () => {
    const created = await feishu.call('POST', '/__mock/apps', {
      json: { app_id: 'cli_second_app', app_secret: 'second_secret' },
    });
    expect(created.status).toBe(201);
    const firstToken = await feishu.tenantToken();
    const secondToken = await feishu.tenantToken('cli_second_app', 'second_secret');
    const firstTask = await feishu.createTask(firstToken);
    const secondTask = await feishu.createTask(secondToken);
    await pinClockToMinuteStart();

    await burst(10, () => uploadOne(firstToken, firstTask));
    expect((await uploadOne(firstToken, firstTask)).status).toBe(429);

    const secondApp = await burst(10, () => uploadOne(secondToken, secondTask));
    expect(statuses(secondApp)).toEqual(Array(10).fill(200));
  });

  it('counts a user token against the quota of the app that issued it', async () => {
    const user = await feishu.createUser('Ada');
    const userToken = await feishu.userToken(user.open_id);
    const tenantToken = await feishu.tenantToken();
    const taskGuid = await feishu.createTask(userToken);
    await pinClockToMinuteStart();

    await burst(10, () => uploadOne(tenantToken, taskGuid));
    const refused = await uploadOne(userToken, taskGuid);

    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe(RATE_LIMITED.code);
  });

  it('keeps the list API open when the get API is used up', async () => {
    const token = await feishu.tenantToken();
    const { taskGuid, attachmentGuid } = await seedAttachment();
    await pinClockToMinuteStart();

    // Past the referee: the 50/s test has it judge this exchange.
    await burst(50, () => getAttachment(token, attachmentGuid, { unrefereed: true }));
    expect((await getAttachment(token, attachmentGuid)).status).toBe(429);

    const listed = await listAttachments(token, taskGuid);
    expect(listed.status).toBe(200);
    expect(listed.body.code).toBe(0);
  });

  it('enforces no limit when started with rateLimits: false', async () => {
    const unlimited = await createMockFeishu({ rateLimits: false });
    try {
      const token = await unlimited.tenantToken();
      const seeded = await unlimited.call('POST', '/__mock/tasks', {
        json: { summary: 'no limits', attachments: [{ name: 'a.txt', content: 'a' }] },
      });
      const guid = seeded.body.attachments[0].guid as string;
      await unlimited.call('POST', '/__mock/clock', {
        json: { setMs: Math.ceil(Date.now() / 60_000) * 60_000 + 60_000, freeze: true },
      });

      const results = await burst(60, () =>
        unlimited.call('GET', `/open-apis/task/v2/attachments/${guid}`, { token }),
      );

      expect(statuses(results)).toEqual(Array(60).fill(200));
      expect((await unlimited.call('GET', '/__mock/rate-limits')).body).toEqual({ enabled: false });
    } finally {
      await unlimited.close();
    }
  });

  it('stops enforcing limits after PUT /__mock/rate-limits {enabled: false}', async () => {
    const token = await feishu.tenantToken();
    const { attachmentGuid } = await seedAttachment();

    const switched = await feishu.call('PUT', '/__mock/rate-limits', { json: { enabled: false } });
    expect(switched.status).toBe(200);
    expect(switched.body).toEqual({ enabled: false });
    await pinClockToMinuteStart();

    const results = await burst(60, () => getAttachment(token, attachmentGuid));
    expect(statuses(results)).toEqual(Array(60).fill(200));
  });

  it('turns limits back on with PUT /__mock/rate-limits {enabled: true}', async () => {
    const token = await feishu.tenantToken();
    const { attachmentGuid } = await seedAttachment();
    await feishu.call('PUT', '/__mock/rate-limits', { json: { enabled: false } });

    const switched = await feishu.call('PUT', '/__mock/rate-limits', { json: { enabled: true } });
    expect(switched.body).toEqual({ enabled: true });
    await pinClockToMinuteStart();

    const results = await burst(51, () => getAttachment(token, attachmentGuid));
    expect(statuses(results).filter((status) => status === 429)).toHaveLength(1);
  });

  it('refuses a rate-limits switch without a boolean with 400', async () => {
    const result = await feishu.call('PUT', '/__mock/rate-limits', { json: { enabled: 'no' } });

    expect(result.status).toBe(400);
    expect(result.body.msg).toContain('enabled');
  });
});
