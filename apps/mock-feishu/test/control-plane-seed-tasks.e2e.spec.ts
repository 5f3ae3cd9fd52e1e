import { randomUUID } from 'node:crypto';
import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';
import { dataOf, expectFeishuError, taskCalls } from './support/task-calls.js';

/** `POST /__mock/tasks` takes every task field in Feishu's spelling, so a test sets up a task in one call. */
describe('control plane: seeding tasks with every field', () => {
  let feishu: MockFeishuFixture;
  const seed = (json: unknown) => feishu.call('POST', '/__mock/tasks', { json });

  beforeAll(async () => {
    feishu = await createMockFeishu();
  });
  afterAll(() => feishu.close());
  beforeEach(() => feishu.reset());

  it('seeds the fields and members (users and apps) that task get then answers', async () => {
    const alice = await feishu.createUser('Alice');
    await feishu.call('POST', '/__mock/apps', { json: { app_id: 'cli_bot', app_secret: 'bot_secret' } });
    const fields = {
      due: { timestamp: '1767225600000', is_all_day: false },
      start: { timestamp: '1767139200000', is_all_day: false },
      completed_at: '1767200000000',
      extra: '{"ticket":"OPS-1"}',
      repeat_rule: 'FREQ=DAILY',
      custom_complete: { ios: { href: 'https://example.com/done' } },
      origin: { platform_i18n_name: { en_us: 'Ops desk' } },
      mode: 1,
      is_milestone: true,
      tasklists: [{ tasklist_guid: 'a1b2c3d4-0000-4000-8000-000000000001' }],
      custom_fields: [{ guid: 'c0ffee00-0000-4000-8000-000000000001', member_value: [{ id: 'ou_x' }] }],
    };

    const seeded = await seed({
      summary: 'Seeded',
      creator_open_id: alice.open_id,
      members: [
        { open_id: alice.open_id, role: 'assignee' },
        { app_id: 'cli_bot', role: 'follower' },
      ],
      reminders: [{ relative_fire_minute: 10 }],
      ...fields,
    });
    expect(seeded.status).toBe(201);

    const task = dataOf(
      await taskCalls(feishu).get(await feishu.userToken(alice.open_id), seeded.body.task_guid),
    ).task;
    expect(task).toMatchObject({
      ...fields,
      custom_fields: [{ guid: fields.custom_fields[0].guid, member_value: [{ id: 'ou_x', type: 'user' }] }],
      summary: 'Seeded',
      status: 'done',
      creator: { id: alice.open_id, type: 'user', role: 'creator' },
      members: [
        { id: alice.open_id, type: 'user', role: 'assignee' },
        { id: 'cli_bot', type: 'app', role: 'follower' },
      ],
      reminders: [{ relative_fire_minute: 10 }],
    });
  });

  it('seeds a subtask under parent_task_guid', async () => {
    const parent = (await seed({ summary: 'Parent' })).body.task_guid;

    const child = await seed({ summary: 'Child', parent_task_guid: parent });

    const token = await feishu.tenantToken();
    expect(dataOf(await taskCalls(feishu).get(token, child.body.task_guid)).task.parent_task_guid).toBe(
      parent,
    );
    expect(dataOf(await taskCalls(feishu).listSubtasks(token, parent)).items).toHaveLength(1);
  });

  it.each([
    ['a reminder without a due time', { reminders: [{ relative_fire_minute: 5 }] }, /'reminders'/],
    ['a start after the due time', { due: { timestamp: '5' }, start: { timestamp: '6' } }, /'start'/],
    [
      'a member with open_id and app_id',
      { members: [{ open_id: 'ou_x', app_id: 'cli_x', role: 'assignee' }] },
      /members/,
    ],
    ['completed_at that is not digits', { completed_at: 'yesterday' }, /completed_at/],
    ['mode 3', { mode: 3 }, /mode/],
    [
      'two reminders',
      { due: { timestamp: '5' }, reminders: [{ relative_fire_minute: 1 }, { relative_fire_minute: 2 }] },
      /reminders/,
    ],
    ['a blank summary', { summary: '   ' }, /summary/],
  ])('refuses %s with 400/1470400, storing nothing', async (_what, fields, msg) => {
    expectFeishuError(await seed({ summary: 'Refused', ...fields }), 400, 1470400, msg);
    expect(await feishu.seeder.counts()).toEqual({ tasks: 0, attachments: 0 });
  });

  it('refuses a parent_task_guid that names no task with 404/1470404', async () => {
    expectFeishuError(await seed({ summary: 'Orphan', parent_task_guid: randomUUID() }), 404, 1470404);
  });
});
