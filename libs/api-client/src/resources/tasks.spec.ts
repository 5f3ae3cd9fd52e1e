import {
  FakeFeishuFetch,
  HANG,
  TASK_GUID,
  TASKS_PATH,
  clientOn,
  connectionRefused,
  fail,
  ok,
  task,
  taskPath,
} from '../../test/support/fake-feishu-fetch.js';
import {
  FeishuErrorCode,
  FeishuTimeoutError,
  FeishuValidationError,
  type PatchTaskBody,
  type RetryInfo,
  type Task,
} from '../index.js';

const ALICE = 'ou_1400208f15333e20e11339d39067844b';
const USER_TOKEN = 'u-alice-user-token';
const serverError = () => fail(500, FeishuErrorCode.ServerError, 'Internal server error, please retry.');
const json = (body: Buffer) => JSON.parse(body.toString('utf8'));
const summaryPatch: PatchTaskBody = { task: { summary: 'Renamed' }, update_fields: ['summary'] };
const completion: PatchTaskBody = {
  task: { completed_at: '1735689600000' },
  update_fields: ['completed_at'],
};

describe('task calls refused before any request', () => {
  const fake = new FakeFeishuFetch();
  const client = clientOn(fake);
  afterEach(() => expect(fake.requests).toHaveLength(0));

  it.each(['not-a-guid', '', `../${TASK_GUID}`])(
    'refuses the malformed guid %j in patch, addMembers, removeMembers and subtasks',
    async (guid) => {
      const members = [{ id: ALICE, role: 'assignee' as const }];
      await expect(client.tasks.patch(guid, summaryPatch)).rejects.toBeInstanceOf(FeishuValidationError);
      await expect(client.tasks.addMembers(guid, { members })).rejects.toBeInstanceOf(FeishuValidationError);
      await expect(client.tasks.removeMembers(guid, { members })).rejects.toBeInstanceOf(
        FeishuValidationError,
      );
      await expect(client.tasks.subtasks.create(guid, { summary: 's' })).rejects.toBeInstanceOf(
        FeishuValidationError,
      );
      await expect(client.tasks.subtasks.listPage({ taskGuid: guid })).rejects.toBeInstanceOf(
        FeishuValidationError,
      );
      // listAll is lazy: the refusal comes at the first step of the loop, still before any request.
      await expect(client.tasks.subtasks.listAll({ taskGuid: guid }).next()).rejects.toBeInstanceOf(
        FeishuValidationError,
      );
    },
  );

  it.each([
    ['no update_fields', { task: { summary: 's' } }, /update_fields must name at least one of summary/],
    ['empty update_fields', { task: {}, update_fields: [] }, /update_fields must name at least one/],
    ['a field patch cannot change', { update_fields: ['members'] }, /got \["members"\].*addMembers/],
  ])('refuses a patch with %s, naming what it may change', async (_what, body, message) => {
    const error = await client.tasks.patch(TASK_GUID, body as PatchTaskBody).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FeishuValidationError);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses to add or remove an empty list of members', async () => {
    await expect(client.tasks.addMembers(TASK_GUID, { members: [] })).rejects.toThrow(
      'members must list at least one member.',
    );
    await expect(client.tasks.removeMembers(TASK_GUID, { members: [] })).rejects.toThrow(
      'members must list at least one member.',
    );
  });
});

describe('patch', () => {
  it('sends PATCH with the body as given and answers the task as Feishu returns it', async () => {
    const patched = task({ summary: 'Renamed', description: 'Q3', due: { timestamp: '1735776000000' } });
    const fake = new FakeFeishuFetch().on('PATCH', taskPath(), ok({ task: patched }));
    const body: PatchTaskBody = {
      task: { summary: 'Renamed', due: { timestamp: '1735776000000', is_all_day: false } },
      update_fields: ['summary', 'due', 'description'],
    };

    const result = await clientOn(fake).tasks.patch(TASK_GUID, body, { userIdType: 'union_id' });

    expect(result).toEqual(patched);
    const [request] = fake.requests;
    expect(request.method).toBe('PATCH');
    expect(request.url.searchParams.get('user_id_type')).toBe('union_id');
    expect(request.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(request.headers.get('authorization')).toBe('Bearer t-fixed-token');
    expect(json(request.body)).toEqual(body);
  });

  it.each([
    ['changes the summary', summaryPatch],
    ['reopens the task', { task: { completed_at: '0' }, update_fields: ['completed_at'] } as PatchTaskBody],
  ])('retries a patch that %s after HTTP 500 and a refused connection', async (_what, body) => {
    const fake = new FakeFeishuFetch().on(
      'PATCH',
      taskPath(),
      serverError(),
      connectionRefused(),
      ok({ task: task() }),
    );

    await clientOn(fake, { retry: { limit: 2 } }).tasks.patch(TASK_GUID, body);

    expect(fake.to(taskPath(), 'PATCH')).toHaveLength(3);
  });

  it('does not retry a patch that completes the task after HTTP 500 or a timeout: it may have landed', async () => {
    const failing = new FakeFeishuFetch().on('PATCH', taskPath(), serverError(), ok({ task: task() }));
    await expect(clientOn(failing).tasks.patch(TASK_GUID, completion)).rejects.toMatchObject({
      name: 'FeishuApiError',
      httpStatus: 500,
    });
    expect(failing.requests).toHaveLength(1);

    const silent = new FakeFeishuFetch().on('PATCH', taskPath(), HANG);
    const error = await clientOn(silent, { timeouts: { requestMs: 30 } })
      .tasks.patch(TASK_GUID, completion)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeishuTimeoutError);
    expect(silent.requests).toHaveLength(1);
  });

  it('retries a completion that was rate limited, since nothing was done', async () => {
    const fake = new FakeFeishuFetch().on(
      'PATCH',
      taskPath(),
      fail(429, FeishuErrorCode.RateLimited, 'request trigger frequency limit'),
      ok({ task: task({ status: 'done', completed_at: '1735689600000' }) }),
    );
    const retries: RetryInfo[] = [];

    const done = await clientOn(fake, { hooks: { beforeRetry: (info) => retries.push(info) } }).tasks.patch(
      TASK_GUID,
      completion,
    );

    expect(done.status).toBe('done');
    expect(retries.map((info) => [info.method, info.reason])).toEqual([['PATCH', 'rate_limited']]);
  });
});

