import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';
import { dataOf, expectFeishuError, taskCalls } from './support/task-calls.js';

/** Every field of Feishu's task input the SDKs model (oapi-sdk-go `InputTask`), set. */
const EVERY_FIELD = {
  summary: 'Prepare the quarterly report',
  description: 'Figures for Q3, checked by finance',
  due: { timestamp: '1767225600000', is_all_day: false },
  start: { timestamp: '1767139200000', is_all_day: true },
  reminders: [{ relative_fire_minute: 30 }],
  extra: '{"ticket":"OPS-1"}',
  repeat_rule: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO',
  mode: 1,
  is_milestone: true,
  origin: {
    platform_i18n_name: { en_us: 'Ops desk', zh_cn: '运维台' },
    href: { url: 'https://example.com/tickets/1', title: 'OPS-1' },
  },
  custom_complete: {
    pc: { href: 'https://example.com/done', tip: { en_us: 'Close the ticket first' } },
    android: { tip: { zh_cn: '先关闭工单' } },
  },
  tasklists: [
    {
      tasklist_guid: 'a1b2c3d4-0000-4000-8000-000000000001',
      section_guid: 'a1b2c3d4-0000-4000-8000-000000000002',
    },
  ],
  custom_fields: [
    { guid: 'c0ffee00-0000-4000-8000-000000000001', number_value: '10.5' },
    { guid: 'c0ffee00-0000-4000-8000-000000000002', multi_select_value: ['red', 'blue'] },
  ],
  completed_at: '1767200000000',
  client_token: 'quarterly-0001',
};

