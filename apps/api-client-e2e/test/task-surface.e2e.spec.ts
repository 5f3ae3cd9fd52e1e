import { FeishuApiError, FeishuErrorCode, type Task } from '@feishu-attachments/api-client';
import { startEmulator, type Emulator } from './support/emulator';

const serverError = {
  status: 500,
  code: FeishuErrorCode.ServerError,
  msg: 'Internal server error, please retry.',
};

const collect = async (tasks: AsyncIterable<Task>) => {
  const all: Task[] = [];
  for await (const task of tasks) all.push(task);
  return all;
};

describe('the task surface against the emulator', () => {
  let feishu: Emulator;
  let taskGuid: string;

  beforeAll(async () => {
    feishu = await startEmulator();
  });
  afterAll(() => feishu.close());
  beforeEach(async () => {
    await feishu.reset();
    taskGuid = await feishu.seeder.createTask({ summary: 'Quarterly report' });
  });

  const statuses = async (operation: string) =>
    (await feishu.journal({ operation })).map((entry) => [entry.status, entry.code]);

  it('retries a patch that renames the task after a 1470500, and the emulator holds the new name', async () => {
    await feishu.fault({ operation: 'task.patch', times: 1, error: serverError });
    const client = feishu.client();

    await client.tasks.patch(taskGuid, { task: { summary: 'Renamed' }, update_fields: ['summary'] });

    expect(await statuses('task.patch')).toEqual([
      [500, 1470500],
      [200, 0],
    ]);
    expect((await client.tasks.get(taskGuid)).summary).toBe('Renamed');
  });

  it('does not send a completion again after a 1470500, and a second completion is refused', async () => {
    const client = feishu.client();
    const completion = {
      task: { completed_at: String(Date.now()) },
      update_fields: ['completed_at' as const],
    };
    await feishu.fault({ operation: 'task.patch', times: 1, error: serverError });

    await expect(client.tasks.patch(taskGuid, completion)).rejects.toMatchObject({ httpStatus: 500 });
    expect(await statuses('task.patch')).toEqual([[500, 1470500]]);

    // Why it must not be retried: once a completion has landed, the same call is refused.
    await client.tasks.patch(taskGuid, completion);
    const again = await client.tasks.patch(taskGuid, completion).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(FeishuApiError);
    expect(again).toMatchObject({ httpStatus: 400, code: FeishuErrorCode.InvalidParam });
  });

  it('retries add_members after a 1470500 without adding the member twice', async () => {
    const alice = await feishu.createUser('Alice');
    await feishu.fault({ operation: 'task.addMembers', times: 1, error: serverError });

    const task = await feishu
      .client()
      .tasks.addMembers(taskGuid, { members: [{ id: alice.open_id, type: 'user', role: 'assignee' }] });

    expect(task.members).toEqual([{ id: alice.open_id, type: 'user', role: 'assignee' }]);
    expect(await statuses('task.addMembers')).toEqual([
      [500, 1470500],
      [200, 0],
    ]);
  });

  it("lists a user's tasks page by page with their token, and the app's tenant token is refused", async () => {
    const alice = await feishu.createUser('Alice');
    const client = feishu.client();
    for (const summary of ['first', 'second', 'third']) {
      const task = await client.tasks.create({ summary });
      await client.tasks.addMembers(task.guid, { members: [{ id: alice.open_id, role: 'assignee' }] });
    }
    const userAccessToken = await feishu.userToken(alice.open_id);

    const mine = await collect(client.tasks.listAll({ pageSize: 2 }, { userAccessToken }));

    expect(mine.map((task) => task.summary).sort()).toEqual(['first', 'second', 'third']);
    expect(await feishu.journal({ operation: 'task.list' })).toHaveLength(2);
    const refused = await client.tasks.listPage().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FeishuApiError);
    expect((refused as FeishuApiError).httpStatus).toBeGreaterThanOrEqual(400);
  });

  it('creates subtasks under a task and lists them all, page by page', async () => {
    const client = feishu.client();
    for (const summary of ['a', 'b', 'c']) await client.tasks.subtasks.create(taskGuid, { summary });

    const subtasks = await collect(client.tasks.subtasks.listAll({ taskGuid, pageSize: 2 }));

    expect(subtasks.map((subtask) => [subtask.summary, subtask.parent_task_guid])).toEqual([
      ['a', taskGuid],
      ['b', taskGuid],
      ['c', taskGuid],
    ]);
    expect(await feishu.journal({ operation: 'subtask.list' })).toHaveLength(2);
  });
});
