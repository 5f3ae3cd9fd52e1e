import { randomUUID } from 'node:crypto';
import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';
import { allPages, dataOf, expectFeishuError, taskCalls } from './support/task-calls.js';

/** Feishu's task.v2.taskSubtask (task-v2/task-subtask/create, list): a subtask is a task with a parent. */
describe('subtasks', () => {
  let feishu: MockFeishuFixture;
  let token: string;
  let parent: string;
  const tasks = () => taskCalls(feishu);

  beforeAll(async () => {
    feishu = await createMockFeishu({ rateLimits: false });
  });
  afterAll(() => feishu.close());
  beforeEach(async () => {
    await feishu.reset();
    token = await feishu.tenantToken();
    parent = dataOf(await tasks().create(token, { summary: 'Quarterly report' })).task.guid;
  });

  const createSubtask = async (summary: string, under = parent) =>
    dataOf(await tasks().createSubtask(token, under, { summary })).subtask;

  it('creates a subtask answered as data.subtask, with parent_task_guid, and counts it on the parent', async () => {
    const result = await tasks().createSubtask(token, parent, {
      summary: 'Collect the figures',
      due: { timestamp: '1767225600000' },
      reminders: [{ relative_fire_minute: 15 }],
    });

    const data = dataOf(result);
    expect(Object.keys(data)).toEqual(['subtask']);
    expect(data.subtask).toMatchObject({
      summary: 'Collect the figures',
      parent_task_guid: parent,
      creator: { id: 'cli_mock_app', type: 'app', role: 'creator' },
      due: { timestamp: '1767225600000', is_all_day: false },
      reminders: [{ id: expect.any(String), relative_fire_minute: 15 }],
      subtask_count: 0,
      status: 'todo',
    });
    expect(dataOf(await tasks().get(token, parent)).task).toMatchObject({ subtask_count: 1 });
    expect(dataOf(await tasks().get(token, parent)).task).not.toHaveProperty('parent_task_guid');
  });

  it('lists the subtasks of a task, oldest first, paged, and not the subtasks of its subtasks', async () => {
    const children = [];
    for (const summary of ['one', 'two', 'three']) children.push((await createSubtask(summary)).guid);
    await createSubtask('grandchild', children[0]);

    const listed = await allPages((pageToken) =>
      tasks().listSubtasks(token, parent, { page_size: 2, page_token: pageToken }),
    );

    expect(listed).toEqual({ guids: children, pages: 2 });
    expect(dataOf(await tasks().listSubtasks(token, children[0])).items).toEqual([
      expect.objectContaining({ summary: 'grandchild', parent_task_guid: children[0] }),
    ]);
  });

  it('treats a subtask as a task: attachments, members, get, patch and delete work on it', async () => {
    const subtask = (await createSubtask('Collect the figures')).guid;
    const bob = await feishu.createUser('Bob');

    const uploaded = dataOf(await feishu.upload(token, subtask, [{ name: 'figures.csv', content: 'q3' }]));
    await tasks().addMembers(token, subtask, { members: [{ id: bob.open_id, role: 'follower' }] });
    const listedByBob = dataOf(await tasks().listAttachments(await feishu.userToken(bob.open_id), subtask));
    const patched = dataOf(
      await tasks().patch(token, subtask, {
        task: { completed_at: '1767200000000' },
        update_fields: ['completed_at'],
      }),
    ).task;

    expect(uploaded.items[0].resource).toEqual({ type: 'task', id: subtask });
    expect(listedByBob.items.map((item: { name: string }) => item.name)).toEqual(['figures.csv']);
    expect(patched).toMatchObject({ status: 'done', parent_task_guid: parent });
    expect(dataOf(await tasks().remove(token, subtask))).toEqual({});
    expect(dataOf(await tasks().get(token, parent)).task.subtask_count).toBe(0);
  });

  it('deletes the subtasks, their subtasks and their attachments with the parent', async () => {
    const child = (await createSubtask('child')).guid;
    const grandchild = (await createSubtask('grandchild', child)).guid;
    const attachment = dataOf(await feishu.upload(token, grandchild, [{ name: 'deep.txt', content: 'd' }]))
      .items[0];

    expect(dataOf(await tasks().remove(token, parent))).toEqual({});

    for (const gone of [child, grandchild]) expectFeishuError(await tasks().get(token, gone), 404, 1470404);
    expectFeishuError(
      await feishu.call('GET', `/open-apis/task/v2/attachments/${attachment.guid}`, { token }),
      404,
      1470404,
    );
    expect(await feishu.seeder.counts()).toEqual({ tasks: 0, attachments: 0 });
  });

  it('needs edit permission on the parent to create one, and read permission to list them (403/1470403)', async () => {
    const bob = await feishu.createUser('Bob');
    const bobToken = await feishu.userToken(bob.open_id);
    await createSubtask('existing');

    expectFeishuError(await tasks().createSubtask(bobToken, parent, { summary: 'by Bob' }), 403, 1470403);
    expectFeishuError(await tasks().listSubtasks(bobToken, parent), 403, 1470403);

    await tasks().addMembers(token, parent, { members: [{ id: bob.open_id, role: 'follower' }] });
    expect(dataOf(await tasks().listSubtasks(bobToken, parent)).items).toHaveLength(1);
    expectFeishuError(await tasks().createSubtask(bobToken, parent, { summary: 'by Bob' }), 403, 1470403);
  });

  it("grants nothing on a subtask through the parent's members: its own creator and members decide (assumed)", async () => {
    const bob = await feishu.createUser('Bob');
    const bobToken = await feishu.userToken(bob.open_id);
    await tasks().addMembers(token, parent, { members: [{ id: bob.open_id, role: 'assignee' }] });
    const appsSubtask = (await createSubtask('the app’s')).guid;
    const bobsSubtask = dataOf(await tasks().createSubtask(bobToken, parent, { summary: 'Bob’s' })).subtask;

    expectFeishuError(await tasks().get(bobToken, appsSubtask), 403, 1470403);
    expect(bobsSubtask.creator).toEqual({ id: bob.open_id, type: 'user', role: 'creator' });
    expect(dataOf(await tasks().get(bobToken, bobsSubtask.guid)).task.summary).toBe('Bob’s');
  });

  it('answers the same subtask to a repeated client_token', async () => {
    const body = { summary: 'once', client_token: 'subtask-token-1' };
    const first = dataOf(await tasks().createSubtask(token, parent, body)).subtask;
    const again = dataOf(await tasks().createSubtask(token, parent, body)).subtask;

    expect(again.guid).toBe(first.guid);
    expect(dataOf(await tasks().get(token, parent)).task.subtask_count).toBe(1);
  });

  it('answers an unknown parent 404/1470404, a malformed one 400/1470400, and a bad body 400/1470400', async () => {
    expectFeishuError(await tasks().createSubtask(token, randomUUID(), { summary: 'orphan' }), 404, 1470404);
    expectFeishuError(await tasks().listSubtasks(token, randomUUID()), 404, 1470404);
    expectFeishuError(await tasks().listSubtasks(token, 'not-a-guid'), 400, 1470400, /'task_guid'/);
    expectFeishuError(
      await tasks().createSubtask(token, parent, { summary: ' ' }),
      400,
      1470400,
      /'summary'/,
    );
  });
});