describe('task create and get: every field the SDKs model (task-v2/task/create)', () => {
  let feishu: MockFeishuFixture;
  let token: string;
  let alice: { open_id: string; union_id: string; user_id: string };
  const tasks = () => taskCalls(feishu);

  beforeAll(async () => {
    feishu = await createMockFeishu({ rateLimits: false });
  });
  afterAll(() => feishu.close());
  beforeEach(async () => {
    await feishu.reset();
    alice = await feishu.createUser('Alice');
    token = await feishu.tenantToken();
  });

  it('stores every field and answers it back on create and on get, status following completed_at', async () => {
    const created = dataOf(
      await tasks().create(token, {
        ...EVERY_FIELD,
        members: [{ id: alice.open_id, type: 'user', role: 'assignee' }],
      }),
    ).task;

    expect(created).toEqual({
      guid: expect.any(String),
      task_id: 't100001',
      summary: EVERY_FIELD.summary,
      description: EVERY_FIELD.description,
      creator: { id: 'cli_mock_app', type: 'app', role: 'creator' },
      members: [{ id: alice.open_id, type: 'user', role: 'assignee' }],
      attachments: [],
      status: 'done',
      completed_at: '1767200000000',
      created_at: expect.stringMatching(/^\d{13}$/),
      updated_at: expect.stringMatching(/^\d{13}$/),
      url: expect.stringContaining('https://applink.feishu.cn/client/todo/detail?guid='),
      subtask_count: 0,
      due: EVERY_FIELD.due,
      start: EVERY_FIELD.start,
      reminders: [{ id: expect.any(String), relative_fire_minute: 30 }],
      extra: EVERY_FIELD.extra,
      repeat_rule: EVERY_FIELD.repeat_rule,
      mode: 1,
      is_milestone: true,
      origin: EVERY_FIELD.origin,
      custom_complete: EVERY_FIELD.custom_complete,
      tasklists: EVERY_FIELD.tasklists,
      custom_fields: EVERY_FIELD.custom_fields,
    });
    expect(dataOf(await tasks().get(token, created.guid)).task).toEqual(created);
  });

  it('leaves unset fields out, writes is_all_day when a time leaves it out, and ignores fields it does not model', async () => {
    const created = dataOf(
      await tasks().create(token, {
        summary: 'Lean',
        due: { timestamp: '1767225600000' },
        docx_source: { token: 'doxcn', block_id: 'b' },
        positive_reminders: [{ relative_fire_minute: 5 }],
      }),
    ).task;

    expect(Object.keys(created).sort()).toEqual(
      [
        'attachments',
        'completed_at',
        'created_at',
        'creator',
        'description',
        'due',
        'guid',
        'members',
        'status',
        'subtask_count',
        'summary',
        'task_id',
        'updated_at',
        'url',
      ].sort(),
    );
    expect(created).toMatchObject({ status: 'todo', completed_at: '0', description: '' });
    expect(created.due).toEqual({ timestamp: '1767225600000', is_all_day: false });
  });

  it('reads member ids in user_id_type and answers them in it', async () => {
    const created = dataOf(
      await tasks().create(
        token,
        { summary: 'by union id', members: [{ id: alice.union_id, role: 'follower' }] },
        { user_id_type: 'union_id' },
      ),
    ).task;

    expect(created.members).toEqual([{ id: alice.union_id, type: 'user', role: 'follower' }]);
    expect(dataOf(await tasks().get(token, created.guid)).task.members).toEqual([
      { id: alice.open_id, type: 'user', role: 'follower' },
    ]);
  });

  it('answers the same task to a repeated client_token, and a new one to another caller with that token', async () => {
    const first = dataOf(
      await tasks().create(token, { summary: 'once', client_token: 'retry-token-1' }),
    ).task;
    const again = dataOf(
      await tasks().create(token, { summary: 'twice?', client_token: 'retry-token-1' }),
    ).task;
    const userToken = await feishu.userToken(alice.open_id);
    const theirs = dataOf(
      await tasks().create(userToken, { summary: 'theirs', client_token: 'retry-token-1' }),
    ).task;

    expect(again).toEqual(first);
    expect(again.summary).toBe('once');
    expect(theirs.guid).not.toBe(first.guid);
    expect((await feishu.seeder.counts()).tasks).toBe(2);
  });

  describe('documented limits: each refused with 400/1470400 naming the field', () => {
    it.each([
      ['description over 3000 characters', { description: 'd'.repeat(3001) }, /'description'.*3000/],
      ['extra over 65536 characters', { extra: 'e'.repeat(65537) }, /'extra'.*65536/],
      ['client_token under 10 characters', { client_token: 'a'.repeat(9) }, /'client_token'.*10 to 100/],
      ['client_token over 100 characters', { client_token: 'a'.repeat(101) }, /'client_token'.*10 to 100/],
      ['a reminder without a due time', { reminders: [{ relative_fire_minute: 5 }] }, /'reminders'.*due/],
      [
        'two reminders',
        {
          due: { timestamp: '1767225600000' },
          reminders: [{ relative_fire_minute: 5 }, { relative_fire_minute: 9 }],
        },
        /'reminders'/,
      ],
      [
        'a start after the due time',
        { due: { timestamp: '1767225600000' }, start: { timestamp: '1767225600001' } },
        /'start'/,
      ],
      ['a due time that is not milliseconds', { due: { timestamp: '2026-01-01' } }, /'due.timestamp'/],
      ['completed_at that is not milliseconds', { completed_at: 1767200000000 }, /'completed_at'/],
      ['mode 3', { mode: 3 }, /'mode'/],
      [
        'a tasklist guid that is not a GUID',
        { tasklists: [{ tasklist_guid: 'inbox' }] },
        /'tasklists.tasklist_guid'/,
      ],
    ])('%s', async (_what, fields, msg) => {
      expectFeishuError(await tasks().create(token, { summary: 'limits', ...fields }), 400, 1470400, msg);
    });

    it('accepts exactly 3000 characters of description, 65536 of extra and client tokens of 10 and 100', async () => {
      for (const fields of [
        { description: 'd'.repeat(3000), extra: 'e'.repeat(65536), client_token: 'a'.repeat(10) },
        { client_token: 'b'.repeat(100) },
      ]) {
        expect(dataOf(await tasks().create(token, { summary: 'at the limit', ...fields })).task.summary).toBe(
          'at the limit',
        );
      }
    });

    it('counts members after removing duplicates: 50 distinct (one named twice) pass, 51 do not', async () => {
      const users = [];
      for (let index = 0; index < 51; index++) users.push(await feishu.createUser(`Member ${index}`));
      const members = users.map((user) => ({ id: user.open_id, type: 'user', role: 'follower' }));

      const fifty = await tasks().create(token, {
        summary: 'fifty',
        members: [...members.slice(0, 50), members[0]],
      });
      const fiftyOne = await tasks().create(token, { summary: 'fifty-one', members });

      expect(dataOf(fifty).task.members).toHaveLength(50);
      expectFeishuError(fiftyOne, 400, 1470400, /'members'.*50/);
    });
  });
});
