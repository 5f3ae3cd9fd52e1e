import * as lark from '@larksuiteoapi/node-sdk';
import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';

/**
 * The official SDK as a user sets it up for the seeded app, logging silenced, with a token cache of
 * its own: the SDK's default cache is one per process, where another spec's emulator (reset here
 * between tests) would have left a tenant token this one never issued.
 */
function sdkClient(feishu: MockFeishuFixture): lark.Client {
  const quiet = () => undefined;
  const cache = new Map<string, unknown>();
  return new lark.Client({
    appId: feishu.app.appId,
    appSecret: feishu.app.appSecret,
    domain: feishu.url,
    loggerLevel: lark.LoggerLevel.error,
    logger: { error: quiet, warn: quiet, info: quiet, debug: quiet, trace: quiet },
    cache: {
      set: async (key, value, _expire, options) => {
        cache.set(`${options?.namespace ?? ''}|${String(key)}`, value);
        return true;
      },
      get: async (key, options) => cache.get(`${options?.namespace ?? ''}|${String(key)}`),
    },
  });
}

/** Feishu's answer carried by an error the SDK throws for a non-2xx call. */
async function refusal(call: Promise<unknown>): Promise<{ status?: number; code?: number }> {
  return call.then(
    () => ({}),
    (error: { response?: { status: number; data: { code: number } } }) => ({
      status: error.response?.status,
      code: error.response?.data.code,
    }),
  );
}

/**
 * The official node SDK's task surface, unchanged, against the emulator: `task.v2.task.create`
 * (every field it models), `get`, `patch`, `delete`, `list` (user token), `addMembers`,
 * `removeMembers`, and `task.v2.taskSubtask.create` and `list`.
 */
