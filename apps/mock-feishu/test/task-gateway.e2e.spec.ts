import { createMockFeishu, type HttpResult, type MockFeishuFixture } from './support/mock-feishu.fixture.js';
import { dataOf, expectFeishuError, taskCalls } from './support/task-calls.js';

/**
 * The gateway in front of the task surface: scopes (any one listed admits the call: reads take
 * task:task:read or task:task:write, writes task:task:write) and per-app rate limits.
 */
describe('task surface: scopes and rate limits', () => {
  let feishu: MockFeishuFixture;
  const tasks = () => taskCalls(feishu);

  beforeAll(async () => {
    feishu = await createMockFeishu();
  });
  afterAll(() => feishu.close(), 120_000);
  beforeEach(() => feishu.reset());

  /** An app holding exactly `scopes`, the creator of one task with one subtask. */
  async function appWith(scopes: string[]) {
    const appId = `cli_${scopes.join('_').replace(/\W/g, '_')}`;
    await feishu.call('POST', '/__mock/apps', { json: { app_id: appId, app_secret: 'secret', scopes } });
    const taskGuid = await feishu.seeder.createTask({ summary: 'scoped', creator: { appId } });
    await feishu.seeder.createTask({ summary: 'child', creator: { appId }, parentGuid: taskGuid });
    return { appId, token: await feishu.tenantToken(appId, 'secret'), taskGuid };
  }

  /** 99991672 naming exactly the scopes that would admit the call. */
  function expectScopeRequired(result: HttpResult, scopes: string[]): void {
    expectFeishuError(result, 400, 99991672);
    expect(result.body.error.permission_violations).toEqual(
      scopes.map((subject) => ({ type: 'action_scope_required', subject })),
    );
  }

  it('lets an app holding only task:task:read get a task and list its subtasks, but change nothing', async () => {
    const { token, taskGuid } = await appWith(['task:task:read']);
    const member = { members: [{ id: 'ou_x', role: 'follower' }] };

    expect(dataOf(await tasks().get(token, taskGuid)).task.subtask_count).toBe(1);
    expect(dataOf(await tasks().listSubtasks(token, taskGuid)).items).toHaveLength(1);
    for (const refused of [
      await tasks().patch(token, taskGuid, { task: { summary: 'x' }, update_fields: ['summary'] }),
      await tasks().addMembers(token, taskGuid, member),
      await tasks().removeMembers(token, taskGuid, member),
      await tasks().createSubtask(token, taskGuid, { summary: 'x' }),
    ]) {
      expectScopeRequired(refused, ['task:task:write']);
    }
  });

  it('lets an app holding only task:task:write read and change', async () => {
    const { token, taskGuid } = await appWith(['task:task:write']);

    expect(dataOf(await tasks().listSubtasks(token, taskGuid)).items).toHaveLength(1);
    expect(dataOf(await tasks().createSubtask(token, taskGuid, { summary: 'x' })).subtask.summary).toBe('x');
    expect(
      dataOf(await tasks().patch(token, taskGuid, { task: { summary: 'y' }, update_fields: ['summary'] }))
        .task.summary,
    ).toBe('y');
  });

  it('refuses a task list to an app without task scopes with 99991663 (the token), not 99991672', async () => {
    const { token } = await appWith(['task:attachment:read']);

    expectFeishuError(await tasks().list(token), 400, 99991663);
  });

  it('lets a user granted only task:task:read list their tasks, and asks for a scope when they have none', async () => {
    const alice = await feishu.createUser('Alice');
    await feishu.seeder.createTask({
      summary: 'hers',
      members: [{ openId: alice.open_id, role: 'assignee' }],
    });

    const listed = await tasks().list(await feishu.userToken(alice.open_id, ['task:task:read']));
    const refused = await tasks().list(await feishu.userToken(alice.open_id, ['task:attachment:read']));

    expect(dataOf(listed).items).toHaveLength(1);
    expectFeishuError(refused, 400, 99991679);
  });

  describe('rate limits (assumed: the writes 10/s like task create, the reads 50/s and 1000/min)', () => {
    async function pinClock(): Promise<void> {
      const minuteStart = Math.ceil(Date.now() / 60_000) * 60_000 + 60_000;
      await feishu.call('POST', '/__mock/clock', { json: { setMs: minuteStart, freeze: true } });
    }

    it('refuses the 11th patch in one second with 429/99991400 and limit 10, and lets it through the next second', async () => {
      const token = await feishu.tenantToken();
      const guid = await feishu.seeder.createTask({ summary: 'busy' });
      await pinClock();
      const patch = (index: number) =>
        feishu.call('PATCH', `/open-apis/task/v2/tasks/${guid}`, {
          token,
          json: { task: { extra: String(index) }, update_fields: ['extra'] },
          unrefereed: true,
        });

      const results = [];
      for (let index = 0; index < 11; index++) results.push(await patch(index));

      expect(results.slice(0, 10).map((result) => result.status)).toEqual(Array(10).fill(200));
      expect(results[10].status).toBe(429);
      expect(results[10].body.code).toBe(99991400);
      expect(results[10].headers.get('x-ogw-ratelimit-limit')).toBe('10');
      await feishu.call('POST', '/__mock/clock', { json: { advanceMs: 1000 } });
      expect((await patch(11)).status).toBe(200);
    });

    it('refuses the 51st subtask list in one second with limit 50', async () => {
      const token = await feishu.tenantToken();
      const guid = await feishu.seeder.createTask({ summary: 'read a lot' });
      await pinClock();
      const list = () =>
        feishu.call('GET', `/open-apis/task/v2/tasks/${guid}/subtasks`, { token, unrefereed: true });

      const results = await Promise.all(Array.from({ length: 51 }, list));

      expect(results.filter((result) => result.status === 200)).toHaveLength(50);
      const refused = results.find((result) => result.status === 429);
      expect(refused?.headers.get('x-ogw-ratelimit-limit')).toBe('50');
    });
  });
});
