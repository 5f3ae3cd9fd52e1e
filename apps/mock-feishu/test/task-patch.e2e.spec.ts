import { randomUUID } from 'node:crypto';
import { createMockFeishu, type MockFeishuFixture } from './support/mock-feishu.fixture.js';
import { dataOf, expectFeishuError, taskCalls } from './support/task-calls.js';

/** Feishu's patch (task-v2/task/patch): `update_fields` names what changes; named but absent clears it. */
describe('task patch', () => {
  let feishu: MockFeishuFixture;
  let token: string;
  let guid: string;
  const tasks = () => taskCalls(feishu);
  const patch = (body: unknown) => tasks().patch(token, guid, body);

  beforeAll(async () => {
    feishu = await createMockFeishu({ rateLimits: false });
  });
  afterAll(() => feishu.close());
  beforeEach(async () => {
    await feishu.reset();
    token = await feishu.tenantToken();
    guid = dataOf(
      await tasks().create(token, {
        summary: 'Prepare the report',
        description: 'Figures for Q3',
        due: { timestamp: '1767225600000', is_all_day: false },
        extra: 'kept',
        mode: 2,
      }),
    ).task.guid;
  });

  it('changes the fields it names to the values given, and leaves the others alone', async () => {
    const task = dataOf(
      await patch({
        task: {
          summary: 'Prepare the final report',
          start: { timestamp: '1767139200000' },
          is_milestone: true,
        },
        update_fields: ['summary', 'start', 'is_milestone'],
      }),
    ).task;

    expect(task).toMatchObject({
      summary: 'Prepare the final report',
      description: 'Figures for Q3',
      start: { timestamp: '1767139200000', is_all_day: false },
      due: { timestamp: '1767225600000', is_all_day: false },
      is_milestone: true,
      extra: 'kept',
      mode: 2,
    });
    expect(dataOf(await tasks().get(token, guid)).task).toEqual(task);
  });

  it('clears a field named in update_fields but absent from task', async () => {
    const task = dataOf(
      await patch({
        task: { summary: 'Renamed' },
        update_fields: ['summary', 'description', 'due', 'extra', 'mode'],
      }),
    ).task;

    expect(task).toMatchObject({ summary: 'Renamed', description: '' });
    for (const cleared of ['due', 'extra', 'mode']) expect(task).not.toHaveProperty(cleared);
  });

  it('completes a task with completed_at, refuses to complete it again, and reopens it with "0"', async () => {
    const done = dataOf(
      await patch({ task: { completed_at: '1767200000000' }, update_fields: ['completed_at'] }),
    ).task;
    const again = await patch({ task: { completed_at: '1767200009999' }, update_fields: ['completed_at'] });
    const reopened = dataOf(
      await patch({ task: { completed_at: '0' }, update_fields: ['completed_at'] }),
    ).task;

    expect(done).toMatchObject({ status: 'done', completed_at: '1767200000000' });
    expectFeishuError(again, 400, 1470400, /'completed_at'.*already completed/);
    expect(reopened).toMatchObject({ status: 'todo', completed_at: '0' });
  });

  it('moves updated_at on the emulator clock when something changes, and not when nothing does', async () => {
    const frozenAt = feishu.clock.freeze(true);
    const before = dataOf(await tasks().get(token, guid)).task;
    feishu.clock.advance(60_000);

    const unchanged = dataOf(await patch({ task: { extra: 'kept' }, update_fields: ['extra'] })).task;
    const changed = dataOf(await patch({ task: { extra: 'new' }, update_fields: ['extra'] })).task;

    expect(unchanged.updated_at).toBe(before.updated_at);
    expect(Number(changed.updated_at)).toBe(frozenAt + 60_000);
    expect(changed.created_at).toBe(before.created_at);
  });

  it.each([
    ['members', /'update_fields'.*members.*add_members and remove_members/],
    ['reminders', /'update_fields'.*reminders.*add_reminders and remove_reminders/],
    ['tasklists', /'update_fields'.*tasklists.*add_tasklist and remove_tasklist/],
    ['origin', /'update_fields'.*origin is not a field that can be updated/],
  ])('refuses update_fields naming %s with 400/1470400, changing nothing', async (field, msg) => {
    const result = await patch({ task: { summary: 'no' }, update_fields: ['summary', field] });

    expectFeishuError(result, 400, 1470400, msg);
    expect(dataOf(await tasks().get(token, guid)).task.summary).toBe('Prepare the report');
  });

  it.each([
    ['no update_fields', { task: { summary: 'x' } }, /'update_fields'/],
    ['an empty update_fields', { task: { summary: 'x' }, update_fields: [] }, /'update_fields'/],
    ['a cleared summary', { update_fields: ['summary'] }, /'summary', must not be empty/],
    [
      'a start after the due time',
      { task: { start: { timestamp: '1767225600001' } }, update_fields: ['start'] },
      /'start'/,
    ],
    [
      'a description over 3000 characters',
      { task: { description: 'd'.repeat(3001) }, update_fields: ['description'] },
      /'description'/,
    ],
  ])('refuses %s with 400/1470400', async (_what, body, msg) => {
    expectFeishuError(await patch(body), 400, 1470400, msg);
  });

  it('needs edit permission: a follower is refused 403/1470403, an assignee may', async () => {
    const follower = await feishu.createUser('Follower');
    const assignee = await feishu.createUser('Assignee');
    await tasks().addMembers(token, guid, {
      members: [
        { id: follower.open_id, role: 'follower' },
        { id: assignee.open_id, role: 'assignee' },
      ],
    });
    const body = { task: { summary: 'By a member' }, update_fields: ['summary'] };

    expectFeishuError(
      await tasks().patch(await feishu.userToken(follower.open_id), guid, body),
      403,
      1470403,
    );
    expect(
      dataOf(await tasks().patch(await feishu.userToken(assignee.open_id), guid, body)).task.summary,
    ).toBe('By a member');
  });

  it('answers an unknown task 404/1470404 and a malformed guid 400/1470400', async () => {
    const body = { task: { summary: 'x' }, update_fields: ['summary'] };

    expectFeishuError(await tasks().patch(token, randomUUID(), body), 404, 1470404);
    expectFeishuError(await tasks().patch(token, 'not-a-guid', body), 400, 1470400, /'task_guid'/);
  });
});