describe('the official Lark SDK: the task surface', () => {
  let feishu: MockFeishuFixture;
  let client: lark.Client;
  let alice: { open_id: string };
  let asAlice: ReturnType<typeof lark.withUserAccessToken>;

  beforeAll(async () => {
    feishu = await createMockFeishu({ rateLimits: false });
  });
  afterAll(() => feishu.close());
  beforeEach(async () => {
    await feishu.reset();
    client = sdkClient(feishu);
    alice = await feishu.createUser('Alice');
    asAlice = lark.withUserAccessToken(await feishu.userToken(alice.open_id));
  });

  const newTask = async (summary: string) =>
    (await client.task.v2.task.create({ data: { summary } })).data?.task?.guid as string;

  it('creates a task with every field it models, and gets it back the same', async () => {
    const created = await client.task.v2.task.create({
      params: { user_id_type: 'open_id' },
      data: {
        summary: 'Prepare the quarterly report',
        description: 'Figures for Q3',
        due: { timestamp: '1767225600000', is_all_day: false },
        start: { timestamp: '1767139200000', is_all_day: false },
        origin: {
          platform_i18n_name: { en_us: 'Ops desk' },
          href: { url: 'https://example.com/1', title: 'OPS-1' },
        },
        extra: '{"ticket":"OPS-1"}',
        completed_at: '0',
        members: [{ id: alice.open_id, type: 'user', role: 'assignee' }],
        repeat_rule: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO',
        custom_complete: { pc: { href: 'https://example.com/done', tip: { en_us: 'Close it first' } } },
        tasklists: [{ tasklist_guid: 'a1b2c3d4-0000-4000-8000-000000000001' }],
        client_token: 'sdk-create-0001',
        reminders: [{ relative_fire_minute: 30 }],
        mode: 2,
        is_milestone: true,
        custom_fields: [{ guid: 'c0ffee00-0000-4000-8000-000000000001', text_value: 'urgent' }],
      },
    });

    expect(created.code).toBe(0);
    const task = created.data?.task;
    expect(task).toMatchObject({
      summary: 'Prepare the quarterly report',
      description: 'Figures for Q3',
      due: { timestamp: '1767225600000', is_all_day: false },
      start: { timestamp: '1767139200000', is_all_day: false },
      origin: {
        platform_i18n_name: { en_us: 'Ops desk' },
        href: { url: 'https://example.com/1', title: 'OPS-1' },
      },
      extra: '{"ticket":"OPS-1"}',
      completed_at: '0',
      status: 'todo',
      members: [{ id: alice.open_id, type: 'user', role: 'assignee' }],
      repeat_rule: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO',
      custom_complete: { pc: { href: 'https://example.com/done', tip: { en_us: 'Close it first' } } },
      tasklists: [{ tasklist_guid: 'a1b2c3d4-0000-4000-8000-000000000001' }],
      reminders: [{ relative_fire_minute: 30 }],
      mode: 2,
      is_milestone: true,
      custom_fields: [{ guid: 'c0ffee00-0000-4000-8000-000000000001', text_value: 'urgent' }],
      creator: { id: 'cli_mock_app', type: 'app', role: 'creator' },
      subtask_count: 0,
    });
    const got = await client.task.v2.task.get({ path: { task_guid: task?.guid as string } });
    expect(got.code).toBe(0);
    expect(got.data?.task).toEqual(task);
  });

  it('patches the fields named in update_fields, completes the task, and deletes it', async () => {
    const guid = await newTask('Draft');

    const renamed = await client.task.v2.task.patch({
      path: { task_guid: guid },
      data: { task: { summary: 'Final', extra: 'x' }, update_fields: ['summary', 'extra'] },
    });
    const completed = await client.task.v2.task.patch({
      path: { task_guid: guid },
      data: { task: { completed_at: '1767200000000' }, update_fields: ['completed_at'] },
    });
    const deleted = await client.task.v2.task.delete({ path: { task_guid: guid } });

    expect(renamed.data?.task).toMatchObject({ summary: 'Final', extra: 'x', status: 'todo' });
    expect(completed.data?.task).toMatchObject({
      summary: 'Final',
      status: 'done',
      completed_at: '1767200000000',
    });
    expect(deleted).toMatchObject({ code: 0, data: {} });
    expect(await refusal(client.task.v2.task.get({ path: { task_guid: guid } }))).toEqual({
      status: 404,
      code: 1470404,
    });
  });

  it("lists the user's tasks with a user token, page by page, and refuses the tenant token 99991663", async () => {
    const guids = [];
    for (const summary of ['one', 'two', 'three']) {
      const guid = await newTask(summary);
      await client.task.v2.task.addMembers({
        path: { task_guid: guid },
        data: { members: [{ id: alice.open_id, type: 'user', role: 'assignee' }] },
      });
      guids.push(guid);
    }

    const firstPage = await client.task.v2.task.list({ params: { page_size: 2, type: 'my_tasks' } }, asAlice);
    const listed: string[] = [];
    for await (const page of await client.task.v2.task.listWithIterator(
      { params: { page_size: 2 } },
      asAlice,
    )) {
      listed.push(...(page?.items ?? []).map((task) => task.guid as string));
    }

    expect(firstPage.data).toMatchObject({ has_more: true, page_token: expect.any(String) });
    expect(firstPage.data?.items?.map((task) => task.guid)).toEqual(guids.slice(0, 2));
    expect(listed).toEqual(guids);
    expect(await refusal(client.task.v2.task.list({ params: {} }))).toEqual({ status: 400, code: 99991663 });
  });

  it('adds a follower, who then lists the attachments, and removes them, who then gets 1470403', async () => {
    const { taskGuid } = await feishu.seeder.createTaskWithAttachments({
      summary: 'Shared',
      attachments: [{ name: 'figures.csv', content: 'q3' }],
    });
    const follower = { id: alice.open_id, type: 'user', role: 'follower' };
    const listAsAlice = () =>
      client.task.v2.attachment.list({ params: { resource_type: 'task', resource_id: taskGuid } }, asAlice);

    const added = await client.task.v2.task.addMembers({
      path: { task_guid: taskGuid },
      params: { user_id_type: 'open_id' },
      data: { members: [follower] },
    });
    const listed = await listAsAlice();
    const removed = await client.task.v2.task.removeMembers({
      path: { task_guid: taskGuid },
      data: { members: [follower] },
    });

    expect(added.data?.task?.members).toEqual([follower]);
    expect(listed.data?.items?.map((item) => item.name)).toEqual(['figures.csv']);
    expect(removed.data?.task?.members).toEqual([]);
    expect(await refusal(listAsAlice())).toEqual({ status: 403, code: 1470403 });
  });

  it('creates subtasks under a task and lists them, paged', async () => {
    const parent = await newTask('Parent');

    const created = await client.task.v2.taskSubtask.create({
      path: { task_guid: parent },
      data: { summary: 'Child one', client_token: 'sdk-subtask-0001' },
    });
    await client.task.v2.taskSubtask.create({ path: { task_guid: parent }, data: { summary: 'Child two' } });
    const firstPage = await client.task.v2.taskSubtask.list({
      path: { task_guid: parent },
      params: { page_size: 1 },
    });
    const all: string[] = [];
    for await (const page of await client.task.v2.taskSubtask.listWithIterator({
      path: { task_guid: parent },
      params: { page_size: 1 },
    })) {
      all.push(...(page?.items ?? []).map((task) => task.summary as string));
    }

    expect(created.code).toBe(0);
    expect(created.data?.subtask).toMatchObject({ summary: 'Child one', parent_task_guid: parent });
    expect(firstPage.data).toMatchObject({ has_more: true, items: [{ summary: 'Child one' }] });
    expect(all).toEqual(['Child one', 'Child two']);
    expect((await client.task.v2.task.get({ path: { task_guid: parent } })).data?.task?.subtask_count).toBe(
      2,
    );
  });
});