describe('members', () => {
  const members = [
    { id: ALICE, type: 'user' as const, role: 'assignee' as const },
    { id: 'cli_other_app', type: 'app' as const, role: 'follower' as const },
  ];

  it.each([
    ['addMembers', 'add_members'],
    ['removeMembers', 'remove_members'],
  ] as const)('%s posts the members to …/%s and answers the task', async (method, action) => {
    const answered = task({ members: [{ id: ALICE, type: 'user', role: 'assignee' }] });
    const fake = new FakeFeishuFetch().on('POST', `${taskPath()}/${action}`, ok({ task: answered }));

    const result = await clientOn(fake).tasks[method](TASK_GUID, { members }, { userIdType: 'open_id' });

    expect(result).toEqual(answered);
    const [request] = fake.requests;
    expect(request.url.searchParams.get('user_id_type')).toBe('open_id');
    expect(json(request.body)).toEqual({ members });
  });

  it('sends the client_token of an add', async () => {
    const fake = new FakeFeishuFetch().on('POST', `${taskPath()}/add_members`, ok({ task: task() }));

    await clientOn(fake).tasks.addMembers(TASK_GUID, { members, client_token: 'add-alice-0001' });

    expect(json(fake.requests[0].body)).toEqual({ members, client_token: 'add-alice-0001' });
  });

  it.each(['add_members', 'remove_members'] as const)(
    'retries %s after HTTP 500: Feishu ignores a member already added or already gone',
    async (action) => {
      const fake = new FakeFeishuFetch().on(
        'POST',
        `${taskPath()}/${action}`,
        serverError(),
        ok({ task: task() }),
      );
      const client = clientOn(fake);

      await (action === 'add_members'
        ? client.tasks.addMembers(TASK_GUID, { members })
        : client.tasks.removeMembers(TASK_GUID, { members }));

      expect(fake.requests).toHaveLength(2);
    },
  );
});

describe('listing tasks', () => {
  const page = (summaries: string[], next?: string) =>
    ok({
      items: summaries.map((summary) => task({ summary })),
      has_more: next !== undefined,
      ...(next ? { page_token: next } : {}),
    });

  it("sends the filters and the call's user token, and follows page_token while has_more", async () => {
    const fake = new FakeFeishuFetch().on('GET', TASKS_PATH, page(['a', 'b'], 'p2'), page(['c']));

    const summaries: string[] = [];
    for await (const item of clientOn(fake).tasks.listAll(
      { pageSize: 2, completed: false, type: 'my_tasks', userIdType: 'user_id' },
      { userAccessToken: USER_TOKEN },
    ))
      summaries.push(item.summary);

    expect(summaries).toEqual(['a', 'b', 'c']);
    expect(fake.requests.map((request) => Object.fromEntries(request.url.searchParams))).toEqual([
      { page_size: '2', completed: 'false', type: 'my_tasks', user_id_type: 'user_id' },
      { page_size: '2', completed: 'false', type: 'my_tasks', user_id_type: 'user_id', page_token: 'p2' },
    ]);
    for (const request of fake.requests)
      expect(request.headers.get('authorization')).toBe(`Bearer ${USER_TOKEN}`);
  });

  it('sends no filter it was not given, and hands over one page with its cursor', async () => {
    const fake = new FakeFeishuFetch().on('GET', TASKS_PATH, page(['a'], 'p2'));

    const first = await clientOn(fake).tasks.listPage({ completed: true });

    expect(first).toMatchObject({ has_more: true, page_token: 'p2', items: [{ summary: 'a' }] });
    expect(Object.fromEntries(fake.requests[0].url.searchParams)).toEqual({ completed: 'true' });
  });

  it("throws Feishu's refusal of a later page into the loop, after the items already yielded", async () => {
    const fake = new FakeFeishuFetch().on(
      'GET',
      TASKS_PATH,
      page(['a'], 'p2'),
      fail(400, FeishuErrorCode.InvalidUserAccessToken, 'Invalid access token for authorization.'),
    );

    const seen: Task[] = [];
    const loop = async () => {
      for await (const item of clientOn(fake).tasks.listAll({}, { userAccessToken: USER_TOKEN }))
        seen.push(item);
    };

    await expect(loop()).rejects.toMatchObject({ name: 'FeishuApiError', code: 99991668 });
    expect(seen.map((item) => item.summary)).toEqual(['a']);
  });
});
