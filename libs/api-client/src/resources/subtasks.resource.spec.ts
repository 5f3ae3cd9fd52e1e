import {
  FakeFeishuFetch,
  TASK_GUID,
  clientOn,
  fail,
  ok,
  task,
  taskPath,
} from '../../test/support/fake-feishu-fetch.js';
import { FeishuErrorCode, type Task } from '../index.js';

const SUBTASKS_PATH = `${taskPath()}/subtasks`;
const SUBTASK_GUID = '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d';
const subtask = (overrides: Record<string, unknown> = {}) =>
  task({ guid: SUBTASK_GUID, parent_task_guid: TASK_GUID, ...overrides });

describe('subtasks.create', () => {
  it('posts a task body under the parent and answers data.subtask', async () => {
    const fake = new FakeFeishuFetch().on(
      'POST',
      SUBTASKS_PATH,
      ok({ subtask: subtask({ summary: 'Draft' }) }),
    );
    const body = {
      summary: 'Draft',
      description: 'first pass',
      members: [{ id: 'ou_a', role: 'assignee' as const }],
    };

    const created = await clientOn(fake).tasks.subtasks.create(TASK_GUID, body, { userIdType: 'union_id' });

    expect(created).toMatchObject({ guid: SUBTASK_GUID, parent_task_guid: TASK_GUID, summary: 'Draft' });
    const [request] = fake.requests;
    expect(request.url.searchParams.get('user_id_type')).toBe('union_id');
    expect(JSON.parse(request.body.toString())).toEqual(body);
  });

  it('does not send a create again after HTTP 500: the first may have made the subtask', async () => {
    const fake = new FakeFeishuFetch().on(
      'POST',
      SUBTASKS_PATH,
      fail(500, FeishuErrorCode.ServerError, 'Internal server error, please retry.'),
      ok({ subtask: subtask() }),
    );

    await expect(clientOn(fake).tasks.subtasks.create(TASK_GUID, { summary: 's' })).rejects.toMatchObject({
      httpStatus: 500,
    });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('subtasks listing', () => {
  const page = (summaries: string[], next?: string) =>
    ok({
      items: summaries.map((summary) => subtask({ summary })),
      has_more: next !== undefined,
      ...(next ? { page_token: next } : {}),
    });

  it('follows page_token while has_more, keeping the other parameters, and yields every subtask in order', async () => {
    const fake = new FakeFeishuFetch().on('GET', SUBTASKS_PATH, page(['a', 'b'], 'p2'), page(['c']));

    const seen: Task[] = [];
    for await (const item of clientOn(fake).tasks.subtasks.listAll({ taskGuid: TASK_GUID, pageSize: 2 }))
      seen.push(item);

    expect(seen.map((item) => item.summary)).toEqual(['a', 'b', 'c']);
    expect(fake.requests.map((request) => Object.fromEntries(request.url.searchParams))).toEqual([
      { page_size: '2' },
      { page_size: '2', page_token: 'p2' },
    ]);
  });

  it('retries a page answered HTTP 500, as every GET is', async () => {
    const fake = new FakeFeishuFetch().on(
      'GET',
      SUBTASKS_PATH,
      fail(500, FeishuErrorCode.ServerError, 'Internal server error, please retry.'),
      page(['a']),
    );

    const first = await clientOn(fake).tasks.subtasks.listPage({ taskGuid: TASK_GUID });

    expect(first).toMatchObject({ has_more: false, items: [{ summary: 'a' }] });
    expect(fake.requests).toHaveLength(2);
  });

  it('throws an error on a later page into the loop, after the items already yielded', async () => {
    const fake = new FakeFeishuFetch().on(
      'GET',
      SUBTASKS_PATH,
      page(['a'], 'p2'),
      fail(404, FeishuErrorCode.NotFound, 'The task does not exist or has been deleted.'),
    );

    const seen: string[] = [];
    const loop = async () => {
      for await (const item of clientOn(fake).tasks.subtasks.listAll({ taskGuid: TASK_GUID }))
        seen.push(item.summary);
    };

    await expect(loop()).rejects.toMatchObject({ name: 'FeishuApiError', httpStatus: 404, code: 1470404 });
    expect(seen).toEqual(['a']);
  });
});
